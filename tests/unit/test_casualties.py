"""Casualty claims: supersession per source and figure, low/best/high, disputes, totals."""

from typing import Any

from ..conftest import Analyst, casualty_report, claim, drone_attack


def row(picture: dict[str, Any], incident: str, party: str) -> dict[str, Any]:
    [found] = [r for r in picture["incidents"] if r["incident"] == incident and r["party"] == party]
    return found


def figures(estimate: dict[str, Any]) -> tuple[Any, Any, Any]:
    return estimate["low"], estimate["best"], estimate["high"]


def test_the_seed_june_toll_is_disputed_between_four_and_at_least_five(analyst: Analyst) -> None:
    from flashpoint.cli import seed_path
    from flashpoint.reports.files import load

    analyst.app.append(load(seed_path()))

    june = row(analyst.casualties(), "us-strikes-2021-06-27", "militia")

    assert figures(june["killed"]) == (4, 4, 5)
    assert june["disputed"] is True
    assert figures(june["injured"]) == (None, None, None)


def test_a_sources_later_claim_supersedes_its_earlier_one_figure_by_figure(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("us_military", "Pentagon", killed=3, injured=25)]),
        casualty_report(
            "revision", "a", "2024-01-30", claim("us_military", "Pentagon", injured=40, qualifier="at_least")
        ),
    )

    now = row(analyst.casualties(), "a", "us_military")
    then = row(analyst.casualties(known_on="2024-01-29"), "a", "us_military")

    assert figures(now["injured"]) == (40, 40, 40) and figures(now["killed"]) == (3, 3, 3)
    assert figures(then["injured"]) == (25, 25, 25)
    assert now["disputed"] is False
    assert [s["current"] for s in now["sources"]] == [True, True]


def test_superseded_claims_are_listed_but_not_current(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("militia", "SOHR", killed=5)]),
        casualty_report("rev", "a", "2024-02-01", claim("militia", "SOHR", killed=7)),
    )

    sources = row(analyst.casualties(), "a", "militia")["sources"]

    assert [(s["killed"], s["current"]) for s in sources] == [(5, False), (7, True)]


def test_low_is_the_smallest_lower_bound_and_at_most_bounds_nothing(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("civilian", "ministry", killed=10, qualifier="approximately"),
                claim("civilian", "monitor", killed=6, qualifier="at_most"),
                claim("civilian", "hospital", killed=8, qualifier="at_least"),
            ],
        )
    )

    toll = row(analyst.casualties(), "a", "civilian")

    assert figures(toll["killed"]) == (0, 6, 10)
    assert toll["disputed"] is True


def test_unquantified_claims_count_as_one_only_where_no_figure_is_stated(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("vague", casualties=[claim("militia", "AP", killed="several", qualifier="unquantified")]),
        drone_attack(
            "mixed",
            casualties=[
                claim("militia", "AP", killed="several", qualifier="unquantified"),
                claim("militia", "officials", killed=4),
            ],
        ),
    )

    picture = analyst.casualties()

    assert figures(row(picture, "vague", "militia")["killed"]) == (1, 1, None)  # no source stated a high
    assert figures(row(picture, "mixed", "militia")["killed"]) == (4, 4, 4)


def test_not_assessed_gives_no_figure(analyst: Analyst) -> None:
    analyst.append(drone_attack("a", casualties=[claim("civilian", "defense official", qualifier="not_assessed")]))

    toll = row(analyst.casualties(), "a", "civilian")

    assert figures(toll["killed"]) == (None, None, None)
    assert toll["sources"][0]["current"] is True


def test_the_best_estimate_policy_is_selectable(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "one", killed=2),
                claim("militia", "two", killed=5),
                claim("militia", "three", killed=9),
            ],
        )
    )

    def best(policy: str) -> Any:
        return row(analyst.casualties(policy=policy), "a", "militia")["killed"]["best"]

    assert (best("conservative"), best("median"), best("high")) == (2, 5, 9)


def test_the_same_figure_from_two_sources_is_undisputed(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "one", killed=4),
                claim("militia", "two", killed=4, qualifier="at_least"),
            ],
        )
    )

    assert row(analyst.casualties(), "a", "militia")["disputed"] is False


