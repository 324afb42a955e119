"""Notebook instances of the active profile: ModelArts DevEnviron (old API) and Notebooks (new
API) for ModelArts profiles, PAI DSW for PAI profiles.

Lists come from one watcher per profile (``instances`` kind), shared by every tab. Create and
update bodies are the upstream API's own request shapes, so a rule broken anywhere in them is
reported on the field path the form uses; the client library checks the seed rules before
anything is sent.
"""

from __future__ import annotations

from typing import Any

from ..accounts.profiles import Backend, Profile
from ..cloud.errors import CloudError
from ..cloud.modelarts import ModelArts
from ..cloud.schemas.notebooks import NotebookUpdate
from .accounts import Accounts, not_offered
from .errors import OperationError
from .instances_shapes import (
    EDIT_ACTIONS,
    Api,
    Item,
    actions_of,
    from_devenv,
    from_notebook,
    from_pai,
    is_transitional,
)
from .storage import upload_folder
from .watch import ResourceWatcher, Watchers

KIND = "instances"
#: A list request answers from a snapshot at most this old (seconds); polls refresh it.
LIST_MAX_AGE = 1.0
#: Upstream codes that mean "this name is taken": shown on the form's name field.
_NAME_TAKEN = frozenset({"ModelArts.6301", "ModelArts.6302"})


def apis_of(profile: Profile) -> tuple[Api, ...]:
    if profile.backend is Backend.PAI:
        return ("pai",)
    return ("notebooks",) if unavailable_apis(profile) else ("devenv", "notebooks")


def _refused_apis(profile: Profile) -> dict[str, OperationError]:
    """The APIs the profile's cloud does not serve, with the refusal of each."""
    if profile.backend is Backend.PAI:
        return {}
    refused = not_offered(profile, "devenviron", field="api")
    return {"devenv": refused} if refused else {}


def unavailable_apis(profile: Profile) -> dict[str, dict[str, Any]]:
    """The APIs the profile's cloud does not serve, each with its refusal as an error body (the
    front end words it from the code and params)."""
    return {api: refused.to_dict() for api, refused in _refused_apis(profile).items()}


def check_api(profile: Profile, api: str) -> Api:
    refused = _refused_apis(profile).get(api)
    if refused:
        raise refused
    for known in apis_of(profile):
        if api == known:
            return known
    allowed = ", ".join(apis_of(profile))
    raise OperationError(
        "UNKNOWN_API",
        f"api: profile {profile.name!r} offers {allowed}, not {api!r}",
        field="api",
        params={"name": profile.name, "offered": allowed, "api": api},
    )


def watcher(accounts: Accounts, watchers: Watchers, profile: Profile) -> ResourceWatcher:
    name = profile.name

    async def fetch() -> list[Item]:
        # Looked up on every poll: the profile's credentials or endpoints may have changed.
        return await _list_upstream(accounts, accounts.get(name))

    return watchers.get(KIND, name, fetch, is_transitional, key="key")


async def _changed(accounts: Accounts, watchers: Watchers, profile: Profile) -> None:
    """After a change: every tab sees it now, and the next list includes it."""
    try:
        await watcher(accounts, watchers, profile).refresh()
    except (CloudError, OperationError):
        # The change itself succeeded; the watcher's next poll reports the list's problem.
        watcher(accounts, watchers, profile).poke()


async def _list_upstream(accounts: Accounts, profile: Profile) -> list[Item]:
    if profile.backend is Backend.PAI:
        dsw = await accounts.pai(profile)
        return [from_pai(instance) async for instance in dsw.iterate()]
    client = await accounts.modelarts(profile)
    items = []
    if "devenv" in apis_of(profile):
        old = await client.devenv.list(limit=0)
        items = [from_devenv(instance) for instance in old.instances]
    items += [from_notebook(notebook) async for notebook in client.notebooks.iterate()]
    return items


async def list_instances(accounts: Accounts, watchers: Watchers) -> dict[str, Any]:
    profile = accounts.active()
    items = await watcher(accounts, watchers, profile).snapshot(LIST_MAX_AGE)
    items = sorted(items, key=lambda item: item.get("created_at") or 0, reverse=True)
    return {
        "profile": profile.name,
        "apis": list(apis_of(profile)),
        "unavailable": unavailable_apis(profile),
        "items": items,
    }


async def get_instance(accounts: Accounts, api: str, instance_id: str) -> Item:
    """The instance in the UI shape, with the upstream record as ``raw`` for the detail view."""
    profile = accounts.active()
    checked = check_api(profile, api)
    if checked == "pai":
        found = await (await accounts.pai(profile)).get(instance_id)
        return {**from_pai(found), "raw": _raw(found)}
    client = await accounts.modelarts(profile)
    if checked == "devenv":
        instance = await client.devenv.get(instance_id)
        return {**from_devenv(instance), "raw": _raw(instance)}
    notebook = await client.notebooks.get(instance_id)
    return {**from_notebook(notebook), "raw": _raw(notebook)}


