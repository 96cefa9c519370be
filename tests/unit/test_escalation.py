"""The escalation ladder, the two cuts, responses and cycles, on hand-made reports."""

import sqlite3
from pathlib import Path
from typing import Any

from flashpoint.projections.escalation import ACT_FIELDS
from flashpoint.projections.replay import write_replay

from ..conftest import Analyst, casualty_report, claim, cut, drone_attack, filed_before_the_date_range, rungs, statement


def attack(report_id: str, day: str, **fields: object) -> dict[str, object]:
    return drone_attack(report_id, occurred=day, reported=fields.pop("reported", day), **fields)


def test_an_attack_without_damage_or_casualties_is_harassment(analyst: Analyst) -> None:
    analyst.append(
        attack("a", "2024-01-01"),
        attack("b", "2024-01-02", damage="unknown"),
        attack("c", "2024-01-03", damage="none"),
    )

    assert rungs(analyst.escalation()) == {"a": 2, "b": 2, "c": 2}


def test_damage_makes_a_damaging_attack(analyst: Analyst) -> None:
    analyst.append(attack("a", "2024-01-01", damage="minor"), attack("b", "2024-01-02", damage="destroyed"))

    assert rungs(analyst.escalation()) == {"a": 3, "b": 3}


def test_injuries_and_deaths_reported_by_any_source_climb_the_ladder(analyst: Analyst) -> None:
    analyst.append(
        attack("hurt", "2024-01-01", casualties=[claim("us_military", "CENTCOM", injured=2)]),
        attack(
            "hurt-vaguely",
            "2024-01-02",
            casualties=[claim("us_military", "CENTCOM", injured="a few", qualifier="unquantified")],
        ),
        attack("deadly", "2024-01-03", casualties=[claim("us_military", "CENTCOM", killed=3)]),
        attack("nobody", "2024-01-04", casualties=[claim("us_military", "CENTCOM", killed=0, injured=0)]),
    )

    assert rungs(analyst.escalation()) == {"hurt": 4, "hurt-vaguely": 4, "deadly": 5, "nobody": 2}


def test_a_state_striking_another_states_forces_is_direct_confrontation(analyst: Analyst) -> None:
    analyst.append(
        {
            "id": "ain-al-asad-2020-01-08",
            "kind": "missile_attack",
            "occurred": "2020-01-08",
            "reported": "2020-01-08",
            "actor": "Iran",
            "target": ["Al Asad Air Base"],
            "target_actor": "United States",
        }
    )

    picture = analyst.escalation()

    assert rungs(picture) == {"ain-al-asad-2020-01-08": 6}
    assert picture["level"] == {"rung": 6, "name": "direct state confrontation"}


def test_a_rung_follows_what_was_known_at_the_knowledge_cut(analyst: Analyst) -> None:
    analyst.append(
        attack("a", "2024-01-28"),
        casualty_report("toll", "a", "2024-01-30", claim("us_military", "Pentagon", killed=3)),
        {
            "id": "dmg",
            "kind": "damage_assessment",
            "incident": "a",
            "reported": "2024-01-29",
            "damage": "heavy",
        },
    )

    assert rungs(analyst.escalation(known_on="2024-01-28")) == {"a": 2}
    assert rungs(analyst.escalation(known_on="2024-01-29")) == {"a": 3}
    assert rungs(analyst.escalation(known_on="2024-01-30")) == {"a": 5}
    assert rungs(analyst.escalation(to="2024-01-28")) == {"a": 5}


def test_to_filters_by_occurrence_and_known_on_by_publication(analyst: Analyst) -> None:
    analyst.append(attack("early-late-news", "2024-01-01", reported="2024-03-01"), attack("late", "2024-02-15"))

    assert set(rungs(analyst.escalation(to="2024-01-31"))) == {"early-late-news"}
    assert set(rungs(analyst.escalation(known_on="2024-02-20"))) == {"late"}
    assert rungs(analyst.escalation(to="2024-01-31", known_on="2024-02-20")) == {}


def test_an_act_whose_interval_straddles_the_cut_is_possible(analyst: Analyst) -> None:
    analyst.append(
        attack("bdsc", "2021-06-01/2021-06-11", reported="2021-06-11"),
        attack("month", "2021-05", reported="2021-06-01"),
    )

    def certainty(to: str) -> dict[str, str]:
        return {act["id"]: act["certainty"] for act in analyst.escalation(to=to)["acts"]}

    assert certainty("2021-05-15") == {"month": "possible"}
    assert certainty("2021-06-05") == {"month": "certain", "bdsc": "possible"}
    assert certainty("2021-06-11") == {"month": "certain", "bdsc": "certain"}
    assert {act["id"]: act["certainty"] for act in analyst.escalation()["acts"]} == {
        "month": "certain",
        "bdsc": "certain",
    }


