"""Pydantic's field errors as a code and the limits they broke, for the front end to word in
the user's language (pydantic's English stays the message the magics print)."""

from __future__ import annotations

from typing import Any

#: The code each pydantic error type is worded under; the other types have no code.
_CODES = {
    "missing": "FIELD_REQUIRED",
    "string_too_short": "TOO_SHORT",
    "string_too_long": "TOO_LONG",
    "too_short": "TOO_FEW",
    "too_long": "TOO_MANY",
    "string_pattern_mismatch": "PATTERN_MISMATCH",
    "greater_than": "OUT_OF_RANGE",
    "greater_than_equal": "OUT_OF_RANGE",
    "less_than": "OUT_OF_RANGE",
    "less_than_equal": "OUT_OF_RANGE",
    "literal_error": "NOT_A_CHOICE",
    "enum": "NOT_A_CHOICE",
    "extra_forbidden": "UNKNOWN_FIELD",
    # A value of the wrong type, as a form or a JSON body may send it.
    "int_type": "NOT_A_WHOLE_NUMBER",
    "int_parsing": "NOT_A_WHOLE_NUMBER",
    "int_from_float": "NOT_A_WHOLE_NUMBER",
    "float_type": "NOT_A_NUMBER",
    "float_parsing": "NOT_A_NUMBER",
    "bool_type": "NOT_TRUE_OR_FALSE",
    "bool_parsing": "NOT_TRUE_OR_FALSE",
    "string_type": "NOT_TEXT",
    "list_type": "NOT_A_LIST",
    "dict_type": "NOT_AN_OBJECT",
    "model_type": "NOT_AN_OBJECT",
    "model_attributes_type": "NOT_AN_OBJECT",
}

#: The ``ctx`` values the wordings use.
_PARAMS = ("min_length", "max_length", "pattern", "gt", "ge", "lt", "le", "expected")


class RuleError(ValueError):
    """A field rule of ours broken (raised in validators), with its code and values."""

    def __init__(self, message: str, code: str, params: dict[str, Any]) -> None:
        super().__init__(message)
        self.wording = (code, params)


def field_wording(error: Any) -> tuple[str, dict[str, Any]] | None:
    """The code and values of one of pydantic's ``errors()``, or None when it has no code."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, RuleError):
        return cause.wording
    code = _CODES.get(error["type"])
    if code is None:
        return None
    context = error.get("ctx") or {}
    return code, {name: context[name] for name in _PARAMS if name in context}
