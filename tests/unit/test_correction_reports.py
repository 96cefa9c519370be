"""Retractions and merges as the contract reads them: their own fields only, each id once, none naming itself."""

from datetime import date
from typing import Any

import pytest
from flashpoint.domain import InvalidValue, Occurred, ReportKind, parse_report
from flashpoint.domain.errors import InvalidReport

from ..conftest import drone_attack, merge, retraction


def test_a_retraction_names_the_reports_it_withdraws_and_happens_when_reported() -> None:
    report = parse_report(retraction("r-1", "drone-1", "toll-1", notes="a fabrication"))

    assert report.kind is ReportKind.RETRACTION
    assert report.retracts == ("drone-1", "toll-1")
    assert report.corrected == ("drone-1", "toll-1")
    assert report.envelope().occurred == Occurred.on(date(2024, 1, 30))


def test_a_merge_names_the_acts_it_merges_and_the_act_they_become() -> None:
    report = parse_report(merge("m-1", ["drone-1b", "drone-1c"], "drone-1"))

    assert report.kind is ReportKind.MERGE
    assert (report.merges, report.into) == (("drone-1b", "drone-1c"), "drone-1")
    assert report.corrected == ("drone-1b", "drone-1c", "drone-1")
    assert report.envelope().occurred == Occurred.on(date(2024, 1, 30))


def test_one_id_may_be_written_without_a_list() -> None:
    assert parse_report(retraction("r-1") | {"retracts": "drone-1"}).retracts == ("drone-1",)


@pytest.mark.parametrize(
    ("document", "field", "fragment"),
    [
        (retraction("r-1"), "retracts", "at least one report id"),
        (retraction("r-1") | {"retracts": None}, "retracts", "required for a retraction"),
        (retraction("r-1", "a", "b", "a"), "retracts[2]", "'a' is named twice"),
        (retraction("r-1", "r-1"), "retracts", "cannot retract itself"),
        (retraction("r-1", "a", into="b"), "into", "only merges have into"),
        (retraction("r-1", "a", merges=["b"]), "merges", "only merges merge acts"),
        (merge("m-1", ["a"], "b", retracts=["c"]), "retracts", "only retractions retract reports"),
        (merge("m-1", [], "b"), "merges", "at least one report id"),
        (merge("m-1", ["a"], "b") | {"into": None}, "into", "required for a merge"),
        (merge("m-1", ["a", "b"], "b"), "into", "'b' is among merges"),
        (merge("m-1", ["m-1"], "b"), "merges", "cannot merge itself"),
        (merge("m-1", ["a"], "m-1"), "into", "cannot merge into itself"),
        (merge("m-1", ["a", "a"], "b"), "merges[1]", "'a' is named twice"),
        (drone_attack(retracts=["a"]), "retracts", "only retractions"),
        (drone_attack(into="a"), "into", "only merges"),
    ],
)
def test_a_correction_that_breaks_a_rule_is_refused_naming_the_field(
    document: dict[str, Any], field: str, fragment: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(document)

    assert (refused.value.field, fragment in refused.value.message) == (field, True), refused.value


@pytest.mark.parametrize(
    ("document", "allowed"),
    [
        (retraction("r-1", "a"), "id, kind, reported, retracts, sources, notes"),
        (merge("m-1", ["a"], "b"), "id, kind, reported, merges, into, sources, notes"),
    ],
)
def test_a_correction_refuses_every_other_field_naming_each(document: dict[str, Any], allowed: str) -> None:
    with pytest.raises(InvalidReport) as refused:
        parse_report(document | {"occurred": "2024-01-29", "place": " ", "casualties": []})

    assert [error.field for error in refused.value.errors] == ["occurred", "place", "casualties"]
    assert refused.value.message == f"a {document['kind']} accepts only {allowed}"


def test_a_correction_reads_a_null_field_as_absent() -> None:
    assert parse_report(retraction("r-1", "a") | {"occurred": None, "place": None}).place is None