def test_acts_are_listed_in_order_of_occurrence(analyst: Analyst) -> None:
    analyst.append(attack("c", "2024-03-01"), attack("a", "2024-01-01"), attack("b", "2024-02", reported="2024-02-29"))

    assert [act["id"] for act in analyst.escalation()["acts"]] == ["a", "b", "c"]


def test_response_lags_span_the_imprecision_of_both_dates(analyst: Analyst) -> None:
    analyst.append(
        attack("bdsc", "2021-06-01/2021-06-11", reported="2021-06-11"),
        attack("rockets", "2021-02-15"),
        {
            "id": "strike-june",
            "kind": "airstrike",
            "occurred": "2021-06-27",
            "reported": "2021-06-27",
            "actor": "United States",
            "target": ["depot"],
            "responds_to": ["bdsc"],
        },
        {
            "id": "strike-feb",
            "kind": "airstrike",
            "occurred": "2021-02-25",
            "reported": "2021-02-25",
            "actor": "United States",
            "target": ["depot"],
            "responds_to": ["rockets"],
        },
    )

    responses = {
        row["response"]: (row["act"], row["lag_min"], row["lag_max"]) for row in analyst.escalation()["responses"]
    }

    assert responses == {"strike-june": ("bdsc", 16, 26), "strike-feb": ("rockets", 10, 10)}


def test_only_responses_across_sides_are_tit_for_tat_cycles(analyst: Analyst) -> None:
    analyst.append(
        attack("militia-drone", "2024-01-28"),
        {
            "id": "us-strike",
            "kind": "airstrike",
            "occurred": "2024-02-02",
            "reported": "2024-02-02",
            "actor": "United States",
            "target": ["depot"],
            "responds_to": ["militia-drone"],
        },
        {
            "id": "us-strike-2",
            "kind": "airstrike",
            "occurred": "2024-02-07",
            "reported": "2024-02-07",
            "actor": "United States",
            "target": ["depot 2"],
            "responds_to": ["us-strike"],
        },
    )

    picture = analyst.escalation()

    assert len(picture["responses"]) == 2
    assert picture["cycles"] == 1


def test_a_response_to_an_act_outside_the_cut_is_not_listed(analyst: Analyst) -> None:
    analyst.append(
        attack("drone", "2024-01-28", reported="2024-02-10"),
        {
            "id": "strike",
            "kind": "airstrike",
            "occurred": "2024-02-02",
            "reported": "2024-02-02",
            "actor": "United States",
            "target": ["depot"],
            "responds_to": ["drone"],
        },
    )

    assert analyst.escalation(known_on="2024-02-05")["responses"] == []
    assert analyst.escalation(known_on="2024-02-10")["cycles"] == 1


def test_the_level_is_the_highest_rung_in_the_trailing_window(analyst: Analyst) -> None:
    analyst.append(
        attack("deadly", "2024-01-01", casualties=[claim("us_military", "CENTCOM", killed=1)]),
        attack("harmless", "2024-01-20"),
    )

    assert analyst.escalation(to="2024-01-30")["level"]["rung"] == 5  # 1 Jan is the 30th day back
    assert analyst.escalation(to="2024-01-31")["level"]["rung"] == 2
    assert analyst.escalation(to="2024-01-31", window=31)["level"]["rung"] == 5
    assert analyst.escalation(to="2024-03-15")["level"] == {"rung": 0, "name": "calm"}


def test_an_interval_act_counts_in_any_window_it_overlaps(analyst: Analyst) -> None:
    analyst.append(attack("vague", "2024-01", reported="2024-02-01", damage="heavy"))

    assert analyst.escalation(to="2024-02-29")["level"]["rung"] == 3  # window 31 Jan – 29 Feb
    assert analyst.escalation(to="2024-03-01")["level"]["rung"] == 0


def test_threats_and_vows_are_the_first_rung(analyst: Analyst) -> None:
    analyst.append(statement("vow", "vow_revenge", "2024-02-03"), statement("view", "assessment", "2024-02-04"))

    picture = analyst.escalation()

    assert picture["acts"] == []
    assert picture["level"] == {"rung": 1, "name": "threats"}


def test_without_to_the_level_is_taken_on_the_latest_day_anything_occurred(analyst: Analyst) -> None:
    analyst.append(attack("old", "2023-01-01", damage="heavy"), statement("vow", "vow_revenge", "2024-02-03"))

    picture = analyst.escalation()

    assert picture["cut"]["level_date"] == "2024-02-03"
    assert picture["level"]["rung"] == 1


