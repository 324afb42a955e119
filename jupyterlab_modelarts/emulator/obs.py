"""OBS-compatible object storage over HTTP (path-style ``/{bucket}/{key}``), on obs_storage.

Buckets: create, head, delete, list objects (v1 and list-type=2), location, multi-delete.
Objects: put (streamed to disk), get with Range and conditions, head, delete, copy. Multipart:
initiate, upload part, complete, abort, list parts. Signatures: obs_auth.py; the unsigned
``HEAD /?apiversion`` probe answers ``x-obs-api: 3.0``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import tornado.web
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..whole_numbers import parse_whole_number
from . import obs_auth
from .auth import ANONYMOUS, AuthScheme, Caller
from .errors import ApiError, Family
from .handler import EmulatorHandler
from .obs_storage import ObjectInfo, ObsError, quoted_etag

_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_CHUNK = 1024 * 1024
_SINK_BUFFER = 1024 * 1024
#: First path segments of the other APIs at the root path: never buckets, so their unknown
#: routes get their own family's 404.
_RESERVED = r"(?!(?:v1|v2|v3|v3\.0|api|_admin)(?:/|$))"
_BUCKET = _RESERVED + r"(?P<bucket>[^/]+)"


def _xml(root: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{_S3_NS}">{body}</{root}>'
    ).encode()


def _parse_xml(body: bytes) -> Element:
    try:
        return fromstring(body)
    except (ParseError, DefusedXmlException):
        raise ApiError(400, "MalformedXML", "The XML you provided was not well-formed.") from None


def _element(name: str, value: Any) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def _signed_payload(request: Any) -> bool:
    """Whether an AWS v4 request signed its body's SHA-256, which must then be checked (OBS
    signatures, ``UNSIGNED-PAYLOAD`` and streaming payloads sign no whole-body hash)."""
    declared = request.headers.get("x-amz-content-sha256")
    if not declared or declared == obs_auth.UNSIGNED_PAYLOAD:
        return False
    return not declared.startswith("STREAMING-")


class _BodySink:
    """Receives a streamed request body into a temporary file, hashing as it goes: MD5 always
    (the ETag, Content-MD5), SHA-256 only when a signed payload hash is to be checked.

    Chunks are gathered up to ``_SINK_BUFFER`` bytes before they are written and hashed: with
    many uploads at once, tornado hands over a few KiB per socket read, and writing and
    hashing each alone cost more in system calls than the bytes themselves."""

    def __init__(self, file: Any, *, sha256: bool = False) -> None:
        self.file = file
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.sha256 = hashlib.sha256() if sha256 else None
        self.size = 0
        self._buffer = bytearray()

    def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        self.size += len(chunk)
        if len(self._buffer) >= _SINK_BUFFER:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            data = memoryview(self._buffer)
            self.file.write(data)
            self.md5.update(data)
            if self.sha256 is not None:
                self.sha256.update(data)
            data.release()
            self._buffer.clear()

    def close(self) -> Path:
        if not self.file.closed:
            self._flush()
            self.file.close()
        return Path(self.file.name)


@tornado.web.stream_request_body
class ObsHandler(EmulatorHandler):
    family = Family.OBS
    auth_scheme = AuthScheme.OBS
    validation_code = "InvalidArgument"
    # Signatures cover headers; the payload hash is checked as the body streams to disk.
    authenticate_after_body = False

    _sink: _BodySink | None = None
    _body_path: Path | None = None

    def authenticate(self) -> Caller:
        return obs_auth.authenticate_obs(self.ctx, self.request)

    def body_limit(self) -> int:
        return self.ctx.config.max_body_bytes

    async def prepare(self) -> None:
        await super().prepare()
        self.prefix = obs_auth.header_prefix(self.request)
        self.query = dict(obs_auth.raw_query_items(self.request.query))
        if self.request.method in ("PUT", "POST"):
            self._sink = _BodySink(self.obs.new_temp_file(), sha256=_signed_payload(self.request))

    def data_received(self, chunk: bytes) -> None:
        if self._sink is not None:
            self._sink.write(chunk)

    def received_body(self) -> tuple[Path, str]:
        """(file holding the body, its MD5 hex), after checking Content-MD5 and the v4 hash."""
        assert self._sink is not None
        self._body_path = self._sink.close()
        md5 = self._sink.md5.hexdigest()
        declared = self.request.headers.get("Content-MD5")
        if declared and declared != base64.b64encode(self._sink.md5.digest()).decode():
            raise ApiError(
                400, "BadDigest", "The Content-MD5 you specified did not match what we received."
            )
        if self._sink.sha256 is not None:
            obs_auth.check_payload_hash(self.request, self._sink.sha256.hexdigest())
        return self._body_path, md5

    def body_bytes(self) -> bytes:
        path, _md5 = self.received_body()
        return path.read_bytes()

    def on_finish(self) -> None:
        self._discard_body()

    def on_connection_close(self) -> None:
        super().on_connection_close()
        self._discard_body()

    def _discard_body(self) -> None:
        if self._sink is not None:
            path = self._sink.close()
            path.unlink(missing_ok=True)

    # --- rendering ---------------------------------------------------------------------------

    def send_xml(self, root: str, body: str, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/xml")
        self.finish(_xml(root, body))

    def send_empty(self, status: int = 200) -> None:
        self.set_status(status)
        self.finish()

    def object_headers(self, info: ObjectInfo) -> None:
        self.set_header("ETag", quoted_etag(info.etag))
        self.set_header("Last-Modified", info.last_modified_http)
        self.set_header("Content-Type", info.content_type)
        self.set_header("Accept-Ranges", "bytes")
        for name, value in info.metadata.items():
            self.set_header(f"{self.prefix}meta-{name}", value)

    def request_metadata(self) -> dict[str, str]:
        meta = f"{self.prefix}meta-"
        return {
            name.lower()[len(meta) :]: value
            for name, value in self.request.headers.get_all()
            if name.lower().startswith(meta)
        }

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ObsError):
            kwargs["exc_info"] = (ApiError, ApiError(exc.status, exc.code, exc.message), None)
            self.set_status(exc.status)
        super().write_error(status_code, **kwargs)

    def send_error(self, status_code: int = 500, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ObsError):
            status_code = exc.status
        super().send_error(status_code, **kwargs)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, ObsError):
            value = ApiError(value.status, value.code, value.message)
        super().log_exception(typ, value, tb)


class ServiceHandler(ObsHandler):
    """``/``: list buckets; the unsigned ``HEAD /?apiversion`` probe."""

    def authenticate(self) -> Caller:
        if self.request.method == "HEAD" and "apiversion" in self.request.query:
            return ANONYMOUS
        return super().authenticate()

    def head(self) -> None:
        self.set_header("x-obs-api", "3.0")
        self.send_empty()

    def get(self) -> None:
        owner = _element("ID", self.ctx.config.project_id)
        buckets = "".join(
            "<Bucket>"
            + _element("Name", bucket["name"])
            + _element(
                "CreationDate", ObjectInfo("", "", 0, "", bucket["created"]).last_modified_iso
            )
            + _element("Location", bucket.get("location") or self.ctx.config.region)
            + "</Bucket>"
            for bucket in self.obs.list_buckets()
        )
        self.send_xml(
            "ListAllMyBucketsResult", f"<Owner>{owner}</Owner><Buckets>{buckets}</Buckets>"
        )


class BucketHandler(ObsHandler):
    def put(self, bucket: str) -> None:
        if self.query:
            raise ApiError(
                501, "NotImplemented", "Bucket configuration is not supported by Local ModelArts."
            )
        body = self.body_bytes()
        location = ""
        if body.strip():
            root = _parse_xml(body)
            found = root.find(".//{*}Location")
            if found is None:
                found = root.find(".//{*}LocationConstraint")
            location = (found.text or "") if found is not None else ""
        if not self.obs.create_bucket(bucket, location=location or self.ctx.config.region):
            raise ApiError(
                409,
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded; you already own it.",
            )
        self.set_header("Location", f"/{bucket}")
        self.send_empty()

    def head(self, bucket: str) -> None:
        info = self.obs.bucket_info(bucket)
        self.set_header(
            f"{self.prefix}bucket-region", info.get("location") or self.ctx.config.region
        )
        self.set_header("x-obs-bucket-location", info.get("location") or self.ctx.config.region)
        self.send_empty()

    def delete(self, bucket: str) -> None:
        self.obs.delete_bucket(bucket)
        self.send_empty(204)

    def get(self, bucket: str) -> None:
        if "location" in self.query:
            info = self.obs.bucket_info(bucket)
            self.send_xml(
                "CreateBucketConfiguration",
                _element("Location", info.get("location") or self.ctx.config.region),
            )
            return
        version2 = self.query.get("list-type") == "2"
        prefix = self.query.get("prefix") or ""
        delimiter = self.query.get("delimiter") or None
        marker = self.query.get("continuation-token" if version2 else "marker") or None
        if version2 and marker is None:
            marker = self.query.get("start-after") or None
        max_keys = self._max_keys()
        listing = self.obs.list_objects(
            bucket, prefix=prefix, delimiter=delimiter, marker=marker, max_keys=max_keys
        )
        url_encoded = self.query.get("encoding-type") == "url"

        def key_text(key: str) -> str:
            return quote(key, safe="/") if url_encoded else key

        parts = [
            _element("Name", bucket),
            _element("Prefix", key_text(prefix)),
            _element("MaxKeys", max_keys),
        ]
        if version2:
            parts.append(_element("KeyCount", len(listing.objects) + len(listing.common_prefixes)))
            if self.query.get("continuation-token"):
                parts.append(_element("ContinuationToken", self.query["continuation-token"]))
            if listing.next_marker:
                parts.append(_element("NextContinuationToken", listing.next_marker))
        else:
            parts.append(_element("Marker", key_text(marker or "")))
            if listing.next_marker:
                parts.append(_element("NextMarker", key_text(listing.next_marker)))
        if delimiter:
            parts.append(_element("Delimiter", key_text(delimiter)))
        if url_encoded:
            parts.append(_element("EncodingType", "url"))
        parts.append(_element("IsTruncated", "true" if listing.is_truncated else "false"))
        owner = f"<Owner>{_element('ID', self.ctx.config.project_id)}</Owner>"
        for entry in listing.objects:
            parts.append(
                "<Contents>"
                + _element("Key", key_text(entry.key))
                + _element("LastModified", entry.last_modified_iso)
                + _element("ETag", quoted_etag(entry.etag))
                + _element("Size", entry.size)
                + owner
                + _element("StorageClass", "STANDARD")
                + "</Contents>"
            )
        for common in listing.common_prefixes:
            parts.append(f"<CommonPrefixes>{_element('Prefix', key_text(common))}</CommonPrefixes>")
        self.send_xml("ListBucketResult", "".join(parts))

    def post(self, bucket: str) -> None:
        if "delete" not in self.query:
            raise ApiError(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
        root = _parse_xml(self.body_bytes())
        quiet = (root.findtext("{*}Quiet") or "").lower() == "true"
        self.obs.require_bucket(bucket)
        results = []
        for item in root.findall("{*}Object"):
            key = item.findtext("{*}Key") or ""
            try:
                self.obs.delete_object(bucket, key)
            except ObsError as exc:
                error = _element("Key", key) + _element("Code", exc.code)
                results.append(f"<Error>{error}{_element('Message', exc.message)}</Error>")
            else:
                if not quiet:
                    results.append(f"<Deleted>{_element('Key', key)}</Deleted>")
        self.send_xml("DeleteResult", "".join(results))

    def _max_keys(self) -> int:
        raw = self.query.get("max-keys")
        if raw is None:
            return 1000
        max_keys = parse_whole_number(raw)
        if max_keys is None:
            raise ApiError(400, "InvalidArgument", "max-keys must be a non-negative integer.")
        return min(max_keys, 1000)


class ObjectHandler(ObsHandler):
    def put(self, bucket: str, key: str) -> None:
        if "uploadId" in self.query:
            self._upload_part(bucket, key)
            return
        copy_source = self.request.headers.get(f"{self.prefix}copy-source")
        if copy_source is not None:
            self._copy(bucket, key, copy_source)
            return
        path, md5 = self.received_body()
        info = (
            self.obs.install_file(
                bucket,
                key,
                path,
                md5,
                content_type=self.request.headers.get("Content-Type"),
                metadata=self.request_metadata(),
            )
            if not key.endswith("/")
            else self.obs.put_object(bucket, key, b"")
        )
        self.set_header("ETag", quoted_etag(info.etag))
        self.send_empty()

    def _copy(self, bucket: str, key: str, copy_source: str) -> None:
        source_bucket, _, source_key = unquote(copy_source).lstrip("/").partition("/")
        source_key = source_key.split("?versionId=", 1)[0]
        replace = (
            self.request.headers.get(f"{self.prefix}metadata-directive", "COPY").upper()
            == "REPLACE"
        )
        info = self.obs.copy_object(
            source_bucket,
            source_key,
            bucket,
            key,
            metadata=self.request_metadata() if replace else None,
            content_type=self.request.headers.get("Content-Type") if replace else None,
        )
        self.send_xml(
            "CopyObjectResult",
            _element("LastModified", info.last_modified_iso)
            + _element("ETag", quoted_etag(info.etag)),
        )

    def _upload_part(self, bucket: str, key: str) -> None:
        number_text = self.query.get("partNumber") or ""
        if parse_whole_number(number_text) is None:
            raise ApiError(400, "InvalidArgument", "partNumber must be an integer from 1 to 10000.")
        if self.request.headers.get(f"{self.prefix}copy-source"):
            raise ApiError(
                501, "NotImplemented", "Copying parts is not supported by Local ModelArts."
            )
        path, md5 = self.received_body()
        self.obs.store_part(bucket, key, self.query["uploadId"] or "", int(number_text), path, md5)
        self._sink = None  # the part file now belongs to the upload
        self.set_header("ETag", quoted_etag(md5))
        self.send_empty()

    async def post(self, bucket: str, key: str) -> None:
        if "uploads" in self.query:
            upload_id = self.obs.initiate_upload(
                bucket,
                key,
                content_type=self.request.headers.get("Content-Type"),
                metadata=self.request_metadata(),
            )
            self.send_xml(
                "InitiateMultipartUploadResult",
                _element("Bucket", bucket) + _element("Key", key) + _element("UploadId", upload_id),
            )
            return
        if "uploadId" not in self.query:
            raise ApiError(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
        root = _parse_xml(self.body_bytes())
        try:
            parts = [
                (int(part.findtext("{*}PartNumber") or ""), part.findtext("{*}ETag") or "")
                for part in root.findall("{*}Part")
            ]
        except ValueError:
            raise ApiError(
                400, "MalformedXML", "The XML you provided was not well-formed."
            ) from None
        # Joining the parts copies every byte of the object: in a worker thread, so the event
        # loop goes on receiving other uploads' parts (128 MiB took 0.1-0.5 s on the loop).
        info = await asyncio.to_thread(
            self.obs.complete_upload, bucket, key, self.query["uploadId"] or "", parts
        )
        location = f"{self.request.protocol}://{self.request.host}/{bucket}/{quote(key)}"
        self.send_xml(
            "CompleteMultipartUploadResult",
            _element("Location", location)
            + _element("Bucket", bucket)
            + _element("Key", key)
            + _element("ETag", quoted_etag(info.etag)),
        )

    def delete(self, bucket: str, key: str) -> None:
        if "uploadId" in self.query:
            self.obs.abort_upload(bucket, key, self.query["uploadId"] or "")
        else:
            self.obs.delete_object(bucket, key)
        self.send_empty(204)

    def head(self, bucket: str, key: str) -> None:
        info = self.obs.head_object(bucket, key)
        if self._not_modified(info):
            return
        self.object_headers(info)
        self.set_header("Content-Length", str(info.size))
        self.finish()

    async def get(self, bucket: str, key: str) -> None:
        if "uploadId" in self.query:
            self._list_parts(bucket, key)
            return
        info, path = self.obs.open_object(bucket, key)
        if self._not_modified(info):
            return
        self.object_headers(info)
        for parameter in (
            "content-type",
            "content-language",
            "expires",
            "cache-control",
            "content-disposition",
            "content-encoding",
        ):
            override = self.query.get(f"response-{parameter}")
            if override:
                self.set_header(parameter.title(), override)
        start, end = self._range(info.size)
        if (start, end) != (0, info.size - 1) or "Range" in self.request.headers:
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end}/{info.size}")
        length = max(end - start + 1, 0)
        self.set_header("Content-Length", str(length))
        if path.is_dir() or length == 0:
            self.finish()
            return
        with path.open("rb") as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                chunk = handle.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                self.write(chunk)
                await self.flush()
        self.finish()

    def _range(self, size: int) -> tuple[int, int]:
        header = self.request.headers.get("Range")
        if not header:
            return 0, size - 1
        match = _RANGE.fullmatch(header.strip())
        if match is None or match.group(1) == match.group(2) == "":
            return 0, size - 1  # unsupported forms (several ranges) get the whole object, as in S3
        first, last = match.group(1), match.group(2)
        if first == "":
            start, end = max(size - int(last), 0), size - 1
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        if start >= size or start > end:
            self.set_header("Content-Range", f"bytes */{size}")
            raise ApiError(416, "InvalidRange", "The requested range cannot be satisfied.")
        return start, end

    def _not_modified(self, info: ObjectInfo) -> bool:
        """Apply If-Match / If-None-Match: raise 412, or answer 304 and return True."""
        etag = quoted_etag(info.etag)
        if_match = self.request.headers.get("If-Match")
        if if_match and if_match.strip() not in ("*", etag, info.etag):
            raise ApiError(
                412,
                "PreconditionFailed",
                "At least one of the preconditions you specified did not hold.",
            )
        if_none_match = self.request.headers.get("If-None-Match")
        if if_none_match and if_none_match.strip() in ("*", etag, info.etag):
            self.set_header("ETag", etag)
            self.set_status(304)
            self.finish()
            return True
        return False

    def _list_parts(self, bucket: str, key: str) -> None:
        upload_id = self.query["uploadId"] or ""
        marker = int(self.query.get("part-number-marker") or 0)
        max_parts = int(self.query.get("max-parts") or 1000)
        parts = [p for p in self.obs.list_parts(bucket, key, upload_id) if p["number"] > marker]
        shown, truncated = parts[:max_parts], len(parts) > max_parts
        owner = _element("ID", self.ctx.config.project_id)
        body = [
            _element("Bucket", bucket),
            _element("Key", key),
            _element("UploadId", upload_id),
            f"<Initiator>{owner}</Initiator><Owner>{owner}</Owner>",
            _element("StorageClass", "STANDARD"),
            _element("PartNumberMarker", marker),
            _element("NextPartNumberMarker", shown[-1]["number"] if shown else marker),
            _element("MaxParts", max_parts),
            _element("IsTruncated", "true" if truncated else "false"),
        ]
        for part in shown:
            body.append(
                "<Part>"
                + _element("PartNumber", part["number"])
                + _element(
                    "LastModified",
                    ObjectInfo("", "", 0, "", part["last_modified"]).last_modified_iso,
                )
                + _element("ETag", quoted_etag(part["etag"]))
                + _element("Size", part["size"])
                + "</Part>"
            )
        self.send_xml("ListPartsResult", "".join(body))


ROUTES = [
    (r"/", ServiceHandler),
    (rf"/{_BUCKET}/?", BucketHandler),
    (rf"/{_BUCKET}/(?P<key>.+)", ObjectHandler),
]
