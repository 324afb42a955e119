"""Table-driven request validation: each API lists its documented field rules as data.

A :class:`Rule` names a field by its dotted path (``spec.auto_stop.duration``; ``[]`` walks into
every element of a list: ``endpoints[].dev_service``) and states the documented constraints.
:func:`check` applies a table of rules to a request body and raises the family's error for the
first field that breaks one, naming the field in the message, before anything is created.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..whole_numbers import parse_whole_number
from .errors import ApiError

_MISSING = object()

_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "a boolean",
    dict: "an object",
    list: "an array",
    float: "a number",
}


@dataclass(frozen=True)
class Codes:
    """The error codes a family uses for a missing field, a wrong type and a broken rule."""

    missing: str
    wrong_type: str
    invalid: str
    status: int = 400


@dataclass(frozen=True)
class Rule:
    path: str
    kind: type = str
    required: bool = False
    pattern: str | None = None
    #: human wording of ``pattern`` for the error message
    pattern_hint: str = ""
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Any, ...] | None = None
    #: compare ``choices`` ignoring case (the documents' samples mix cases)
    ignore_case: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_items: int | None = None
    forbidden: str = ""
    #: overrides of the family's codes for this field
    code: str | None = None
    missing_code: str | None = None


def check(body: dict[str, Any], rules: Sequence[Rule], codes: Codes) -> None:
    """Raise :class:`ApiError` for the first field of ``body`` that breaks a rule."""
    for rule in rules:
        for where, value in _values(body, rule.path.split(".")):
            problem = _problem(rule, value)
            if problem is None:
                continue
            code_kind, text = problem
            code = {
                "missing": rule.missing_code or rule.code or codes.missing,
                "type": codes.wrong_type,
                "invalid": rule.code or codes.invalid,
            }[code_kind]
            raise ApiError(codes.status, code, f"Invalid parameter {where}: {text}")


def _values(node: Any, parts: list[str], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every value the path reaches; _MISSING where it ends early."""
    head, rest = parts[0], parts[1:]
    walk_list = head.endswith("[]")
    name = head[:-2] if walk_list else head
    where = f"{prefix}.{name}" if prefix else name
    value = node.get(name, _MISSING) if isinstance(node, dict) else _MISSING
    if value is None:
        value = _MISSING
    if walk_list and isinstance(value, list):
        for index, item in enumerate(value):
            item_where = f"{where}[{index}]"
            if rest:
                if isinstance(item, dict):
                    yield from _values(item, rest, item_where)
            else:
                yield item_where, item
        return
    if rest and isinstance(value, dict):
        yield from _values(value, rest, where)
    elif not rest:
        yield where, value
    # an absent or non-object parent: the parent's own rule reports it


def _problem(rule: Rule, value: Any) -> tuple[str, str] | None:
    if value is _MISSING:
        return ("missing", "this parameter is required") if rule.required else None
    if not _is_kind(value, rule.kind):
        return "type", f"must be {_TYPE_NAMES.get(rule.kind, rule.kind.__name__)}"
    if isinstance(value, str):
        return _text_problem(rule, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if rule.minimum is not None and value < rule.minimum:
            return "invalid", _range_text(rule)
        if rule.maximum is not None and value > rule.maximum:
            return "invalid", _range_text(rule)
    if isinstance(value, list) and rule.max_items is not None and len(value) > rule.max_items:
        return "invalid", f"at most {rule.max_items} items are allowed"
    if rule.choices is not None and value not in rule.choices:
        return "invalid", f"must be one of {', '.join(map(str, rule.choices))}"
    return None


def _text_problem(rule: Rule, value: str) -> tuple[str, str] | None:
    if rule.min_length is not None and len(value) < rule.min_length:
        return "invalid", f"must contain at least {rule.min_length} characters"
    if rule.max_length is not None and len(value) > rule.max_length:
        return "invalid", f"must contain at most {rule.max_length} characters"
    bad = sorted({char for char in value if char in rule.forbidden})
    if bad:
        return "invalid", f"must not contain the characters {''.join(bad)}"
    if rule.pattern is not None and not re.fullmatch(rule.pattern, value):
        return "invalid", rule.pattern_hint or f"must match {rule.pattern}"
    if rule.choices is not None:
        allowed = [str(choice) for choice in rule.choices]
        matches = (
            value.upper() in (choice.upper() for choice in allowed)
            if rule.ignore_case
            else value in allowed
        )
        if not matches:
            return "invalid", f"must be one of {', '.join(allowed)}"
    return None


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def _range_text(rule: Rule) -> str:
    if rule.minimum is not None and rule.maximum is not None:
        return f"must be between {rule.minimum:g} and {rule.maximum:g}"
    if rule.minimum is not None:
        return f"must be at least {rule.minimum:g}"
    return f"must be at most {rule.maximum:g}"


def query_int(
    raw: str | None,
    name: str,
    codes: Codes,
    *,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """An integer query parameter with its documented range."""
    if raw is None or raw == "":
        return default
    value = parse_whole_number(raw.removeprefix("-"))
    if value is None:
        raise ApiError(
            codes.status, codes.wrong_type, f"Invalid parameter {name}: must be an integer"
        )
    if raw.startswith("-"):
        value = -value
    rule = Rule(name, int, minimum=minimum, maximum=maximum)
    problem = _problem(rule, value)
    if problem is not None:
        raise ApiError(codes.status, codes.invalid, f"Invalid parameter {name}: {problem[1]}")
    return value


def query_choice(
    raw: str | None,
    name: str,
    codes: Codes,
    choices: Sequence[str],
    *,
    default: str | None,
    code: str | None = None,
) -> str | None:
    """A query parameter restricted to documented values."""
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ApiError(
            codes.status,
            code or codes.invalid,
            f"Invalid parameter {name}: must be one of {', '.join(choices)}",
        )
    return raw
