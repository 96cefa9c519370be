"""flashpoint watch, append --watch and standing scenarios under check, through the CLI.

The flips of the bundled campaign feature were counted by hand: each publication day judged
with ``escalation --summary`` and ``casualties`` at ``--to K --known-on K``, a flip being the
window's when ``--known-on K-1`` already gave the new verdict.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flashpoint.cli import main

FEATURES = Path(__file__).resolve().parents[2] / "features"
CAMPAIGN = FEATURES / "data" / "campaign-2023-24.yaml"
WATCHED = FEATURES / "standing" / "campaign.feature"

LETHAL, CASUALTY, TIT_FOR_TAT = "Lethal attacks on US forces", "Casualty attacks or worse", "Tit-for-tat under way"
BY_HAND = [
    ("2023-10-19", CASUALTY, True, ["casualties-al-tanf-2023-10-19"]),
    ("2023-11-08", TIT_FOR_TAT, True, ["airstrike-maysalun-2023-11-08"]),
    ("2023-12-22", CASUALTY, False, []),  # the last casualty act left the 30-day window
    ("2023-12-25", CASUALTY, True, ["drone-attack-erbil-2023-12-25", "airstrike-iraq-2023-12-25"]),
    ("2024-01-28", LETHAL, True, ["drone-attack-tower-22-2024-01-28", "warning-biden-2024-01-28"]),
    ("2024-03-12", LETHAL, False, []),
    ("2024-03-12", CASUALTY, False, []),
]


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """flashpoint in a subprocess (check runs pytest, once per process), without the outer pytest's variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    command = [sys.executable, "-m", "flashpoint", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False)


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    db = tmp_path / "campaign.db"
    assert run(db, "append", str(CAMPAIGN)).exit_code == 0
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_watch_prints_one_line_per_flip_counted_by_hand(campaign: Path) -> None:
    result = run(campaign, "watch", str(WATCHED))

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{day}  {name}  {'now holds' if holds else 'no longer holds'}  {', '.join(ids) or '(window)'}"
        for day, name, holds, ids in BY_HAND
    ]
    assert result.stderr.strip() == "23 day(s) judged, the last 2024-03-12; 7 flip(s); holding now: " + TIT_FOR_TAT


def test_watch_json_gives_the_intervals_each_scenario_held(campaign: Path) -> None:
    answer = json.loads(run(campaign, "watch", str(WATCHED), "--json").stdout)

    held = {scenario["name"]: scenario["held"] for scenario in answer["scenarios"]}
    assert held == {
        LETHAL: [{"from": "2024-01-28", "until": "2024-03-12", "because": BY_HAND[4][3]}],
        CASUALTY: [
            {"from": "2023-10-19", "until": "2023-12-22", "because": BY_HAND[0][3]},
            {"from": "2023-12-25", "until": "2024-03-12", "because": BY_HAND[3][3]},
        ],
        TIT_FOR_TAT: [{"from": "2023-11-08", "until": None, "because": BY_HAND[1][3]}],
    }
    assert [(flip["day"], flip["scenario"], flip["holds"], flip["because"]) for flip in answer["flips"]] == [
        (day, name, holds, ids) for day, name, holds, ids in BY_HAND
    ]
    assert [flip["window"] for flip in answer["flips"]] == [not ids for *_, ids in BY_HAND]
    assert answer["cut"] == {"since": None, "days": 23, "last": "2024-03-12"}


def test_watch_since_a_day_judges_from_it_on_the_verdict_before_it_unprinted(campaign: Path) -> None:
    result = run(campaign, "watch", str(WATCHED), "--since", "2024-01-01", "--json")
    answer = json.loads(result.stdout)

    assert [(flip["day"], flip["scenario"]) for flip in answer["flips"]] == [
        (day, name) for day, name, *_ in BY_HAND[4:]
    ]
    held = {scenario["name"]: scenario["held"] for scenario in answer["scenarios"]}
    assert held[CASUALTY] == [{"from": None, "until": "2024-03-12", "because": []}]  # held before --since


