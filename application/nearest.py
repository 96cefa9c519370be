"""The nearest ids to one that names nothing: the one rule for steps and options that name an id.

A misspelt id must never read as "nothing happened there"; the error says which ids were
probably meant. Steps (``the act "…" is certain``) and CLI options (``--incident``) both use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from flashpoint.domain.errors import FlashpointError

CLOSEST = 3
CUTOFF = 0.6


def nearest(word: str, candidates: Iterable[str]) -> list[str]:
    """Up to three of ``candidates`` closest to ``word``, closest first.

    Case does not count (ACLED writes ``IRQ41901`` where an id says ``irq41901``); the
    candidates come back as spelt.
    """
    spelt: dict[str, str] = {}
    for candidate in candidates:
        spelt.setdefault(candidate.casefold(), candidate)
    return [spelt[folded] for folded in difflib.get_close_matches(word.casefold(), spelt, CLOSEST, CUTOFF)]


class UnknownId(FlashpointError, LookupError):
    """An id that names no act, incident or report in the log; the message names the nearest ids."""

    def __init__(self, kind: str, word: str, candidates: Iterable[str]) -> None:
        self.kind = kind
        self.word = word
        self.nearest = nearest(word, candidates)
        hint = f"; did you mean {', '.join(repr(name) for name in self.nearest)}?" if self.nearest else ""
        super().__init__(f'"{word}": no {kind} in the log has this id{hint}')
