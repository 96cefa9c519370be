"""``flashpoint check``: features from anywhere, true ones pass, false ones fail with expected/actual."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def check(*args: str, cwd: Path, environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``flashpoint check`` in a subprocess, without the outer pytest's variables unless ``environment`` sets some."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, "-m", "flashpoint", "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env | (environment or {}),
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
    "withdrawn now": 'Then the act "us-strikes-2021-06-27" is withdrawn',
    "merged now": 'Then the act "us-strikes-2021-06-27" is merged into "us-strikes-2021-02-25"',
    "level at least": 'Then the escalation level is at least "direct state confrontation"',
    "cycles at least": "Then the tit-for-tat cycles number at least 3",
    "total at least": "Then the total militia killed are at least 6",
    "no changes listed yet": "Then nothing changed",
    **{
        f"changes: {name}": f"When the changes between 2021-06-20 and 2021-06-28 are listed\n    {step}"
        for name, step in {
            "nothing changed": "Then nothing changed",
            "added": 'Then the act "bdsc-drone-2021-06" was added',
            "withdrawn": 'Then the act "us-strikes-2021-06-27" was withdrawn',
            "merged": 'Then the act "us-strikes-2021-06-27" was merged into "bdsc-drone-2021-06"',
            "rung": 'Then the act "us-strikes-2021-06-27" changed from rung 2 to rung 5',
            "figure": 'Then militia killed in "us-strikes-2021-06-27" changed from low 4, best 4, high 5 '
            "to low 4, best 4, high 5",
            "because": 'Then the change to militia killed in "us-strikes-2021-06-27" '
            'is because of "us-strikes-2021-02-25"',
            "level": 'Then the escalation level changed from "lethal attacks" to "lethal attacks"',
            "trend": 'Then the escalation trend changed from "stable" to "escalating"',
            "cycles": "Then the tit-for-tat cycles changed from 2 to 2",
        }.items()
    },
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
        "expected low 4, best 4, high 5 to low 4, best 4, high 5, actual low None, best None, high None "
        "to low 4, best 4, high 5" in result.stdout
    )
    assert (
        'escalation level: expected "lethal attacks" to "lethal attacks", actual "casualty attacks" to' in result.stdout
    )
    assert 'act "us-strikes-2021-06-27" at to the end, all known: expected withdrawn, actual listed' in result.stdout
    assert "no changes listed yet" in result.stdout
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


def test_the_pytest_environment_does_not_change_what_passes(tmp_path: Path) -> None:
    feature = tmp_path / "plain.feature"
    feature.write_text(
        "Feature: Plain\n  Scenario: Empty\n    Given an empty event log\n    Then the event log holds 0 reports\n"
    )
    outer = {
        "PYTEST_ADDOPTS": "-x --no-such-option",
        "PYTEST_PLUGINS": "no_such_plugin",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }

    result = check(str(feature), cwd=tmp_path, environment=outer)

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


MISSPELT_IDS = {
    "certain": ('Then the act "us-strike-2021-06-27" is certain', "act", "us-strikes-2021-06-27"),
    "possible": ('Then the act "BDSC-drone-2021-06" is possible', "act", "bdsc-drone-2021-06"),
    "response": (
        'Then "us-strike-2021-06-27" responds to "bdsc-drone-2021-06" after 16 to 25 days',
        "act",
        "us-strikes-2021-06-27",
    ),
    "answered act": (
        'Then "us-strikes-2021-02-25" responds to "erbil-rocket-2021-02-15" after 10 days',
        "act",
        "erbil-rockets-2021-02-15",
    ),
    "killed": (
        'Then militia killed in "us-strike-2021-06-27" are low null, best null, high null',
        "act",
        "us-strikes-2021-06-27",
    ),
    "injured": (
        'Then militia injured in "us-strikes-2021-02-26" are low null, best null, high null',
        "act",
        "us-strikes-2021-02-25",
    ),
    "disputed": ('Then the casualty figures for "us-strike-2021-06-27" are disputed', "act", "us-strikes-2021-06-27"),
    "undisputed": (
        'Then the casualty figures for "us-strikes-2021-0627" are undisputed',
        "act",
        "us-strikes-2021-06-27",
    ),
    "appended again": ('When the report "us-strike-2021-06-27" is appended again', "report", "us-strikes-2021-06-27"),
    "withdrawn": ('Then the act "us-strike-2021-06-27" is withdrawn', "act", "us-strikes-2021-06-27"),
    "merged into": (
        'Then the act "us-strikes-2021-06-27" is merged into "bdsc-drone-2021-6"',
        "act",
        "bdsc-drone-2021-06",
    ),
    "because": (
        "When the changes between 2021-06-20 and 2021-06-28 are listed\n"
        '    Then the change to militia killed in "us-strikes-2021-06-27" is because of "us-strike-2021-06-27"',
        "report",
        "us-strikes-2021-06-27",
    ),
    "at least rung": ('Then the escalation level is at least "lethal attack"', "rung", "lethal attacks"),
}


def test_steps_naming_an_id_unknown_to_the_log_fail_with_the_nearest_ids(tmp_path: Path) -> None:
    feature = write_feature(tmp_path / "misspelt.feature", {name: step for name, (step, _, _) in MISSPELT_IDS.items()})

    check(str(feature), "--cucumberjson", str(tmp_path / "report.json"), cwd=tmp_path)

    errors = {
        element["name"]: step["result"].get("error_message", "")
        for element in json.loads((tmp_path / "report.json").read_text())[0]["elements"]
        for step in element["steps"]
        if step["result"]["status"] == "failed"
    }
    assert set(errors) == set(MISSPELT_IDS)
    for name, (_, kind, nearest) in MISSPELT_IDS.items():
        assert f"no {kind} in the log has this id; did you mean {nearest!r}" in errors[name], name


def test_an_act_outside_the_cut_is_not_taken_for_a_typo(tmp_path: Path) -> None:
    feature = tmp_path / "cut.feature"
    feature.write_text(
        "Feature: Cut\n  Scenario: Before the strikes\n    Given the seed reports are appended\n"
        "    When history is replayed to 2021-01-01\n"
        '    Then militia killed in "us-strikes-2021-06-27" are low null, best null, high null\n'
        '    And the act "us-strikes-2021-06-27" is certain\n'
    )

    result = check(str(feature), cwd=tmp_path)

    assert result.returncode == 1
    assert 'act "us-strikes-2021-06-27": expected it on the timeline at to 2021-01-01' in result.stdout
    assert "no act in the log has this id" not in result.stdout


# -- the Cucumber JSON report ---------------------------------------------------------------------

MIXED = """@dashboard
Feature: Mixed results

  @mixed @nightly
  Scenario: Fails halfway
    Given the seed reports are appended
    Then the event log holds 11 reports
    And the event log holds 12 reports

  Scenario: Undefined halfway
    Given an empty event log
    When the moon is made of cheese
    Then the event log holds 0 reports

  Scenario: Passes
    Given an empty event log
    Then the event log holds 0 reports
