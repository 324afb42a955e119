"""Whole numbers from request text (ids, offsets, line numbers, event ids).

``str.isdigit()`` accepts '²' and other digits ``int()`` refuses, ``int()`` accepts ' 12', '1_2'
and Arabic-Indic digits, and refuses more than 4,300 digits with an error of its own: request
text is parsed here, the same way everywhere, and anything else is the caller's 400.
"""

from __future__ import annotations

import re

#: Digits of the largest accepted number: every id, offset and count fits in 64 bits.
MAX_DIGITS = 18
_WHOLE_NUMBER = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def parse_whole_number(text: str | None) -> int | None:
    """``text`` as a non-negative integer if it is 1 to 18 ASCII digits, else None."""
    if text is None or not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)
