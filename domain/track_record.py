"""How far to trust a source: its track record, as pure rules (``flashpoint sources``).

A *figure* is an (incident, party, killed|injured) on which the source stated a number (a
range counts by its two ends). Only what was reported by the knowledge cut counts, so a
track record never uses hindsight. Per source:

- ``claims``: every claim of the source in the cut (words and "not assessed" too);
  ``withdrawn``: its claims a retraction in force withdrew (counted nowhere else);
- ``revised``: its figures whose last number differs from its first; ``revised_up`` /
  ``revised_down``: the last against the first (a range compares by its lower end, then by
  its upper one), so that revised = up + down; a change of qualifier alone is no revision;
- ``median_final_over_first``: over revised figures whose first number is above 0, the
  median of last ÷ first (lower ends); ``median_days_to_final``: over revised figures, the
  median of the days from its first to its last claim on the figure; both ``None`` when
  there is nothing to take them over (``statistics.median``);
- ``agreed`` / ``above_best`` / ``below_best``: its latest number on each figure against the
  incident's best for that party and figure at the cut (a range agrees when it holds it).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flashpoint.domain.dates import days_between

FIELDS = (
    "source",
    "claims",
    "incidents",
    "figures",
    "revised",
    "revised_up",
    "revised_down",
    "median_final_over_first",
    "median_days_to_final",
    "agreed",
    "above_best",
    "below_best",
    "withdrawn",
)
"""The keys of a track record, in order: the JSON record, the CSV columns and Datasette's query."""

Figure = tuple[str, str, str]
"""(incident, party, killed|injured): what a number is about."""


@dataclass(frozen=True, slots=True, order=True)
class Said:
    """One number (or range) a source stated on a figure, and when."""

    reported: str  # ISO day
    position: int  # the later of two claims published the same day
    ends: tuple[int, int]  # (from, to); a number n is (n, n)


def direction(said: Sequence[Said]) -> int:
    """+1 when the source's last number on a figure is above its first, -1 below, 0 the same
    (a range by its lower end, then its upper one)."""
    first, last = min(said).ends, max(said).ends
    return (last > first) - (last < first)


def agreement(ends: tuple[int, int], best: int | None) -> str | None:
    """``agreed`` when the number is the best (a range holds it), ``above`` or ``below`` it;
    None when the incident has no best to compare with."""
    if best is None:
        return None
    if ends[0] <= best <= ends[1]:
        return "agreed"
    return "above" if ends[0] > best else "below"


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def track_record(
    name: str,
    *,
    claims: int,
    incidents: int,
    figures: Mapping[Figure, Sequence[Said]],
    bests: Mapping[Figure, int | None],
    withdrawn: int,
) -> dict[str, Any]:
    """One source's track record, in the JSON shape of ``flashpoint sources --json``."""
    record = TrackRecord(claims=claims, incidents=incidents, withdrawn=withdrawn)
    for figure, said in figures.items():
        record.add_figure(said, bests.get(figure))
    return record.as_dict(name)


@dataclass(slots=True)
class TrackRecord:
    """A track record added up one figure at a time, so that a log's claims can be read a page
    at a time: what a figure adds is worked out when it is added, and only the numbers the
    medians are taken over are kept."""

    claims: int = 0
    incidents: int = 0
    withdrawn: int = 0
    figures: int = 0
    revised: int = 0
    revised_up: int = 0
    ratios: list[float] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    verdicts: dict[str | None, int] = field(default_factory=lambda: {"agreed": 0, "above": 0, "below": 0, None: 0})

    def add_figure(self, said: Sequence[Said], best: int | None) -> None:
        """One figure the source stated a number on: every number it gave on it, and the incident's best."""
        first, last = min(said), max(said)
        self.figures += 1
        self.verdicts[agreement(last.ends, best)] += 1
        way = direction(said)
        if way == 0:
            return
        self.revised += 1
        self.revised_up += way > 0
        if first.ends[0] > 0:
            self.ratios.append(last.ends[0] / first.ends[0])
        self.days.append(days_between(first.reported, last.reported))

    def as_dict(self, name: str) -> dict[str, Any]:
        return {
            "source": name,
            "claims": self.claims,
            "incidents": self.incidents,
            "figures": self.figures,
            "revised": self.revised,
            "revised_up": self.revised_up,
            "revised_down": self.revised - self.revised_up,
            "median_final_over_first": _median(self.ratios),
            "median_days_to_final": _median(self.days),
            "agreed": self.verdicts["agreed"],
            "above_best": self.verdicts["above"],
            "below_best": self.verdicts["below"],
            "withdrawn": self.withdrawn,
        }