"""

FIRST_UNDEFINED = """Feature: Undefined from the start
  Scenario: Nothing defined
    Given the moon is made of cheese
    Then the event log holds 0 reports
"""


OUTLINED = """Feature: Outlined
  @outlined
  Scenario Outline: Counting
    Given an empty event log
    Then the event log holds <n> reports

    @empty
    Examples:
      | n |
      | 0 |

    Examples:
      | n |
      | 0 |
"""


def cucumber_json(tmp_path: Path, features: dict[str, str]) -> list[dict[str, Any]]:
    """The Cucumber JSON ``check`` writes for these feature files (name → text), run from ``tmp_path``."""
    for name, text in features.items():
        (tmp_path / name).write_text(text)
    report = tmp_path / "cucumber" / "report.json"
    report.parent.mkdir()
    check(*features, "--cucumberjson", str(report), cwd=tmp_path)
    document: list[dict[str, Any]] = json.loads(report.read_text())
    return document


def step_statuses(document: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    return {
        (feature["name"], element["name"]): [step["result"]["status"] for step in element["steps"]]
        for feature in document
        for element in feature["elements"]
    }


def test_cucumber_json_has_every_step_with_its_status(tmp_path: Path) -> None:
    document = cucumber_json(tmp_path, {"mixed.feature": MIXED, "first-undefined.feature": FIRST_UNDEFINED})

    assert step_statuses(document) == {
        ("Mixed results", "Fails halfway"): ["passed", "failed", "skipped"],
        ("Mixed results", "Undefined halfway"): ["passed", "undefined", "skipped"],
        ("Mixed results", "Passes"): ["passed", "passed"],
        ("Undefined from the start", "Nothing defined"): ["undefined", "skipped"],
    }


def test_cucumber_json_names_tags_lines_and_errors_as_cucumber_does(tmp_path: Path) -> None:
    [feature] = cucumber_json(tmp_path, {"mixed.feature": MIXED})
    failing = feature["elements"][0]

    assert (feature["uri"], feature["id"], feature["keyword"], feature["line"]) == (
        "mixed.feature",
        "mixed-results",
        "Feature",
        2,
    )
    assert feature["tags"] == [{"name": "@dashboard", "line": 1}]
    assert (failing["id"], failing["keyword"], failing["line"], failing["type"]) == (
        "mixed-results;fails-halfway",
        "Scenario",
        5,
        "scenario",
    )
    assert failing["tags"] == [
        {"name": "@dashboard", "line": 1},
        {"name": "@mixed", "line": 4},
        {"name": "@nightly", "line": 4},
    ]
    assert [(step["keyword"], step["line"]) for step in failing["steps"]] == [("Given ", 6), ("Then ", 7), ("And ", 8)]
    passed, failed, skipped = (step["result"] for step in failing["steps"])
    assert failed["error_message"] == "AssertionError: the event log: expected 11 reports, actual 12 reports"
    assert "error_message" not in passed and "error_message" not in skipped
    assert passed["duration"] > 1000 and failed["duration"] > 1000  # nanoseconds: more than a microsecond
    assert skipped["duration"] == 0


def test_cucumber_json_gives_each_outline_row_its_id_and_its_examples_tags(tmp_path: Path) -> None:
    [feature] = cucumber_json(tmp_path, {"outlined.feature": OUTLINED})

    assert [(element["id"], element["tags"]) for element in feature["elements"]] == [
        ("outlined;counting", [{"name": "@outlined", "line": 2}, {"name": "@empty", "line": 7}]),
        ("outlined;counting;2", [{"name": "@outlined", "line": 2}]),
    ]


HOOKED_MODULE = """import pytest
from pytest_bdd import scenarios

