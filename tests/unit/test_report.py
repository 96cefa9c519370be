import hashlib
from typing import Any

import pytest
from flashpoint.domain import InvalidValue, ReportKind, Stance, digest_of, parse_report
from flashpoint.domain.report import canonical_bytes, canonical_json
from hypothesis import given, settings
from hypothesis import strategies as st

from ..conftest import drone_attack

BRIEF_EXAMPLE: dict[str, Any] = {
    "id": "us-strikes-2021-06-27",
    "kind": "airstrike",
    "occurred": "2021-06-27",
    "reported": "2021-06-27",
    "actor": {"name": "United States", "side": "us_coalition", "type": "state_forces"},
    "target": ["weapons storage facility"],
    "target_actor": {"name": "Kata'ib Hezbollah", "side": "iran_aligned", "type": "militia"},
    "damage": "unknown",
    "place": "Iraq-Syria border region",
    "country": ["Syria", "Iraq"],
    "aircraft": ["F-15", "F-16"],
    "responds_to": [],
    "casualties": [{"party": "militia", "killed": 4, "qualifier": "exact", "source": "two Iraqi militia officials"}],
    "sources": [{"name": "John Kirby", "role": "Pentagon spokesman", "outlet": "Military Times"}],
}


def test_the_briefs_example_report_is_valid() -> None:
    report = parse_report(BRIEF_EXAMPLE)

    assert report.kind is ReportKind.AIRSTRIKE
    assert report.target_actor[0].name == "Kata'ib Hezbollah"
    assert report.casualties[0].killed == 4
    assert report.casualties[0].source.name == "two Iraqi militia officials"


