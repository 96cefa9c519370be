"""Casualty estimates, as pure rules: which claims stand, and what they add up to.

A claim states a figure (killed or injured) as a number with a hedge (``at least 5``), as a
range (``between 4 and 7``) or as a word ("several"). At a knowledge cut, per source, the
latest claim stating a figure supersedes the source's earlier ones on that figure (killed and
injured separately); the claims left standing give UCDP-style ``low`` / ``best`` / ``high``:

- low: the smallest lower bound (exact n, at_least n, approximately n → n; at_most n → 0;
  a range → its ``from``); claims that give only a word count, as 1, only where no source
  states a number;
- high: the largest number stated (a range states its ``to``); best: the smallest candidate
  (ACLED's conservative rule; a range's candidate is its ``from``), or another policy
  (``median``: the lower median of the candidates, a range's being its midpoint rounded down;
  ``high``: the largest, a range's being its ``to``);
- open above: where the standing claims give only words ("several"), low and best are 1
  and high is ``None`` — no source stated an upper bound — and a total that adds an open
  high is open too;
- disputed: the standing figures of different sources differ, as ``(from, to)`` pairs (a
  number n is ``(n, n)``, so ``{from: 4, to: 4}`` is exact 4 in every rule here).

The read models keep supersession in SQL too (``projections/spans.py``: the knowledge spans
of ``claim_spans``, read by the rung in SQL, the Datasette queries and the ACLED export); a
property test holds them equal to these rules.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

POLICIES = ("conservative", "median", "high")

Estimate = dict[str, int | None]
"""``{"low", "best", "high"}``; all ``None`` when no claim states the figure."""


@dataclass(frozen=True, slots=True)
class Stated:
    """What one claim says about one figure: who said it, when, and the number, range or word."""

    source: str  # the source's folded name (name_key): supersession is per source
    reported: str  # ISO day the claim became public
    position: int  # its place in the log: the later of two claims published the same day
    qualifier: str
    number: int | None = None  # the number, or a range's from
    word: str | None = None
    to: int | None = None  # a range's to; None for a single number

    @property
    def ends(self) -> tuple[int, int] | None:
        """The figure as a ``(from, to)`` pair (a number n is ``(n, n)``); None for a word."""
        if self.number is None:
            return None
        return self.number, self.number if self.to is None else self.to

    @property
    def reports_harm(self) -> bool:
        """Whether it says at least one was killed (or injured): a number (a range's to) above 0, or a word."""
        return Stated.harm_of(self.number, self.word, self.to)

    @staticmethod
    def harm_of(number: int | None, word: str | None, to: int | None = None) -> bool:
        """:attr:`reports_harm` of a figure given as ``number`` (and ``to``, a range) or ``word``,
        without building a Stated (a rebuild asks it of every claim)."""
        top = number if to is None else to
        return (top is not None and top > 0) or word is not None


def standing(stated: Iterable[Stated]) -> list[Stated]:
    """Supersession: per source, its latest statement of the figure stands (in log order)."""
    latest: dict[str, Stated] = {}
    for item in sorted(stated, key=lambda item: (item.reported, item.position)):
        latest[item.source] = item
    return sorted(latest.values(), key=lambda item: item.position)


def reports_harm(stated: Iterable[Stated]) -> bool:
    """Whether any of these statements reports at least one killed (or injured)."""
    return any(item.reports_harm for item in stated)


def estimate(stated: Sequence[Stated], policy: str = "conservative") -> Estimate:
    """low / best / high of one figure from the statements standing at the cut."""
    pairs = [(item, ends) for item in stated if (ends := item.ends) is not None]
    if not pairs:
        return {"low": 1, "best": 1, "high": None} if stated else no_figure()
    candidates = [candidate(ends, policy) for _, ends in pairs]
    if policy == "median":
        best = int(statistics.median_low(candidates))
    elif policy == "high":
        best = max(candidates)
    else:
        best = min(candidates)
    low = min(0 if item.qualifier == "at_most" else ends[0] for item, ends in pairs)
    return {"low": low, "best": best, "high": max(ends[1] for _, ends in pairs)}


def candidate(ends: tuple[int, int], policy: str) -> int:
    """A figure's candidate for the best estimate under ``policy``: a range gives its from
    (conservative), its midpoint rounded down (median) or its to (high); a number n, as
    ``(n, n)``, gives n under each."""
    low, high = ends
    if policy == "median":
        return (low + high) // 2
    return high if policy == "high" else low


def check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise ValueError(f"unknown best-estimate policy {policy!r}; choose from {', '.join(POLICIES)}")


def estimate_text(figures: Estimate) -> str:
    """An estimate as text: ``4`` (one figure), ``4–5 (best 4)``, ``≥1`` (open above), ``—`` (none)."""
    low, best, high = figures["low"], figures["best"], figures["high"]
    if low is None:
        return "—"
    if high is None:
        return f"≥{low}" if best == low else f"≥{low} (best {best})"
    if low == high:
        return str(best)
    return f"{low}–{high} (best {best})"


def estimate_words(figures: Estimate) -> str:
    """An estimate in a sentence: ``4 to 5`` (low to high), ``4`` (one figure), ``at least 1``
    (open above), ``none`` (no figure)."""
    low, high = figures["low"], figures["high"]
    if low is None:
        return "none"
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low} to {high}"


def no_figure() -> Estimate:
    return {"low": None, "best": None, "high": None}


def disputed(stated: Iterable[Stated]) -> bool:
    """Whether the standing figures of one figure differ between sources, as ``(from, to)`` pairs."""
    return len({ends for item in stated if (ends := item.ends) is not None}) > 1


def total(parts: Iterable[Estimate]) -> Estimate:
    """The sum of estimates, bound by bound. A part with no figure adds nothing; a part open
    above (a low but no high) leaves the total's high open (``None``)."""
    summed = RunningTotal()
    for part in parts:
        summed.add(part)
    return summed.value()


class RunningTotal:
    """:func:`total` kept as parts come and go (``flashpoint watch`` moves its cut one day at a time)."""

    __slots__ = ("counted", "open_above", "sums")

    def __init__(self) -> None:
        self.counted = 0  # parts with a figure
        self.open_above = 0  # of them, parts with a low but no high
        self.sums = {"low": 0, "best": 0, "high": 0}

    def add(self, part: Estimate, sign: int = 1) -> None:
        if part["low"] is None:
            return
        self.counted += sign
        self.open_above += sign * (part["high"] is None)
        for bound in ("low", "best", "high"):
            self.sums[bound] += sign * (part[bound] or 0)

    def remove(self, part: Estimate) -> None:
        self.add(part, -1)

    def value(self) -> Estimate:
        if not self.counted:
            return no_figure()
        return {
            "low": self.sums["low"],
            "best": self.sums["best"],
            "high": None if self.open_above else self.sums["high"],
        }
