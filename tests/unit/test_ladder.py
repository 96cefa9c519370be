"""The escalation ladder's rules, without a database (flashpoint.domain.ladder)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from flashpoint.domain.ladder import Level, Rung, act_rung, confronts, crosses, level_at, level_runs, statement_rung
from hypothesis import given, settings
from hypothesis import strategies as st

DAY = date(2024, 1, 31)


def on(offset: int, rung: int, length: int = 0) -> Rung:
    """Something ``offset`` days before DAY (0 = DAY itself), lasting ``length`` more days."""
    first = DAY - timedelta(days=offset)
    return Rung(first, first + timedelta(days=length), rung)


@pytest.mark.parametrize(
    ("state_confrontation", "deaths", "injuries", "damage", "rung"),
    [
        (True, False, False, None, 6),
        (True, True, True, "heavy", 6),
        (False, True, False, None, 5),
        (False, True, True, "destroyed", 5),
        (False, False, True, None, 4),
        (False, False, True, "heavy", 4),
        (False, False, False, "minor", 3),
        (False, False, False, "moderate", 3),
        (False, False, False, "heavy", 3),
        (False, False, False, "destroyed", 3),
        (False, False, False, "none", 2),
        (False, False, False, "unknown", 2),
        (False, False, False, None, 2),
    ],
)
def test_an_act_takes_the_highest_rung_its_known_harm_reaches(
    state_confrontation: bool, deaths: bool, injuries: bool, damage: str | None, rung: int
) -> None:
    assert act_rung(state_confrontation=state_confrontation, deaths=deaths, injuries=injuries, damage=damage) == rung


@pytest.mark.parametrize(
    ("stance", "rung"),
    [("threat", 1), ("vow_revenge", 1), ("justification", 0), ("assessment", 0), ("de_escalation", 0), ("denial", 0)],
)
def test_only_threats_and_vows_are_on_the_ladder(stance: str, rung: int) -> None:
    assert statement_rung(stance) == rung


def test_the_level_is_the_highest_rung_in_the_trailing_window() -> None:
    items = [on(0, 2), on(29, 5), on(30, 6)]  # the cut day, the 29th day before, just outside

    level = level_at(items, DAY, 30)

    assert level.rung == 5


def test_nothing_after_the_level_day_counts() -> None:
    assert level_at([on(-1, 6), on(3, 2)], DAY, 30) == Level(2, "escalating")


def test_an_interval_counts_in_every_window_it_overlaps() -> None:
    straddling = on(40, 5, length=15)  # from 40 to 25 days before: in both windows

    level = level_at([straddling], DAY, 30)

    assert level == Level(5, "stable")  # the same 5 in the window and in the one before


def test_the_trend_compares_the_sums_of_rungs_of_two_windows() -> None:
    before = [on(35, 2), on(40, 2), on(45, 2)]  # 6 in the window before
    now = [on(1, 5)]  # 5 in this one

    assert level_at(before + now, DAY, 30) == Level(5, "de-escalating")
    assert level_at(before + now + [on(2, 1)], DAY, 30) == Level(5, "stable")
    assert level_at(before + now + [on(2, 2)], DAY, 30) == Level(5, "escalating")


def test_a_one_day_window_is_the_day_alone() -> None:
    assert level_at([on(0, 2), on(1, 6)], DAY, 1) == Level(2, "de-escalating")


def test_no_window_before_the_first_day_of_the_calendar() -> None:
    first_day = Rung(date.min, date.min, 3)

    assert level_at([first_day], date.min, 30) == Level(3, "escalating")


def test_calm_when_nothing_is_in_the_window() -> None:
    assert level_at([on(90, 6)], DAY, 30) == Level(0, "stable")


@pytest.mark.parametrize(
    ("act_side", "response_side", "cycle"),
    [("iran_aligned", "us_coalition", True), ("us_coalition", "us_coalition", False), ("unknown", "unknown", False)],
)
def test_a_response_is_a_cycle_only_across_sides(act_side: str, response_side: str, cycle: bool) -> None:
    assert crosses(act_side, response_side) is cycle


def test_only_state_forces_striking_another_sides_state_forces_confront() -> None:
    from flashpoint.domain.actors import Actor
    from flashpoint.domain.vocabulary import ActorType, Side

    us = Actor("United States", Side.US_COALITION, ActorType.STATE_FORCES)
    iran = Actor("Iran", Side.IRAN_ALIGNED, ActorType.STATE_FORCES)
    iraq = Actor("Iraqi security forces", Side.US_COALITION, ActorType.STATE_FORCES)
    kh = Actor("Kata'ib Hezbollah", Side.IRAN_ALIGNED, ActorType.MILITIA)

    assert confronts(us, [iran])
    assert confronts(us, [kh, iran])
    assert not confronts(us, [kh])  # a militia, not a state's forces
    assert not confronts(us, [iraq])  # a state's forces on the same side
    assert not confronts(kh, [us])  # the actor is not state forces
    assert not confronts(us, [])


CALENDAR_ENDS = (date.min, date(2021, 6, 1), date.max - timedelta(days=60))
"""Where generated histories sit: the calendar's first day (the window before is empty there),
an ordinary stretch, and near its last day."""


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Rung], date, date, int]:
    """Items (one-day and interval acts and statements, rungs 0-6, several on a day) around one
    of :data:`CALENDAR_ENDS`, a window, and the days asked: before, across and after the items."""
    base = draw(st.sampled_from(CALENDAR_ENDS))
    offset = st.integers(0, 40)
    items = [
        Rung(base + timedelta(days=start), base + timedelta(days=start + length), rung)
        for start, length, rung in draw(st.lists(st.tuples(offset, st.integers(0, 12), st.integers(0, 6)), max_size=12))
    ]
    window = draw(st.integers(1, 12))
    first = base + timedelta(days=draw(offset))
    last = date.fromordinal(min(max(first.toordinal() + draw(st.integers(-1, 50)), 1), date.max.toordinal()))
    return items, first, last, window


def level_on(runs: list[tuple[date, Level]], day: date) -> Level:
    """The level the runs give on ``day``: that of the last run begun by then."""
    return [level for begun, level in runs if begun <= day][-1]


@settings(max_examples=400, deadline=None)
@given(histories())
def test_the_level_runs_give_the_level_of_every_day(history: tuple[list[Rung], date, date, int]) -> None:
    items, first, last, window = history
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]

    runs = level_runs(items, first, last, window)

    assert [level_on(runs, day) for day in days] == [level_at(items, day, window) for day in days]
    assert [begun for begun, _ in runs[:1]] == days[:1]  # from the first day asked, or nothing
    assert all(before[1] != after[1] for before, after in pairwise(runs))  # changes only


def test_the_level_runs_mark_only_the_days_the_level_changes() -> None:
    items = [on(10, 5), on(5, 2)]  # a 5 ten days before DAY, a 2 five days before

    runs = level_runs(items, DAY - timedelta(days=12), DAY + timedelta(days=40), 30)

    assert runs == [
        (DAY - timedelta(days=12), Level(0, "stable")),
        (DAY - timedelta(days=10), Level(5, "escalating")),  # the 2 joining changes neither
        (DAY + timedelta(days=20), Level(2, "de-escalating")),  # the 5 left the window: 2 against 5
        (DAY + timedelta(days=25), Level(0, "de-escalating")),  # the 2 too: 0 against 7
    ]
