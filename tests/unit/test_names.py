"""Near-miss names without a log (flashpoint.domain.names)."""

from __future__ import annotations

from typing import Any

import pytest
from flashpoint.domain import InvalidValue, parse_report
from flashpoint.domain.names import (
    MIN_JUDGED_LENGTH,
    NameJudge,
    NearMiss,
    Note,
    Roster,
    edits_between,
    known_actors,
    recorded_names,
)

from ..conftest import drone_attack


@pytest.mark.parametrize(
    ("first", "second", "edits"),
    [
        ("hezbollah", "hezbollah", 0),
        ("hezbollah", "hezbolah", 1),  # a deletion
        ("hezbollah", "hezbpllah", 1),  # a substitution
        ("hezbollah", "hezbolalh", 1),  # two neighbours swapped: one edit, not two
        ("hezbollah", "hizbolah", 2),
        ("hezbollah", "hizbula", 3),  # above the limit: limit + 1
        ("tanf", "al-tanf-garrison", 3),
        ("hezbollah", "hzbollh", 2),  # two deletions: lengths two apart are still measured
        ("ehzbollah", "hezbollah", 1),  # the first two letters swapped: one edit too
        ("aaa", "a", 2),
        ("", "ab", 2),  # from nothing: one insertion per letter
    ],
)
def test_edits_are_counted_as_optimal_string_alignment_up_to_the_limit(first: str, second: str, edits: int) -> None:
    assert edits_between(first, second) == edits == edits_between(second, first)


def test_a_bare_typo_of_a_known_actor_is_near_its_canonical_name() -> None:
    assert known_actors().near("Kataib Hezbolah") == "Kata'ib Hezbollah"
    assert known_actors().near("Asaib Ahl al-Haqq") == "Asa'ib Ahl al-Haq"
    assert known_actors().near("unknwon") == "unknown"


@pytest.mark.parametrize("name", ["Kataib Hezbollah", "KATA'IB  HEZBOLLAH", "US", "UK", "KH", "KSS", "Iraq", "Iran"])
def test_known_names_and_aliases_are_held_and_near_nothing(name: str) -> None:
    assert known_actors().holds(name) and known_actors().near(name) is None


@pytest.mark.parametrize("name", ["UN", "USN", "IRG"])
def test_names_shorter_than_the_minimum_are_never_judged(name: str) -> None:
    assert len(name) < MIN_JUDGED_LENGTH
    assert not known_actors().holds(name) and known_actors().near(name) is None


@pytest.mark.parametrize("name", ["Hezbollah", "Houthis", "Hamas", "Israel", "Jordan"])
def test_names_far_from_every_known_one_are_new_not_near(name: str) -> None:
    assert known_actors().near(name) is None


def test_names_that_differ_only_in_their_numbers_are_not_near() -> None:
    sites = Roster(["Tower 22", "Coalition site 04"])

    assert sites.near("Tower 23") is None and sites.near("Coalition site 05") is None
    assert sites.near("Towr 22") == "Tower 22"
    assert Roster(["Coalition site"]).near("Coalition site 4") is None  # a number added is one more of the series


def test_a_name_of_exactly_the_minimum_length_is_judged() -> None:
    assert len("hamaz") == MIN_JUDGED_LENGTH
    assert Roster(["Hamas"]).near("Hamaz") == "Hamas"


def test_a_name_two_edits_away_is_near_a_swap_of_the_first_two_letters_being_one() -> None:
    assert known_actors().near("Aktaib Hezbolah") == "Kata'ib Hezbollah"  # a swap and a deletion
    assert known_actors().near("Kataeb Hezbolah") == "Kata'ib Hezbollah"  # a substitution and a deletion


def test_the_nearest_name_is_suggested() -> None:
    assert Roster(["Al Asad air base", "Al Asad airbase"]).near("Al Asad airbse") == "Al Asad airbase"


def test_the_log_is_read_once_and_only_for_a_name_not_already_known() -> None:
    reads: list[int] = []

    def logged() -> list[str]:
        reads.append(1)
        return ["Saraya Awliya al-Dam"]

    roster = known_actors(logged)
    assert roster.near("Kata'ib Hezbollah") is None and reads == []
    assert roster.near("Saraya Awliya al-Damm") == "Saraya Awliya al-Dam"
    assert roster.near("Saraya Awlia al-Dam") == "Saraya Awliya al-Dam"
    assert reads == [1]