def test_totals_add_up_per_party_and_side(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[claim("us_military", "CENTCOM", killed=3), claim("contractor", "CENTCOM", killed=1)],
        ),
        drone_attack(
            "b",
            occurred="2024-02-01",
            reported="2024-02-01",
            casualties=[claim("us_military", "CENTCOM", killed=1), claim("us_military", "militia", killed=4)],
        ),
    )

    picture = analyst.casualties()

    assert figures(picture["totals"]["us_military"]["killed"]) == (4, 4, 7)
    assert figures(picture["sides"]["us_coalition"]["killed"]) == (5, 5, 8)
    assert figures(picture["totals"]["us_military"]["injured"]) == (None, None, None)


def test_claims_follow_their_incident_through_the_valid_time_cut(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("jan", casualties=[claim("us_military", "CENTCOM", killed=3)]),
        drone_attack(
            "mar",
            occurred="2024-03-01",
            reported="2024-03-01",
            casualties=[claim("us_military", "CENTCOM", killed=1)],
        ),
    )

    assert [r["incident"] for r in analyst.casualties(to="2024-02-01")["incidents"]] == ["jan"]
    assert [r["incident"] for r in analyst.casualties(known_on="2024-01-01")["incidents"]] == []


# -- what each incident row and its sources say (found by a mutmut run over the rule modules) --


def test_an_incident_row_names_its_act_its_dates_and_the_partys_side(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            occurred="2024-01-27/2024-01-28",
            casualties=[claim("contractor", "CENTCOM", killed=1), claim("host_nation_forces", "ministry", injured=2)],
        )
    )

    picture = analyst.casualties(policy="median")
    contractor, host = row(picture, "a", "contractor"), row(picture, "a", "host_nation_forces")

    assert {key: contractor[key] for key in ("incident", "kind", "occurred_from", "occurred_to", "party", "side")} == {
        "incident": "a",
        "kind": "drone_attack",
        "occurred_from": "2024-01-27",
        "occurred_to": "2024-01-28",
        "party": "contractor",
        "side": "us_coalition",
    }
    assert host["side"] == "host_nation"
    assert picture["cut"] == {"to": None, "known_on": None, "window": 30, "policy": "median"}


def test_incidents_are_listed_in_order_of_occurrence_then_party(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "b-late", occurred="2024-02-01", reported="2024-02-01", casualties=[claim("militia", "AP", killed=1)]
        ),
        drone_attack(
            "c-early",
            occurred="2024-01-01",
            reported="2024-02-02",
            casualties=[claim("us_military", "CENTCOM", injured=1), claim("civilian", "ministry", killed=2)],
        ),
    )

    listed = [(r["incident"], r["party"]) for r in analyst.casualties()["incidents"]]

    assert listed == [("c-early", "civilian"), ("c-early", "us_military"), ("b-late", "militia")]


def test_an_unknown_policy_is_refused_naming_the_choices(analyst: Analyst) -> None:
    import pytest

    analyst.append(drone_attack("a"))

    with pytest.raises(ValueError) as refused:
        analyst.casualties(policy="mean")

    assert str(refused.value) == "unknown best-estimate policy 'mean'; choose from conservative, median, high"


def test_each_source_entry_shows_its_report_day_qualifier_and_figures(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "AP", killed="several", injured="a few", qualifier="unquantified"),
                claim("militia", "officials", killed=4, injured=2, qualifier="at_least"),
            ],
        )
    )

    sources = row(analyst.casualties(), "a", "militia")["sources"]

    assert sources == [
        {
            "source": "AP",
            "report": "a",
            "reported": "2024-01-28",
            "qualifier": "unquantified",
            "killed": "several",
            "injured": "a few",
            "current": True,
            **NO_PROVENANCE,
        },
        {
            "source": "officials",
            "report": "a",
            "reported": "2024-01-28",
            "qualifier": "at_least",
            "killed": 4,
            "injured": 2,
            "current": True,
            **NO_PROVENANCE,
        },
    ]