def test_the_trend_compares_the_window_with_the_one_before(analyst: Analyst) -> None:
    analyst.append(
        attack("jan", "2024-01-10"),
        attack("feb", "2024-02-10", damage="minor"),
        attack("mar", "2024-03-10", damage="minor"),
    )

    assert analyst.escalation(to="2024-02-15")["trend"] == "escalating"
    assert analyst.escalation(to="2024-03-15")["trend"] == "stable"
    assert analyst.escalation(to="2024-04-15")["trend"] == "de-escalating"


def test_the_seed_story_escalates_to_lethal_attacks(analyst: Analyst) -> None:
    from flashpoint.cli import seed_path
    from flashpoint.reports.files import load

    analyst.app.append(load(seed_path()))

    picture = analyst.escalation()
    before_june_strike = analyst.escalation(to="2021-06-26")

    assert picture["level"]["name"] == "lethal attacks" and picture["cycles"] == 2
    assert before_june_strike["level"]["name"] == "casualty attacks"
    assert rungs(picture)["bdsc-drone-2021-06"] == 4


def test_cuts_at_the_ends_of_the_calendar_answer_on_a_log_holding_them(analyst: Analyst, tmp_path: Path) -> None:
    analyst.app.append(
        [
            filed_before_the_date_range(
                attack("day-one", "2024-01-28", casualties=[claim("us_military", "CENTCOM", killed=1)]), "0001-01-01"
            ),
            filed_before_the_date_range(attack("ancient", "2024-01-28"), "0001-01-01/2024-01-28"),
        ]
    )

    first_day = analyst.escalation(to="0001-01-01", window=3660)
    last_day = analyst.escalation(to="9999-12-31")
    toll = analyst.casualties(to="0001-01-01")
    replayed = write_replay(analyst.views.db, cut("0001-01-01"), tmp_path / "replay.db")

    assert first_day["level"]["rung"] == 5
    assert first_day["trend"] == "escalating"  # no window precedes the first day of the calendar
    assert [act["certainty"] for act in first_day["acts"]] == ["certain", "possible"]
    assert last_day["level"] == {"rung": 0, "name": "calm"} and len(last_day["acts"]) == 2
    assert toll["totals"]["us_military"]["killed"]["best"] == 1
    assert replayed["acts"] == 2 and replayed["cut"] == 1


# -- the listing's fields, the empty log, the window edges (found by a mutmut run over the rule modules)


def test_acts_and_statements_are_listed_with_every_field_of_the_contract(analyst: Analyst) -> None:
    analyst.append(
        attack(
            "a",
            "2024-01-28",
            reported="2024-01-29",
            weapon="one-way attack drone",
            damage="minor",
            place="Rukban, near the Syrian border",
            lat=33.3217,
            lon=38.7756,
            geo_precision=2,
        ),
        attack("b", "2024-01-29", reported="2024-01-29"),
        statement("vow", "vow_revenge", "2024-01-30", incident="a"),
    )

    picture = analyst.escalation(to="2024-02-01", known_on="2024-02-01", window=10)

    assert picture["cut"] == {"to": "2024-02-01", "known_on": "2024-02-01", "window": 10, "level_date": "2024-02-01"}
    assert picture["acts"][:1] == [
        {
            "id": "a",
            "kind": "drone_attack",
            "occurred": "2024-01-28",
            "occurred_from": "2024-01-28",
            "occurred_to": "2024-01-28",
            "reported": "2024-01-29",
            "certainty": "certain",
            "side": "iran_aligned",
            "actor": "Islamic Resistance in Iraq",
            "actor_type": "militia",
            "target": "Tower 22",
            "target_side": "us_coalition",
            "rung": 3,
            "rung_name": "damaging attacks",
            "weapon": "one-way attack drone",
            "place": "Rukban, near the Syrian border",
            "lat": 33.3217,
            "lon": 38.7756,
            "geo_precision": 2,
        }
    ]
    assert tuple(picture["acts"][0]) == ACT_FIELDS  # the CSV's columns
    unplaced = picture["acts"][1]
    assert (unplaced["place"], unplaced["lat"], unplaced["lon"], unplaced["geo_precision"]) == (None,) * 4
    assert picture["statements"] == [
        {
            "id": "vow",
            "kind": "statement",
            "stance": "vow_revenge",
            "actor": "Kata'ib Hezbollah",
            "side": "iran_aligned",
            "occurred_from": "2024-01-30",
            "occurred_to": "2024-01-30",
            "reported": "2024-01-30",
            "incident": "a",
            "rung": 1,
        }
    ]


