"""Base classes for request and response models.

Responses parse leniently, as the documents require: numbers may come as strings and strings as
numbers, JSON may be embedded in strings, one object may stand where a list is documented, and
unknown fields are kept (``model_extra``). A field whose value cannot be made to fit its
declared type is dropped with a debug log instead of failing the whole response.

Requests are validated before anything is sent: every violation becomes a
:class:`~jupyterlab_modelarts.cloud.errors.ValidationError` naming the field (``config.spec_id``,
``volume.capacity``, ``config[1].weight``...).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from typing_extensions import Self

from ..errors import ValidationError
from ..field_errors import RuleError, field_wording

log = logging.getLogger(__name__)


def _json_in_string(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _one_or_many(value: Any) -> Any:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, str):
        parsed = _json_in_string(value)
        return parsed if isinstance(parsed, list) else [value] if value else []
    return value


JsonValue = Annotated[Any, BeforeValidator(_json_in_string)]
"""A value the documents sometimes send as JSON text inside a string: decoded when it is."""

_T = TypeVar("_T")
OneOrMany = Annotated[list[_T], BeforeValidator(_one_or_many)]
"""A list that may arrive as a single object or as JSON text."""


class ApiModel(BaseModel):
    """A response object: lenient, keeps unknown fields."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, coerce_numbers_to_str=True, protected_namespaces=()
    )

    @model_validator(mode="wrap")
    @classmethod
    def _drop_unparseable(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except pydantic.ValidationError as exc:
            if not isinstance(data, Mapping):
                raise
            bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
            if not bad:
                raise
            log.debug("%s: ignoring unparseable fields %s", cls.__name__, sorted(map(str, bad)))
            return handler({key: value for key, value in data.items() if key not in bad})


class FieldRuleError(RuleError):
    """Raised inside request validators for a rule about another (or a nested) field, with the
    code and values the front end words it from (src/ruleWordings.ts; the English ``message``
    is what the magics print).

    The rules between fields share a few codes, their params naming fields as the API does:
    ``GO_TOGETHER`` {first, second}, ``EXACTLY_ONE_OF`` {choices}, ``REQUIRED_UNLESS``
    {alternatives}, ``REQUIRED_WITH`` {other, value?}, and ``ONLY_WITH``, ``EXCLUSIVE`` {other,
    value?, given?}: the field the rule depends on, the value of it that matters, and the value
    of this field the rule is about."""

    def __init__(self, field: str, message: str, code: str, params: dict[str, Any]) -> None:
        super().__init__(message, code, params)
        self.field = field
        self.message = message

    @classmethod
    def on(cls, field: str, error: RuleError) -> FieldRuleError:
        """The rule ``error`` of one value, reported on ``field``."""
        code, params = error.wording
        return cls(field, str(error), code, params)


def check_together(model: BaseModel, first: str, second: str) -> None:
    """Two fields of ``model`` given both or neither: names the missing one."""
    has_first = bool(getattr(model, first))
    if has_first != bool(getattr(model, second)):
        raise FieldRuleError(
            second if has_first else first,
            f"{first} and {second} go together",
            "GO_TOGETHER",
            {"first": first, "second": second},
        )


def first_repeated(values: list[Any]) -> Any:
    """The first value of ``values`` that an earlier one equals, or None."""
    return next((value for index, value in enumerate(values) if value in values[:index]), None)


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _join(prefix: str, field: str) -> str:
    if not field:
        return prefix
    if not prefix:
        return field
    return f"{prefix}{field}" if field.startswith("[") else f"{prefix}.{field}"


def validation_error(exc: pydantic.ValidationError) -> ValidationError:
    """The first violation as our ValidationError (field path and a readable message); the
    full list is kept in ``.errors``."""
    problems: list[tuple[str, str]] = []
    wordings: list[tuple[str, dict[str, Any]] | None] = []
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if not str(part).startswith("function-"))
        field = _field_path(loc)
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, (FieldRuleError, ValidationError)):
            nested = getattr(cause, "errors", None) or [(cause.field, cause.message)]
            problems.extend((_join(field, sub or ""), message) for sub, message in nested)
            wordings.extend([cause.wording] + [None] * (len(nested) - 1))
            continue
        message = str(cause) if isinstance(cause, ValueError) else err["msg"]
        if err["type"] == "missing":
            message = "is required"
        problems.append((field, message))
        wordings.append(field_wording(err))
    field, message = problems[0]
    error = ValidationError(message, field=field or None)
    error.wording = wordings[0]
    error.errors = problems  # type: ignore[attr-defined]
    return error


class RequestModel(BaseModel):
    """A request body (or query): validated on construction; unknown fields are passed through
    so newer API fields can be sent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise validation_error(exc) from None

    @classmethod
    def parse(cls, value: Self | Mapping[str, Any] | None = None, **fields: Any) -> Self:
        """Accept a model, a mapping or keyword arguments (keywords override the mapping)."""
        if isinstance(value, cls) and not fields:
            return value
        data = value.to_body() if isinstance(value, RequestModel) else dict(value or {})
        data.update(fields)
        try:
            return cls.model_validate(data)
        except pydantic.ValidationError as exc:
            raise validation_error(exc) from None

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class TextValued(RequestModel):
    """A running parameter whose ``value`` is sent as text (v1 ``parameter``, v2
    ``parameters``): numbers as written, booleans in lower case as a script's flags read them."""

    value: str = ""

    @model_validator(mode="before")
    @classmethod
    def _value_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and not isinstance(data.get("value", ""), str):
            value = data["value"]
            data = {**data, "value": str(value).lower() if isinstance(value, bool) else str(value)}
        return data
