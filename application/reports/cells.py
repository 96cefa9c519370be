"""CSV cells a spreadsheet would run: the Trust contract's formula guard, and its inverse.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(…)`` plants a link; DDE
payloads run commands). Every CSV flashpoint writes prefixes such a cell with ``'``, which
spreadsheets show but do not run. A plain number (``-33.1``, a negative longitude) is no
formula and is left alone. ``import acled`` removes the prefix again, so an exported row
imports back as ACLED wrote it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _runs(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def inert(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``; anything else as it is."""
    return f"'{value}" if isinstance(value, str) and _runs(value) else value


def as_written(text: str) -> str:
    """The inverse of :func:`inert` on a cell read back from a CSV flashpoint wrote."""
    return text[1:] if text.startswith("'") and _runs(text[1:]) else text