def test_a_response_names_the_sides_of_both_acts(analyst: Analyst) -> None:
    analyst.append(
        attack("drone", "2024-01-28"),
        {
            "id": "strike",
            "kind": "airstrike",
            "occurred": "2024-02-02",
            "reported": "2024-02-02",
            "actor": "United States",
            "target": ["depot"],
            "responds_to": ["drone"],
        },
    )

    assert analyst.escalation()["responses"] == [
        {
            "act": "drone",
            "response": "strike",
            "lag_min": 5,
            "lag_max": 5,
            "act_side": "iran_aligned",
            "response_side": "us_coalition",
            "tit_for_tat": True,
        }
    ]


def test_a_response_left_out_of_the_cut_does_not_hide_the_ones_after_it(analyst: Analyst) -> None:
    def strike(report_id: str, day: str, answers: str) -> dict[str, object]:
        return {
            "id": report_id,
            "kind": "airstrike",
            "occurred": day,
            "reported": day,
            "actor": "United States",
            "target": ["depot"],
            "responds_to": [answers],
        }

    analyst.append(
        attack("late-news", "2024-01-28", reported="2024-02-10"),
        strike("first", "2024-02-02", "late-news"),
        attack("rockets", "2024-02-01"),
        strike("second", "2024-02-03", "rockets"),
    )

    listed = [(row["response"], row["act"]) for row in analyst.escalation(known_on="2024-02-05")["responses"]]

    assert listed == [("second", "rockets")]


def test_an_empty_log_is_calm_and_stable_with_no_level_day(analyst: Analyst) -> None:
    picture = analyst.escalation()

    assert picture["level"] == {"rung": 0, "name": "calm"}
    assert picture["trend"] == "stable"
    assert picture["cut"]["level_date"] is None
    assert (picture["acts"], picture["responses"], picture["statements"], picture["cycles"]) == ([], [], [], 0)


def test_the_two_windows_meet_without_overlap_or_gap(analyst: Analyst) -> None:
    # window 10 at 20 Jan: the current window is 11-20 Jan, the one before it 1-10 Jan
    analyst.append(attack("first-day", "2024-01-11"), attack("day-before", "2024-01-10", reported="2024-01-21"))

    assert analyst.escalation(to="2024-01-20", known_on="2024-01-20", window=10)["trend"] == "escalating"
    assert analyst.escalation(to="2024-01-20", window=10)["trend"] == "stable"  # 2 on 11 Jan, 2 on 10 Jan


def test_an_act_on_the_last_day_of_the_previous_window_counts_there(analyst: Analyst) -> None:
    analyst.append(attack("day-before", "2024-01-10"))

    assert analyst.escalation(to="2024-01-20", window=10)["trend"] == "de-escalating"
    assert analyst.escalation(to="2024-01-20", window=10)["level"]["rung"] == 0


def test_datasettes_response_lags_leave_out_an_answered_act_after_the_valid_cut(analyst: Analyst) -> None:
    """The canned lags query listed a response to an act that had not yet happened at --to
    (a response dated to an interval that straddles the cut and ends after the act begins)."""
    from flashpoint.browse import LAGS, register_day

    analyst.append(
        attack("later", "2024-02-05", reported="2024-02-05"),
        attack("answer", "2024-02-01/2024-02-06", reported="2024-02-06", actor="United States", responds_to=["later"]),
    )

    def lags(to: str) -> list[str]:
        register_day(analyst.views.db.conn)
        return [row["response"] for row in analyst.views.db.query(LAGS, {"to": to, "known_on": ""})]

    assert [r["response"] for r in analyst.escalation(to="2024-02-03")["responses"]] == lags("2024-02-03") == []
    assert [r["response"] for r in analyst.escalation(to="2024-02-05")["responses"]] == lags("2024-02-05") == ["answer"]


def test_an_act_on_several_targets_lists_them_all_in_one_field(analyst: Analyst) -> None:
    analyst.append(attack("a", "2024-01-28", target=["Tower 22", "Al-Tanf garrison"]))

    [act] = analyst.escalation()["acts"]

    assert (act["target"], act["target_side"]) == ("Tower 22; Al-Tanf garrison", "us_coalition")


def test_an_act_with_no_target_named_is_listed_against_the_actors_it_hit(analyst: Analyst) -> None:
    analyst.append(
        attack(
            "a",
            "2024-01-28",
            target=None,
            target_actor=[
                {"name": "United States", "side": "us_coalition", "type": "state_forces"},
                {"name": "Jordan", "side": "host_nation", "type": "state_forces"},
            ],
        )
    )

    [act] = analyst.escalation()["acts"]

    assert (act["target"], act["target_side"]) == ("United States; Jordan", "us_coalition")


