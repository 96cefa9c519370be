import pytest
from flashpoint.domain import InvalidValue, Party, Qualifier, Source, parse_claim

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
