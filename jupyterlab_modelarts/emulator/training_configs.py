"""Training job configurations (004 §5.2, TC-1 to TC-5), error shape E4, identified by name.

The configuration fields sit at the top level (no `config` wrapper) and follow the TJ-1 rules,
except that `train_url` is optional. Local ModelArts ships no sample configurations:
`config_type=sample` lists none.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError, Family
from .fields import Rule, check, query_choice
from .handler import EmulatorHandler
from .store import Document, now_ms
from .training_spec import (
    CODES,
    DUPLICATE,
    NOT_FOUND,
    check_config,
    engine_fields,
    name_rule,
    paged,
    parameters,
    spec_fields,
)

KIND = "training_configs"
NAME_RULES = (name_rule("config_name", 20),)
COMMON_RULES = (Rule("config_desc", max_length=256), Rule("volumes", list))
_STORED_FIELDS = (
    "worker_server_num",
    "app_url",
    "boot_file_url",
    "model_id",
    "spec_id",
    "data_url",
    "dataset_id",
    "dataset_version_id",
    "train_url",
    "log_url",
    "user_image_url",
    "user_command",
)
_LIST_FIELDS = (
    "config_name",
    "config_desc",
    "create_time",
    "engine_type",
    "engine_name",
    "engine_id",
    "engine_version",
    "user_image_url",
    "user_command",
)


def _document(body: dict[str, Any], name: str, create_time: int) -> Document:
    # A field the request left out is left out here too: TC-5's table types them String (or
    # Long), never null.
    return {
        "config_name": name,
        "config_desc": body.get("config_desc", ""),
        **{field: body[field] for field in _STORED_FIELDS if body.get(field) is not None},
        "parameter": parameters(body),
        "data_source": body.get("data_source") or [],
        **engine_fields(body),
        **spec_fields(int(body["spec_id"])),
        "create_time": create_time,
        "dataset_name": "",
        "dataset_version_name": "",
        "pool_id": "",
        "pool_name": "",
        "volumes": body.get("volumes") or [],
        "nas_mount_path": "",
        "nas_share_addr": "",
        "nas_type": "nfs",
    }


class ConfigHandlerBase(EmulatorHandler):
    family = Family.TRAINING

    def config_type(self) -> str:
        return str(
            query_choice(
                self.get_query_argument("config_type", None),
                "config_type",
                CODES,
                ("custom", "sample"),
                default="custom",
            )
        )

    def stored(self, name: str) -> Document:
        found = self.store.get(KIND, name) if self.config_type() == "custom" else None
        if found is None:
            raise ApiError(404, NOT_FOUND, f"The training job configuration {name} does not exist.")
        return found

    def send_success(self, document: dict[str, Any] | None = None) -> None:
        self.send_json({"is_success": True, **(document or {})})


class ConfigsHandler(ConfigHandlerBase):
    def post(self, project_id: str) -> None:
        """TC-1."""
        body = self.json_body()
        check(body, NAME_RULES + COMMON_RULES, CODES)
        check_config(self.ctx, body, "", train_url_required=False)
        name = body["config_name"]
        if self.store.get(KIND, name) is not None:
            raise ApiError(409, DUPLICATE, f"The training job configuration {name} exists.")
        self.store.put(KIND, name, _document(body, name, now_ms()), name=name)
        self.send_success()

    def get(self, project_id: str) -> None:
        """TC-2."""
        custom = self.config_type() == "custom"
        rows = [
            {field: config[field] for field in _LIST_FIELDS if config.get(field) is not None}
            for config in (self.store.list(KIND) if custom else [])
        ]
        page, total = paged(
            self,
            rows,
            per_page_max=1000,
            default_order="desc",
            search_field="config_name",
            sort_fields=("config_name", "config_desc", "create_time"),
        )
        self.send_success({"config_total_count": total, "configs": page})


class ConfigHandler(ConfigHandlerBase):
    def get(self, project_id: str, config_name: str) -> None:
        """TC-5."""
        self.send_success(self.stored(config_name))

    def put(self, project_id: str, config_name: str) -> None:
        """TC-3: replace the configuration; its name cannot change."""
        existing = self.stored(config_name)
        body = self.json_body()
        if body.get("config_name", config_name) != config_name:
            raise ApiError(400, CODES.invalid, "Invalid parameter config_name: cannot be modified")
        check(body, COMMON_RULES, CODES)
        check_config(self.ctx, body, "", train_url_required=False)
        self.store.put(
            KIND,
            config_name,
            _document(body, config_name, existing["create_time"]),
            name=config_name,
        )
        self.send_success()

    def delete(self, project_id: str, config_name: str) -> None:
        """TC-4."""
        self.stored(config_name)
        self.store.delete(KIND, config_name)
        self.send_success()


V1 = r"/v1/(?P<project_id>[^/]+)"
ROUTES = [
    (V1 + r"/training-job-configs/?", ConfigsHandler),
    (V1 + r"/training-job-configs/(?P<config_name>[^/]+)/?", ConfigHandler),
]
