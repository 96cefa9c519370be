"""A source's track record (domain/track_record.py, projections/sources.py), against hand-computed figures."""

from __future__ import annotations

from typing import Any

import pytest
from flashpoint.domain.track_record import FIELDS, Said, agreement, direction, track_record
from flashpoint.projections.sources import sources

from ..conftest import Analyst, casualty_report, claim, cut, drone_attack, merge, retraction


def said(day: int, *ends: int) -> Said:
    return Said(f"2024-01-{day:02d}", day, (ends[0], ends[-1]))


def test_a_figure_is_revised_when_its_last_number_differs_from_its_first() -> None:
    assert direction([said(1, 4), said(3, 6), said(5, 6)]) == 1
    assert direction([said(1, 10), said(2, 8)]) == -1
    assert direction([said(1, 5), said(2, 7), said(4, 5)]) == 0, "back where it began: no revision"
    assert direction([said(1, 4, 7), said(2, 4, 9)]) == 1, "a range revised at its upper end only"
    assert direction([said(2, 4), said(1, 9)]) == -1, "first and last by day, not by list order"


@pytest.mark.parametrize(
    ("ends", "best", "verdict"),
    [((4, 4), 4, "agreed"), ((5, 5), 4, "above"), ((3, 3), 4, "below"), ((2, 6), 4, "agreed"), ((5, 9), 4, "above")],
)
def test_the_latest_number_is_compared_with_the_incidents_best(ends: tuple[int, int], best: int, verdict: str) -> None:
    assert agreement(ends, best) == verdict
    assert agreement(ends, None) is None


def test_a_track_record_by_hand() -> None:
    figures = {
        ("a", "militia", "killed"): [said(1, 4), said(3, 6), said(5, 6)],  # up, 6/4 = 1.5, 4 days
        ("b", "civilian", "injured"): [said(2, 10), said(9, 8)],  # down, 0.8, 7 days
        ("c", "us_military", "killed"): [said(1, 0), said(2, 3)],  # up from 0: no ratio, 1 day
        ("d", "militia", "killed"): [said(4, 2)],  # never revised
    }
    bests = {("a", "militia", "killed"): 6, ("b", "civilian", "injured"): 9, ("c", "us_military", "killed"): 3}

    record = track_record("SOHR", claims=11, incidents=4, figures=figures, bests=bests, withdrawn=2)

    assert record == {
        "source": "SOHR",
        "claims": 11,
        "incidents": 4,
        "figures": 4,
        "revised": 3,
        "revised_up": 2,
        "revised_down": 1,
        "median_final_over_first": pytest.approx(1.15),
        "median_days_to_final": 4,
        "agreed": 2,
        "above_best": 0,
        "below_best": 1,
        "withdrawn": 2,
    }
    assert tuple(record) == FIELDS  # the CSV's columns and Datasette's query read these keys


def test_the_ratio_of_a_revision_is_taken_between_lower_ends_and_only_from_a_first_above_zero() -> None:
    def ratio(*said_on_the_figure: Said) -> float | None:
        figures = {("a", "militia", "killed"): list(said_on_the_figure)}
        record = track_record("SOHR", claims=2, incidents=1, figures=figures, bests={}, withdrawn=0)
        assert record["revised"] == 1
        value: float | None = record["median_final_over_first"]
        return value

    assert ratio(said(1, 2, 4), said(2, 6)) == 3.0, "from a range: its lower end, 6 / 2"
    assert ratio(said(1, 2), said(2, 6, 9)) == 3.0, "to a range: its lower end, 6 / 2"
    assert ratio(said(1, 1), said(2, 3)) == 3.0, "a first of 1 is above 0"
    assert ratio(said(1, 0, 5), said(2, 3)) is None, "a range from 0 gives no ratio (its upper end does not count)"


def test_nothing_to_take_a_median_over_is_null() -> None:
    record = track_record("AP", claims=1, incidents=1, figures={}, bests={}, withdrawn=0)

    assert record["median_final_over_first"] is None and record["median_days_to_final"] is None


