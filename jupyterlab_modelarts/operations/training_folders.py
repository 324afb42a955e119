"""Where a training job's files go on OBS, and the check that a launch writes only into folders
of its own job and version. Under the training folder (``obs_folder``)::

    <obs_folder>/<job>/data/            a local data folder, uploaded (read by every version)
    <obs_folder>/<job>/V0001/code/      the code folder of version 1
    <obs_folder>/<job>/V0001/output/    train_url of version 1
    <obs_folder>/<job>/V0001/logs/      log_url of version 1

Every folder is derived from the job name and version number when the launch is submitted, so
renaming a job in the dialog (or ``--name`` in a magic) moves all of them. A folder the user
gives is refused if it lies in another job's or another version's place, or already holds files.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..cloud.errors import NotFoundError
from ..cloud.obs import ObsTransfer, split_obs_url
from ..cloud.schemas.training import TrainingJobVersion
from . import storage
from .accounts import Accounts
from .errors import OperationError

_VERSION_NAME = re.compile(r"^V\d{4}$")


def version_name(number: int) -> str:
    return f"V{number:04d}"


def job_folder(obs_folder: str, job_name: str) -> str:
    return f"{obs_folder}{job_name}/"


def version_folder(obs_folder: str, job_name: str, version_number: int) -> str:
    return f"{job_folder(obs_folder, job_name)}{version_name(version_number)}/"


def training_folder_and_job(job_folder_url: str) -> tuple[str, str]:
    """``<obs_folder>/<job>/`` -> (``<obs_folder>/``, ``<job>``)."""
    parent, name = posixpath.split(job_folder_url.rstrip("/"))
    return parent + "/", name


@dataclass(frozen=True)
class VersionFolders:
    """The folders one version writes."""

    code_url: str
    train_url: str
    log_url: str


def version_folders(obs_folder: str, job_name: str, version_number: int) -> VersionFolders:
    version = version_folder(obs_folder, job_name, version_number)
    return VersionFolders(
        code_url=version + "code/", train_url=version + "output/", log_url=version + "logs/"
    )


def job_folder_of_code(app_url: str) -> str:
    """The job folder a version's code folder sits in: ``<job>/V0001/code/`` or, for jobs made
    before code folders were per version, ``<job>/code/``."""
    parent = posixpath.dirname(app_url.rstrip("/"))
    if _VERSION_NAME.match(posixpath.basename(parent)):
        parent = posixpath.dirname(parent)
    return parent + "/"


def earlier_folders(versions: Iterable[TrainingJobVersion]) -> list[tuple[str, list[str]]]:
    """What each existing version of a job wrote, by version name."""
    return [
        (
            version.version_name or str(version.version_id),
            [version.train_url or "", version.log_url or "", version.app_url or ""],
        )
        for version in versions
    ]


def _location(url: str) -> tuple[str, str]:
    """(bucket, key ending with '/') whatever the spelling: obs://, s3:// or /bucket/."""
    bucket, key = split_obs_url(url)
    return bucket, key if not key or key.endswith("/") else key + "/"


def _inside(url: str, folder: str) -> str | None:
    """The part of ``url`` below ``folder`` ('' for the folder itself), None if outside."""
    bucket, key = _location(url)
    folder_bucket, folder_key = _location(folder)
    if bucket != folder_bucket or not key.startswith(folder_key):
        return None
    return key[len(folder_key) :]


def _overlap(first: str, second: str) -> bool:
    return _inside(first, second) is not None or _inside(second, first) is not None


def check_own_place(
    field: str,
    url: str,
    *,
    obs_folders: Iterable[str],
    job_name: str,
    version_number: int,
    earlier_versions: Iterable[tuple[str, Iterable[str]]] = (),
) -> None:
    """Refuse ``url`` (the value of ``field``) where it lies in the training folder outside
    ``<job_name>/V000N/``, or overlaps a folder an earlier version of the job wrote."""
    own = version_name(version_number)
    for obs_folder in obs_folders:
        below = _inside(url, obs_folder)
        if below is None:
            continue
        owner, _, rest = below.partition("/")
        if not owner:
            raise OperationError(
                "FOLDER_OF_OTHER_JOBS",
                f"{url} holds the folders of every training job: use a folder inside "
                f"{version_folder(obs_folder, job_name, version_number)}",
                field=field,
                params={"url": url},
            )
        if owner != job_name:
            raise OperationError(
                "FOLDER_OF_OTHER_JOB",
                f"{url} belongs to training job {owner}: use a folder inside "
                f"{version_folder(obs_folder, job_name, version_number)}",
                field=field,
                params={"url": url, "job_name": owner},
            )
        version = rest.partition("/")[0]
        if version != own:
            raise OperationError(
                "FOLDER_OF_OTHER_VERSION",
                f"{url} is not inside the folder of version {own} of {job_name}: use a folder "
                f"inside {version_folder(obs_folder, job_name, version_number)}",
                field=field,
                params={"url": url, "version": version or None},
            )
    for version, folders in earlier_versions:
        if any(folder and _overlap(url, folder) for folder in folders):
            raise OperationError(
                "FOLDER_OF_OTHER_VERSION",
                f"{url} is a folder of version {version} of {job_name}: choose another folder",
                field=field,
                params={"url": url, "version": version},
            )


async def check_output_folders(
    accounts: Accounts,
    places: dict[str, str],
    *,
    obs_folders: Iterable[str],
    job_name: str,
    version_number: int,
    earlier_versions: Iterable[tuple[str, Iterable[str]]] = (),
) -> None:
    """Every folder a version will write (``places``: field -> url) is its own and empty."""
    earlier = list(earlier_versions)
    roots = set(obs_folders)
    for field, url in places.items():
        check_own_place(
            field,
            url,
            obs_folders=roots,
            job_name=job_name,
            version_number=version_number,
            earlier_versions=earlier,
        )
    transfer = await storage.obs_transfer(accounts, accounts.active())
    try:
        for field, url in places.items():
            await check_empty(transfer, field, url)
    finally:
        await transfer.aclose()


async def check_empty(transfer: ObsTransfer, field: str, url: str) -> None:
    """Refuse an output or log folder that already holds files: a job would overwrite them."""
    try:
        objects = await transfer.list(url)
    except NotFoundError:
        return
    files = [info for info in objects if not info.key.endswith("/")]
    if files:
        raise OperationError(
            "FOLDER_NOT_EMPTY",
            f"{url} already holds {len(files)} files of an earlier run: choose an empty folder",
            field=field,
            params={"url": url, "count": len(files)},
        )