def test_content_digest_ignores_key_order() -> None:
    reordered = dict(reversed(list(BRIEF_EXAMPLE.items())))

    assert digest_of(reordered) == digest_of(BRIEF_EXAMPLE)
    assert digest_of({**BRIEF_EXAMPLE, "damage": "heavy"}) != digest_of(BRIEF_EXAMPLE)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"damge": "minor"}, "damge", "unknown key"),
        ({"id": None}, "id", "required"),
        ({"id": "Drone-1"}, "id", "does not match"),
        ({"id": "x'; DROP TABLE stored_events; --"}, "id", "does not match"),
        ({"id": "$(rm -rf ~)"}, "id", "does not match"),
        ({"kind": "ied"}, "kind", "not one of"),
        ({"reported": None}, "reported", "required"),
        ({"reported": "2024-02-30"}, "reported", "not a real calendar day"),
        ({"occurred": "2024-01-29/2024-01-27"}, "occurred", "ends before it starts"),
        ({"occurred": None}, "occurred", "required for a drone_attack"),
        ({"reported": "2024-01-27"}, "reported", "before the occurrence begins"),
        ({"damage": "catastrophic"}, "damage", "not one of"),
        ({"stance": "threat"}, "stance", "only statements"),
        ({"lat": 33.3}, "lon", "go together"),
        ({"lat": 95, "lon": 40}, "lat", "outside"),
        ({"target": [""]}, "target[0]", "non-empty"),
        ({"responds_to": ["Not An Id"]}, "responds_to[0]", "does not match"),
        ({"sources": [{"name": "AP", "link": "x"}]}, "sources[0].link", "unknown key"),
        ({"sources": [{"name": "AP", "url": "x"}]}, "sources[0].url", "is not an http(s) URL"),
        ({"notes": 42}, "notes", "expected text"),
    ],
)
def test_bad_fields_are_refused_naming_them(changes: dict[str, Any], field: str, fragment: str) -> None:
    report = drone_attack()
    for key, value in changes.items():
        if value is None:
            report.pop(key, None)
        else:
            report[key] = value

    with pytest.raises(InvalidValue) as refused:
        parse_report(report)

    assert refused.value.field == field
    assert fragment in refused.value.message


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (
            {
                "id": "c",
                "kind": "casualty_report",
                "reported": "2024-01-29",
                "casualties": [{"party": "us_military", "killed": 3, "source": "CENTCOM"}],
            },
            "incident",
        ),
        (
            {"id": "c", "kind": "casualty_report", "reported": "2024-01-29", "incident": "drone-1"},
            "casualties",
        ),
        ({"id": "d", "kind": "damage_assessment", "reported": "2024-01-29", "incident": "drone-1"}, "damage"),
        ({"id": "s", "kind": "statement", "reported": "2024-01-29"}, "stance"),
        ({"id": "a", "kind": "attribution", "reported": "2024-01-29"}, "actor"),
        (
            {
                "id": "s",
                "kind": "statement",
                "stance": "threat",
                "reported": "2024-01-29",
                "casualties": [{"party": "militia", "killed": 1, "source": "x"}],
            },
            "casualties",
        ),
        (
            {"id": "s", "kind": "statement", "stance": "threat", "reported": "2024-01-29", "incident": "s"},
            "incident",
        ),
    ],
)
def test_kind_rules(report: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(report)

    assert refused.value.field == field


def test_a_statement_may_leave_its_date_to_its_incident() -> None:
    report = parse_report(
        {
            "id": "kh-vow",
            "kind": "statement",
            "stance": "vow_revenge",
            "reported": "2024-01-29",
            "actor": "KH",
            "incident": "drone-1",
        }
    )

    assert report.occurred is None
    assert report.stance is Stance.VOW_REVENGE


def test_a_report_read_back_as_filed_keeps_days_the_range_now_refuses() -> None:
    filed = drone_attack(occurred="0001-01-01/2024-01-28", reported="2100-01-01")

    read_back = parse_report(filed, as_filed=True)

    assert (read_back.occurred.start.year, read_back.reported.year) == (1, 2100)  # type: ignore[union-attr]
    with pytest.raises(InvalidValue, match=r"outside 1900-01-01\.\.2099-12-31"):
        parse_report(filed)


def test_an_unknown_key_suggests_the_known_one() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(casualties=[{"party": "militia", "killed": 1, "qualifer": "exact"}]))

    assert refused.value.field == "casualties[0].qualifer"
    assert "did you mean 'qualifier'?" in refused.value.message


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([1e-5, 1.0623098646566366e-05, -7.323307410727789e-07, 0.0001, 1e15, 1e16, -0.0, 33.31])
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6) | st.integers(-3, 3), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_fast_canonical_bytes_are_exactly_the_contract_spelling(document: dict[str, Any]) -> None:
    # Digests of this text are stored in logs: the fast path may never spell anything differently.
    try:
        expected = canonical_json(document).encode("utf-8")
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError)):
            canonical_bytes(document)
        return
    assert canonical_bytes(document) == expected
    assert digest_of(document) == hashlib.sha256(expected).hexdigest()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "tower-22\n"}, "id"),
        ({"incident": "drone-0\n"}, "incident"),
        ({"responds_to": ["drone-0\n"]}, "responds_to[0]"),
        ({"place": "Tower\x1b[31m 22"}, "place"),
        ({"notes": "a\x00b"}, "notes"),
        ({"target": ["Tower\x0722"]}, "target[0]"),
        ({"actor": "K\x08H"}, "actor"),
        ({"sources": [{"name": "AP", "via": "R\x1beuters"}]}, "sources[0].via"),
        (
            {"casualties": [{"party": "militia", "killed": "a\x1bfew", "qualifier": "unquantified"}]},
            "casualties[0].killed",
        ),
        ({"acled": {"event_id_cnty": "IRQ1", "notes": "\x1b[2J"}}, "acled.notes"),
    ],
)
def test_ids_are_matched_whole_and_no_text_holds_a_control_character(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(**changes))

    assert refused.value.field == field


def test_notes_keep_their_lines_and_tabs() -> None:
    assert parse_report(drone_attack(notes="first\n\tsecond\r\n")).notes == "first\n\tsecond"