def _record(answer: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [record for record in answer["sources"] if record["source"] == name]
    return found


def test_the_log_gives_each_source_its_record_hindsight_free(analyst: Analyst) -> None:
    relayed = {"name": "Syrian Observatory for Human Rights", "via": "Associated Press"}
    analyst.append(
        drone_attack("a", reported="2024-01-28", casualties=[claim("militia", relayed, killed=4)]),
        casualty_report("t1", "a", "2024-01-30", claim("militia", "syrian observatory for human rights", killed=7)),
        casualty_report(
            "t2", "a", "2024-01-31", claim("militia", "Associated Press", killed="several", qualifier="unquantified")
        ),
        casualty_report("t3", "a", "2024-02-02", claim("civilian", "SOHR", injured=3)),
        retraction("r", "t3", reported="2024-02-03"),
    )
    analyst.views.catch_up(analyst.app)

    early = sources(analyst.views.db, cut(known_on="2024-01-29"))
    later = sources(analyst.views.db, cut())

    assert [record["source"] for record in early["sources"]] == ["Syrian Observatory for Human Rights"]
    assert _record(early, "Syrian Observatory for Human Rights")["revised"] == 0, "no hindsight"
    sohr = _record(later, "Syrian Observatory for Human Rights")
    assert (sohr["claims"], sohr["figures"], sohr["revised_up"], sohr["median_days_to_final"]) == (2, 1, 1, 2)
    assert sohr["median_final_over_first"] == 1.75 and sohr["agreed"] == 1
    assert _record(later, "Associated Press")["claims"] == 1, "the relay gets no credit; its own word does"
    assert _record(later, "SOHR")["withdrawn"] == 1 and _record(later, "SOHR")["claims"] == 0
    assert [record["source"] for record in later["sources"]] == [
        "Associated Press",
        "SOHR",
        "Syrian Observatory for Human Rights",
    ], "sorted by folded name"


def test_after_a_merge_a_sources_claims_on_the_merged_acts_are_one_figure(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", reported="2024-01-28", casualties=[claim("militia", "AP", killed=2)]),
        drone_attack("b", reported="2024-01-29", casualties=[claim("militia", "AP", killed=5)]),
        merge("m", ["b"], "a", reported="2024-02-01"),
    )
    analyst.views.catch_up(analyst.app)

    before = _record(sources(analyst.views.db, cut(known_on="2024-01-31")), "AP")
    after = _record(sources(analyst.views.db, cut()), "AP")

    assert (before["figures"], before["revised"]) == (2, 0)
    assert (after["figures"], after["revised_up"], after["incidents"]) == (1, 1, 1)


def test_sources_named_in_arabic_are_two_sources_not_one(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", reported="2024-01-28", casualties=[claim("militia", "قناة الجزيرة", killed=2)]),
        casualty_report("t", "a", "2024-01-29", claim("militia", "قناة العربية", killed=3)),
    )
    analyst.views.catch_up(analyst.app)

    names = [record["source"] for record in sources(analyst.views.db, cut())["sources"]]

    assert sorted(names) == ["قناة الجزيرة", "قناة العربية"]


@pytest.mark.parametrize("page", [1, 2, 1000])
def test_a_claim_on_an_act_both_retracted_and_merged_is_withdrawn_once_at_any_page_size(
    analyst: Analyst, page: int
) -> None:
    """A page read the claims of the acts merged into its own too, so a retracted act merged into
    another had its claims counted withdrawn twice when the two were on different pages."""
    analyst.append(
        drone_attack("act-0", reported="2024-01-28", casualties=[claim("us_military", "CENTCOM", injured=3)]),
        drone_attack("act-1", reported="2024-01-28", casualties=[claim("us_military", "CENTCOM", injured=4)]),
        merge("merge-1", ["act-1"], "act-0", reported="2024-01-30"),
        retraction("retract-1", "act-1", reported="2024-01-30"),
    )
    analyst.views.catch_up(analyst.app)

    record = _record(sources(analyst.views.db, cut(), page=page), "CENTCOM")

    assert (record["withdrawn"], record["claims"]) == (1, 1)
