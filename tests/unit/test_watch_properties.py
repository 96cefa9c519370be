"""``flashpoint watch`` over generated histories: the moving cut's answers are the answers asked
afresh each day, and no verdict uses a report published after its day (hypothesis)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flashpoint.gherkin.standing import Standing, Watching, backtest, standing_scenarios
from flashpoint.gherkin.steps import World
from flashpoint.projections.casualties import casualties
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import escalation_summary
from flashpoint.projections.watch import (
    Moving,
    last_publication_before,
    publication_days,
    reports_on,
    reports_published,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import Analyst, casualty_report, claim, drone_attack, retraction, statement
from .test_projection_properties import histories, in_append_order

STANDING = """
Feature: generated
  @standing
  Scenario: casualty attacks
    Given the event log
    Then the escalation level is at least "casualty attacks"

  @standing
  Scenario: militia dead and a cycle
    Given the event log
    Then the total militia killed are at least 2
    And the tit-for-tat cycles number at least 1

  @standing
  Scenario: escalating
    Given the event log
    Then the escalation trend is "escalating"

  @standing
  Scenario: three reports
    Given the event log
    Then the event log holds 3 reports

  @standing
  Scenario: the first act
    Given the event log
    Then the act "act-0" is on rung 5

  @standing
  Scenario: its militia figures
    Given the event log
    Then militia killed in "act-0" are low 0, best 0, high 5
"""


def scenarios_of(directory: Path, text: str = STANDING) -> list[Standing]:
    feature = directory / "standing.feature"
    feature.write_text(text, encoding="utf-8")
    return standing_scenarios((str(feature),))


def day_cut(day: str, known: str | None = None) -> Cut:
    return Cut(date.fromisoformat(day), date.fromisoformat(known or day))


def fresh_world(analyst: Analyst, cut: Cut) -> World:
    """A world that asks every question afresh, of the whole picture (what ``check`` does)."""
    world = World(Path(analyst.views.path).parent, cut=cut)
    world._app, world._views, world.watched = analyst.app, analyst.views, True
    return world


def logged(reports: list[dict[str, Any]], directory: Path) -> Analyst:
    analyst = Analyst(directory)
    analyst.append(*in_append_order(reports))
    analyst.views.catch_up(analyst.app)
    return analyst


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_the_moving_summary_and_totals_are_the_answers_asked_afresh_at_every_cut(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    days = sorted({report["reported"] for report in reports})
    with tempfile.TemporaryDirectory() as scratch:
        analyst = logged(reports, Path(scratch))
        try:
            db = analyst.views.db
            moving = Moving(db)
            for index, known in enumerate(days):  # the cut watch moves along, then a jump of either axis
                for cut in (day_cut(known), day_cut(data.draw(st.sampled_from(days[index:])), known)):
                    moving.at(cut)
                    assert moving.totals() == casualties(db, cut)["totals"], cut
                    assert moving.summary() == escalation_summary(db, cut), cut
            everything = Moving(db)
            for to in days:  # all known, the valid-time cut moving: acts known long before enter the cut
                everything.at(day_cut(to, days[-1]))
                assert everything.totals() == casualties(db, day_cut(to, days[-1]))["totals"], to
                assert everything.summary() == escalation_summary(db, day_cut(to, days[-1])), to
        finally:
            analyst.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories())
def test_each_days_verdict_is_the_verdict_asked_afresh_that_day(reports: list[dict[str, Any]]) -> None:
    """The backtest equals judging every scenario with fresh, full answers on every publication
    day, and a flip is the window's exactly when judging at --known-on K-1 --to K gives it already."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        analyst = logged(reports, directory)
        try:
            scenarios = scenarios_of(directory)
            result = backtest(analyst.app, analyst.views, scenarios)
            expected, verdicts = [], [False] * len(scenarios)
            for day in publication_days(analyst.views.db):
                ids = reports_on(analyst.views.db, day)
                for index, scenario in enumerate(scenarios):
                    holds = scenario.holds(fresh_world(analyst, day_cut(day)))
                    if holds != verdicts[index]:
                        before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
                        window = scenario.holds(fresh_world(analyst, day_cut(day, before))) == holds
                        expected.append((day, scenario.name, holds, tuple(ids), window))
                        verdicts[index] = holds
        finally:
            analyst.close()

    assert [(f.day, f.scenario, f.holds, f.reports, f.window) for f in result.flips] == expected
    assert result.verdicts == verdicts
    for index in range(len(scenarios)):
        held = result.held[index]
        starts = [flip.day for flip in result.flips if flip.scenario == scenarios[index].name and flip.holds]
        assert [interval.start for interval in held] == starts
        assert all(interval.until is not None for interval in held[:-1])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_no_flip_is_caused_by_a_report_published_after_its_day(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    """The backtest of the whole log and of the log holding only the reports published by day D
    agree on every flip up to D."""
    days = sorted({report["reported"] for report in reports})
    last = data.draw(st.sampled_from(days))
    early = [dict(report) for report in reports if report["reported"] <= last]
    kept = {report["id"] for report in early}
    for report in early:  # a link to an act published later counts from that day on: not by D
        if "responds_to" in report:
            report["responds_to"] = [act for act in report["responds_to"] if act in kept]
    text = STANDING.split("  @standing\n  Scenario: the first act")[0]  # no step naming an act
    text += (  # as many reports as were published by D: from D on in both logs, or in neither
        f"\n  @standing\n  Scenario: as many as by D\n    Given the event log\n"
        f"    Then the event log holds {len(early)} reports\n"
    )
    flips = []
    for kept in (reports, early):
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch)
            analyst = logged(kept, directory)
            try:
                result = backtest(analyst.app, analyst.views, scenarios_of(directory, text))
            finally:
                analyst.close()
        flips.append([(f.day, f.scenario, f.holds, f.window) for f in result.flips if f.day <= last])

    assert flips[0] == flips[1]


