"""Resolution rules without a log (flashpoint.domain.resolution)."""

from __future__ import annotations

import pytest
from flashpoint.domain import InvalidValue, Report, ReportConflict, UnknownIncident, parse_report
from flashpoint.domain.corrections import Correction, Corrections
from flashpoint.domain.resolution import (
    check_correction,
    check_responses,
    concerning,
    including,
    is_new,
    merged_elsewhere,
)

from ..conftest import drone_attack, merge, retraction

ACT = parse_report(drone_attack("tower-22"))
TOLL = parse_report(
    {
        "id": "toll",
        "kind": "casualty_report",
        "incident": "tower-22",
        "reported": "2024-01-30",
        "casualties": [{"party": "us_military", "killed": 3, "source": "Pentagon"}],
    }
)


def test_a_report_new_to_the_log_is_new_and_the_same_content_again_is_not() -> None:
    assert is_new(ACT, None) is True
    assert is_new(ACT, ACT.digest) is False


def test_the_same_id_with_other_content_is_a_conflict_on_the_id() -> None:
    with pytest.raises(ReportConflict) as refused:
        is_new(ACT, "0" * 64)

    assert refused.value.field == "id" and "with different content" in refused.value.message


def test_a_report_about_an_act_takes_the_acts_dates() -> None:
    resolved = concerning(TOLL, ACT)

    assert resolved.occurred == ACT.occurred and TOLL.occurred is None


def test_claims_about_an_act_nowhere_to_be_found_are_refused() -> None:
    with pytest.raises(UnknownIncident) as refused:
        concerning(TOLL, None)

    assert refused.value.field == "incident" and "neither in the log nor in this append" in refused.value.message


def test_a_dated_statement_may_mention_an_act_not_yet_reported_but_not_claim_about_it() -> None:
    said = {
        "id": "said",
        "kind": "statement",
        "stance": "threat",
        "occurred": "2024-01-28",
        "reported": "2024-01-28",
        "actor": "Kata'ib Hezbollah",
        "incident": "not-yet",
    }
    claimed = said | {"id": "claimed", "casualties": [{"party": "militia", "killed": 2, "source": "KH"}]}

    assert concerning(parse_report(said), None).id == "said"
    with pytest.raises(UnknownIncident):
        concerning(parse_report(claimed), None)


def test_only_an_act_can_be_an_incident() -> None:
    with pytest.raises(UnknownIncident, match="is a casualty_report, not an attack or airstrike"):
        concerning(TOLL, TOLL)


def test_a_report_published_before_its_act_happened_is_refused_on_reported() -> None:
    early = parse_report(
        {
            "id": "early",
            "kind": "casualty_report",
            "incident": "tower-22",
            "reported": "2024-01-27",
            "casualties": [{"party": "us_military", "killed": 3, "source": "Pentagon"}],
        }
    )

    with pytest.raises(InvalidValue) as refused:
        concerning(early, ACT)

    assert refused.value.field == "reported"


def response(occurred: str, *answered: str) -> Report:
    return parse_report(drone_attack("answer", occurred=occurred, reported="2024-02-10", responds_to=list(answered)))


def test_a_response_to_a_report_neither_in_the_log_nor_in_the_append_is_refused_naming_the_id() -> None:
    with pytest.raises(UnknownIncident) as refused:
        check_responses(response("2024-02-01", "tower-22", "tower-23"), {"tower-22": ACT})

    assert refused.value.field == "responds_to"
    assert refused.value.message == "'tower-23' is neither in the log nor in this append"


def test_a_response_that_ended_before_the_act_began_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        check_responses(response("2024-01-20/2024-01-27", "tower-22"), {"tower-22": ACT})

    assert refused.value.field == "responds_to"
    assert refused.value.message == (
        "'tower-22' began on 2024-01-28, after this response ended (2024-01-27):"
        " a response cannot come before the act it answers"
    )


def refused(report: Report, answerable: dict[str, Report]) -> bool:
    try:
        check_responses(report, answerable)
    except InvalidValue:
        return True
    return False


def test_only_a_response_ending_before_the_day_the_act_began_is_refused() -> None:
    days = ["2024-01-28", "2024-01-20/2024-01-28", "2024-01", "2024-02-03", "2024-01-27", "2023-12"]

    assert [day for day in days if refused(response(day, "tower-22"), {"tower-22": ACT})] == ["2024-01-27", "2023-12"]


def test_a_report_not_yet_dated_by_its_incident_is_not_dated_against_what_it_answers() -> None:
    toll = parse_report(
        {
            "id": "toll-answer",
            "kind": "casualty_report",
            "incident": "tower-22",
            "reported": "2024-01-30",
            "responds_to": ["tower-22"],
            "casualties": [{"party": "us_military", "killed": 3, "source": "Pentagon"}],
        }
    )

    assert not refused(toll, {"tower-22": ACT}) and refused(toll, {})


def test_a_report_about_a_report_that_is_no_act_is_refused_on_its_incident() -> None:
    with pytest.raises(UnknownIncident) as refused:
        concerning(TOLL, TOLL)

    assert refused.value.field == "incident"


def retracting(report_id: str, *named: str) -> Correction:
    return Correction(report_id, "2024-02-01", 0, retracts=named)


def merging(report_id: str, into: str, *acts: str) -> Correction:
    return Correction(report_id, "2024-02-01", 0, merges=acts, into=into)


def test_a_report_is_withdrawn_by_a_retraction_in_force_and_reinstated_when_that_is_retracted() -> None:
    corrections = Corrections([retracting("r-1", "toll"), retracting("r-2", "r-1"), retracting("r-3", "r-2")])

    assert corrections.withdrawn(None) == {"toll", "r-2"}


def test_a_long_chain_of_retractions_is_judged_without_recursion() -> None:
    chain = [retracting(f"r-{index}", f"r-{index - 1}") for index in range(1, 5001)] + [retracting("r-0", "toll")]

    assert "toll" in Corrections(chain).withdrawn(None)  # r-5000 stands, so do r-4998 ... r-0


def test_a_merge_in_force_keeps_its_acts_and_a_withdrawn_one_lets_them_go() -> None:
    corrections = Corrections([retracting("r-1", "m-1"), merging("m-1", "a", "b"), merging("m-2", "a", "c")])

    assert merged_elsewhere(corrections, "b", "m-3") is None
    assert merged_elsewhere(corrections, "c", "m-3") == "m-2"
    assert merged_elsewhere(corrections, "c", "m-2") is None


def test_a_merge_closing_a_cycle_through_recorded_merges_is_refused_on_into() -> None:
    merge_report = parse_report(merge("m-3", ["tower-22"], "b"))
    corrections = including(Corrections([merging("m-1", "c", "b"), merging("m-2", "tower-22", "c")]), [merge_report])

    with pytest.raises(InvalidValue) as refused:
        check_correction(merge_report, {"tower-22": ACT, "b": ACT}, corrections)

    assert refused.value.field == "into"
    assert refused.value.message.endswith("cycle: tower-22 → b → c → tower-22")


def test_a_correction_is_judged_against_what_it_names_and_other_reports_pass() -> None:
    retracting = parse_report(retraction("r-1", "tower-22", reported="2024-01-27"))

    with pytest.raises(InvalidValue) as refused:
        check_correction(retracting, {"tower-22": ACT}, Corrections())

    assert refused.value.field == "retracts" and "was reported on 2024-01-28" in refused.value.message
    assert check_correction(ACT, {}, Corrections()) is None
