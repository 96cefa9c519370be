"""The escalation ladder, as pure rules: an act's rung, a window's level and trend, a cycle.

Rungs: 0 calm · 1 threats (statements that threaten or vow revenge) · 2 harassment (no
damage, no casualties) · 3 damaging attacks · 4 casualty attacks (any source reports
injuries) · 5 lethal attacks (any source reports deaths) · 6 direct state confrontation
(state forces strike another state's forces).

The read models answer the same questions in SQL for speed (``projections/escalation.py``,
``RUNG_AT_CUT`` and the summary); a property test holds those answers equal to these rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flashpoint.domain.actors import Actor
from flashpoint.domain.dates import shifted
from flashpoint.domain.vocabulary import ActorType

RUNGS = (
    "calm",
    "threats",
    "harassment",
    "damaging attacks",
    "casualty attacks",
    "lethal attacks",
    "direct state confrontation",
)
DAMAGING = frozenset({"minor", "moderate", "heavy", "destroyed"})
THREATENING = frozenset({"threat", "vow_revenge"})


def act_rung(*, state_confrontation: bool, deaths: bool, injuries: bool, damage: str | None) -> int:
    """The rung of a hostile act, from what is known of it at the knowledge cut."""
    if state_confrontation:
        return 6
    if deaths:
        return 5
    if injuries:
        return 4
    if damage in DAMAGING:
        return 3
    return 2


def confronts(actor: Actor, targets: Iterable[Actor]) -> bool:
    """Direct state confrontation: state forces striking the forces of a state on another side."""
    return actor.type is ActorType.STATE_FORCES and any(
        target.type is ActorType.STATE_FORCES and target.side != actor.side for target in targets
    )


def statement_rung(stance: str | None) -> int:
    """Threats and vows of revenge are rung 1; other statements feed nothing."""
    return 1 if stance in THREATENING else 0


@dataclass(frozen=True)
class Rung:
    """Something on the ladder over the days it may have happened (first to last, inclusive)."""

    first: date
    last: date
    rung: int


@dataclass(frozen=True)
class Level:
    rung: int
    trend: str  # escalating | de-escalating | stable


def level_at(items: Iterable[Rung], day: date, window: int) -> Level:
    """The level on ``day``: the highest rung in the trailing window (``day`` and the
    ``window - 1`` days before), counting anything whose days overlap it; the trend compares
    the sum of rungs in that window with the window before it."""
    current_first = shifted(day, 1 - window)
    previous_first = shifted(current_first, -window)
    current: list[int] = []
    previous: list[int] = []
    for item in items:
        if item.first > day:
            continue
        if item.last >= current_first:
            current.append(item.rung)
        if current_first > date.min and item.first < current_first and item.last >= previous_first:
            previous.append(item.rung)
    now, before = sum(current), sum(previous)
    trend = "stable" if now == before else ("escalating" if now > before else "de-escalating")
    return Level(max(current, default=0), trend)


def level_runs(items: Iterable[Rung], first: date, last: date, window: int) -> list[tuple[date, Level]]:
    """The level on every day from ``first`` to ``last`` (inclusive), as runs: each day on which
    the level or trend differs from the day before (``first`` always), with the level from then
    on; empty when ``first`` is later than ``last``. It is :func:`level_at` on each day, found
    in one sweep over where items enter and leave the windows instead of one pass per day, so
    its cost follows the items, not the length of the span. A property test holds the two equal.

    An item counts in day d's window from its first day to ``window - 1`` days after its last,
    and in the window before d's from ``window`` days after its first to ``2 * window - 1`` days
    after its last. (:func:`level_at` leaves the window before empty while d's window begins on
    the calendar's first day, that is up to day ``window``: earlier than any item's first day
    plus ``window``, so the runs need no such case.)
    """
    start, end = first.toordinal(), last.toordinal()
    if start > end:
        return []
    counted: dict[int, dict[int, int]] = defaultdict(dict)  # day -> rung -> change in items counted
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # day -> change in the two windows' sums

    def add(begin: int, until: int, rung: int, which: int | None) -> None:
        begin = max(begin, start)  # what began before the first day asked counts from it
        if begin > until:
            return
        for day, sign in ((begin, 1), (until + 1, -1)):
            if which is None:
                counted[day][rung] = counted[day].get(rung, 0) + sign
            else:
                sums[day][which] += sign * rung

    for item in items:
        item_first, item_last = item.first.toordinal(), item.last.toordinal()
        add(item_first, item_last + window - 1, item.rung, None)
        add(item_first, item_last + window - 1, item.rung, 0)
        add(item_first + window, item_last + 2 * window - 1, item.rung, 1)
    counting: dict[int, int] = defaultdict(int)
    now = before = 0
    runs: list[tuple[date, Level]] = []
    for day in sorted({start, *(day for day in (*counted, *sums) if day <= end)}):
        for rung, change in counted.get(day, {}).items():
            counting[rung] += change
        current, previous = sums.get(day, (0, 0))
        now, before = now + current, before + previous
        trend = "stable" if now == before else ("escalating" if now > before else "de-escalating")
        level = Level(max((rung for rung, count in counting.items() if count), default=0), trend)
        if not runs or runs[-1][1] != level:
            runs.append((date.fromordinal(day), level))
    return runs


def crosses(act_side: str, response_side: str) -> bool:
    """A stated response is a tit-for-tat cycle when the responder's side differs from the act's."""
    return act_side != response_side