async def create_instance(
    accounts: Accounts,
    watchers: Watchers,
    submitted: dict[str, Any],
    obs_folder: str | None = None,
) -> Item:
    """Create from ``{"api": ..., "request": {<the API's create body>}}``. A DevEnviron
    instance on OBS storage without a path gets ``<obs_folder>/notebooks/<name>/``, its bucket
    created if missing (``obs_folder``: the extension's template)."""
    profile = accounts.active()
    api = check_api(profile, str(submitted.get("api") or ""))
    request = submitted.get("request")
    if not isinstance(request, dict):
        raise OperationError("NOT_AN_OBJECT", "request: an object is required", field="request")
    if api == "devenv" and obs_folder is not None:
        request = await _with_proposed_obs_folder(accounts, profile, request, obs_folder)
    try:
        if api == "pai":
            dsw = await accounts.pai(profile)
            result = await dsw.create(request)
            created = from_pai(await dsw.get(result.InstanceId or ""))
        else:
            client = await accounts.modelarts(profile)
            created = await _create_modelarts(client, api, request, accounts.workspace_id(profile))
    except CloudError as error:
        if error.error_code in _NAME_TAKEN:
            raise OperationError.from_cloud(error, field="name") from None
        raise
    await _changed(accounts, watchers, profile)
    return created


NOTEBOOKS_FOLDER = "notebooks"


async def _with_proposed_obs_folder(
    accounts: Accounts, profile: Profile, request: dict[str, Any], obs_folder: str
) -> dict[str, Any]:
    spec = request.get("spec")
    storage = spec.get("storage") if isinstance(spec, dict) else None
    if not isinstance(storage, dict) or storage.get("type") != "obs":
        return request
    location = storage.get("location") or {}
    if not isinstance(location, dict) or location.get("path"):
        return request
    name = str(request.get("name") or "")
    if not name:
        return request  # the create call names the missing field
    transfer, folder = await upload_folder(accounts, profile, obs_folder, NOTEBOOKS_FOLDER, name)
    await transfer.aclose()
    assert isinstance(spec, dict)
    return {
        **request,
        "spec": {**spec, "storage": {**storage, "location": {**location, "path": folder}}},
    }


async def proposed_obs_folder(accounts: Accounts, obs_folder: str) -> str:
    """Where DevEnviron instances' OBS folders go by default: ``<obs_folder>/notebooks/``."""
    profile = accounts.active()
    client = await accounts.modelarts(profile)
    root = obs_folder.format(project_id=await client.project_id(), region=profile.region)
    return f"{root.rstrip('/')}/{NOTEBOOKS_FOLDER}/"


async def _create_modelarts(
    client: ModelArts, api: Api, request: dict[str, Any], workspace_id: str
) -> Item:
    if api == "devenv":
        body = {"workspace": {"id": workspace_id}, **request}
        return from_devenv(await client.devenv.create(body))
    return from_notebook(await client.notebooks.create({"workspace_id": workspace_id, **request}))


async def update_instance(
    accounts: Accounts, watchers: Watchers, api: str, instance_id: str, changes: dict[str, Any]
) -> Item:
    """DevEnviron: its update body (description, ``spec.auto_stop`` in seconds). Notebooks: its
    update body plus ``lease.duration`` (ms, from now) for auto stop. PAI: its update body."""
    profile = accounts.active()
    checked = check_api(profile, api)
    if checked == "pai":
        await (await accounts.pai(profile)).update(instance_id, changes)
    else:
        client = await accounts.modelarts(profile)
        if checked == "devenv":
            await client.devenv.update(instance_id, changes)
        else:
            await _update_notebook(client, instance_id, changes)
    await _changed(accounts, watchers, profile)
    return await get_instance(accounts, api, instance_id)


async def _update_notebook(client: ModelArts, notebook_id: str, changes: dict[str, Any]) -> None:
    fields = dict(changes)
    lease = fields.pop("lease", None)
    duration = _lease_duration(lease)
    # Both parts are checked before either is sent.
    update = NotebookUpdate.parse(fields) if fields else None
    if update is not None:
        await client.notebooks.update(notebook_id, update)
    if duration is not None:
        await client.notebooks.renew_lease(notebook_id, duration)


def _lease_duration(lease: Any) -> int | None:
    if lease is None:
        return None
    duration = lease.get("duration") if isinstance(lease, dict) else None
    if isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0:
        raise OperationError(
            "OUT_OF_RANGE",
            "lease.duration: must be a positive number of milliseconds",
            field="lease.duration",
            params={"gt": 0},
        )
    return duration


async def act_on_instance(
    accounts: Accounts, watchers: Watchers, api: str, instance_id: str, action: str
) -> Item:
    """start, stop, restart, queue or dequeue, where the instance's API has it."""
    profile = accounts.active()
    checked = check_api(profile, api)
    offered = [name for name in actions_of(checked) if name not in EDIT_ACTIONS]
    if action not in offered:
        raise OperationError(
            "UNKNOWN_ACTION",
            f"action: the {checked} API offers {', '.join(offered)}, not {action!r}",
            field="action",
            params={"api": checked, "offered": ", ".join(offered), "action": action},
        )
    if checked == "pai":
        dsw = await accounts.pai(profile)
        await (dsw.start(instance_id) if action == "start" else dsw.stop(instance_id))
    else:
        client = await accounts.modelarts(profile)
        if checked == "devenv":
            await client.devenv.action(instance_id, action)  # type: ignore[arg-type]
        elif action == "start":
            await client.notebooks.start(instance_id)
        else:
            await client.notebooks.stop(instance_id)
    await _changed(accounts, watchers, profile)
    return await get_instance(accounts, api, instance_id)


async def delete_instance(
    accounts: Accounts, watchers: Watchers, api: str, instance_id: str
) -> None:
    profile = accounts.active()
    checked = check_api(profile, api)
    if checked == "pai":
        await (await accounts.pai(profile)).delete(instance_id)
    else:
        client = await accounts.modelarts(profile)
        if checked == "devenv":
            await client.devenv.delete(instance_id)
        else:
            await client.notebooks.delete(instance_id)
    await _changed(accounts, watchers, profile)


def _raw(model: Any) -> dict[str, Any]:
    raw: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return raw