def judged(*reports: dict[str, Any], logged: tuple[str, ...] = (), sites: tuple[str, ...] = ()) -> list[Note]:
    judge = NameJudge(known_actors(lambda: logged), Roster(sites))
    return [note for report in reports for note in judge.judge(parse_report(report), report)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"actor": "Kataib Hezbolah"}, "actor"),
        ({"target_actor": "Kataib Hezbolah"}, "target_actor"),
        ({"target_actor": ["United States", "Kataib Hezbolah"]}, "target_actor[1]"),
        ({"actor": {"name": "Kataib Hezbolah", "type": "militia"}}, "actor.name"),  # no side: not declared
    ],
)
def test_a_bare_near_miss_is_refused_naming_its_field_and_the_suggestion(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(NearMiss) as refused:
        judged(drone_attack("kh-typo", **fields))

    assert refused.value.field == field
    assert refused.value.message.startswith(
        '"Kataib Hezbolah" is not a known actor; did you mean "Kata\'ib Hezbollah"?'
    )


def test_an_actor_declared_with_its_side_is_new_with_a_note_naming_the_near_name() -> None:
    declared = {"name": "Kataib Hezbolah", "side": "iran_aligned", "type": "militia"}

    assert judged(drone_attack("kh-new", actor=declared)) == [
        Note("note", "actor.name", '"Kataib Hezbolah" recorded as a new actor, near "Kata\'ib Hezbollah"')
    ]


def test_a_name_exact_after_folding_is_the_known_actor_without_a_note() -> None:
    assert judged(drone_attack("kh", actor="kataib  HEZBOLLAH"), drone_attack("us", actor="U.S.")) == []


def test_actors_in_the_log_and_earlier_in_the_append_count_as_known() -> None:
    declared = {"name": "Saraya Awliya al-Dam", "side": "iran_aligned", "type": "militia"}
    with pytest.raises(NearMiss, match='did you mean "Saraya Awliya al-Dam"'):
        judged(drone_attack("first", actor=declared), drone_attack("second", actor="Saraya Awliya al-Damm"))
    with pytest.raises(NearMiss, match='did you mean "Saraya Awliya al-Dam"'):
        judged(drone_attack("later", actor="Saraya Awliya al-Damm"), logged=("Saraya Awliya al-Dam",))

    assert judged(drone_attack("same", actor="saraya awliya al dam"), logged=("Saraya Awliya al-Dam",)) == []


def test_a_new_installation_near_a_known_one_is_only_noted() -> None:
    first = drone_attack("one", target=["Tower 22"])
    second = drone_attack("two", target=["Al-Tanf garrison", "Towr 22"])

    assert judged(first, second) == [
        Note("warning", "target[1]", '"Towr 22" recorded as a new installation, near "Tower 22"')
    ]
    assert judged(drone_attack("three", target="Towr 22"), sites=("Tower 22",))[0].field == "target"


def test_a_militia_named_among_the_targets_is_no_installation() -> None:
    strike = drone_attack("strike", target=["Kataib Hezbollah", "Tower 22"], actor="United States")

    assert judged(strike, sites=("Kataib Hezbollh depot",)) == judged(strike, sites=("Kataib Hezbollh",)) == []


def test_the_names_a_filed_value_recorded_are_its_actors_names() -> None:
    assert recorded_names("KH") == ["Kata'ib Hezbollah"]
    assert recorded_names(["United States", {"name": " Saraya  X ", "side": "iran_aligned"}]) == [
        "United States",
        "Saraya X",
    ]
    assert recorded_names(None) == [] and recorded_names({"name": ""}) == []
    assert recorded_names([None, {"name": ""}, "KH"]) == ["Kata'ib Hezbollah"]  # what records nothing hides nothing


# -- a bare name of a declared actor is that actor -------------------------------------------

SARAYA = {"name": "Saraya Awliya al-Dam", "side": "iran_aligned", "type": "militia"}


def resolved(*reports: dict[str, Any], logged: tuple[object, ...] = ()) -> list[Any]:
    """Each report judged and resolved in order, as an append does, against a log filed with ``logged``."""
    from flashpoint.domain.names import logged_actors

    actors, declared = logged_actors(lambda: logged)
    judge = NameJudge(actors, Roster(), declared)
    found = []
    for document in reports:
        report = parse_report(document)
        judge.judge(report, document)
        found.append(judge.resolved(report, document))
    return found


def test_a_bare_name_declared_with_its_side_in_the_log_takes_that_side() -> None:
    (later,) = resolved(drone_attack("bare", actor="saraya awliya al dam"), logged=(SARAYA, "Tower 22 guard"))

    assert (later.actor.name, later.actor.side.value, later.actor.type.value) == (
        "Saraya Awliya al-Dam",
        "iran_aligned",
        "militia",
    )


def test_a_bare_name_declared_earlier_in_the_append_takes_that_side_in_every_field() -> None:
    first = drone_attack("first", actor=SARAYA)
    answer = drone_attack("answer", actor="United States", target_actor=["Iran", "Saraya Awliya al-Dam"])

    _, later = resolved(first, answer)

    assert [actor.side.value for actor in later.target_actor] == ["iran_aligned", "iran_aligned"]
    assert later.actor.side.value == "us_coalition"  # a known actor keeps its own side


def test_a_name_never_declared_stays_unknown_and_the_report_is_the_same_object() -> None:
    document = drone_attack("bare", actor="Saraya Awliya al-Dam")
    report = parse_report(document)
    judge = NameJudge(known_actors(lambda: ["Saraya Awliya al-Dam"]), Roster())

    assert judge.resolved(report, document) is report
    assert report.actor is not None and report.actor.side.value == "unknown"


def test_a_bare_name_declared_with_two_sides_is_refused_as_ambiguous() -> None:
    other = {**SARAYA, "side": "host_nation", "type": "state_forces"}

    with pytest.raises(InvalidValue) as refused:
        resolved(drone_attack("bare", actor="Saraya Awliya al-Dam"), logged=(SARAYA, other))

    assert refused.value.field == "actor"
    assert refused.value.message.startswith(
        '"Saraya Awliya al-Dam" was declared as host_nation state_forces and as iran_aligned militia: give its side'
    )


def test_a_mapping_without_side_and_a_single_target_actor_take_the_declared_side() -> None:
    answer = drone_attack(
        "answer", actor={"name": "saraya awliya al-dam", "type": "militia"}, target_actor="Saraya Awliya al-Dam"
    )

    (resolved_answer,) = resolved(answer, logged=(SARAYA,))

    assert resolved_answer.actor.side.value == "iran_aligned"
    assert [actor.side.value for actor in resolved_answer.target_actor] == ["iran_aligned"]


def test_a_known_actor_stays_known_whatever_the_log_declared_under_its_name() -> None:
    odd = {"name": "Kata'ib Hezbollah", "side": "us_coalition", "type": "state_forces"}

    (later,) = resolved(drone_attack("kh", actor="Kata'ib Hezbollah"), logged=(odd,))

    assert (later.actor.side.value, later.actor.type.value) == ("iran_aligned", "militia")


def test_a_logged_value_that_no_longer_parses_hides_none_of_the_others() -> None:
    logged: tuple[object, ...] = ([{"name": ""}, SARAYA], "Seaside Brigade", {"name": "Liwa Seaside", "side": "side"})

    (later,) = resolved(drone_attack("bare", actor="Saraya Awliya al-Dam"), logged=logged)
    (plain,) = resolved(drone_attack("plain", actor="Seaside Brigade"), logged=logged)

    assert later.actor.side.value == "iran_aligned"
    assert plain.actor.side.value == "unknown"  # a bare name in the log declares nothing


def test_a_bare_name_holding_the_word_side_declares_nothing_so_the_declared_side_stands() -> None:
    seaside = {"name": "Seaside Brigade", "side": "iran_aligned", "type": "militia"}

    (later,) = resolved(drone_attack("bare", actor="Seaside Brigade"), logged=("Seaside Brigade", seaside))

    assert (later.actor.side.value, later.actor.type.value) == ("iran_aligned", "militia")


def test_an_actor_declared_in_the_report_keeps_its_side_though_the_log_declared_another() -> None:
    other = {**SARAYA, "side": "host_nation", "type": "state_forces"}

    (later,) = resolved(drone_attack("declared", actor=other), logged=(SARAYA,))

    assert (later.actor.side.value, later.actor.type.value) == ("host_nation", "state_forces")


def test_a_bare_name_after_a_declared_actor_still_takes_its_declared_side() -> None:
    front = {"name": "Liwa al-Jabha", "side": "other", "type": "militia"}
    answer = drone_attack("answer", actor=front, target_actor="Saraya Awliya al-Dam")

    (later,) = resolved(answer, logged=(SARAYA,))

    assert later.actor.side.value == "other"
    assert [actor.side.value for actor in later.target_actor] == ["iran_aligned"]