def test_exit_status_says_whether_a_scenario_holds_on_the_last_day(campaign: Path, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.feature"
    quiet.write_text(
        "Feature: q\n  @standing\n  Scenario: lethal\n    Given the event log\n"
        '    Then the escalation level is at least "lethal attacks"\n',
        encoding="utf-8",
    )

    assert run(campaign, "watch", str(WATCHED), "--exit-status").exit_code == 1  # tit-for-tat still holds
    assert run(campaign, "watch", str(quiet), "--exit-status").exit_code == 0  # calm by 2024-03-12
    assert run(campaign, "watch", str(quiet)).exit_code == 0


def test_watch_never_writes_the_log(campaign: Path) -> None:
    before = digest(campaign)

    assert run(campaign, "watch", str(WATCHED)).exit_code == 0
    assert digest(campaign) == before


@pytest.mark.parametrize(
    ("steps", "status", "message"),
    [
        (
            "    When history is replayed to 2024-01-01\n    Then the tit-for-tat cycles number at least 1\n",
            65,
            'holds only "Given the event log" and Then steps, not "When history is replayed to 2024-01-01"',
        ),
        ('    Given the reports in "x.yaml" are appended\n', 65, 'not "Given the reports in "x.yaml" are appended"'),
        ("    Then the moon is full\n", 65, 'no step of the library reads "Then the moon is full"'),
        (
            '    Then the act "drone-attack-tower-22-2024-01-29" is on rung 5\n',
            65,
            "did you mean 'drone-attack-tower-22-2024-01-28'",
        ),
        ('    Then the escalation level is at least "lethal attack"\n', 65, '"lethal attack": no rung'),
        (  # a typo after a step that reads the moving summary and totals is still found before any day
            '    Then the escalation level is at least "calm"\n    And the total militia killed are at least 0\n'
            '    And the act "drone-attack-tower-22-2024-01-29" is on rung 5\n',
            65,
            "did you mean 'drone-attack-tower-22-2024-01-28'",
        ),
    ],
)
def test_a_standing_scenario_that_cannot_be_judged_is_refused_before_any_day(
    campaign: Path, tmp_path: Path, steps: str, status: int, message: str
) -> None:
    feature = tmp_path / "bad.feature"
    feature.write_text(f"Feature: b\n  @standing\n  Scenario: bad\n    Given the event log\n{steps}", encoding="utf-8")

    result = run(campaign, "watch", str(feature))

    assert result.exit_code == status, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {feature}:") and message in line


def test_watch_without_a_standing_scenario_a_feature_or_a_log(campaign: Path, tmp_path: Path) -> None:
    plain = FEATURES / "what_changed.feature"
    missing_log = tmp_path / "nothing-here.db"

    no_standing = run(campaign, "watch", str(plain))
    no_feature = run(campaign, "watch", str(tmp_path / "typo.feature"))
    no_log = run(missing_log, "watch", str(WATCHED))

    assert (no_standing.exit_code, no_standing.stderr.strip()) == (65, f"error: no @standing scenario in {plain}")
    assert no_feature.exit_code == 66
    assert no_log.exit_code == 66 and not missing_log.exists()
    assert run(campaign, "watch").exit_code == 64


def test_append_watch_prints_the_flips_the_new_reports_cause(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    documents = CAMPAIGN.read_text(encoding="utf-8").split("\n- id: drone-attack-tower-22-2024-01-28\n")
    early, late = tmp_path / "early.yaml", tmp_path / "late.yaml"
    early.write_text(documents[0], encoding="utf-8")
    late.write_text("- id: drone-attack-tower-22-2024-01-28\n" + documents[1], encoding="utf-8")

    first = run(db, "append", str(early), "--watch", str(WATCHED))
    second = run(db, "append", str(late), "--watch", str(WATCHED), "--json")

    assert first.exit_code == 0, first.stderr
    assert [line.split("  ")[:3] for line in first.stdout.splitlines()] == [
        [day, name, "now holds" if holds else "no longer holds"] for day, name, holds, _ in BY_HAND[:4]
    ]
    answer = json.loads(second.stdout)
    assert [(flip["day"], flip["scenario"], flip["because"]) for flip in answer["flips"]] == [
        (day, name, ids) for day, name, _, ids in BY_HAND[4:]
    ]
    assert "3 flip(s) of the watched scenarios" in second.stderr


def test_check_judges_a_standing_scenario_once_on_the_db_log(campaign: Path, tmp_path: Path) -> None:
    feature = tmp_path / "now.feature"
    feature.write_text(
        "Feature: now\n  @standing\n  Scenario: cycles\n    Given the event log\n"
        "    Then the tit-for-tat cycles number at least 7\n"
        "  @standing\n  Scenario: too many\n    Given the event log\n"
        "    Then the tit-for-tat cycles number at least 8\n",
        encoding="utf-8",
    )
    before = digest(campaign)

    result = check("--db", str(campaign), "check", str(feature), "--quiet", cwd=tmp_path)

    assert result.returncode == 1
    assert "now.feature: too many - AssertionError: tit-for-tat cycles: expected at least 8, actual 7" in (
        result.stdout
    )
    assert "cycles -" not in result.stdout
    assert digest(campaign) == before


def test_a_bare_check_leaves_the_bundled_standing_features_to_watch(tmp_path: Path) -> None:
    from flashpoint.gherkin.check import bundled_features

    assert [path.name for path in bundled_features(standing=True)] == ["campaign.feature"]
    assert all("standing" not in path.parts for path in bundled_features())
    assert check("--db", str(tmp_path / "none.db"), "check", "--quiet", cwd=tmp_path).returncode == 0
