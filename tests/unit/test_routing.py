"""Routing rules without a log (flashpoint.domain.routing): where an attack is recorded."""

from __future__ import annotations

from flashpoint.domain import Report, parse_report
from flashpoint.domain.routing import first_group, installations_of, primary_installation

from ..conftest import drone_attack


def test_an_attack_is_recorded_at_its_first_installation_not_at_a_group_it_names() -> None:
    report = parse_report(drone_attack("a", target=["Kata'ib Hezbollah", "Al Asad air base", "Tower 22"]))

    assert installations_of(report) == ["Al Asad air base", "Tower 22"]
    assert primary_installation(report) == "Al Asad air base"


def test_with_no_installation_named_the_site_is_unidentified_by_place_or_country() -> None:
    by_place = parse_report(drone_attack("a", target=[], place="near al-Qaim"))
    by_country = parse_report(drone_attack("b", target=[], country=["Syria", "Iraq"]))
    nowhere = parse_report(drone_attack("c", target=[]))

    assert primary_installation(by_place) == "unidentified site (near al-Qaim)"
    assert primary_installation(by_country) == "unidentified site (Syria, Iraq)"
    assert primary_installation(nowhere) == "unidentified site"


def test_the_group_hit_is_the_first_militia_target_actor_else_a_militia_target() -> None:
    strike = {
        "id": "s",
        "kind": "airstrike",
        "occurred": "2024-02-02",
        "reported": "2024-02-02",
        "actor": "United States",
        "target": ["weapons depot", "Kata'ib Sayyid al-Shuhada"],
        "target_actor": ["Kata'ib Hezbollah"],
    }
    by_name = strike | {"target_actor": ["United States"]}
    none = strike | {"target": ["weapons depot"], "target_actor": ["United States"]}

    assert first_group(parse_report(strike)).name == "Kata'ib Hezbollah"
    assert first_group(parse_report(by_name)).name == "Kata'ib Sayyid al-Shuhada"
    assert first_group(parse_report(none)) is None


def test_an_airstrike_is_its_own_operation_any_other_attack_is_at_its_installation() -> None:
    from flashpoint.domain.routing import Home, act_home

    strike = parse_report(
        {
            "id": "s",
            "kind": "airstrike",
            "occurred": "2024-02-02",
            "reported": "2024-02-02",
            "actor": "United States",
            "target": ["weapons depot"],
            "target_actor": ["Kata'ib Hezbollah"],
        }
    )
    attack = parse_report(drone_attack("a", target=["Tower 22"], target_actor=["United States"]))
    unaimed = parse_report(drone_attack("b", target=[], target_actor=[]))

    assert act_home(strike) == Home("operation", "s")
    assert act_home(attack) == Home("installation", "Tower 22", "us_coalition")
    assert act_home(unaimed) == Home("installation", "unidentified site", "unknown")


def test_a_statement_is_recorded_by_its_militia_else_at_its_act_else_by_the_group_it_names() -> None:
    from flashpoint.domain.routing import act_home, statement_home

    attack = parse_report(drone_attack("a", target=["Tower 22"], target_actor=["United States"]))

    def said(actor: str, **fields: object) -> Report:
        document = {"id": "st", "kind": "statement", "stance": "threat", "reported": "2024-02-03", "actor": actor}
        return parse_report(document | fields)

    militia = statement_home(said("Kata'ib Hezbollah", incident="a"), attack)
    at_act = statement_home(said("United States", incident="a"), attack)
    about = statement_home(said("United States", target_actor=["Harakat al-Nujaba"]), None)
    nowhere = statement_home(said("United States"), None)

    assert (militia.kind, militia.name, militia.side) == ("speaker", "Kata'ib Hezbollah", "iran_aligned")
    assert at_act == act_home(attack)
    assert (about.kind, about.name) == ("group", "Harakat Hezbollah al-Nujaba")
    assert nowhere.kind == "filing"


def test_a_statement_about_a_group_is_recorded_by_that_group_on_its_side() -> None:
    from flashpoint.domain.routing import Home, statement_home

    said = {"id": "st", "kind": "statement", "stance": "threat", "reported": "2024-02-03", "actor": "United States"}
    about = parse_report(said | {"target_actor": ["Harakat al-Nujaba"]})
    group = first_group(about)

    assert statement_home(about, None) == Home("group", "Harakat Hezbollah al-Nujaba", "iran_aligned", group)
