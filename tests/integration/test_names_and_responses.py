"""Near-miss actor names and impossible responses, through ``append`` and the CLI.

A bare actor one typo from a known one used to be recorded as a new actor of side
``unknown`` (so a US strike answering it counted as a tit-for-tat cycle), and
``responds_to`` took ids that exist nowhere and answers that came before the act.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from flashpoint import app as app_module
from flashpoint.app import Flashpoint
from flashpoint.domain import parse_report
from flashpoint.reports.files import BadReport, load

from ..conftest import WriteReports, drone_attack
from .test_cli import events_in, flashpoint

KH_ATTACK = drone_attack("kh-drone", actor="Kata'ib Hezbollah", occurred="2024-01-20", reported="2024-01-20")
KH_TYPO = {**KH_ATTACK, "actor": "Kataib Hezbolah"}
US_ANSWER = {
    "id": "us-answer",
    "kind": "airstrike",
    "occurred": "2024-01-25",
    "reported": "2024-01-25",
    "actor": "United States",
    "target": ["KH depot"],
    "target_actor": "Kata'ib Hezbollah",
    "responds_to": ["kh-drone"],
}


def appended(app: Flashpoint, path: Path) -> list[str]:
    """Append a file in process; the notes the append made."""
    return app.append(load(str(path))).notes


def test_a_us_answer_to_a_misspelt_militia_is_refused_not_counted_as_a_cycle(
    db_path: Path, write_reports: WriteReports
) -> None:
    assert flashpoint("append", str(write_reports([drone_attack("before")])), db=db_path).returncode == 0
    before = events_in(db_path)
    path = write_reports([KH_TYPO, US_ANSWER])

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65
    assert result.stderr.splitlines() == [
        f'error: {path}: report kh-drone: actor: "Kataib Hezbolah" is not a known actor; '
        'did you mean "Kata\'ib Hezbollah"? (to record a new actor, give it as {name, side, type})'
    ]
    assert events_in(db_path) == before


def test_an_actor_declared_with_its_side_is_recorded_as_new_with_one_note(
    db_path: Path, write_reports: WriteReports
) -> None:
    declared = {**KH_TYPO, "actor": {"name": "Kataib Hezbolah", "side": "iran_aligned", "type": "militia"}}
    path = write_reports([declared, US_ANSWER])

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("note:")] == [
        f'note: {path}: report kh-drone: actor.name: "Kataib Hezbolah" recorded as a new actor, '
        'near "Kata\'ib Hezbollah"'
    ]
    acts = json.loads(flashpoint("escalation", "--json", db=db_path).stdout)["acts"]
    assert {(act["actor"], act["side"]) for act in acts} >= {("Kataib Hezbolah", "iran_aligned")}


def test_a_response_to_an_id_that_is_nowhere_is_refused_and_the_log_untouched(
    db_path: Path, write_reports: WriteReports
) -> None:
    assert flashpoint("append", str(write_reports([KH_ATTACK])), db=db_path).returncode == 0
    before = events_in(db_path)
    path = write_reports([{**US_ANSWER, "responds_to": ["kh-drone", "kh-dron"]}])

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65
    assert result.stderr.splitlines() == [
        f"error: {path}: report us-answer: responds_to: 'kh-dron' is neither in the log nor in this append"
    ]
    assert events_in(db_path) == before


def test_every_misspelt_actor_and_impossible_response_of_an_append_is_named_at_once(
    db_path: Path, write_reports: WriteReports
) -> None:
    path = write_reports([KH_TYPO, {**US_ANSWER, "actor": "Untied States", "responds_to": ["kh-dron"]}])

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65
    assert [line.partition(": report ")[2] for line in result.stderr.splitlines()] == [
        'kh-drone: actor: "Kataib Hezbolah" is not a known actor; did you mean "Kata\'ib Hezbollah"? '
        "(to record a new actor, give it as {name, side, type})",
        "us-answer: responds_to: 'kh-dron' is neither in the log nor in this append",
        'us-answer: actor: "Untied States" is not a known actor; did you mean "United States"? '
        "(to record a new actor, give it as {name, side, type})",
    ]


def test_a_response_before_the_act_it_answers_is_refused(app: Flashpoint, write_reports: WriteReports) -> None:
    appended(app, write_reports([KH_ATTACK]))
    path = write_reports([{**US_ANSWER, "occurred": "2024-01-19"}])

    with pytest.raises(BadReport) as refused:
        appended(app, path)

    assert str(refused.value) == (
        f"{path}: report us-answer: responds_to: 'kh-drone' began on 2024-01-20, after this response ended "
        "(2024-01-19): a response cannot come before the act it answers"
    )
    assert app.count_reports() == 1


def test_a_response_may_answer_a_report_anywhere_in_the_same_append_or_in_the_log(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    same_day = {**US_ANSWER, "id": "same-day", "occurred": "2024-01-20", "responds_to": ["kh-drone", "earlier"]}
    appended(app, write_reports([drone_attack("earlier", occurred="2024-01-01", reported="2024-01-01")]))

    appended(app, write_reports([same_day, KH_ATTACK]))

    assert app.count_reports() == 3


def test_actors_already_in_the_log_are_suggested_whether_read_by_sql_or_decoded(
    app: Flashpoint, write_reports: WriteReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = {"name": "Saraya Awliya al-Dam", "side": "iran_aligned", "type": "militia"}
    appended(app, write_reports([drone_attack("first", actor=declared)]))
    typo = write_reports([drone_attack("second", actor="Saraya Awliya al-Damm")])

    with pytest.raises(BadReport, match='did you mean "Saraya Awliya al-Dam"'):
        appended(app, typo)
    monkeypatch.setattr(app_module, "distinct_json", lambda *_: None)  # as on a store without the SQL
    with pytest.raises(BadReport, match='did you mean "Saraya Awliya al-Dam"'):
        appended(app, typo)
    assert app.count_reports() == 1


def test_a_new_installation_near_one_in_the_log_is_appended_with_a_warning(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    appended(app, write_reports([drone_attack("one", target=["Tower 22"])]))
    path = write_reports([drone_attack("two", target=["Towr 22"]), drone_attack("three", target=["Tower 23"])])

    assert appended(app, path) == [
        f'warning: {path}: report two: target[0]: "Towr 22" recorded as a new installation, near "Tower 22"'
    ]
    assert app.count_reports() == 3


def test_the_logs_names_are_read_once_per_append_and_not_at_all_for_known_names(
    app: Flashpoint, write_reports: WriteReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    read = app.distinct_stored

    def counted(topic: str, paths: Any) -> list[list[Any]]:
        reads.append(topic.rpartition(".")[2])
        return read(topic, paths)

    monkeypatch.setattr(app, "distinct_stored", counted)
    appended(app, write_reports([drone_attack(f"known-{n}") for n in range(3)]))
    assert reads == ["Registered"]  # Tower 22 was new to the log; the actors were all known

    reads.clear()
    many = [drone_attack(f"new-{n}", actor=f"Brigade number {n:04d}", target=[f"Outpost {n:04d}"]) for n in range(1000)]
    appended(app, write_reports(many, as_json=True))
    assert sorted(reads) == ["Registered", "ReportFiled"]

    reads.clear()
    appended(app, write_reports([drone_attack("again", actor="Kata'ib Hezbollah", target=["Outpost 0007"])]))
    assert reads == []  # a known actor, an installation in the log

    appended(app, write_reports([drone_attack("logged", actor="Brigade number 0007", target=["Outpost 0007"])]))
    assert reads == ["ReportFiled"]  # an actor new to what is known: the log's actors are read


def test_the_benchmark_generator_writes_responses_that_never_go_backwards() -> None:
    from flashpoint.domain.resolution import check_responses

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", path)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)

    reports = {report.id: report for report in map(parse_report, generate.reports(3000))}
    responses = [report for report in reports.values() if report.responds_to]

    assert len(responses) > 100
    for report in responses:
        check_responses(report, reports)


def test_a_bare_mention_of_an_actor_declared_in_the_log_takes_its_side(
    db_path: Path, write_reports: WriteReports
) -> None:
    """It used to be recorded with side ``unknown``: an answer from its own side counted as a cycle."""
    saraya = {"name": "Saraya Awliya al-Dam", "side": "iran_aligned", "type": "militia"}
    first = drone_attack("sad-drone-1", actor=saraya, occurred="2024-01-10", reported="2024-01-10")
    later = drone_attack("sad-drone-2", actor="Saraya Awliya al-Dam", occurred="2024-01-20", reported="2024-01-20")
    same_side = drone_attack(
        "kh-answer",
        actor="Kata'ib Hezbollah",
        occurred="2024-01-22",
        reported="2024-01-22",
        responds_to=["sad-drone-2"],
    )
    us_answer = {**US_ANSWER, "target_actor": "Saraya Awliya al-Dam", "responds_to": ["sad-drone-2"]}

    assert flashpoint("append", str(write_reports([first], name="first.yaml")), db=db_path).returncode == 0
    appended = flashpoint("append", str(write_reports([later, same_side, us_answer], name="later.yaml")), db=db_path)
    assert appended.returncode == 0, appended.stderr
    picture = json.loads(flashpoint("escalation", "--json", db=db_path).stdout)

    assert {act["id"]: act["side"] for act in picture["acts"]}["sad-drone-2"] == "iran_aligned"
    assert {(r["response"], r["tit_for_tat"]) for r in picture["responses"]} == {
        ("kh-answer", False),
        ("us-answer", True),
    }
    assert picture["cycles"] == 1


def _claim(source: object, party: str = "militia") -> dict[str, Any]:
    return {"party": party, "killed": 1, "source": source}


def test_a_claim_source_near_one_in_the_log_is_appended_with_a_warning(
    app: Flashpoint, write_reports: WriteReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    appended(app, write_reports([drone_attack("one", casualties=[_claim("Syrian Observatory for Human Rights")])]))
    path = write_reports(
        [
            drone_attack("two", casualties=[_claim("US Central Command"), _claim({"name": "Syrian Observatry"})]),
            drone_attack("three", casualties=[_claim("Syrian Observatory for Human Right")]),
        ]
    )

    notes = appended(app, path)
    monkeypatch.setattr(app_module, "distinct_json", lambda *_: None)  # as on a store without the SQL
    again = appended(
        app, write_reports([drone_attack("four", casualties=[_claim("Syrian Observatory of Human Rights")])])
    )

    assert notes == [
        f'warning: {path}: report three: casualties[0].source: "Syrian Observatory for Human Right" '
        'recorded as a new source, near "Syrian Observatory for Human Rights"'
    ]
    assert len(again) == 1 and 'near "Syrian Observatory for Human Rights"' in again[0]
    assert app.count_reports() == 4


def test_a_claim_source_near_one_earlier_in_the_append_is_warned_about_where_it_is_named(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    path = write_reports(
        [
            drone_attack("one", casualties=[_claim({"name": "Associated Press"})]),
            drone_attack("two", casualties=[_claim({"name": "Asociated Press", "url": "https://apnews.com"})]),
            drone_attack(
                "three", sources=[{"name": "Associated Pres"}], casualties=[{"party": "militia", "killed": 2}]
            ),
        ]
    )

    assert appended(app, path) == [
        f'warning: {path}: report two: casualties[0].source.name: "Asociated Press" recorded as a new source, '
        'near "Associated Press"',
        f'warning: {path}: report three: sources[0].name: "Associated Pres" recorded as a new source, '
        'near "Associated Press"',
    ]


def test_only_the_sources_of_claims_are_compared(app: Flashpoint, write_reports: WriteReports) -> None:
    appended(app, write_reports([drone_attack("one", sources=[{"name": "Associated Press"}])]))

    assert appended(app, write_reports([drone_attack("two", sources=[{"name": "Associated Pres"}])])) == []
    assert appended(app, write_reports([drone_attack("three", casualties=[_claim("Associated Pres")])])) == []
