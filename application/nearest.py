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
    """Up to three of ``candidates`` closest to ``word``, closest first, as spelt.

    Case does not count: ids are lower case, and ``acled-IRQ41901`` (ACLED's spelling) finds
    ``acled-irq41901`` — alone, as the one meant, when it differs only in case.
    """
    spelt: dict[str, str] = {}
    for candidate in candidates:
        spelt.setdefault(candidate.casefold(), candidate)
    folded = word.casefold()
    if folded in spelt:
        return [spelt[folded]]
    return [spelt[match] for match in difflib.get_close_matches(folded, spelt, CLOSEST, CUTOFF)]


class UnknownId(FlashpointError, LookupError):
    """An id that names no act, incident or report in the log; the message names the nearest ids.

    Given in a command-line ``option`` it is a usage error (exit 64); in a step, a failure.
    """

    def __init__(self, kind: str, word: str, candidates: Iterable[str], option: str | None = None) -> None:
        self.kind, self.word, self.option = kind, word, option
        self.nearest = nearest(word, candidates)
        if option is None:
            hint = f"; did you mean {', '.join(repr(name) for name in self.nearest)}?" if self.nearest else ""
            super().__init__(f'"{word}": no {kind} in the log has this id{hint}')
        else:
            hint = f"; did you mean {', '.join(self.nearest)}?" if self.nearest else ""
            super().__init__(f"{option}: no {kind} {word!r} in the log{hint}")