NO_PROVENANCE = dict.fromkeys(("url", "archived", "sha256", "title", "published", "language"))

SOHR = {
    "name": "Syrian Observatory for Human Rights",
    "via": "Associated Press",
    "url": "https://www.syriahr.com",
    "archived": "archive/sohr.html",
    "sha256": "AB" * 32,
    "title": "Five Iraqi fighters killed",
    "published": "2024-01-27",
    "language": "ar",
}


def test_each_source_entry_shows_the_provenance_of_the_claims_source(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[{"party": "militia", "killed": 5, "qualifier": "at_least", "source": SOHR}])
    )

    (entry,) = row(analyst.casualties(), "a", "militia")["sources"]

    assert entry["source"] == "Syrian Observatory for Human Rights via Associated Press"
    assert {key: entry[key] for key in NO_PROVENANCE} == {
        "url": "https://www.syriahr.com",
        "archived": "archive/sohr.html",
        "sha256": "ab" * 32,
        "title": "Five Iraqi fighters killed",
        "published": "2024-01-27",
        "language": "ar",
    }


def test_the_claims_table_holds_the_claims_source_provenance_in_its_own_columns(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                {"party": "militia", "killed": 5, "source": SOHR},
                {"party": "civilian", "killed": 1, "source": "medics"},
            ],
        )
    )
    analyst.views.catch_up(analyst.app)

    rows = list(
        analyst.views.db.query(
            "SELECT party, source_url, source_sha256, source_published, source_language FROM claims ORDER BY party"
        )
    )

    assert rows == [
        {
            "party": "civilian",
            "source_url": None,
            "source_sha256": None,
            "source_published": None,
            "source_language": None,
        },
        {
            "party": "militia",
            "source_url": "https://www.syriahr.com",
            "source_sha256": "ab" * 32,
            "source_published": "2024-01-27",
            "source_language": "ar",
        },
    ]


def test_datasette_describes_every_provenance_column_of_the_claims_table() -> None:
    from flashpoint.browse import metadata

    described = metadata("log.db")["databases"]["flashpoint"]["tables"]["claims"]["columns"]

    assert {f"source_{key}" for key in NO_PROVENANCE} <= set(described)


def test_a_claim_on_one_figure_stays_current_when_its_source_later_speaks_of_the_other(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("us_military", "Pentagon", killed=3)]),
        casualty_report("wounded", "a", "2024-01-30", claim("us_military", "Pentagon", injured=40)),
    )

    sources = row(analyst.casualties(), "a", "us_military")["sources"]

    assert [(s["killed"], s["injured"], s["current"]) for s in sources] == [(3, None, True), (None, 40, True)]


def test_a_not_assessed_claim_stands_until_its_own_source_says_more(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("civilian", "defense official", qualifier="not_assessed")]),
        casualty_report("hospital", "a", "2024-01-29", claim("civilian", "hospital", killed=3)),
        casualty_report("official", "a", "2024-01-30", claim("civilian", "defense official", killed=2)),
    )

    def current(known_on: str) -> list[tuple[str, bool]]:
        sources = row(analyst.casualties(known_on=known_on), "a", "civilian")["sources"]
        return [(s["source"], s["current"]) for s in sources]

    assert current("2024-01-29") == [("defense official", True), ("hospital", True)]
    assert current("2024-01-30") == [("defense official", False), ("hospital", True), ("defense official", True)]


