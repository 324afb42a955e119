"""OBS locations as the ModelArts APIs take them (`/bucket/key`, `obs://bucket/key`,
`s3://bucket/key`) and the local files behind them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .shims.moxing.file import is_obs_url, local_path


def to_url(location: str, scheme: str = "s3") -> str:
    """`location` as `<scheme>://bucket/key` (`s3://` is the form ModelArts hands to training
    scripts). Also understood: the virtual-hosted HTTPS form of the model APIs
    (`https://bucket.obs.region.example.com/key`) and the path-style URL of a local OBS
    (`http://127.0.0.1:port/bucket/key`)."""
    if is_obs_url(location):
        return f"{scheme}://" + location.split("://", 1)[1]
    if location.startswith(("http://", "https://")):
        parsed = urlsplit(location)
        host = parsed.hostname or ""
        if ".obs." in host:
            return f"{scheme}://{host.split('.obs.', 1)[0]}{parsed.path or '/'}"
        if host in ("127.0.0.1", "localhost"):
            return f"{scheme}://" + parsed.path.lstrip("/")
        raise ValueError(f"{location!r} is not an OBS URL")
    if not location.startswith("/") or not location.strip("/"):
        raise ValueError(f"{location!r} is not an OBS path like /bucket/folder/")
    return f"{scheme}://" + location.lstrip("/")


def bucket_key(location: str) -> tuple[str, str]:
    bucket, _, key = to_url(location).split("://", 1)[1].partition("/")
    return bucket, key


def resolve(obs_root: Path, location: str) -> Path:
    """The local file or folder behind an OBS location; raises OSError for an unknown bucket
    or a key that escapes its bucket."""
    return Path(local_path(to_url(location), str(obs_root)))


def relative_key(parent: str, child: str) -> str | None:
    """`child`'s key relative to the folder `parent`, or None when it is not inside it."""
    parent_bucket, parent_key = bucket_key(parent)
    child_bucket, child_key = bucket_key(child)
    prefix = parent_key.rstrip("/") + "/" if parent_key.strip("/") else ""
    if parent_bucket != child_bucket or not child_key.startswith(prefix):
        return None
    relative = child_key[len(prefix) :]
    return relative or None