def test_a_scenario_judged_from_since_starts_from_the_verdict_of_the_day_before(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(
        {
            "id": "kh-drone-2024-01-05",
            "kind": "drone_attack",
            "occurred": "2024-01-05",
            "reported": "2024-01-05",
            "actor": "KH",
            "target": ["Al Asad"],
            "casualties": [{"party": "us_military", "injured": 2, "source": "CENTCOM"}],
        },
        {
            "id": "kh-vow-2024-01-20",
            "kind": "statement",
            "stance": "vow_revenge",
            "occurred": "2024-01-20",
            "reported": "2024-01-20",
            "actor": "KH",
        },
        {
            "id": "us-strike-2024-02-20",
            "kind": "airstrike",
            "occurred": "2024-02-20",
            "reported": "2024-02-21",
            "actor": "United States",
            "target": ["depot"],
            "target_actor": "KH",
        },
    )
    analyst.views.catch_up(analyst.app)
    try:
        (scenario,) = [s for s in scenarios_of(tmp_path) if s.name == "casualty attacks"]
        whole = backtest(analyst.app, analyst.views, [scenario])
        later = backtest(analyst.app, analyst.views, [scenario], since=date(2024, 1, 20))
        after = backtest(analyst.app, analyst.views, [scenario], since=date(2024, 2, 22))
    finally:
        analyst.close()

    # 01-05: injuries (rung 4) → holds; 01-20: the vow, still in the window; 02-21: the
    # injuries left the 30-day window (and the strike is harassment): no longer holds
    assert [(f.day, f.holds, f.reports, f.window) for f in whole.flips] == [
        ("2024-01-05", True, ("kh-drone-2024-01-05",), False),
        ("2024-02-21", False, ("us-strike-2024-02-20",), True),
    ]
    assert [(f.day, f.holds) for f in later.flips] == [("2024-02-21", False)]
    assert [held.as_dict() for held in later.held[0]] == [{"from": None, "until": "2024-02-21", "because": []}]
    assert (after.days, after.flips, after.verdicts) == (0, [], [False])


def test_watching_reads_the_log_it_is_given_and_writes_nothing(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(
        {"id": "kh-drone-2024-01-05", "kind": "drone_attack", "occurred": "2024-01-05", "reported": "2024-01-05"}
    )
    analyst.views.catch_up(analyst.app)
    world = Watching(analyst.app, analyst.views)
    try:
        with pytest.raises(AssertionError, match="watched, not written"):
            world.append([])
    finally:
        analyst.close()


def test_a_window_changed_between_two_days_moves_the_level_afresh(tmp_path: Path) -> None:
    """A standing scenario may say "the escalation window is N days" on the world it shares: the
    level's two windows are then of another length, and moving the old ones gave "calm"."""
    from ..conftest import drone_attack

    analyst = Analyst(tmp_path)
    analyst.append(drone_attack("a", occurred="2024-01-01", reported="2024-01-01"))
    analyst.views.catch_up(analyst.app)
    moving = Moving(analyst.views.db)

    for day, window in (("2024-01-20", 1), ("2024-01-21", 60), ("2024-01-22", 60), ("2024-01-23", 5)):
        cut = Cut(date.fromisoformat(day), date.fromisoformat(day), window)
        moving.at(cut)
        assert moving.summary() == escalation_summary(analyst.views.db, cut), (day, window)
    assert (
        moving.summary()["level"]["rung"] == 0
        and escalation_summary(analyst.views.db, Cut(date(2024, 1, 21), date(2024, 1, 21), 60))["level"]["name"]
        == "harassment"
    )


def test_the_publication_days_and_what_was_published_on_and_before_them(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(
        drone_attack("a", occurred="2024-01-05", reported="2024-01-05"),
        drone_attack("b", occurred="2024-01-05", reported="2024-01-06"),
        casualty_report("toll", "a", "2024-01-06", claim("militia", "SOHR", killed=2)),
        statement("vow", "vow_revenge", "2024-01-20"),
        retraction("fix", "b", reported="2024-01-20"),
    )
    analyst.views.catch_up(analyst.app)
    db = analyst.views.db
    try:
        days = publication_days(db)
        since = [publication_days(db, since) for since in (date.min, date(2024, 1, 6), date(2024, 1, 7))]
        on = [reports_on(db, day) for day in days]
        before = [last_publication_before(db, day) for day in (date.min, date(2024, 1, 5), date(2024, 1, 20))]
        published = [reports_published(db, day) for day in (date(2024, 1, 4), date(2024, 1, 6), date(2024, 1, 20))]
    finally:
        analyst.close()

    assert days == ["2024-01-05", "2024-01-06", "2024-01-20"]
    assert since == [days, ["2024-01-06", "2024-01-20"], ["2024-01-20"]]  # from that day on, inclusive
    assert on == [["a"], ["b", "toll"], ["vow", "fix"]]  # that day's alone, in log order
    assert before == [None, None, "2024-01-06"]  # strictly before the day
    assert published == [0, 3, 5]


def test_the_moving_totals_follow_the_policy_and_read_every_page_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flashpoint.projections.casualties as casualty_module
    import flashpoint.projections.watch as watch

    monkeypatch.setattr(watch, "counted_pages", lambda db, state: casualty_module.counted_pages(db, state, 1))
    analyst = Analyst(tmp_path).append(
        drone_attack(
            "a", occurred="2024-01-05", reported="2024-01-05", casualties=[claim("militia", "SOHR", killed=2)]
        ),
        drone_attack(
            "b",
            occurred="2024-01-06",
            reported="2024-01-06",
            casualties=[claim("militia", "AP", killed=1), claim("militia", "SOHR", killed=4)],
        ),
        casualty_report("toll", "a", "2024-01-07", claim("militia", "AP", killed=5)),
    )
    analyst.views.catch_up(analyst.app)
    db = analyst.views.db
    try:
        answers = []
        for policy in ("conservative", "high"):
            moving = Moving(db, policy)
            for known in ("2024-01-06", "2024-01-07"):  # one page per incident, then a move
                moving.at(day_cut(known))
                answers.append((moving.totals(), casualties(db, day_cut(known), policy)["totals"]))
    finally:
        analyst.close()

    for moved, asked_afresh in answers:
        assert moved == asked_afresh
    # a: 2, then 2 or 5 from 01-07; b: 1 or 4 (conservative: the lowest, high: the highest)
    assert [moved["militia"]["killed"]["best"] for moved, _ in answers] == [3, 3, 6, 9]


def test_moving_both_axes_brings_in_an_act_known_before_that_begins_within_the_valid_move(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(
        drone_attack("early", occurred="2024-01-01", reported="2024-01-01"),
        drone_attack(
            "b", occurred="2024-01-05", reported="2024-01-06", casualties=[claim("militia", "SOHR", killed=2)]
        ),
    )
    analyst.views.catch_up(analyst.app)
    db = analyst.views.db
    try:
        moving, answers = Moving(db), []
        for cut in (Cut(date(2024, 1, 2), date(2024, 1, 10)), Cut(date(2024, 1, 10), date(2024, 1, 11))):
            moving.at(cut)  # "b" was known at the first cut, and begins after its valid time
            answers.append(
                ((moving.totals(), moving.summary()), (casualties(db, cut)["totals"], escalation_summary(db, cut)))
            )
    finally:
        analyst.close()

    assert [moved for moved, _ in answers] == [asked_afresh for _, asked_afresh in answers]
    assert "militia" in answers[-1][0][0]


def test_an_act_ending_on_the_first_day_of_the_window_before_still_counts_in_it(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(drone_attack("a", occurred="2024-01-01", reported="2024-01-01"))
    analyst.views.catch_up(analyst.app)
    db = analyst.views.db
    try:
        moving, answers = Moving(db), []
        for day in ("2024-02-28", "2024-02-29", "2024-03-01"):  # the window before begins 01-01 on 02-29
            moving.at(day_cut(day))
            answers.append((moving.summary()["trend"], escalation_summary(db, day_cut(day))["trend"]))
    finally:
        analyst.close()

    assert answers == [("de-escalating", "de-escalating")] * 2 + [("stable", "stable")]


def test_a_party_whose_only_incident_is_retracted_leaves_the_moving_totals(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path).append(
        drone_attack(
            "a", occurred="2024-01-05", reported="2024-01-05", casualties=[claim("militia", "SOHR", killed=2)]
        ),
        drone_attack(
            "b", occurred="2024-01-05", reported="2024-01-05", casualties=[claim("us_military", "CENTCOM", injured=1)]
        ),
        retraction("fix", "b", reported="2024-01-08"),
    )
    analyst.views.catch_up(analyst.app)
    db = analyst.views.db
    try:
        moving, parties = Moving(db), []
        for day in ("2024-01-06", "2024-01-08"):
            moving.at(day_cut(day))
            parties.append((sorted(moving.totals()), sorted(casualties(db, day_cut(day))["totals"])))
    finally:
        analyst.close()

    assert parties == [(["militia", "us_military"],) * 2, (["militia"],) * 2]


def test_a_moving_cut_needs_a_valid_time_day(tmp_path: Path) -> None:
    analyst = Analyst(tmp_path)
    try:
        with pytest.raises(ValueError) as refused:
            Moving(analyst.views.db).at(Cut(None, date(2024, 1, 5)))
    finally:
        analyst.close()

    assert str(refused.value) == "a moving cut is at a day: give it --to"
