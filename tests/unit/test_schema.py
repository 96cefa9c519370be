"""The published JSON Schema and the parser describe the same contract."""

import re
from datetime import date, timedelta
from importlib import resources
from typing import Any

import jsonschema
import pytest
from flashpoint.domain import InvalidValue, parse_report
from flashpoint.domain.contract import DAY_PATTERN, MONTH_PATTERN, YEAR, whole
from flashpoint.domain.dates import EARLIEST_DAY, LATEST_DAY
from flashpoint.reports.schema import report_file_schema

from ..conftest import drone_attack


def validator() -> jsonschema.Draft202012Validator:
    """The published schema's validator, built when a test runs (mutation runs judge each
    mutant of a ``json_schema`` method by the tests that call it; a validator built at import
    would hold the unmutated schema)."""
    return jsonschema.Draft202012Validator(report_file_schema())


def test_the_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(report_file_schema())


def test_the_seed_reports_satisfy_the_schema() -> None:
    text = resources.files("flashpoint").joinpath("seed/seed.yaml").read_text()
    seed = _seed_as_text(text)

    assert validator().is_valid(seed), list(validator().iter_errors(seed))[:1]


def _seed_as_text(text: str) -> Any:
    from flashpoint.reports.files import decode

    return decode(text, "seed", as_json=False)


GOOD = [
    drone_attack(),
    drone_attack(occurred="2024-01", damage="minor", lat=32.2, lon=38.9),
    {"id": "s", "kind": "statement", "stance": "threat", "reported": "2024-01-29", "actor": "KH"},
    {
        "id": "c",
        "kind": "casualty_report",
        "reported": "2024-01-29",
        "incident": "drone-1",
        "casualties": [{"party": "us_military", "killed": 3, "source": "CENTCOM"}],
    },
    drone_attack(occurred="1900-01-01", reported="1900-01-01"),
    drone_attack(occurred="2099-12-31", reported="2099-12-31"),
    drone_attack(occurred="1900-01", reported="2099-12-31"),
    drone_attack(occurred="1900-01-01/2099-12-31", reported="2099-12-31"),
    drone_attack(lat=90, lon=-180),  # the bounds are coordinates too
    drone_attack(lat=-90, lon=180),
]
BAD = [
    drone_attack(damge="minor"),
    drone_attack(kind="ied"),
    drone_attack(occurred=None),
    {**drone_attack(), "stance": "threat"},
    {"id": "s", "kind": "statement", "reported": "2024-01-29"},
    drone_attack(casualties=[{"party": "militants", "killed": 1}]),
    drone_attack(casualties=[{"party": "militia", "killed": -1}]),
    drone_attack(id="Bad Id"),
    drone_attack(occurred="1899-12-31"),
    drone_attack(occurred="1899-12"),
    drone_attack(occurred="0001-01-01/2024-01-28"),
    drone_attack(occurred="2099-12-31", reported="2100-01-01"),
    drone_attack(occurred="2099-12-31/2100-01-01", reported="2100-01-01"),
    drone_attack(occurred="2100-01", reported="2100-01-31"),
    drone_attack(lat=-90.5, lon=40),
    drone_attack(lat=33.3, lon=-181),
]


@pytest.mark.parametrize("report", GOOD)
def test_what_the_parser_accepts_the_schema_accepts(report: dict[str, Any]) -> None:
    parse_report(report)

    assert validator().is_valid(report)


@pytest.mark.parametrize("report", BAD)
def test_what_the_schema_refuses_the_parser_refuses(report: dict[str, Any]) -> None:
    assert not validator().is_valid(report)

    with pytest.raises(InvalidValue):
        parse_report(report)


def test_the_schemas_year_pattern_spells_the_range_of_the_parser() -> None:
    years = range(10_000)

    stated = [year for year in years if re.fullmatch(YEAR, f"{year:04d}")]

    assert stated == list(range(EARLIEST_DAY.year, LATEST_DAY.year + 1))


def test_the_schemas_day_pattern_is_the_calendar() -> None:
    start, end = date(1899, 1, 1), date(2100, 12, 31)
    real = {start + timedelta(days=offset) for offset in range((end - start).days + 1)}
    spelled = (
        f"{year:04d}-{month:02d}-{day:02d}" for year in range(1899, 2101) for month in range(14) for day in range(33)
    )

    stated = {text for text in spelled if re.fullmatch(DAY_PATTERN, text)}

    assert stated == {day.isoformat() for day in real if EARLIEST_DAY <= day <= LATEST_DAY}


def test_the_schemas_month_pattern_is_the_calendar() -> None:
    spelled = (f"{year:04d}-{month:02d}" for year in range(1899, 2101) for month in range(100))

    stated = [text for text in spelled if re.fullmatch(MONTH_PATTERN, text)]

    assert stated == [f"{year}-{month:02d}" for year in range(1900, 2100) for month in range(1, 13)]


@pytest.mark.parametrize("text", ["tower-22\n", "tower-22\nx"])
def test_whole_patterns_refuse_a_final_newline_under_pythons_re_too(text: str) -> None:
    assert re.search(whole("[a-z0-9-]+"), "tower-22")
    assert not re.search(whole("[a-z0-9-]+"), text)


def test_the_schema_describes_actors_sources_and_the_acled_row_naming_their_keys() -> None:
    from flashpoint.domain.actors import ACTOR_FIELDS
    from flashpoint.domain.sources import SOURCE_KEYS

    report = report_file_schema()["$defs"]["report"]["properties"]
    actor = report["actor"]["anyOf"][1]["description"]
    source = report["sources"]["anyOf"][1]["items"]["description"]
    acled = report["acled"]["anyOf"][1]

    assert "{" + ", ".join(ACTOR_FIELDS) + "}" in actor
    assert "{" + ", ".join(SOURCE_KEYS) + "}" in source
    assert "flashpoint import acled" in acled["description"] and acled["type"] == "object"


def _contract_shapes() -> list[Any]:
    """Every field shape of the contract's tables, with the shapes inside them (list items, ids)."""
    from flashpoint.domain.actors import ACTOR_FIELDS
    from flashpoint.domain.claims import CLAIM_FIELDS
    from flashpoint.domain.contract import ReportId, Texts
    from flashpoint.domain.report import REPORT_FIELDS
    from flashpoint.domain.sources import SOURCE_FIELDS

    shapes = [*REPORT_FIELDS.values(), *CLAIM_FIELDS.values(), *SOURCE_FIELDS.values(), *ACTOR_FIELDS.values()]
    return [*shapes, Texts.ITEM, ReportId()]


def test_each_field_the_contract_describes_is_described_in_the_schema_and_no_other() -> None:
    described = 0
    for shape in _contract_shapes():
        declared = getattr(shape, "description", None)
        if not isinstance(declared, str):
            continue  # a shape that words its own description (actors, sources, claims, the ACLED row)
        schema = shape.json_schema()
        if declared:
            described += 1
            assert schema["description"].startswith(declared), (shape, schema)
        else:
            assert "description" not in schema, (shape, schema)
    assert described >= 20


def test_a_report_id_is_at_most_two_hundred_characters() -> None:
    from flashpoint.domain.contract import MAX_ID_LENGTH, is_report_id

    assert MAX_ID_LENGTH == 200
    assert is_report_id("a" * 200) and not is_report_id("a" * 201) and not is_report_id("Bad Id")
