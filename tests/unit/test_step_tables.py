"""How the step library reads report tables (the ``these reports are appended`` shorthand)."""

import pytest
from flashpoint.domain import InvalidValue, parse_report
from flashpoint.steps import report_from_row, table_rows


def test_a_row_becomes_a_report_in_the_file_contract() -> None:
    row = {
        "id": "strike-1",
        "kind": "airstrike",
        "occurred": "2024-02-02",
        "reported": "2024-02-03",
        "actor": "United States",
        "side": "us_coalition",
        "actor_type": "state_forces",
        "target": "Al Qaim; Akashat",
        "target_side": "iran_aligned",
        "target_type": "militia",
        "country": "Iraq;Syria",
        "responds_to": "drone-1",
        "party": "militia",
        "killed": "16",
        "source": "Iraqi government",
    }

    report = report_from_row(row)

    assert report["actor"] == {"name": "United States", "side": "us_coalition", "type": "state_forces"}
    assert report["target"] == ["Al Qaim", "Akashat"]
    assert report["target_actor"] == {"name": "Al Qaim", "side": "iran_aligned", "type": "militia"}
    assert report["country"] == ["Iraq", "Syria"]
    assert report["casualties"] == [{"party": "militia", "killed": 16, "source": "Iraqi government"}]
    assert parse_report(report).casualties[0].killed == 16


def test_empty_cells_are_absent() -> None:
    report = report_from_row(
        {
            "id": "a",
            "kind": "drone_attack",
            "occurred": "2024-01-01",
            "reported": "2024-01-01",
            "damage": "",
            "party": "",
            "stance": "  ",
        }
    )

    assert report == {"id": "a", "kind": "drone_attack", "occurred": "2024-01-01", "reported": "2024-01-01"}


def test_semicolons_give_several_claims_and_words_stay_words() -> None:
    report = report_from_row(
        {
            "id": "a",
            "kind": "casualty_report",
            "reported": "2024-01-02",
            "incident": "x",
            "party": "militia;civilian",
            "killed": "4;several",
            "qualifier": "exact;unquantified",
            "source": "officials",
        }
    )

    assert report["casualties"] == [
        {"party": "militia", "killed": 4, "qualifier": "exact", "source": "officials"},
        {"party": "civilian", "killed": "several", "qualifier": "unquantified", "source": "officials"},
    ]


def test_a_claim_without_party_or_source_still_counts() -> None:
    report = report_from_row(
        {"id": "a", "kind": "casualty_report", "reported": "2024-01-02", "incident": "x", "killed": "2"}
    )

    assert report["casualties"] == [{"party": "unknown", "source": "unspecified source", "killed": 2}]


def test_columns_outside_the_shorthand_reach_the_contract_as_keys() -> None:
    report = report_from_row(
        {"id": "a", "kind": "drone_attack", "occurred": "2024-01-01", "reported": "2024-01-01", "weapon": "Shahed-136"}
    )

    assert report["weapon"] == "Shahed-136"


def test_unknown_columns_reach_the_contract_and_are_refused() -> None:

    report = report_from_row(
        {"id": "a", "kind": "drone_attack", "occurred": "2024-01-01", "reported": "2024-01-01", "wepaon": "Shahed-136"}
    )

    with pytest.raises(InvalidValue, match="wepaon: unknown key \\(did you mean 'weapon'\\?\\)"):
        parse_report(report)


def test_table_rows_pair_the_header_with_each_row() -> None:
    assert table_rows([["id", "kind"], ["a", "drone_attack"], ["b", "airstrike"]]) == [
        {"id": "a", "kind": "drone_attack"},
        {"id": "b", "kind": "airstrike"},
    ]


def test_a_row_may_be_a_retraction_or_a_merge_its_ids_separated_by_semicolons() -> None:
    rows = table_rows(
        [
            ["id", "kind", "reported", "retracts", "merges", "into", "source"],
            ["r-1", "retraction", "2024-01-30", "toll-1; claim-2", "", "", "analyst desk"],
            ["m-1", "merge", "2024-01-30", "", "drone-1b;drone-1c", "drone-1", ""],
        ]
    )

    retracting, merging = (parse_report(report_from_row(row)) for row in rows)

    assert (retracting.retracts, retracting.sources[0].name) == (("toll-1", "claim-2"), "analyst desk")
    assert (merging.merges, merging.into) == (("drone-1b", "drone-1c"), "drone-1")


@pytest.mark.parametrize("cell", ["4 to 7", "4-7", "4 - 7"])
def test_a_killed_or_injured_cell_may_state_a_range(cell: str) -> None:
    row = {"id": "a", "kind": "casualty_report", "reported": "2024-01-02", "incident": "x", "party": "militia"}

    report = report_from_row(row | {"injured": cell, "qualifier": "between", "source": "officials"})

    assert report["casualties"] == [
        {"party": "militia", "injured": {"from": 4, "to": 7}, "qualifier": "between", "source": "officials"}
    ]
    assert parse_report(report).casualties[0].injured.as_dict() == {"from": 4, "to": 7}  # type: ignore[union-attr]


def test_a_reversed_range_cell_is_refused_by_the_contract_naming_its_end() -> None:
    row = {"id": "a", "kind": "casualty_report", "reported": "2024-01-02", "incident": "x", "killed": "7 to 4"}

    with pytest.raises(InvalidValue) as refused:
        parse_report(report_from_row(row))

    assert refused.value.field == "casualties[0].killed.from"
