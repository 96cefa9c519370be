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
from dataclasses import dataclass
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
    revised = {figure: said for figure, said in figures.items() if direction(said) != 0}
    ups = sum(1 for said in revised.values() if direction(said) > 0)
    ratios = [max(said).ends[0] / min(said).ends[0] for said in revised.values() if min(said).ends[0] > 0]
    verdicts = [agreement(max(said).ends, bests.get(figure)) for figure, said in figures.items()]
    days = [days_between(min(said).reported, max(said).reported) for said in revised.values()]
    return {
        "source": name,
        "claims": claims,
        "incidents": incidents,
        "figures": len(figures),
        "revised": len(revised),
        "revised_up": ups,
        "revised_down": len(revised) - ups,
        "median_final_over_first": _median(ratios),
        "median_days_to_final": _median(days),
        "agreed": verdicts.count("agreed"),
        "above_best": verdicts.count("above"),
        "below_best": verdicts.count("below"),
        "withdrawn": withdrawn,
    }
