"""UCDP GED's rows read as flashpoint reads them: names, scope, who acted, deaths, dates (flashpoint.reports.ucdp)."""

from __future__ import annotations

import pytest
from flashpoint.domain import InvalidValue
from flashpoint.domain.dates import Occurred
from flashpoint.domain.external import UCDP_COLUMNS, parse_ucdp_record, ucdp_cells
from flashpoint.domain.vocabulary import ReportKind
from flashpoint.reports.acled import Row
from flashpoint.reports.files import BadReport
from flashpoint.reports.ucdp import act_of, actor_of, claims_of, occurred_of, out_of_scope

US = {"name": "United States", "side": "us_coalition", "type": "state_forces"}
KH = {"name": "Kata'ib Hezbollah", "side": "iran_aligned", "type": "militia"}
UNKNOWN = {"name": "unknown", "side": "unknown", "type": "unknown"}
IS = {"name": "IS", "side": "other", "type": "militia"}


def ged(**cells: str) -> Row:
    return Row(cells, 2, "sample.csv", id_column="relid")


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Government of United States of America", US),
        ("Kata'ib Hizbullah", KH),
        ("Kataib Hizballah", KH),
        ("Harakat Hizbullah al-Nujaba", KH | {"name": "Harakat Hezbollah al-Nujaba"}),
        ("Asa'ib Ahl al-Haqq", KH | {"name": "Asa'ib Ahl al-Haq"}),
        ("Government of Iraq", {"name": "Iraq", "side": "host_nation", "type": "state_forces"}),
        ("Government of Iran", {"name": "Iran", "side": "iran_aligned", "type": "state_forces"}),
        ("Government of France", {"name": "France", "side": "us_coalition", "type": "state_forces"}),
        ("Government of Turkey", {"name": "Turkey", "side": "other", "type": "state_forces"}),
        ("IS", IS),
        ("Saraya Awliya al-Dam", {"name": "Saraya Awliya al-Dam", "side": "other", "type": "militia"}),
        ("Civilians", {"name": "Civilians", "side": "other", "type": "civilians"}),
        ("Unidentified armed group", UNKNOWN),
    ],
)
def test_ucdps_names_fold_onto_flashpoints_actors(name: str, actor: dict[str, str]) -> None:
    assert actor_of(ged(side_a=name, country="Iraq"), "side_a") == actor


@pytest.mark.parametrize(
    ("side_a", "side_b", "reason"),
    [
        (US, KH, None),
        (KH, US, None),
        (US, UNKNOWN, None),
        (UNKNOWN, KH, None),
        (US, IS, "not US/coalition against Iran-aligned"),
        (KH, {"name": "Civilians", "side": "other", "type": "civilians"}, "not US/coalition against Iran-aligned"),
        (IS, {"name": "SDF", "side": "other", "type": "militia"}, "neither side US/coalition nor Iran-aligned"),
        (UNKNOWN, UNKNOWN, "neither side US/coalition nor Iran-aligned"),
    ],
)
def test_only_dyads_of_the_two_camps_are_in_scope(
    side_a: dict[str, str], side_b: dict[str, str], reason: str | None
) -> None:
    assert out_of_scope(side_a, side_b) == reason


DEATHLESS = {"deaths_a": "0", "deaths_b": "0"}


@pytest.mark.parametrize(
    ("headline", "deaths", "act"),
    [
        ("US air strikes hit militia sites", DEATHLESS, (ReportKind.AIRSTRIKE, "a")),
        ("Warplanes bomb weapons depots", DEATHLESS, (ReportKind.AIRSTRIKE, "a")),
        ("Rockets hit Iraqi base near Kirkuk", DEATHLESS, (ReportKind.ROCKET_ATTACK, "b")),
        ("Roadside bomb hits a logistics convoy", DEATHLESS, (ReportKind.EXPLOSIVE_ATTACK, "b")),
        ("Drone strike on US outpost kills three", {"deaths_a": "3", "deaths_b": "0"}, (ReportKind.DRONE_ATTACK, "b")),
        ("US drone strike kills militia commander", {"deaths_a": "0", "deaths_b": "2"}, (ReportKind.AIRSTRIKE, "a")),
        ("Drone attacks on US positions", {"deaths_a": "1", "deaths_b": "2"}, (ReportKind.DRONE_ATTACK, "b")),
        ("Ballistic missile attack on Erbil", DEATHLESS, (ReportKind.MISSILE_ATTACK, "b")),
        ("Gunfight at a checkpoint", DEATHLESS, None),
        ("Fighters stormed the prison", DEATHLESS, None),  # "bombed" would count; "stormed" does not
    ],
)
def test_the_headline_and_the_deaths_decide_who_acted_and_how(
    headline: str, deaths: dict[str, str], act: tuple[ReportKind, str] | None
) -> None:
    assert act_of(ged(source_headline=headline, **deaths), US, KH) == act