def test_every_refusal_of_a_report_is_named() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(kind="ied", damage="catastrophic", lat=91))

    assert [error.field for error in getattr(refused.value, "errors", ())] == ["kind", "damage", "lat"]


def test_a_whole_number_written_as_a_float_is_that_number() -> None:
    report = parse_report(drone_attack(casualties=[{"party": "militia", "killed": 3.0}]))

    assert report.casualties[0].killed == 3
    assert type(report.casualties[0].killed) is int


def test_a_refused_value_is_shown_whole_up_to_sixty_characters() -> None:
    sixty, sixty_one = "x" * 58, "x" * 59  # their reprs, '…', are 60 and 61 characters long
    with pytest.raises(InvalidValue) as whole:
        parse_report(drone_attack(kind=sixty))
    with pytest.raises(InvalidValue) as cut_short:
        parse_report(drone_attack(kind=sixty_one))

    assert whole.value.message.startswith(f"{sixty!r} is not one of: ")
    assert cut_short.value.message.startswith(f"'{'x' * 56}... is not one of: ")


STATEMENT: dict[str, Any] = {"id": "s", "kind": "statement", "stance": "threat", "reported": "2024-01-29"}


@pytest.mark.parametrize(
    ("report", "field", "message"),
    [
        (drone_attack(id=""), "id", "required: a report id matching [a-z0-9][a-z0-9._-]*"),
        (drone_attack(id="a" * 201), "id", "longer than 200 characters"),
        (drone_attack(kind=None), "kind", "required"),
        (drone_attack(reported=None), "reported", "required: the day the information became public"),
        (drone_attack(occurred=None), "occurred", "required for a drone_attack"),
        (drone_attack(sources="AP"), "sources", "expected a list of sources"),
        (drone_attack(casualties={"party": "militia"}), "casualties", "expected a list of claims"),
        (drone_attack(target={"name": "Tower 22"}), "target", "expected text or a list of text"),
        (drone_attack(target=["Tower 22", " "]), "target[1]", "expected non-empty text"),
        (drone_attack(place="x" * 100_001), "place", "longer than 100000 characters"),
        (drone_attack(place=7), "place", "expected text, got int"),
        (drone_attack(responds_to={"id": "x"}), "responds_to", "expected a list of report ids"),
        (drone_attack(lat="33.3", lon=44.4), "lat", "expected a number, got '33.3'"),
        (drone_attack(lat=True, lon=44.4), "lat", "expected a number, got True"),
        (drone_attack(lat=33.3, lon=-181), "lon", "-181 is outside -180..180"),
        (drone_attack(lon=44.4), "lat", "lat and lon go together"),
        (drone_attack(stance="threat"), "stance", "only statements have a stance"),
        (drone_attack(responds_to=["drone-1"]), "responds_to", "a report cannot respond to itself"),
        (STATEMENT | {"incident": "s"}, "incident", "a report cannot concern itself"),
        (STATEMENT | {"stance": None}, "stance", "required for a statement"),
        (
            STATEMENT | {"casualties": [{"party": "militia", "killed": 1, "source": "x"}]},
            "casualties",
            "a statement carries casualty claims only about an incident (give incident)",
        ),
        (
            {"id": "c", "kind": "casualty_report", "reported": "2024-01-29"},
            "incident",
            "required for a casualty_report: the report id of the act",
        ),
        (
            {"id": "c", "kind": "casualty_report", "reported": "2024-01-29", "incident": "drone-1"},
            "casualties",
            "required for a casualty_report: at least one claim",
        ),
        (
            {"id": "d", "kind": "damage_assessment", "reported": "2024-01-29", "incident": "drone-1"},
            "damage",
            "required for a damage_assessment",
        ),
        (
            {"id": "a", "kind": "attribution", "reported": "2024-01-29"},
            "actor",
            "required for an attribution: who is held responsible",
        ),
        ("drone-1", "", "a report must be a mapping, got str"),
    ],
)
def test_each_refusal_names_the_field_and_says_why(report: Any, field: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(
            {key: value for key, value in report.items() if value is not None} if isinstance(report, dict) else report
        )

    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_report_read_back_as_filed_keeps_a_control_character_its_casualty_word_held() -> None:
    # Filed before control characters were refused: the log must stay readable, as for every other text.
    filed = drone_attack(casualties=[{"party": "militia", "killed": "a\x1bfew", "qualifier": "unquantified"}])

    assert parse_report(filed, as_filed=True).casualties[0].killed == "a\x1bfew"
    with pytest.raises(InvalidValue, match="control character"):
        parse_report(filed)


def _published_on(day: str) -> dict[str, Any]:
    return {"name": "Associated Press", "url": "https://apnews.com", "published": day}


def test_a_source_may_be_published_on_or_before_the_day_its_report_was() -> None:
    report = parse_report(
        drone_attack(
            reported="2024-01-29",
            sources=[_published_on("2024-01-29")],
            casualties=[{"party": "us_military", "killed": 3, "source": _published_on("2024-01-28")}],
        )
    )

    assert str(report.sources[0].published) == "2024-01-29"
    assert str(report.casualties[0].source.published) == "2024-01-28"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sources": [{"name": "CENTCOM"}, _published_on("2024-01-30")]}, "sources[1].published"),
        (
            {
                "casualties": [
                    {"party": "us_military", "killed": 3},
                    {"party": "militia", "killed": 1, "source": _published_on("2024-02-01")},
                ]
            },
            "casualties[1].source.published",
        ),
    ],
)
def test_a_source_published_after_its_report_was_is_refused_naming_it(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(reported="2024-01-29", **changes))

    assert refused.value.field == field
    assert "is after the report's reported day (2024-01-29)" in refused.value.message


