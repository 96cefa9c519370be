"""Who said it (flashpoint.domain.sources): a source from a name or a mapping, and its label."""

from __future__ import annotations

import pytest
from flashpoint.domain import InvalidValue, Source, parse_source


def test_a_bare_name_is_a_source_with_its_spaces_folded() -> None:
    assert parse_source("  two Iraqi   militia officials ", "sources[0]") == Source("two Iraqi militia officials")


def test_a_mapping_names_role_outlet_relay_and_anonymity() -> None:
    source = parse_source(
        {"name": "John  Kirby", "role": "Pentagon spokesman", "outlet": "Military Times", "anonymous": True},
        "sources[0]",
    )

    assert source == Source("John Kirby", "Pentagon spokesman", "Military Times", None, True)
    assert parse_source({"name": "AP"}, "sources[0]").anonymous is False


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ("  ", "sources[0]", "a source name must not be empty"),
        (7, "sources[0]", "expected a name or a mapping {name, role, outlet, via, anonymous}"),
        ({"role": "spokesman"}, "sources[0].name", "required: who said it"),
        ({"name": " "}, "sources[0].name", "required: who said it"),
    ],
)
def test_a_bad_source_is_refused_naming_the_field(value: object, field: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_source(value, "sources[0]")

    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_control_character_in_a_source_is_refused_but_read_back_from_the_log() -> None:
    with pytest.raises(InvalidValue):
        parse_source("A\x07P", "sources[0]")

    assert parse_source("A\x07P", "sources[0]", as_filed=True).name == "A\x07P"
    assert parse_source({"name": "AP", "via": "R\x1beuters"}, "sources[0]", as_filed=True).via == "R\x1beuters"


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (Source("AP"), "AP"),
        (
            Source("John Kirby", role="Pentagon spokesman", outlet="Military Times"),
            "John Kirby (Pentagon spokesman), Military Times",
        ),
        (Source("ACLED", via="Al Sumaria News", outlet="ACLED"), "ACLED via Al Sumaria News"),
        (Source("CENTCOM", outlet="CENTCOM"), "CENTCOM"),
    ],
)
def test_a_source_is_labelled_name_role_then_relay_or_outlet(source: Source, label: str) -> None:
    assert source.label() == label


def test_a_source_reads_back_from_its_stored_form() -> None:
    source = Source("John Kirby", "Pentagon spokesman", "Military Times", "AP", True)

    assert Source.from_dict(source.as_dict()) == source
    assert Source.from_dict({"name": "AP"}) == Source("AP")