def test_a_threat_stated_as_such_is_the_first_rung(analyst: Analyst) -> None:
    analyst.append(statement("warning", "threat", "2024-02-03"))

    picture = analyst.escalation()

    assert [(row["id"], row["stance"], row["rung"]) for row in picture["statements"]] == [("warning", "threat", 1)]
    assert picture["level"] == {"rung": 1, "name": "threats"}


# -- the SQL summary at the window edges (found by mutation testing: docs/mutation.md)


def summary(analyst: Analyst, to: str | None = None, known_on: str | None = None, window: int = 30) -> dict[str, Any]:
    from flashpoint.projections.escalation import escalation_summary

    analyst.views.catch_up(analyst.app)
    return escalation_summary(analyst.views.db, cut(to, known_on, window))


def test_the_summary_counts_an_act_on_the_last_day_of_the_previous_window_there(analyst: Analyst) -> None:
    analyst.append(attack("day-before", "2024-01-10"))

    assert summary(analyst, to="2024-01-20", window=10)["trend"] == "de-escalating"
    assert summary(analyst, to="2024-01-19", window=10)["trend"] == "escalating"


def test_the_summary_on_the_first_days_of_the_calendar_has_no_window_before_them(analyst: Analyst) -> None:
    analyst.app.append([filed_before_the_date_range(attack("day-one", "2024-01-28"), "0001-01-01")])

    assert summary(analyst, to="0001-01-01", window=30) == {
        "cut": {"to": "0001-01-01", "known_on": None, "window": 30, "level_date": "0001-01-01"},
        "level": {"rung": 2, "name": "harassment"},
        "trend": "escalating",
        "cycles": 0,
    }


def test_the_summary_of_an_empty_log_is_calm_and_stable_with_no_level_day(analyst: Analyst) -> None:
    assert summary(analyst) == {
        "cut": {"to": None, "known_on": None, "window": 30, "level_date": None},
        "level": {"rung": 0, "name": "calm"},
        "trend": "stable",
        "cycles": 0,
    }


def test_a_window_outside_one_day_to_ten_years_is_refused_saying_so() -> None:
    import pytest

    for window in (0, -1, 3661, 2.5, True, "30"):
        with pytest.raises(ValueError) as refused:
            cut(window=window)  # type: ignore[arg-type]
        assert str(refused.value) == f"window: {window!r} is not a whole number of days in 1..3660"
    assert cut(window=1).window == 1
    assert cut(window=3660).window == 3660


def test_the_acts_table_lists_the_actors_hit_and_the_countries_in_one_cell_each(analyst: Analyst) -> None:
    analyst.append(
        attack(
            "a",
            "2024-01-28",
            country=["Syria", "Iraq"],
            target_actor=[
                {"name": "United States", "side": "us_coalition", "type": "state_forces"},
                {"name": "Jordan", "side": "host_nation", "type": "state_forces"},
            ],
        )
    )
    analyst.views.catch_up(analyst.app)

    [row] = analyst.views.db.query("SELECT target_actor, country FROM acts")

    assert row == {"target_actor": "United States; Jordan", "country": "Syria; Iraq"}


def test_a_replay_keeps_each_act_s_place_as_numbers(analyst: Analyst, tmp_path: Path) -> None:
    analyst.append(
        attack("unplaced", "2024-01-27"),
        attack("tower-22", "2024-01-28", lat=33.3217, lon=38.7756, geo_precision=1),
    )

    analyst.escalation(to="2024-02-01")  # caught up
    for to in ("2024-01-27", "2024-02-01"):  # no act placed yet, then one
        write_replay(analyst.views.db, cut(to), tmp_path / f"{to}.db")

    for to in ("2024-01-27", "2024-02-01"):
        with sqlite3.connect(tmp_path / f"{to}.db") as replay:
            types = {name: kind for _, name, kind, *_ in replay.execute("PRAGMA table_info(acts)")}
        assert (types["lat"], types["lon"], types["geo_precision"]) == ("REAL", "REAL", "INTEGER")
    with sqlite3.connect(tmp_path / "2024-02-01.db") as replay:
        rows = replay.execute("SELECT id, lat, lon, geo_precision FROM acts ORDER BY occurred_from").fetchall()
    assert rows == [("unplaced", None, None, None), ("tower-22", 33.3217, 38.7756, 1)]