def test_a_claim_that_takes_the_reports_source_is_refused_once_for_its_published_day() -> None:
    report = drone_attack(
        reported="2024-01-29",
        sources=[_published_on("2024-01-30")],
        casualties=[{"party": "us_military", "killed": 3, "qualifier": "exact"}],
    )

    with pytest.raises(InvalidValue) as refused:
        parse_report(report)

    assert [error.field for error in refused.value.errors] == ["sources[0].published"]


def test_a_reports_envelope_carries_its_id_kind_dates_sources_place_and_notes() -> None:
    from datetime import date

    from flashpoint.domain import Occurred
    from flashpoint.domain.report import Envelope
    from flashpoint.domain.sources import Source

    report = parse_report(
        drone_attack(
            place="Rukban",
            country=["Jordan"],
            lat=33.3,
            lon=38.7,
            responds_to=["earlier-1"],
            notes="first of three",
            sources=[{"name": "CENTCOM"}],
        )
    )

    assert report.envelope() == Envelope(
        "drone-1",
        "drone_attack",
        Occurred.on(date(2024, 1, 28)),
        date(2024, 1, 28),
        (Source("CENTCOM"),),
        "Rukban",
        ("Jordan",),
        33.3,
        38.7,
        ("earlier-1",),
        "first of three",
    )


def test_a_report_not_yet_dated_has_no_envelope_and_says_what_would_date_it() -> None:
    concerning = {"id": "c", "kind": "casualty_report", "reported": "2024-01-29", "incident": "drone-1"}
    report = parse_report({**concerning, "casualties": [{"party": "us_military", "killed": 3, "source": "CENTCOM"}]})

    with pytest.raises(InvalidValue) as refused:
        report.envelope()  # it takes its occurrence from drone-1, once that is found

    assert (refused.value.field, refused.value.message) == (
        "occurred",
        "unknown: give occurred or an incident that is in the log",
    )


