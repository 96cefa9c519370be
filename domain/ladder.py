"""The escalation ladder, as pure rules: an act's rung, a window's level and trend, a cycle.

Rungs: 0 calm · 1 threats (statements that threaten or vow revenge) · 2 harassment (no
damage, no casualties) · 3 damaging attacks · 4 casualty attacks (any source reports
injuries) · 5 lethal attacks (any source reports deaths) · 6 direct state confrontation
(state forces strike another state's forces).

The read models answer the same questions in SQL for speed (``projections/escalation.py``,
``RUNG_AT_CUT`` and the summary); a property test holds those answers equal to these rules.
"""

from __future__ import annotations

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


def crosses(act_side: str, response_side: str) -> bool:
    """A stated response is a tit-for-tat cycle when the responder's side differs from the act's."""
    return act_side != response_side
