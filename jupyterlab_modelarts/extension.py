"""The Jupyter server extension: configuration and route registration."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp
from traitlets import Dict, Enum, Float, Unicode, default

from . import handlers
from .credentials import cloud_credentials_in_environment


class ModelArtsExtension(ExtensionApp):
    """Server side of jupyterlab_modelarts.

    Every option is settable as ``c.ModelArtsExtension.<name>``.
    """

    name = "jupyterlab_modelarts"
    # The front end is a prebuilt labextension; this app serves no page of its own.
    load_other_extensions = True

    backend = Enum(
        ["local", "cloud"],
        help=(
            "Where requests go: 'local' runs the embedded Local ModelArts, 'cloud' talks to the "
            "real services. Defaults to 'cloud' when cloud credentials are in the environment, "
            "else 'local'."
        ),
    ).tag(config=True)

    region = Unicode("cn-north-4", help="ModelArts region id, e.g. cn-north-4.").tag(config=True)

    project_id = Unicode("", help="Project id of the region; looked up from IAM when empty.").tag(
        config=True
    )

    endpoints = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        help=(
            "Endpoint overrides by service name ('modelarts', 'iam', 'obs', 'pai'), e.g. "
            "{'modelarts': 'https://modelarts.example.internal'}. "
            "Empty means the region's defaults."
        ),
    ).tag(config=True)

    poll_interval_active = Float(
        2.0,
        help="Seconds between list polls while any resource is in a transitional state.",
    ).tag(config=True)

    poll_interval_idle = Float(
        30.0, help="Seconds between list polls while nothing is changing."
    ).tag(config=True)

    @default("backend")
    def _default_backend(self) -> str:
        return "cloud" if cloud_credentials_in_environment() else "local"

    def initialize_handlers(self) -> None:
        self.handlers.extend(handlers.routes())