pytest_plugins = ["flashpoint.gherkin.steps"]


@pytest.fixture(autouse=True)
def breaks(request):
    if request.node.get_closest_marker("broken_setup"):
        raise RuntimeError("no store")
    yield
    if request.node.get_closest_marker("broken_teardown"):
        raise RuntimeError("cannot close")


scenarios("hooked.feature")
"""

HOOKED_FEATURE = """Feature: Hooked
  @broken_setup
  Scenario: Setup fails
    Given an empty event log

  @broken_teardown
  Scenario: Teardown fails
    Given an empty event log

  @skip
  Scenario: Skipped
    Given an empty event log
"""

RUN_WITH_REPORT = """import sys
from pathlib import Path

import pytest
from flashpoint.gherkin.cucumber import CucumberJson

root = Path(sys.argv[1])
report = CucumberJson(root / "report.json", root)
sys.exit(pytest.main([str(root), "-q", "-p", "no:cacheprovider", "--rootdir", str(root)], plugins=[report]))
"""


def test_a_failure_outside_any_step_is_a_failed_hook_and_a_skipped_scenario_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "test_hooked.py").write_text(HOOKED_MODULE)
    (tmp_path / "hooked.feature").write_text(HOOKED_FEATURE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}

    subprocess.run([sys.executable, "-c", RUN_WITH_REPORT, str(tmp_path)], env=env, timeout=120, check=False)

    [feature] = json.loads((tmp_path / "report.json").read_text())
    shown = {
        element["name"]: [
            (step["keyword"], step["result"]["status"], step["result"].get("error_message"), step.get("hidden", False))
            for step in element["steps"]
        ]
        for element in feature["elements"]
    }
    assert shown == {
        "Setup fails": [
            ("Before", "failed", "RuntimeError: no store", True),
            ("Given ", "skipped", None, False),
        ],
        "Teardown fails": [
            ("Given ", "passed", None, False),
            ("After", "failed", "RuntimeError: cannot close", True),
        ],
        "Skipped": [("Given ", "skipped", None, False)],
    }


# -- a real consumer: a Cucumber HTML reporter from the npm registry ----------------------------------

REPO = Path(__file__).resolve().parents[2]
NODE_DIR = REPO / "build" / "node"
REPORTER = "multiple-cucumber-html-reporter"
RENDER = "require(process.argv[1]).generate({jsonDir: process.argv[2], reportPath: process.argv[3], disableLog: true})"
STEP_STATUS = re.compile(
    r'title="(?P<status>Step [^"]*)".*?'
    r'<span class="keyword highlight">(?P<keyword>[^<]*)</span>\s*(?P<name>[^<]*?)\s*<',
    re.S,
)


@pytest.fixture(scope="module")
def html_reporter() -> Path:
    """The reporter's package folder, installed by scripts/node-reporters when absent (or skip, saying why)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to render Cucumber JSON with " + REPORTER)
    package = NODE_DIR / "node_modules" / REPORTER
    if not package.is_dir():
        installed = subprocess.run(
            [str(REPO / "scripts" / "node-reporters")], capture_output=True, text=True, timeout=600
        )
        if installed.returncode != 0:
            pytest.skip(f"could not install {REPORTER} from the npm registry: {installed.stderr.strip()[-300:]}")
    return package