def test_with_no_state_on_either_side_side_a_acts() -> None:
    assert act_of(ged(source_headline="Rocket attack", **DEATHLESS), UNKNOWN, KH) == (ReportKind.ROCKET_ATTACK, "a")


def deaths(a: int, b: int, civilians: int, unknown: int, low: int, best: int, high: int) -> Row:
    figures = zip(
        ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high"),
        (a, b, civilians, unknown, low, best, high),
        strict=True,
    )
    return ged(**{column: str(number) for column, number in figures})


def test_the_sides_always_get_a_claim_the_others_when_they_lost_people() -> None:
    assert claims_of(deaths(3, 0, 0, 0, 3, 3, 3), US, KH) == [
        {"party": "us_military", "killed": 3, "qualifier": "exact"},
        {"party": "militia", "killed": 0, "qualifier": "exact"},
    ]


def test_what_high_allows_above_best_is_a_range_on_the_unknown_party() -> None:
    claims = claims_of(deaths(0, 3, 1, 2, 5, 6, 9), US, KH)

    assert claims[-1] == {"party": "unknown", "killed": {"from": 2, "to": 5}, "qualifier": "between"}
    assert [claim["party"] for claim in claims] == ["us_military", "militia", "civilian", "unknown"]


def test_an_event_whose_best_is_zero_is_lethal_only_in_its_high() -> None:
    claims = claims_of(deaths(0, 0, 0, 0, 0, 0, 2), US, KH)

    assert claims[-1] == {"party": "unknown", "killed": {"from": 0, "to": 2}, "qualifier": "between"}


def test_two_sides_of_one_party_add_up() -> None:
    claims = claims_of(deaths(2, 1, 0, 0, 3, 3, 3), KH, {"name": "Nujaba", "side": "iran_aligned", "type": "militia"})

    assert claims == [{"party": "militia", "killed": 3, "qualifier": "exact"}]


@pytest.mark.parametrize(
    ("figures", "column"),
    [((1, 1, 0, 0, 2, 3, 3), "best"), ((1, 1, 0, 0, 3, 2, 2), "low"), ((1, 1, 0, 0, 2, 2, 1), "high")],
)
def test_estimates_that_do_not_hold_together_are_refused(figures: tuple[int, ...], column: str) -> None:
    with pytest.raises(BadReport) as refused:
        claims_of(deaths(*figures), US, KH)

    assert f": {column}: " in str(refused.value)


@pytest.mark.parametrize(
    ("start", "end", "precision", "text"),
    [
        ("2020-01-03", "2020-01-03", "1", "2020-01-03"),
        ("2020-03-12", "2020-03-13", "2", "2020-03-12/2020-03-13"),
        ("2022-01-20", "2022-01-26", "3", "2022-01-20/2022-01-26"),
        ("2023-11-01", "2023-11-30", "4", "2023-11"),
        ("2024-02-01", "2024-02-29", "4", "2024-02"),
        ("2023-11-05", "2023-12-04", "4", "2023-11-05/2023-12-04"),
        ("2023-11-01", "2023-11-30", "3", "2023-11-01/2023-11-30"),
        ("2019-01-01", "2019-12-31", "5", "2019-01-01/2019-12-31"),
    ],
)
def test_date_start_and_date_end_are_the_occurrence(start: str, end: str, precision: str, text: str) -> None:
    occurred = occurred_of(ged(date_start=start, date_end=end, date_prec=precision, year=start[:4]))

    assert occurred == Occurred.parse(text) and occurred.text() == text


def test_a_ucdp_record_is_kept_column_for_column_and_refused_naming_the_column() -> None:
    record = {"relid": "IRQ-2019-1-420-4", "best": "25"}

    assert parse_ucdp_record(record) == record
    assert list(ucdp_cells(record)) == list(UCDP_COLUMNS) and ucdp_cells(record)["low"] == ""
    with pytest.raises(InvalidValue) as refused:
        parse_ucdp_record({"id": "283160"})
    assert (refused.value.field, refused.value.message) == ("ucdp.relid", "required: the UCDP event id (relid)")