@pytest.mark.parametrize("target", ["K\x08H depot", ["Tower 22", "K\x08H depot"]])
def test_a_control_character_in_a_list_of_text_is_refused_on_its_item_but_read_back_from_the_log(
    target: object,
) -> None:
    index = 0 if isinstance(target, str) else 1
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(target=target))

    assert refused.value.field == f"target[{index}]"
    assert parse_report(drone_attack(target=target), as_filed=True).target[index] == "K\x08H depot"


def test_a_single_target_actor_that_is_no_actor_is_refused_on_target_actor() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(target_actor=42))

    assert (refused.value.field, refused.value.message) == (
        "target_actor",
        "expected a name or a mapping {name, side, type}",
    )


def test_a_refused_control_character_and_a_refused_id_are_shown_in_the_message() -> None:
    with pytest.raises(InvalidValue) as control:
        parse_report(drone_attack(place="Tower\x0822"))
    with pytest.raises(InvalidValue) as bad_id:
        parse_report(drone_attack(id="Drone-1"))

    assert control.value.message == "holds a control character (\\x08), which no report text may hold"
    assert bad_id.value.message == "'Drone-1' does not match [a-z0-9][a-z0-9._-]*"


@pytest.mark.parametrize("many", ["single", "list"])
def test_actors_and_sources_in_a_list_are_read_back_from_the_log_as_filed(many: str) -> None:
    actor: object = "K\x08H" if many == "single" else ["K\x08H"]
    document = drone_attack(target_actor=actor, sources=[{"name": "K\x08H"}])

    with pytest.raises(InvalidValue):
        parse_report(document)
    filed = parse_report(document, as_filed=True)

    assert filed.target_actor[0].name == "K\x08H" and filed.sources[0].name == "K\x08H"


def test_an_airstrikes_details_and_a_statements_grounds_are_kept() -> None:
    strike = parse_report(
        drone_attack(
            kind="airstrike",
            aircraft=["F-15E"],
            munitions="GBU-39",
            ordered_by="President Biden",
            outcome="aircraft returned safely",
        )
    )
    statement = parse_report(
        {"id": "s", "kind": "statement", "stance": "justification", "reported": "2024-02-03", "grounds": "Article 51"}
    )

    assert (strike.aircraft, strike.munitions, strike.ordered_by) == (("F-15E",), ("GBU-39",), "President Biden")
    assert strike.outcome == "aircraft returned safely"
    assert statement.grounds == ("Article 51",)
    assert (statement.aircraft, statement.munitions, statement.ordered_by) == ((), (), None)


def test_a_report_carries_the_digest_of_its_document_or_the_one_it_was_filed_with() -> None:
    document = drone_attack()

    assert parse_report(document).digest == digest_of(document) != ""
    assert parse_report(document, "d" * 64).digest == "d" * 64


def test_a_word_outside_a_vocabulary_is_refused_listing_the_words() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(damage="catastrophic"))

    assert refused.value.message == "'catastrophic' is not one of: none, minor, moderate, heavy, destroyed, unknown"


@pytest.mark.parametrize(("precision", "shown"), [(4, "4"), ("2", "'2'"), (True, "True"), (1.5, "1.5")])
def test_a_code_outside_its_list_is_refused_naming_the_field_and_each_code_with_its_meaning(
    precision: object, shown: str
) -> None:
    from flashpoint.domain.vocabulary import GEO_PRECISION

    with pytest.raises(InvalidValue) as refused:
        parse_report(drone_attack(lat=33.3, lon=44.4, geo_precision=precision))

    codes = f"1 ({GEO_PRECISION[1]}), 2 ({GEO_PRECISION[2]}), 3 ({GEO_PRECISION[3]})"
    assert (refused.value.field, refused.value.message) == ("geo_precision", f"{shown} is not one of: {codes}")


def test_the_digest_of_the_canonical_text_is_the_same_as_of_its_utf8_bytes() -> None:
    from flashpoint.domain.report import digest_of_canonical

    document = drone_attack(place="Tal Afar — Ninawa")

    assert digest_of_canonical(canonical_json(document)) == digest_of(document)
    assert digest_of(document) == hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