def rendered_steps(html: str) -> list[tuple[str, str, str]]:
    """(status shown, keyword, step text) of every step on a feature page of the reporter."""
    containers = html.split('class="scenario-step-container"')[1:]
    found = [STEP_STATUS.search(container) for container in containers]
    return [(match["status"], match["keyword"].strip(), match["name"]) for match in found if match]


def test_a_cucumber_html_reporter_shows_the_failing_and_the_undefined_step(tmp_path: Path, html_reporter: Path) -> None:
    cucumber_json(tmp_path, {"mixed.feature": MIXED})

    subprocess.run(
        ["node", "-e", RENDER, str(html_reporter), str(tmp_path / "cucumber"), str(tmp_path / "html")],
        check=True,
        timeout=120,
    )

    [page] = (tmp_path / "html" / "features").glob("*.html")
    html = page.read_text()
    assert rendered_steps(html) == [
        ("Step passed", "Given", "the seed reports are appended"),
        ("Step failed", "Then", "the event log holds 11 reports"),
        ("Step is skipped", "And", "the event log holds 12 reports"),
        ("Step passed", "Given", "an empty event log"),
        ("Step has no implementation.", "When", "the moon is made of cheese"),
        ("Step is skipped", "Then", "the event log holds 0 reports"),
        ("Step passed", "Given", "an empty event log"),
        ("Step passed", "Then", "the event log holds 0 reports"),
    ]
    assert "the event log: expected 11 reports, actual 12 reports" in html


def test_a_feature_table_appends_retractions_and_merges_and_the_log_counts_them(tmp_path: Path) -> None:
    feature = tmp_path / "corrections.feature"
    feature.write_text(
        "Feature: Corrections in a table\n"
        "  Scenario: Retracted and merged\n"
        "    Given these reports are appended:\n"
        "      | id       | kind         | occurred   | reported   | retracts | merges            | into    |\n"
        "      | drone-1  | drone_attack | 2024-01-28 | 2024-01-28 |          |                   |         |\n"
        "      | drone-1b | drone_attack | 2024-01-28 | 2024-01-29 |          |                   |         |\n"
        "      | drone-1c | drone_attack | 2024-01-28 | 2024-01-29 |          |                   |         |\n"
        "      | m-1      | merge        |            | 2024-01-30 |          | drone-1b;drone-1c | drone-1 |\n"
        "      | r-1      | retraction   |            | 2024-01-31 | m-1      |                   |         |\n"
        "    When these reports are appended:\n"
        "      | id  | kind       | reported   | retracts |\n"
        "      | r-2 | retraction | 2024-01-31 | drone-9  |\n"
        "    Then the append fails mentioning \"'drone-9' is neither in the log nor in this append\"\n"
        "    And the event log holds 5 reports\n"
    )

    result = check(str(feature), cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
