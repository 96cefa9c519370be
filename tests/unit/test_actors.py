import pytest
from flashpoint.domain import (
    Actor,
    ActorType,
    InvalidValue,
    MilitiaGroup,
    Side,
    known_actor,
    name_key,
    parse_actor,
)
from flashpoint.domain.actors import UNKNOWN_ACTOR


@pytest.mark.parametrize("alias", ["Kata'ib Hezbollah", "Kataib Hezbollah", "KH", "kata’ib hezbollah"])
def test_aliases_of_kataib_hezbollah_are_one_actor(alias: str) -> None:
    actor = known_actor(alias)

    assert actor is not None
    assert (actor.name, actor.side, actor.type) == ("Kata'ib Hezbollah", Side.IRAN_ALIGNED, ActorType.MILITIA)


def test_aliases_land_on_the_same_militia_group_aggregate() -> None:
    assert MilitiaGroup.create_id("KH") == MilitiaGroup.create_id("Kataib Hezbollah")
    assert MilitiaGroup.create_id("KH") != MilitiaGroup.create_id("KSS")


def test_name_key_folds_case_apostrophes_and_punctuation() -> None:
    assert name_key("  Kata'ib  Sayyid al-Shuhada ") == name_key("kataib sayyid al shuhada")
    assert name_key("U.S.") == name_key("US")


def test_known_names_carry_their_defaults() -> None:
    assert parse_actor("United States", "actor").side is Side.US_COALITION
    assert parse_actor("Iran", "actor").type is ActorType.STATE_FORCES


def test_a_mapping_overrides_known_defaults_only_where_given() -> None:
    actor = parse_actor({"name": "KH", "side": "other"}, "actor")

    assert (actor.name, actor.side, actor.type) == ("Kata'ib Hezbollah", Side.OTHER, ActorType.MILITIA)


def test_unknown_names_are_kept_with_unknown_side() -> None:
    actor = parse_actor("Saraya Awliya al-Dam", "actor")

    assert (actor.name, actor.side, actor.type) == ("Saraya Awliya al-Dam", Side.UNKNOWN, ActorType.UNKNOWN)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"name": "KH", "side": "iranian"}, "actor.side"),
        ({"name": "KH", "type": "rebels"}, "actor.type"),
        ({"name": "KH", "sied": "iran_aligned"}, "actor.sied"),
        ({"side": "iran_aligned"}, "actor.name"),
        (42, "actor"),
    ],
)
def test_bad_actors_are_refused_naming_the_field(value: object, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_actor(value, "actor")

    assert refused.value.field == field


def test_a_control_character_in_a_name_is_refused_but_read_back_from_the_log() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_actor("K\x08H", "actor")

    assert refused.value.field == "actor"
    assert parse_actor("K\x08H", "actor", as_filed=True).name == "K\x08H"
    assert parse_actor({"name": "K\x08H", "side": "other"}, "actor", as_filed=True).side is Side.OTHER


def test_a_known_actor_goes_by_its_canonical_name_any_other_as_written_with_spaces_folded() -> None:
    from flashpoint.domain.actors import canonical_name

    assert canonical_name("KH") == "Kata'ib Hezbollah"
    assert canonical_name("  Saraya  Awliya al-Dam ") == "Saraya Awliya al-Dam"


def test_an_actor_that_is_neither_a_name_nor_a_mapping_is_refused_saying_what_it_may_be() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_actor(["KH"], "actor")

    assert (refused.value.field, refused.value.message) == ("actor", "expected a name or a mapping {name, side, type}")


@pytest.mark.parametrize("spelling", ["Unknown", " UNKNOWN "])
def test_unknown_in_any_case_is_the_unknown_actor(spelling: str) -> None:
    assert parse_actor(spelling, "actor") == UNKNOWN_ACTOR
    assert parse_actor({"name": spelling, "type": "militia"}, "actor") == Actor(
        "unknown", Side.UNKNOWN, ActorType.MILITIA
    )


def test_a_mapping_of_a_known_name_without_a_side_takes_the_known_side() -> None:
    actor = parse_actor({"name": "KH", "type": "state_forces"}, "actor")

    assert (actor.name, actor.side, actor.type) == ("Kata'ib Hezbollah", Side.IRAN_ALIGNED, ActorType.STATE_FORCES)


def test_a_mapping_of_an_unknown_name_keeps_it_with_spaces_folded() -> None:
    actor = parse_actor({"name": "  Saraya  Awliya al-Dam ", "side": "iran_aligned"}, "actor")

    assert (actor.name, actor.side, actor.type) == ("Saraya Awliya al-Dam", Side.IRAN_ALIGNED, ActorType.UNKNOWN)
