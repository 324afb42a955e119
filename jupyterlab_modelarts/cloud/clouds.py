"""The clouds a profile can talk to: their regions, endpoint schemes and API generations.

A cloud preset answers three questions without a network call: which regions a profile may
choose, the endpoint of each service in a region (unless the profile overrides it or, on Huawei
Cloud Stack, the IAM token's service catalog names it), and which API generation of a feature
the cloud serves (training v1 or v2, the old DevEnviron API or not). Facts come from each cloud's
published API reference and endpoint list (see the README's "Connecting to the real clouds").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

TrainingApi = Literal["v1", "v2"]
#: The services a profile can have an endpoint for.
SERVICES = ("modelarts", "iam", "obs", "pai")

HUAWEI_CLOUD = "huaweicloud"
T_CLOUD_PUBLIC = "tcloudpublic"
HUAWEI_CLOUD_STACK = "hcs"
ALIBABA_CLOUD = "alibabacloud"
LOCAL = "local"

_HUAWEI_SERVICES = frozenset({"modelarts", "iam", "obs"})


class CloudPresetError(ValueError):
    """A profile asks a cloud for something it does not have; ``field`` names the input,
    ``code`` and ``params`` what the front end words it from."""

    def __init__(self, message: str, *, field: str, code: str, params: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.params = params


@dataclass(frozen=True)
class MissingFeature:
    """Why a cloud cannot serve a feature: ``reason`` and ``params`` for the front end to word,
    ``message`` in English (the magics print it)."""

    reason: str
    params: dict[str, Any]
    message: str


@dataclass(frozen=True)
class Region:
    id: str
    label: str
    #: The services the cloud offers in this region.
    services: frozenset[str] = _HUAWEI_SERVICES
    #: The domain under which this region's services answer, when it differs from the cloud's
    #: (Huawei Cloud's European site).
    domain: str | None = None


@dataclass(frozen=True)
class Cloud:
    name: str
    label: str
    #: The profile backend that speaks this cloud's APIs.
    backend: Literal["local", "modelarts", "pai"]
    regions: tuple[Region, ...]
    default_region: str
    #: Endpoints are ``https://{service}.{region}.{domain}``; None: the customer names it (HCS).
    domain: str | None
    #: The training generation used unless the profile or the sign-in probe says otherwise.
    training_api: TrainingApi
    #: Every training generation the cloud serves; the sign-in probe chooses among them.
    training_apis: frozenset[TrainingApi]
    #: Whether the old DevEnviron API (``/v1/{project_id}/demanager/instances``) is served.
    devenviron: bool
    #: Services whose endpoint is one for the whole cloud, whatever the region.
    shared_endpoints: Mapping[str, str] = field(default_factory=dict)
    #: Host name of a service when it is not the service's own name (PAI DSW's ``pai-dsw``).
    hosts: Mapping[str, str] = field(default_factory=dict)

    def region(self, region_id: str, *, listed_only: bool = True) -> Region:
        """The region named ``region_id``; one the preset does not list is refused unless
        ``listed_only`` is False (or the cloud has no list: Huawei Cloud Stack's are its own)."""
        for region in self.regions:
            if region.id == region_id:
                return region
        if not self.regions or not listed_only:
            offered = frozenset().union(*(r.services for r in self.regions))
            return Region(region_id, region_id, services=offered or _HUAWEI_SERVICES)
        choices = ", ".join(region.id for region in self.regions)
        raise CloudPresetError(
            f"{self.label} has no region {region_id!r}: one of {choices}",
            field="region",
            code="NO_SUCH_REGION",
            params={"cloud": self.label, "region": region_id, "choices": choices},
        )

    def endpoint(
        self,
        service: str,
        region_id: str,
        *,
        domain: str | None = None,
        listed_only: bool = True,
    ) -> str:
        """The preset endpoint of ``service`` in ``region_id`` (``domain``: HCS's own)."""
        region = self.region(region_id, listed_only=listed_only)
        if service in self.shared_endpoints:
            return self.shared_endpoints[service]
        if service not in region.services:
            offered = [r.id for r in self.regions if service in r.services]
            where = f"; it is in {', '.join(offered)}" if offered else ""
            raise CloudPresetError(
                f"{self.label} does not offer {service} in {region.id}{where}",
                field="region",
                code="SERVICE_NOT_IN_REGION",
                params={
                    "cloud": self.label,
                    "service": service,
                    "region": region.id,
                    "offered": ", ".join(offered),
                },
            )
        suffix = region.domain or self.domain or domain
        if not suffix:
            raise CloudPresetError(
                f"{self.label} needs its domain (e.g. example.com) or an endpoint for {service}",
                field="domain",
                code="DOMAIN_REQUIRED",
                params={"cloud": self.label, "service": service},
            )
        return f"https://{self.hosts.get(service, service)}.{region.id}.{suffix}"

    def endpoints(
        self, region_id: str, *, domain: str | None = None, listed_only: bool = True
    ) -> dict[str, str]:
        """Every service the cloud offers in ``region_id`` by its preset endpoint."""
        region = self.region(region_id, listed_only=listed_only)
        if not self.regions and not (self.domain or domain):
            return {}
        return {
            service: self.endpoint(service, region_id, domain=domain, listed_only=listed_only)
            for service in SERVICES
            if service in region.services
        }

    def describe(self) -> dict[str, Any]:
        """The preset as the sign-in dialog shows it."""
        return {
            "name": self.name,
            "label": self.label,
            "backend": self.backend,
            "regions": [
                {"id": r.id, "label": r.label, "services": sorted(r.services)} for r in self.regions
            ],
            "default_region": self.default_region,
            "needs_domain": self.domain is None and self.backend != "local",
            "training_api": self.training_api,
            "training_apis": sorted(self.training_apis),
            "devenviron": self.devenviron,
        }


def _regions(pairs: Iterable[tuple[str, str]], **common: Any) -> tuple[Region, ...]:
    return tuple(Region(region_id, label, **common) for region_id, label in pairs)


CLOUDS: dict[str, Cloud] = {
    cloud.name: cloud
    for cloud in (
        Cloud(
            name=HUAWEI_CLOUD,
            label="Huawei Cloud",
            backend="modelarts",
            regions=(
                *_regions(
                    (
                        ("cn-north-4", "CN North-Beijing4"),
                        ("cn-north-1", "CN North-Beijing1"),
                        ("cn-east-3", "CN East-Shanghai1"),
                        ("cn-south-1", "CN South-Guangzhou"),
                        ("cn-southwest-2", "CN Southwest-Guiyang1"),
                        ("ap-southeast-1", "CN-Hong Kong"),
                        ("ap-southeast-2", "AP-Bangkok"),
                        ("ap-southeast-3", "AP-Singapore"),
                        ("af-south-1", "AF-Johannesburg"),
                        ("la-south-2", "LA-Santiago"),
                        ("sa-brazil-1", "LA-Sao Paulo1"),
                        ("la-north-2", "LA-Mexico City2"),
                        ("tr-west-1", "TR-Istanbul"),
                        ("me-east-1", "ME-Riyadh"),
                    )
                ),
                # The European site serves its services under its own domain.
                Region("eu-west-101", "EU-Dublin", domain="myhuaweicloud.eu"),
            ),
            default_region="cn-north-4",
            domain="myhuaweicloud.com",
            # Old-version training management went offline on 2023-06-30; the old DevEnviron
            # API is listed under "Historical APIs".
            training_api="v2",
            training_apis=frozenset({"v2"}),
            devenviron=False,
        ),
        Cloud(
            name=T_CLOUD_PUBLIC,
            label="T Cloud Public",
            backend="modelarts",
            regions=(
                Region("eu-de", "EU-Germany (eu-de)"),
                # ModelArts is published for eu-de only; OBS answers in both regions.
                Region("eu-nl", "EU-Netherlands (eu-nl)", services=frozenset({"iam", "obs"})),
            ),
            default_region="eu-de",
            domain="otc.t-systems.com",
            training_api="v1",
            training_apis=frozenset({"v1", "v2"}),
            devenviron=True,
            shared_endpoints={"iam": "https://iam.eu-de.otc.t-systems.com"},
        ),
        Cloud(
            name=HUAWEI_CLOUD_STACK,
            label="Huawei Cloud Stack",
            backend="modelarts",
            regions=(),
            default_region="",
            domain=None,
            # An installation's version decides; the sign-in probe finds out which one answers.
            training_api="v1",
            training_apis=frozenset({"v1", "v2"}),
            devenviron=True,
        ),
        Cloud(
            name=ALIBABA_CLOUD,
            label="Alibaba Cloud (PAI DSW)",
            backend="pai",
            regions=_regions(
                (
                    ("cn-hangzhou", "China (Hangzhou)"),
                    ("cn-shanghai", "China (Shanghai)"),
                    ("cn-beijing", "China (Beijing)"),
                    ("cn-shenzhen", "China (Shenzhen)"),
                    ("cn-wulanchabu", "China (Ulanqab)"),
                    ("cn-hongkong", "China (Hong Kong)"),
                    ("ap-southeast-1", "Singapore"),
                    ("ap-southeast-5", "Indonesia (Jakarta)"),
                    ("ap-northeast-1", "Japan (Tokyo)"),
                    ("eu-central-1", "Germany (Frankfurt)"),
                    ("us-west-1", "US (Silicon Valley)"),
                    ("us-east-1", "US (Virginia)"),
                ),
                services=frozenset({"pai"}),
            ),
            default_region="cn-hangzhou",
            domain="aliyuncs.com",
            training_api="v1",
            training_apis=frozenset(),
            devenviron=False,
            hosts={"pai": "pai-dsw"},
        ),
        Cloud(
            name=LOCAL,
            label="Local ModelArts",
            backend="local",
            regions=(),
            default_region="",
            domain=None,
            # Local ModelArts serves both; v1 is what the seeds' flows were written against.
            training_api="v1",
            training_apis=frozenset({"v1", "v2"}),
            devenviron=True,
        ),
    )
}

#: The cloud a profile without a ``cloud`` field belongs to, by backend (profiles saved before
#: clouds were named keep working).
CLOUD_OF_BACKEND = {"local": LOCAL, "modelarts": HUAWEI_CLOUD, "pai": ALIBABA_CLOUD}


def cloud(name: str | None, backend: str = "modelarts") -> Cloud:
    """The preset named ``name``, or the one of ``backend`` when no cloud is named."""
    chosen = name or CLOUD_OF_BACKEND[backend]
    try:
        return CLOUDS[chosen]
    except KeyError:
        raise CloudPresetError(
            f"unknown cloud {chosen!r}: one of {', '.join(CLOUDS)}",
            field="cloud",
            code="UNKNOWN_CLOUD",
            params={"cloud": chosen, "choices": ", ".join(CLOUDS)},
        ) from None


def training_api(profile_cloud: str | None, override: str | None) -> TrainingApi:
    """The training generation a profile uses: its own setting, else its cloud's default."""
    if override in ("v1", "v2"):
        return override  # type: ignore[return-value]
    return cloud(profile_cloud).training_api


def missing_feature(profile_cloud: str | None, feature: str) -> MissingFeature | None:
    """Why ``feature`` ("training.v1", "training.v2", "devenviron") cannot be used on the
    cloud, with the alternative; None when it can. Asked before anything is sent."""
    preset = cloud(profile_cloud)
    if feature == "devenviron" and not preset.devenviron:
        return MissingFeature(
            "devenviron",
            {"cloud": preset.label},
            f"The old DevEnviron API is not offered by {preset.label}; use the Notebooks API.",
        )
    generation = feature.removeprefix("training.")
    if feature.startswith("training.") and generation not in preset.training_apis:
        offered = sorted(preset.training_apis)
        if not offered:
            return MissingFeature(
                "no_training",
                {"cloud": preset.label},
                f"{preset.label} has no ModelArts training; use a ModelArts profile.",
            )
        alternative = " or ".join(f"training {g}" for g in offered)
        return MissingFeature(
            "training_generation",
            {"cloud": preset.label, "generation": generation, "offered": offered},
            f"Training {generation} is not offered by {preset.label}; use {alternative}.",
        )
    return None


def default_endpoint(
    service: str, region: str, profile_cloud: str | None = None, *, domain: str | None = None
) -> str:
    """The endpoint of ``service`` in ``region`` by the cloud's scheme (Huawei Cloud unless
    named). The client library is lenient where profiles are strict: a region the preset does
    not list (yet) still gets the cloud's scheme."""
    preset = cloud(profile_cloud, "pai" if service == "pai" else "modelarts")
    return preset.endpoint(service, region, domain=domain, listed_only=False)


def resolve_endpoints(
    profile_cloud: str | None,
    region: str,
    *,
    overrides: Mapping[str, str] | None = None,
    domain: str | None = None,
    discovered: Mapping[str, str] | None = None,
    listed_only: bool = True,
) -> dict[str, str]:
    """Each service's endpoint: the override, else the preset's, else the one ``discovered``
    (from the IAM token's service catalog, see :func:`.iam.endpoints_from_catalog`).
    ``listed_only``: refuse a region the preset does not list (a profile that named its cloud)
    rather than apply the cloud's scheme to it."""
    preset = cloud(profile_cloud)
    preset_endpoints = (
        preset.endpoints(region, domain=domain, listed_only=listed_only)
        if preset.backend != "local"
        else {}
    )
    return {**(discovered or {}), **preset_endpoints, **(overrides or {})}
