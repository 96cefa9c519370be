"""``flashpoint check``: features from anywhere, true ones pass, false ones fail with expected/actual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, "-m", "flashpoint", "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


FALSE_SCENARIOS = {
    "timeline count": "Then the timeline holds 5 hostile acts",
    "timeline order": """Then the timeline lists these acts in order:
      | id                    |
      | us-strikes-2021-06-27 |
      | us-strikes-2021-02-25 |""",
    "certainty": 'Then the act "bdsc-drone-2021-06" is possible',
    "exact lag": 'Then "us-strikes-2021-02-25" responds to "erbil-rockets-2021-02-15" after 11 days',
    "lag range": 'Then "us-strikes-2021-06-27" responds to "bdsc-drone-2021-06" after 16 to 25 days',
    "a day inside a lag range": 'Then "us-strikes-2021-06-27" responds to "bdsc-drone-2021-06" after 20 days',
    "missing response": 'Then "us-strikes-2021-06-27" responds to "erbil-rockets-2021-02-15" after 132 days',
    "level": 'Then the escalation level is "direct state confrontation"',
    "trend": 'Then the escalation trend is "stable"',
    "cycles": "Then the tit-for-tat cycles number 3",
    "killed": 'Then militia killed in "us-strikes-2021-06-27" are low 4, best 4, high 4',
    "injured": 'Then militia injured in "us-strikes-2021-02-25" are low 2, best 2, high 2',
    "disputed": 'Then the casualty figures for "us-strikes-2021-02-25" are disputed',
    "undisputed": 'Then the casualty figures for "us-strikes-2021-06-27" are undisputed',
    "total": "Then the total militia killed are low 4, best 4, high 5",
    "append fails": 'Then the append fails mentioning "anything"',
    "log holds": "Then the event log holds 11 reports",
    "misspelt incident": 'Then militia killed in "us-strike-2021-06-27" are low null, best null, high null',
}


def write_feature(path: Path, scenarios: dict[str, str]) -> Path:
    lines = ["Feature: Statements to check", ""]
    for name, step in scenarios.items():
        lines += [f"  Scenario: {name}", "    Given the seed reports are appended", f"    {step}", ""]
    path.write_text("\n".join(lines))
    return path


def outcomes(report: Path) -> dict[str, str]:
    results = {}
    for feature in json.loads(report.read_text()):
        for element in feature["elements"]:
            statuses = [step["result"]["status"] for step in element["steps"]]
            results[element["name"]] = "failed" if "failed" in statuses else "passed"
    return results


def test_every_then_step_fails_when_its_statement_is_false(tmp_path: Path) -> None:
    feature = write_feature(tmp_path / "false.feature", FALSE_SCENARIOS)

    result = check(str(feature), "--cucumberjson", str(tmp_path / "report.json"), cwd=tmp_path)

    assert result.returncode == 1
    assert outcomes(tmp_path / "report.json") == dict.fromkeys(FALSE_SCENARIOS, "failed")
    assert "expected low 4, best 4, high 4, actual low 4, best 4, high 5" in result.stdout
    assert (
        "\"us-strike-2021-06-27\": no act in the log has this id; did you mean 'us-strikes-2021-06-27'" in result.stdout
    )


def test_the_bundled_features_pass_from_any_directory(tmp_path: Path) -> None:
    result = check(cwd=tmp_path)

    assert result.returncode == 0, result.stdout[-3000:]
    assert "Scenario: The June toll is disputed" in result.stdout
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_reports_beside_a_feature_outside_the_repo(tmp_path: Path) -> None:
    (tmp_path / "cases" / "data").mkdir(parents=True)
    (tmp_path / "cases" / "data" / "acts.yaml").write_text(
        "- {id: a1, kind: rocket_attack, occurred: 2024-01-01, reported: 2024-01-01,"
        " target: [Al Asad], damage: minor}\n"
    )
    (tmp_path / "cases" / "acts.feature").write_text(
        "Feature: Elsewhere\n  Scenario: Relative paths\n    Given an empty event log\n"
        '    And the reports in "data/acts.yaml" are appended\n    Then the escalation level is "damaging attacks"\n'
    )

    result = check("cases", cwd=tmp_path)

    assert result.returncode == 0, result.stdout


def test_an_undefined_step_fails_naming_it(tmp_path: Path) -> None:
    feature = tmp_path / "undefined.feature"
    feature.write_text("Feature: Vague\n  Scenario: Nonsense\n    Given the moon is made of cheese\n")

    result = check(str(feature), cwd=tmp_path)

    assert result.returncode != 0
    assert 'Step definition is not found: Given "the moon is made of cheese"' in result.stdout


@pytest.mark.parametrize("name", ["nowhere.feature", "empty-dir"])
def test_missing_features_exit_66(tmp_path: Path, name: str) -> None:
    (tmp_path / "empty-dir").mkdir()

    result = check(name, cwd=tmp_path)

    assert result.returncode == 66
    assert result.stderr.startswith("error: ")


def test_each_scenario_starts_from_an_empty_log(tmp_path: Path) -> None:
    feature = tmp_path / "fresh.feature"
    feature.write_text(
        "Feature: Isolation\n"
        "  Scenario: First\n    Given the seed reports are appended\n    Then the event log holds 12 reports\n"
        "  Scenario: Second\n    Given an empty event log\n    Then the event log holds 0 reports\n"
    )

    assert check(str(feature), cwd=tmp_path).returncode == 0