def test_datasettes_disputed_tolls_give_the_clis_figures_and_hedges(analyst: Analyst) -> None:
    """Datasette called the smallest figure "low" (4, where the CLI says 0 for "at most 10")
    and dropped "at least" from the claims' text."""
    from flashpoint.browse import DISPUTED, register_day

    analyst.append(
        drone_attack(
            "a",
            occurred="2024-01-28",
            reported="2024-01-28",
            casualties=[
                claim("us_military", "CENTCOM", killed=4),
                claim("us_military", "AP", killed=10, qualifier="at_most"),
                claim("us_military", "SOHR", injured=34, qualifier="at_least"),
                claim("us_military", "Reuters", injured=40),
            ],
        )
    )
    [entry] = analyst.casualties()["incidents"]  # (catches the read models up)
    register_day(analyst.views.db.conn)
    [row] = analyst.views.db.query(DISPUTED, {"to": "", "known_on": ""})

    assert (row["killed_low"], row["killed_best"], row["killed_high"]) == (0, 4, 10)
    assert [row[f"killed_{bound}"] for bound in ("low", "best", "high")] == list(entry["killed"].values())
    assert [row[f"injured_{bound}"] for bound in ("low", "best", "high")] == list(entry["injured"].values())
    assert row["claims"] == "CENTCOM: 4 killed | AP: ≤10 killed | SOHR: ≥34 injured | Reuters: 40 injured"


def test_harm_in_sql_is_a_number_above_zero_or_a_word(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "AP", killed=0),
                claim("civilian", "AP", killed=2),
                claim("us_military", "CENTCOM", killed="several", qualifier="unquantified"),
                claim("contractor", "CENTCOM", injured=1),
            ],
        )
    )
    analyst.views.catch_up(analyst.app)

    harmed = {
        row["party"]
        for row in analyst.views.db.query(
            "SELECT party FROM claims c JOIN claim_spans s ON s.position = c.position "
            "WHERE s.which = 'killed' AND s.harm"
        )
    }

    assert harmed == {"civilian", "us_military"}


# -- ranges -------------------------------------------------------------------------------------


def test_a_range_gives_low_its_from_high_its_to_and_the_conservative_best_its_from(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "two militia officials", killed={"from": 4, "to": 7}),
                claim("militia", "SOHR", killed=5, qualifier="at_least"),
            ],
        )
    )

    def killed(policy: str) -> dict[str, Any]:
        return row(analyst.casualties(policy=policy), "a", "militia")["killed"]

    assert figures(killed("conservative")) == (4, 4, 7)
    assert killed("median")["best"] == 5  # the lower median of 5 (4 to 7's midpoint, rounded down) and 5
    assert killed("high")["best"] == 7
    assert row(analyst.casualties(), "a", "militia")["disputed"] is True


def test_the_sources_show_a_range_as_from_and_to_and_numbers_as_before(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "officials", killed={"from": 4, "to": 7}, injured={"from": 0, "to": 2}),
                claim("militia", "AP", killed=4),
                claim("militia", "medics", injured="several", qualifier="unquantified"),
            ],
        )
    )

    sources = row(analyst.casualties(), "a", "militia")["sources"]

    assert [(s["qualifier"], s["killed"], s["injured"]) for s in sources] == [
        ("between", {"from": 4, "to": 7}, {"from": 0, "to": 2}),
        ("exact", 4, None),
        ("unquantified", None, "several"),
    ]


def test_a_range_from_n_to_n_answers_as_exact_n(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("militia", "officials", killed={"from": 4, "to": 4})]),
        drone_attack("b", casualties=[claim("militia", "officials", killed=4)]),
        casualty_report("a-ap", "a", "2024-01-29", claim("militia", "AP", killed=4)),
        casualty_report("b-ap", "b", "2024-01-29", claim("militia", "AP", killed=4)),
    )
    picture = analyst.casualties()

    ranged, exact = row(picture, "a", "militia"), row(picture, "b", "militia")

    assert (
        (ranged["killed"], ranged["disputed"])
        == (exact["killed"], exact["disputed"])
        == (
            {"low": 4, "best": 4, "high": 4},
            False,
        )
    )


def test_a_sources_later_range_supersedes_its_number_on_that_figure_only(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("militia", "SOHR", killed=3, injured=10)]),
        casualty_report("rev", "a", "2024-02-01", claim("militia", "SOHR", killed={"from": 5, "to": 9})),
    )

    now, then = (
        row(analyst.casualties(), "a", "militia"),
        row(analyst.casualties(known_on="2024-01-31"), "a", "militia"),
    )

    assert figures(now["killed"]) == (5, 5, 9) and figures(then["killed"]) == (3, 3, 3)
    assert figures(now["injured"]) == (10, 10, 10)
    assert [s["current"] for s in now["sources"]] == [True, True]


