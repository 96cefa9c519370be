"""Casualty estimates, as pure rules: which claims stand, and what they add up to.

A claim states a figure (killed or injured) as a number with a hedge (``at least 5``) or as
a word ("several"). At a knowledge cut, per source, the latest claim stating a figure
supersedes the source's earlier ones on that figure (killed and injured separately); the
claims left standing give UCDP-style ``low`` / ``best`` / ``high``:

- low: the smallest lower bound (exact n, at_least n, approximately n → n; at_most n → 0);
  claims that give only a word count, as 1, only where no source states a number;
- high: the largest number stated; best: the smallest (ACLED's conservative rule), or
  another policy (``median``: the lower median, ``high``: the largest);
- disputed: the standing numbers of different sources differ.

The read models keep supersession in SQL too (``projections/casualties.py``,
``SUPERSESSION``: a claim's ``killed_until``/``injured_until``, read by the rung in SQL,
the Datasette queries and the ACLED export); a property test holds them equal to these rules.
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
    """What one claim says about one figure: who said it, when, and the number or word."""

    source: str  # the source's folded name (name_key): supersession is per source
    reported: str  # ISO day the claim became public
    position: int  # its place in the log: the later of two claims published the same day
    qualifier: str
    number: int | None = None
    word: str | None = None

    @property
    def reports_harm(self) -> bool:
        """Whether it says at least one was killed (or injured): a number above 0, or a word."""
        return (self.number is not None and self.number > 0) or self.word is not None


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
    numbers = [item.number for item in stated if item.number is not None]
    if not numbers:
        return {"low": 1, "best": 1, "high": 1} if stated else no_figure()
    lower_bounds = [0 if item.qualifier == "at_most" else item.number for item in stated if item.number is not None]
    if policy == "median":
        best = int(statistics.median_low(numbers))
    elif policy == "high":
        best = max(numbers)
    else:
        best = min(numbers)
    return {"low": min(lower_bounds), "best": best, "high": max(numbers)}


def check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise ValueError(f"unknown best-estimate policy {policy!r}; choose from {', '.join(POLICIES)}")


def no_figure() -> Estimate:
    return {"low": None, "best": None, "high": None}


def disputed(stated: Iterable[Stated]) -> bool:
    """Whether the standing numbers of one figure differ between sources."""
    return len({item.number for item in stated if item.number is not None}) > 1


def add(total: Estimate, part: Estimate) -> None:
    """Add one estimate into a running total, bound by bound (a missing bound adds nothing)."""
    for bound in ("low", "best", "high"):
        figure = part[bound]
        if figure is not None:
            total[bound] = (total[bound] or 0) + figure
