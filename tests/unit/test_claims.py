import pytest
from flashpoint.domain import InvalidValue, Party, Qualifier, Source, parse_claim
from flashpoint.domain.claims import FigureRange

DEFAULT = Source("CENTCOM")


def test_a_claim_defaults_to_exact_and_to_the_reports_first_source() -> None:
    claim = parse_claim({"party": "us_military", "killed": 3}, "casualties[0]", DEFAULT)

    assert (claim.party, claim.qualifier, claim.killed, claim.source) == (
        Party.US_MILITARY,
        Qualifier.EXACT,
        3,
        DEFAULT,
    )


def test_an_unquantified_figure_keeps_the_reported_word() -> None:
    claim = parse_claim(
        {"party": "militia", "killed": "several", "qualifier": "unquantified", "source": "AP"},
        "casualties[0]",
        DEFAULT,
    )

    assert (claim.killed, claim.source.name) == ("several", "AP")


def test_not_assessed_needs_no_figure() -> None:
    claim = parse_claim({"party": "civilian", "qualifier": "not_assessed"}, "casualties[0]", DEFAULT)

    assert claim.killed is None and claim.injured is None


@pytest.mark.parametrize(
    ("claim", "field", "fragment"),
    [
        ({"party": "militia", "killed": -1}, "casualties[0].killed", "negative"),
        ({"party": "militia", "killed": 10**30}, "casualties[0].killed", "not a plausible figure"),
        ({"party": "militia", "killed": 2.5}, "casualties[0].killed", "whole number"),
        ({"party": "militia", "killed": "4"}, "casualties[0].killed", "whole number"),
        ({"party": "militia", "killed": True}, "casualties[0].killed", "whole number"),
        (
            {"party": "militia", "injured": 3, "qualifier": "not_assessed"},
            "casualties[0].injured",
            "no figure",
        ),
        ({"party": "militia", "killed": 3, "qualifier": "unquantified"}, "casualties[0].killed", "word"),
        ({"party": "militants", "killed": 1}, "casualties[0].party", "not one of"),
        ({"party": "militia", "killed": 1, "qualifier": "roughly"}, "casualties[0].qualifier", "not one of"),
        ({"party": "militia"}, "casualties[0].killed", "needs killed or injured"),
        ({"party": "militia", "killed": 1, "wounded": 2}, "casualties[0].wounded", "unknown key"),
        ({"killed": 1}, "casualties[0].party", "required"),
    ],
)
def test_bad_claims_are_refused_naming_the_field(claim: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_claim(claim, "casualties[0]", DEFAULT)

    assert refused.value.field == field
    assert fragment in refused.value.message


def test_a_claim_without_any_source_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_claim({"party": "militia", "killed": 1}, "casualties[0]", None)

    assert refused.value.field == "casualties[0].source"


def test_a_claim_states_the_figures_it_gives_a_number_or_a_word_for() -> None:
    source = Source("AP")
    vague = parse_claim({"party": "militia", "killed": "several", "qualifier": "unquantified"}, "c", source)
    hurt = parse_claim({"party": "militia", "injured": 0}, "c", source)

    assert (vague.states("killed"), vague.states("injured")) == (True, False)
    assert (hurt.states("killed"), hurt.states("injured")) == (False, True)


def test_a_claim_that_is_no_mapping_is_refused_naming_the_keys_it_may_have() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_claim("four killed", "casualties[2]", DEFAULT)

    assert (refused.value.field, refused.value.message) == (
        "casualties[2]",
        "expected a mapping {party, killed, injured, qualifier, source}",
    )


def test_a_control_character_in_a_claim_is_refused_but_read_back_from_the_log() -> None:
    vague = {"party": "militia", "killed": "a\x1bfew", "qualifier": "unquantified"}
    with pytest.raises(InvalidValue) as refused:
        parse_claim(vague, "casualties[0]", DEFAULT)

    assert refused.value.field == "casualties[0].killed"
    assert parse_claim(vague, "casualties[0]", DEFAULT, as_filed=True).killed == "a\x1bfew"


def test_a_claim_without_a_source_is_refused_saying_who_is_missing() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_claim({"party": "militia", "killed": 1}, "casualties[0]", None)

    assert (refused.value.field, refused.value.message) == ("casualties[0].source", "required: who made this claim")


def test_a_control_character_in_a_claims_source_is_read_back_from_the_log() -> None:
    claim = {"party": "militia", "killed": 1, "source": "A\x07P"}

    assert parse_claim(claim, "casualties[0]", None, as_filed=True).source.name == "A\x07P"


@pytest.mark.parametrize(
    "given",
    [
        {"party": "militia", "killed": {"from": 4, "to": 7}, "qualifier": "between"},
        {"party": "militia", "killed": {"from": 4, "to": 7}},  # an omitted qualifier with a range: between
        {"party": "militia", "killed": {"from": 4.0, "to": 7}, "qualifier": None},
    ],
)
def test_a_figure_may_be_a_range_with_qualifier_between(given: dict[str, object]) -> None:
    claim = parse_claim(given, "casualties[0]", DEFAULT)

    assert (claim.qualifier, claim.killed, claim.injured) == (Qualifier.BETWEEN, FigureRange(4, 7), None)


def test_a_range_from_n_to_n_is_kept_as_the_source_said_it() -> None:
    claim = parse_claim({"party": "militia", "injured": {"from": 4, "to": 4}}, "casualties[0]", DEFAULT)

    assert (claim.qualifier, claim.injured) == (Qualifier.BETWEEN, FigureRange(4, 4))


def test_a_range_claim_reads_back_from_its_dict() -> None:
    claim = parse_claim(
        {"party": "militia", "killed": {"from": 0, "to": 3}, "injured": {"from": 2, "to": 9}}, "c", DEFAULT
    )

    assert claim.as_dict()["killed"] == {"from": 0, "to": 3}
    assert type(claim).from_dict(claim.as_dict()) == claim


@pytest.mark.parametrize(
    ("figures", "field", "fragment"),
    [
        ({"killed": {"from": 7, "to": 4}}, "casualties[0].killed.from", "7 is above the range's to (4)"),
        ({"killed": {"from": -1, "to": 4}}, "casualties[0].killed.from", "negative"),
        ({"injured": {"from": 1, "to": -4}}, "casualties[0].injured.to", "negative"),
        ({"killed": {"from": 2.5, "to": 4}}, "casualties[0].killed.from", "whole number"),
        ({"killed": {"from": 1, "to": "4"}}, "casualties[0].killed.to", "whole number"),
        ({"killed": {"from": 1, "to": 10**30}}, "casualties[0].killed.to", "not a plausible figure"),
        ({"killed": {"from": 1, "to": 4, "by": "AP"}}, "casualties[0].killed.by", "unknown key"),
        ({"killed": {"from": 1}}, "casualties[0].killed.to", "required"),
        ({"killed": {"from": 1, "to": None}}, "casualties[0].killed.to", "required"),
        ({"killed": 4, "qualifier": "between"}, "casualties[0].killed", "a between figure is a range"),
        ({"killed": [4, 7], "qualifier": "between"}, "casualties[0].killed", "a between figure is a range"),
        ({"qualifier": "between"}, "casualties[0].killed", "needs killed or injured"),
        ({"killed": {"from": 4, "to": 7}, "injured": 3}, "casualties[0].injured", "a between figure is a range"),
        ({"killed": {"from": 4, "to": 7}, "qualifier": "exact"}, "casualties[0].killed", "not exact"),
        ({"killed": {"from": 4, "to": 7}, "qualifier": "at_least"}, "casualties[0].killed", "not at_least"),
        ({"injured": {"from": 4, "to": 7}, "qualifier": "unquantified"}, "casualties[0].injured", "not unquantified"),
        ({"killed": {"from": 4, "to": 7}, "qualifier": "not_assessed"}, "casualties[0].killed", "not not_assessed"),
    ],
)
def test_bad_ranges_are_refused_naming_the_field(figures: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_claim({"party": "militia", **figures}, "casualties[0]", DEFAULT)

    assert refused.value.field == field
    assert fragment in refused.value.message