def test_datasette_gives_a_ranges_figures_and_reads_it_4_to_7(analyst: Analyst) -> None:
    from flashpoint.browse import DISPUTED, register_day

    analyst.append(
        drone_attack(
            "a",
            casualties=[
                claim("militia", "officials", killed={"from": 4, "to": 7}),
                claim("militia", "AP", killed={"from": 4, "to": 9}),  # the same from: disputed by its to
            ],
        )
    )
    [entry] = analyst.casualties()["incidents"]
    register_day(analyst.views.db.conn)
    [found] = analyst.views.db.query(DISPUTED, {"to": "", "known_on": ""})

    assert (
        [found[f"killed_{bound}"] for bound in ("low", "best", "high")] == [4, 4, 9] == list(entry["killed"].values())
    )
    assert found["claims"] == "officials: 4 to 7 killed | AP: 4 to 9 killed"


def test_a_range_from_zero_reports_deaths_when_its_to_is_above_zero(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("militia", "AP", killed={"from": 0, "to": 2})]),
        drone_attack("b", casualties=[claim("militia", "AP", killed={"from": 0, "to": 0})]),
    )

    rungs = {act["id"]: act["rung"] for act in analyst.escalation()["acts"]}
    harmed = {
        row["incident"]
        for row in analyst.views.db.query("SELECT incident FROM claim_spans WHERE which = 'killed' AND harm")
    }

    assert (rungs["a"], rungs["b"]) == (5, 2)
    assert harmed == {"a"}


def test_the_claims_table_keeps_a_ranges_ends(analyst: Analyst) -> None:
    analyst.append(
        drone_attack(
            "a", casualties=[claim("militia", "AP", killed={"from": 4, "to": 7}), claim("militia", "SOHR", injured=2)]
        )
    )
    analyst.views.catch_up(analyst.app)

    stored = list(analyst.views.db.query("SELECT killed, killed_to, injured, injured_to FROM claims ORDER BY position"))

    assert stored == [
        {"killed": 4, "killed_to": 7, "injured": None, "injured_to": None},
        {"killed": None, "killed_to": None, "injured": 2, "injured_to": None},
    ]


def test_datasette_describes_every_column_of_the_claims_table_a_ranges_to_among_them(analyst: Analyst) -> None:
    from flashpoint.browse import DATABASE, metadata

    analyst.views.catch_up(analyst.app)
    columns = set(analyst.views.db.table("claims").columns_dict)
    described = metadata("log.db")["databases"][DATABASE]["tables"]["claims"]["columns"]

    assert {"killed_to", "injured_to"} <= columns
    assert columns - {"position", "source_key"} <= set(described)
    assert "range's to" in described["killed_to"] and "between" in described["qualifier"]


def test_an_acts_totals_sum_its_parties_each_figure_bound_by_bound(analyst: Analyst) -> None:
    from flashpoint.projections.casualties import act_totals

    analyst.append(
        drone_attack(
            "two-parties",
            casualties=[
                claim("us_military", "Pentagon", killed=3, injured=25),
                claim("civilian", "ministry", killed=2),
                claim("civilian", "monitor", killed=4),
            ],
        ),
        drone_attack(
            "open-above",
            occurred="2024-01-29",
            reported="2024-01-29",
            casualties=[claim("militia", "SOHR", killed="several", qualifier="unquantified")],
        ),
        drone_attack("unhurt", occurred="2024-01-30", reported="2024-01-30"),
    )

    totals = act_totals(analyst.casualties())

    assert list(totals) == ["two-parties", "open-above"]  # one entry per act a party was hurt in
    assert figures(totals["two-parties"]["killed"]) == (5, 5, 7)  # 3 + (2 to 4, best 2)
    assert figures(totals["two-parties"]["injured"]) == (25, 25, 25)  # the civilians' no figure adds nothing
    assert figures(totals["open-above"]["killed"]) == (1, 1, None)  # a word: one at least, no high
    assert figures(totals["open-above"]["injured"]) == (None, None, None)
