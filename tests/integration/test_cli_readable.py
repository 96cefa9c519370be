"""What an analyst reads: every command's tables, summaries and notices, checked against the data.

The JSON and CSV answers have their own tests; these read the human output the way a person
does (a table's rows and cells, the level line, the one-line summary on stderr) and compare
it with what the reports say, or with the same command's ``--json`` answer. Tables are read
at the width flashpoint uses when stdout is not a terminal (140 columns), as in a pipe.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from flashpoint.cli import main

from ..conftest import WriteReports, drone_attack
from .test_acled import SAMPLE, Cli
from .test_check import check

FEATURE_DATA = Path(__file__).parent.parent.parent / "features" / "data"
SEED = Path(__file__).parent.parent.parent / "application" / "seed" / "seed.yaml"


# -- reading what the user sees -------------------------------------------------------------


@dataclass
class Shown:
    """One rich table as printed: its title (if any), its column headers and its rows of cells.

    A cell wrapped over several lines is read back with its lines joined by one space, so a
    word (or an id) folded across lines no longer reads as itself.
    """

    title: str | None
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip(bar).split(bar)]


def joined(first: list[str], more: list[str]) -> list[str]:
    return [" ".join(part for part in (a, b) if part) for a, b in zip(first, more, strict=True)]


def tables_in(text: str) -> list[Shown]:
    """Every table in ``text``, in order; a row starts where its first cell is not blank."""
    found: list[Shown] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].startswith("┏"):
            index += 1
            continue
        previous = lines[index - 1].strip() if index else ""
        title = previous if previous and previous[0] not in "│└┃" else None
        index += 1
        header: list[str] = []
        while lines[index].startswith("┃"):
            header = joined(header, cells(lines[index], "┃")) if header else cells(lines[index], "┃")
            index += 1
        assert lines[index].startswith("┡"), lines[index]
        index += 1
        rows: list[list[str]] = []
        while lines[index].startswith("│"):
            row = cells(lines[index], "│")
            if row[0] or not rows:
                rows.append(row)
            else:
                rows[-1] = joined(rows[-1], row)
            index += 1
        assert lines[index].startswith("└"), lines[index]
        found.append(Shown(title, header, rows))
    return found


def table_titled(text: str, title: str) -> Shown:
    """The one table whose title is ``title``, followed by the cut it answers (``by 2021-06-26``)."""
    matches = [table for table in tables_in(text) if table.title and table.title.startswith(f"{title} ")]
    assert len(matches) == 1, f"{len(matches)} tables titled {title!r} in:\n{text}"
    return matches[0]


def only_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def report_ids(path: Path) -> list[str]:
    return [report["id"] for report in yaml.safe_load(path.read_text(encoding="utf-8"))]


# -- the logs read here: built once for the module, never written to by a test ---------------


@dataclass
class Seeded:
    cli: Cli
    first_demo: Any


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seed story, appended by a first ``flashpoint demo`` (whose answer is kept)."""
    directory = tmp_path_factory.mktemp("seed")
    cli = Cli(directory / "log.db", directory / "log.views.db")
    return Seeded(cli, ok(cli("demo")))


@pytest.fixture(scope="module")
def tower_22(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """features/data/tower-22.yaml: one attack and an injured count revised over a week."""
    directory = tmp_path_factory.mktemp("tower-22")
    cli = Cli(directory / "log.db", directory / "log.views.db")
    ok(cli("append", str(FEATURE_DATA / "tower-22.yaml")))
    return cli


@pytest.fixture
def fresh(tmp_path: Path) -> Cli:
    """An empty log of the test's own, for commands that write."""
    return Cli(tmp_path / "log.db", tmp_path / "log.views.db")


def test_every_command_has_its_readable_output_tested_here() -> None:
    groups = {name: command for name, command in main.commands.items() if isinstance(command, click.Group)}
    commands = {name for name in main.commands if name not in groups} | {
        f"{group} {name}" for group, command in groups.items() for name in command.commands
    }

    assert commands == COVERED


COVERED = {
    "append",
    "casualties",
    "changes",
    "cite",
    "sources",
    "chart",
    "check",
    "copy",
    "demo",
    "escalation",
    "export acled",
    "export geojson",
    "export ucdp",
    "import acled",
    "import ucdp",
    "log",
    "map",
    "replay",
    "schema",
    "serve",
    "validate",
    "verify",
    "watch",
}


# -- demo ------------------------------------------------------------------------------------


def test_demo_says_on_stderr_how_many_seed_reports_it_appended(seeded: Seeded) -> None:
    again = ok(seeded.cli("demo"))
    seed_reports = len(report_ids(SEED))

    assert only_line(seeded.first_demo.stderr) == (
        f"{seeded.cli.store}: {seed_reports} seed report(s) appended, 0 already there"
    )
    assert only_line(again.stderr) == f"{seeded.cli.store}: 0 seed report(s) appended, {seed_reports} already there"
    assert again.stdout == seeded.first_demo.stdout


def test_demo_lists_every_report_once_in_order_of_occurrence(seeded: Seeded) -> None:
    listed = seeded.cli.json("demo")["reports"]
    stdout = seeded.first_demo.stdout
    entries = [line for line in stdout.splitlines() if re.match(r"\d{4}-\d{2}", line)]

    assert stdout.splitlines()[0] == f"What the log holds: {len(listed)} reports, in order of occurrence"
    assert len(entries) == len(listed) == len(report_ids(SEED))
    for entry, report in zip(entries, listed, strict=True):
        assert entry.endswith(f"  {report['id']} · reported {report['reported']}"), entry
    first_days = [entry.split("  ")[0].split("/")[0] for entry in entries]  # a day, or an interval's first day
    assert sorted(first_days) == first_days
    for report_id in report_ids(SEED):
        assert sum(f" {report_id} · reported" in line for line in stdout.splitlines()) == 1


def test_demo_shows_each_reports_claims_under_it_in_the_sources_words(seeded: Seeded) -> None:
    lines = seeded.first_demo.stdout.splitlines()
    listing = lines[2 : next(i for i, line in enumerate(lines) if line.startswith("Escalation on ")) - 1]
    assert [line for line in listing if not re.match(r"\d{4}-\d{2}|    \S", line)] == []  # wrapped lines too
    start = next(i for i, line in enumerate(lines) if "  us-strikes-2021-06-27 · reported 2021-06-27" in line)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    claims = [line.strip() for line in lines[start + 1 : end] if line.strip().startswith("claim ")]

    assert lines[start].startswith("2021-06-27  airstrike damage: unknown responds to bdsc-drone-2021-06  ")
    assert claims == [
        "claim militia: not yet assessed — a US defense official, Military Times",
        "claim civilian: not yet assessed — a US defense official, Military Times",
        "claim militia: several killed — Associated Press",
        "claim militia: 4 killed — two Iraqi militia officials via Associated Press",
        "claim militia: ≥5 killed — Syrian Observatory for Human Rights (Britain-based monitoring group) "
        "via Associated Press",
    ]


def test_demo_ends_with_the_level_once_in_words_and_the_killed_per_incident(seeded: Seeded) -> None:
    picture = seeded.cli.json("escalation")
    level = picture["level"]
    lines = seeded.first_demo.stdout.splitlines()
    summary = next(line for line in lines if line.startswith("Escalation on "))
    after = lines[lines.index(summary) + 1 :]

    assert summary == (
        f"Escalation on {picture['cut']['level_date']}: {level['rung']} {level['name']}, trend {picture['trend']}, "
        f"{picture['cycles']} tit-for-tat cycle(s); {len(picture['acts'])} hostile acts, "
        f"{len(picture['responses'])} stated responses"
    )
    assert summary.startswith("Escalation on 2021-06-28: 5 lethal attacks, trend escalating, 2 tit-for-tat cycle(s)")
    assert summary.count(level["name"]) == 1 and summary.count(str(level["rung"])) == 1
    assert [line for line in after if line.startswith("    ")] == [
        "    erbil-rockets-2021-02-15: contractor killed 1",
        "    us-strikes-2021-02-25: militia killed 1",
        "    us-strikes-2021-06-27: militia killed 4–5 (best 4) — disputed",
    ]
    assert after[-1].startswith("Ask more: flashpoint escalation --to ")


# -- escalation ------------------------------------------------------------------------------

SEED_ACTS = [
    ("2021-02-15", "erbil-rockets-2021-02-15", "rocket attack", "unknown", "certain", "5 lethal attacks"),
    ("2021-02-25", "us-strikes-2021-02-25", "airstrike", "us_coalition", "certain", "5 lethal attacks"),
    ("2021-06-01/2021-06-11", "bdsc-drone-2021-06", "drone attack", "unknown", "certain", "4 casualty attacks"),
    ("2021-06-27", "us-strikes-2021-06-27", "airstrike", "us_coalition", "certain", "5 lethal attacks"),
]


def act_rows(table: Shown) -> list[tuple[str, ...]]:
    return [
        (row["occurred"], row["act"], row["kind"], row["side"], row["certainty"], row["rung"])
        for row in table.records()
    ]


def test_escalation_tables_the_acts_in_order_with_their_rungs(seeded: Seeded) -> None:
    result = ok(seeded.cli("escalation"))
    acts = table_titled(result.stdout, "Hostile acts")

    assert acts.header == ["occurred", "act", "kind", "side", "actor → target", "certainty", "rung"]
    assert act_rows(acts) == SEED_ACTS
    assert acts.column("act") == [act["id"] for act in seeded.cli.json("escalation")["acts"]]
    assert acts.column("actor → target")[1] == (
        "United States → militia facilities at border entry control points in eastern Syria"
    )
    assert result.stderr == ""


def test_escalation_tables_the_stated_responses_with_their_lags(seeded: Seeded) -> None:
    responses = table_titled(ok(seeded.cli("escalation")).stdout, "Stated responses")

    assert responses.header == ["response", "answers", "lag (days)", "tit-for-tat"]
    # 15 → 25 February; an act between 1 and 11 June answered on 27 June
    assert responses.rows == [
        ["us-strikes-2021-02-25", "erbil-rockets-2021-02-15", "10", "yes"],
        ["us-strikes-2021-06-27", "bdsc-drone-2021-06", "16–26", "yes"],
    ]


def test_escalation_ends_with_the_level_line_naming_the_rung_once(seeded: Seeded) -> None:
    stdout = ok(seeded.cli("escalation")).stdout
    last = stdout.strip().splitlines()[-1]

    assert last == "Level on 2021-06-28: 5 lethal attacks (trailing 30 days), trend escalating, 2 tit-for-tat cycle(s)"
    assert stdout.count("Level on ") == 1


def test_escalation_to_a_day_shows_only_what_had_occurred(seeded: Seeded) -> None:
    stdout = ok(seeded.cli("escalation", "--to", "2021-06-26")).stdout

    assert act_rows(table_titled(stdout, "Hostile acts")) == SEED_ACTS[:3]
    assert table_titled(stdout, "Stated responses").column("response") == ["us-strikes-2021-02-25"]
    assert stdout.strip().splitlines()[-1] == (
        "Level on 2021-06-26: 4 casualty attacks (trailing 30 days), trend escalating, 1 tit-for-tat cycle(s)"
    )


@pytest.mark.parametrize(
    "cut",
    [
        (),
        ("--to", "2021-06-26"),
        ("--to", "2021-06-26", "--known-on", "2021-06-01"),
        ("--window", "7"),
        ("--to", "2021-03-10", "--window", "90"),
    ],
)
def test_escalation_summary_is_one_line_agreeing_with_the_json(seeded: Seeded, cut: tuple[str, ...]) -> None:
    line = only_line(ok(seeded.cli("escalation", "--summary", *cut)).stdout)
    summary = seeded.cli.json("escalation", "--summary", *cut)
    window = cut[cut.index("--window") + 1] if "--window" in cut else "30"

    assert line == (
        f"Level on {summary['cut']['level_date']}: {summary['level']['rung']} {summary['level']['name']} "
        f"(trailing {window} days), trend {summary['trend']}, {summary['cycles']} tit-for-tat cycle(s)"
    )
    assert line.count(summary["level"]["name"]) == 1


def test_escalation_csv_has_a_row_per_act_with_the_rung_named(seeded: Seeded) -> None:
    result = ok(seeded.cli("escalation", "--csv"))
    rows = csv_rows(result.stdout)

    assert [(row["occurred"], row["id"], row["rung"], row["rung_name"]) for row in rows] == [
        (occurred, act, rung.split(" ", 1)[0], rung.split(" ", 1)[1]) for occurred, act, _, _, _, rung in SEED_ACTS
    ]
    assert len(result.stdout.splitlines()) == 1 + len(SEED_ACTS)
    acts = {act["id"]: act for act in json.loads(ok(seeded.cli("escalation", "--json")).stdout)["acts"]}
    assert list(rows[0]) == list(next(iter(acts.values())))  # the JSON act's keys, places included
    for row in rows:
        act = acts[row["id"]]
        assert (float(row["lat"]), float(row["lon"]), int(row["geo_precision"])) == (
            act["lat"],
            act["lon"],
            act["geo_precision"],
        )
    summary = csv_rows(ok(seeded.cli("escalation", "--summary", "--csv")).stdout)
    assert summary == [
        {"level_date": "2021-06-28", "rung": "5", "name": "lethal attacks", "trend": "escalating", "cycles": "2",
         "window": "30"}
    ]  # fmt: skip


# -- casualties ------------------------------------------------------------------------------

SEED_TOLL = [
    ["erbil-rockets-2021-02-15", "coalition_military", "—", "≥1", ""],  # "others injured": open above
    ["erbil-rockets-2021-02-15", "contractor", "1", "—", ""],
    ["erbil-rockets-2021-02-15", "us_military", "—", "1", ""],
    ["us-strikes-2021-02-25", "militia", "1", "≥1", ""],
    ["bdsc-drone-2021-06", "unknown", "—", "≥1", ""],
    ["us-strikes-2021-06-27", "civilian", "—", "—", ""],
    ["us-strikes-2021-06-27", "militia", "4–5 (best 4)", "—", "disputed"],
]


def toll_rows(table: Shown) -> list[list[str]]:
    return [row[:5] for row in table.rows]


def test_casualties_tables_each_incident_and_party_with_its_range(seeded: Seeded) -> None:
    result = ok(seeded.cli("casualties"))
    toll = table_titled(result.stdout, "Casualty claims per incident")
    answer = seeded.cli.json("casualties")

    assert toll.header == ["incident", "party", "killed", "injured", "disputed", "sources (current)"]
    assert toll_rows(toll) == SEED_TOLL
    assert [(row[0], row[1]) for row in toll.rows] == [(e["incident"], e["party"]) for e in answer["incidents"]]
    assert result.stderr == ""


def test_casualties_lists_every_current_source_of_a_disputed_toll(seeded: Seeded) -> None:
    toll = table_titled(ok(seeded.cli("casualties")).stdout, "Casualty claims per incident")
    sources = toll.records()[-1]["sources (current)"]

    for source, figure in [
        ("a US defense official, Military Times", "not yet assessed"),
        ("Associated Press", "several killed"),
        ("two Iraqi militia officials via Associated Press", "4 killed"),
        ("Syrian Observatory for Human Rights (Britain-based monitoring group) via Associated Press", "≥5 killed"),
    ]:
        assert f"{source}: {figure}" in sources, sources


def test_casualties_totals_add_the_parties_across_incidents(seeded: Seeded) -> None:
    totals = table_titled(ok(seeded.cli("casualties")).stdout, "Totals per party")

    assert totals.header == ["party", "killed", "injured"]
    # militia killed: 1 on 25 February, 4 to 5 on 27 June
    assert sorted(totals.rows) == sorted(
        [
            ["coalition_military", "—", "≥1"],
            ["contractor", "1", "—"],
            ["us_military", "—", "1"],
            ["militia", "5–6 (best 5)", "≥1"],  # a total with an open high is open
            ["unknown", "—", "≥1"],
            ["civilian", "—", "—"],
        ]
    )
    assert [row[0] for row in totals.rows] == list(seeded.cli.json("casualties")["totals"])


@pytest.mark.parametrize(("policy", "best"), [("conservative", "4"), ("median", "4"), ("high", "5")])
def test_casualties_best_names_the_best_estimate_the_policy_chose(seeded: Seeded, policy: str, best: str) -> None:
    toll = table_titled(ok(seeded.cli("casualties", "--best", policy)).stdout, "Casualty claims per incident")
    answer = seeded.cli.json("casualties", "--best", policy)["incidents"][-1]["killed"]

    assert (
        toll.records()[-1]["killed"]
        == f"4–5 (best {best})"
        == f"{answer['low']}–{answer['high']} (best {answer['best']})"
    )


def test_casualties_of_one_incident(seeded: Seeded) -> None:
    stdout = ok(seeded.cli("casualties", "--incident", "us-strikes-2021-02-25")).stdout

    assert toll_rows(table_titled(stdout, "Casualty claims per incident")) == [SEED_TOLL[3]]
    assert table_titled(stdout, "Totals per party").rows == [["militia", "1", "≥1"]]


def test_casualties_known_on_shows_the_injured_count_as_it_was_revised(tower_22: Cli) -> None:
    def injured(*cut: str) -> tuple[str, str, str]:
        row = table_titled(ok(tower_22("casualties", *cut)).stdout, "Casualty claims per incident").records()
        assert len(row) == 1 and row[0]["incident"] == "tower-22-2024-01-28" and row[0]["killed"] == "3"
        return row[0]["injured"], row[0]["disputed"], row[0]["sources (current)"]

    assert injured("--known-on", "2024-01-29")[:2] == ("25", "")
    assert injured("--known-on", "2024-02-05")[:2] == ("34", "")  # the same source revised its count
    latest = injured()
    assert latest[:2] == ("34–40 (best 34)", "disputed")
    assert "a US official via Associated Press: ~40 injured" in latest[2]
    assert "25 injured" not in latest[2]  # the revised claim is no longer current


def test_changes_lists_each_revised_figure_with_the_reports_that_caused_it(tower_22: Cli) -> None:
    result = ok(tower_22("changes", "--since", "2024-01-29", "--known-on", "2024-02-06"))
    answer = tower_22.json("changes", "--since", "2024-01-29", "--known-on", "2024-02-06")
    lines = result.stdout.splitlines()

    assert lines[0] == "Changes since 2024-01-29, as known on 2024-02-06 (2 report(s) published in between):"
    revisions = ["tower-22-toll-2024-01-30", "tower-22-toll-2024-02-06"]
    assert [(entry["figure"], entry["disputed_after"], entry["because"]) for entry in answer["casualties"]] == [
        ("killed", True, revisions),  # unchanged at 3, but the pair is disputed now: listed, and why
        ("injured", True, revisions),
    ]
    figure = lines.index("Casualty figures")
    assert lines[figure + 1 : figure + 5] == [
        "  us_military killed in tower-22-2024-01-28: 3 → 3, disputed",
        "      because tower-22-toll-2024-01-30, tower-22-toll-2024-02-06",
        "  us_military injured in tower-22-2024-01-28: 25 → 34–40 (best 34), disputed",
        "      because tower-22-toll-2024-01-30, tower-22-toll-2024-02-06",
    ]
    assert "Acts" not in lines and "Escalation" not in lines  # no act, level or cycle changed


def test_changes_says_so_when_nothing_changed(tower_22: Cli) -> None:
    result = ok(tower_22("changes", "--since", "2024-02-01", "--known-on", "2024-02-05"))

    assert only_line(result.stdout) == (
        "Nothing changed since 2024-02-01, as known on 2024-02-05 (0 report(s) published in between)."
    )


def test_sources_tables_each_track_record_as_the_json_gives_it(tower_22: Cli) -> None:
    (table,) = tables_in(ok(tower_22("sources")).stdout)
    records = tower_22.json("sources")["sources"]

    assert table.title == "Sources' track records in the log"
    assert table.rows == [
        ["US Department of Defense", "3", "1", "2", "1 (1/0)", "1.36", "1", "2/0/0", "0"],
        ["a US official", "1", "1", "1", "0 (0/0)", "—", "—", "0/1/0", "0"],
    ]
    assert [record["source"] for record in records] == ["a US official", "US Department of Defense"]


def test_sources_csv_gives_each_json_record_as_a_row(tower_22: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(tower_22("sources", "--csv")).stdout)))
    records = tower_22.json("sources")["sources"]

    assert rows == [{key: "" if value is None else str(value) for key, value in record.items()} for record in records]
    assert rows[1]["median_final_over_first"] == str(records[1]["median_final_over_first"]) != ""


def test_watch_prints_a_flip_a_line_scenario_names_literally_and_a_summary_on_stderr(
    tower_22: Cli, tmp_path: Path
) -> None:
    feature = tmp_path / "w.feature"
    feature.write_text(
        "Feature: w\n  @standing\n  Scenario: [bold]dead[/bold] at Tower 22\n    Given the event log\n"
        "    Then the total us_military killed are at least 3\n",
        encoding="utf-8",
    )

    result = ok(tower_22("watch", str(feature)))

    assert result.stdout.splitlines() == [
        "2024-01-29  [bold]dead[/bold] at Tower 22  now holds  tower-22-toll-2024-01-29"
    ]
    assert only_line(result.stderr) == (
        "4 day(s) judged, the last 2024-02-06; 1 flip(s); holding now: [bold]dead[/bold] at Tower 22"
    )


def test_cite_words_each_current_figure_with_its_sources_and_what_it_superseded(tower_22: Cli) -> None:
    text = ok(tower_22("cite", "tower-22-2024-01-28", "--history")).stdout.splitlines()
    markdown = ok(tower_22("cite", "tower-22-2024-01-28", "--party", "us_military", "--format", "markdown")).stdout

    assert text == [
        "US military killed in tower-22-2024-01-28, as known on 2024-02-06: 3 — 3 (US Department of Defense).",
        "US military injured in tower-22-2024-01-28, as known on 2024-02-06: 34 to 40, disputed — "
        "34 (US Department of Defense); about 40 (a US official, via Associated Press).",
        "  Superseded: at least 25 (US Department of Defense), reported 2024-01-29.",
    ]
    assert "`tower-22-2024-01-28`" in markdown and "about 40 (a US official, via Associated Press)" in markdown


def test_cite_names_the_seed_figures_as_the_brief_shows_them(seeded: Seeded) -> None:
    line = ok(seeded.cli("cite", "us-strikes-2021-06-27", "--known-on", "2021-06-28")).stdout.strip()
    markdown = ok(seeded.cli("cite", "us-strikes-2021-06-27", "--format", "markdown")).stdout

    assert line == (
        "Militia killed in us-strikes-2021-06-27, as known on 2021-06-28: 4 to 5, disputed — 4 (two Iraqi militia "
        "officials, via Associated Press); at least 5 (Syrian Observatory for Human Rights, via Associated Press); "
        "several (Associated Press)."
    )
    assert "[Syrian Observatory for Human Rights](https://www.syriahr.com)" in markdown


def test_casualties_csv_has_a_row_per_incident_and_party(seeded: Seeded) -> None:
    rows = csv_rows(ok(seeded.cli("casualties", "--csv")).stdout)

    assert [[row["incident"], row["party"], row["disputed"]] for row in rows] == [
        [incident, party, "yes" if disputed else ""] for incident, party, _, _, disputed in SEED_TOLL
    ]
    assert rows[-1]["sources"] == (
        "a US defense official, Military Times; Associated Press; two Iraqi militia officials via Associated Press; "
        "Syrian Observatory for Human Rights (Britain-based monitoring group) via Associated Press"
    )


# -- log -------------------------------------------------------------------------------------


def test_log_tables_every_event_in_order_as_the_json_lists_them(seeded: Seeded) -> None:
    result = ok(seeded.cli("log"))
    (trail,) = tables_in(result.stdout)
    events = seeded.cli.json("log")

    assert trail.header == ["#", "recorded at (UTC)", "report", "aggregate", "event", "v"]
    assert trail.rows == [
        [
            str(event["position"]),
            datetime.fromisoformat(event["recorded_at"]).strftime("%Y-%m-%d %H:%M:%S"),
            event["report_id"] or "",
            event["aggregate"],
            event["event"],
            str(event["version"]),
        ]
        for event in events
    ]
    filed = [row[2] for row in trail.rows if row[4] == "ReportFiled"]
    assert sorted(filed) == sorted(report_ids(SEED))


def test_log_csv_has_a_row_per_event(seeded: Seeded) -> None:
    rows = csv_rows(ok(seeded.cli("log", "--csv")).stdout)

    assert [(int(row["position"]), row["event"]) for row in rows] == [
        (event["position"], event["event"]) for event in seeded.cli.json("log")
    ]


# -- append ----------------------------------------------------------------------------------


def test_append_says_on_stderr_what_it_appended_and_what_was_there(fresh: Cli) -> None:
    tower = FEATURE_DATA / "tower-22.yaml"
    first = ok(fresh("append", str(tower)))
    events = fresh.events()
    again = ok(fresh("append", str(tower), str(tower)))

    reports = len(report_ids(tower))
    assert first.stdout == "" and again.stdout == ""
    assert only_line(first.stderr) == f"appended {reports} report(s), {events} event(s); 0 already in the log unchanged"
    assert only_line(again.stderr) == f"appended 0 report(s), 0 event(s); {reports} already in the log unchanged"


def test_append_json_answers_on_stdout_and_still_summarises_on_stderr(fresh: Cli, write_reports: WriteReports) -> None:
    result = ok(fresh("append", "--json", str(write_reports([drone_attack("drone-1"), drone_attack("drone-2")]))))

    assert json.loads(result.stdout)["appended"] == ["drone-1", "drone-2"]
    assert only_line(result.stderr) == (
        f"appended 2 report(s), {fresh.events()} event(s); 0 already in the log unchanged"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("half-bad.yaml", "report bad-date-report: occurred: '2021-02-30' is not a real calendar day"),
        ("typo.yaml", "report tower-22-toll-typo: casualties[0].qualifer: unknown key (did you mean 'qualifier'?)"),
    ],
)
def test_append_of_a_refused_file_is_one_line_naming_file_report_and_field(fresh: Cli, name: str, message: str) -> None:
    result = fresh("append", str(FEATURE_DATA / name))

    assert result.exit_code == 65
    assert result.stdout == ""
    assert only_line(result.stderr) == f"error: {FEATURE_DATA / name}: {message}"


# -- replay ----------------------------------------------------------------------------------


def test_replay_summarises_on_stderr_what_the_file_holds(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "june.db"
    result = ok(seeded.cli("replay", "--to", "2021-06-26", "--out", str(out)))
    tables = seeded.cli.json("replay", "--to", "2021-06-26", "--out", str(tmp_path / "again.db"))["tables"]
    acts = seeded.cli.json("escalation", "--to", "2021-06-26")["acts"]

    assert result.stdout == ""
    line = only_line(result.stderr)
    rows = ", ".join(f"{table} {n}" for table, n in tables.items())
    assert line == f"{out}: history as of 2021-06-26 (rows per table: {rows})"
    assert f" acts {len(acts)}," in line and tables["acts"] == 3


def test_replay_names_the_knowledge_cut(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "march.db"
    result = ok(seeded.cli("replay", "--to", "2021-06-26", "--known-on", "2021-03-01", "--out", str(out)))

    assert only_line(result.stderr).startswith(
        f"{out}: history as of 2021-06-26, as known on 2021-03-01 (rows per table: cut 1, acts 2,"
    )


# -- verify ----------------------------------------------------------------------------------


def test_verify_says_on_stderr_what_it_checked(seeded: Seeded) -> None:
    result = ok(seeded.cli("verify"))
    rebuilt = seeded.cli.json("verify")["events"]

    assert result.stdout == ""
    # not every event feeds the read models (a ReportFiled does not): the count says which it is
    assert 0 < rebuilt < seeded.cli.events()
    assert only_line(result.stderr) == (
        f"✓ verified: the {rebuilt} event(s) the read models are built from, rebuilt from scratch, match the "
        "incremental read models; every stored report still meets the contract"
    )


# -- copy ------------------------------------------------------------------------------------


def test_copy_says_how_many_events_it_copied_and_found(seeded: Seeded, tmp_path: Path) -> None:
    events = seeded.cli.events()
    copy = tmp_path / "copy.db"

    first = ok(seeded.cli.runner.invoke(main, ["copy", seeded.cli.store, str(copy)]))
    again = ok(seeded.cli.runner.invoke(main, ["copy", seeded.cli.store, str(copy)]))

    assert first.stdout == "" and again.stdout == ""
    source = seeded.cli.store
    assert only_line(first.stderr) == f"copied {events} event(s) from {source} to {copy}; 0 were already there"
    assert only_line(again.stderr) == f"copied 0 event(s) from {source} to {copy}; {events} were already there"


# -- chart -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [(), ("--to", "2021-06-26"), ("--to", "1950-01-01")])
def test_chart_says_how_many_acts_it_drew(seeded: Seeded, tmp_path: Path, cut: tuple[str, ...]) -> None:
    pytest.importorskip("matplotlib", reason="chart needs the charts extra (matplotlib)")
    out = tmp_path / "timeline.png"
    result = ok(seeded.cli("chart", *cut, "--out", str(out)))
    answer = seeded.cli.json("escalation", *cut)
    acts, statements = answer["acts"], answer["statements"]

    assert result.stdout == ""
    line = only_line(result.stderr)
    assert line.startswith(f"drew {len(acts)} act(s) and {len(statements)} statement(s), ")
    assert line.endswith(f" labelled, into {out}")


@pytest.mark.parametrize("cut", [(), ("--to", "2021-06-26"), ("--to", "1950-01-01")])
def test_map_says_how_many_acts_it_drew_and_how_many_had_no_place(
    seeded: Seeded, tmp_path: Path, cut: tuple[str, ...]
) -> None:
    pytest.importorskip("matplotlib", reason="map needs the charts extra (matplotlib)")
    out = tmp_path / "map.png"
    result = ok(seeded.cli("map", *cut, "--out", str(out)))
    acts = seeded.cli.json("escalation", *cut)["acts"]
    placed = [act for act in acts if act["lat"] is not None]

    assert result.stdout == ""
    assert only_line(result.stderr) == (
        f"drew {len(placed)} act(s) into {out}; {len(acts) - len(placed)} act(s) without coordinates left out"
    )


# -- export geojson --------------------------------------------------------------------------


def test_export_geojson_prints_the_collection_and_counts_the_points_on_stderr(seeded: Seeded) -> None:
    result = ok(seeded.cli("export", "geojson", "--to", "2021-06-26"))
    acts = seeded.cli.json("escalation", "--to", "2021-06-26")["acts"]

    assert [item["id"] for item in json.loads(result.stdout)["features"]] == [act["id"] for act in acts]
    assert only_line(result.stderr) == (
        f"exported {len(acts)} act(s) as GeoJSON points; 0 act(s) without coordinates left out"
    )


# -- export acled / import acled -------------------------------------------------------------


def test_export_acled_prints_a_row_per_act_and_counts_them_on_stderr(seeded: Seeded) -> None:
    result = ok(seeded.cli("export", "acled", "--to", "2021-06-26"))
    acts = seeded.cli.json("escalation", "--to", "2021-06-26")["acts"]

    assert [row["event_id_cnty"] for row in csv_rows(result.stdout)] == [act["id"] for act in acts]
    assert only_line(result.stderr) == f"exported {len(acts)} act(s) as ACLED rows"


def test_export_acled_to_a_file_prints_nothing_on_stdout(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    result = ok(seeded.cli("export", "acled", "--out", str(out)))

    assert result.stdout == ""
    assert only_line(result.stderr) == f"exported {len(SEED_ACTS)} act(s) as ACLED rows"
    assert len(csv_rows(out.read_text(encoding="utf-8"))) == len(SEED_ACTS)


def test_import_acled_summarises_rows_reports_events_and_what_it_skipped(fresh: Cli) -> None:
    rows = csv_rows(SAMPLE.read_text(encoding="utf-8"))
    outside = [row for row in rows if row["event_type"] in ("Protests", "Riots")]
    first = ok(fresh("import", "acled", str(SAMPLE)))
    events = fresh.events()
    again = ok(fresh("import", "acled", str(SAMPLE)))

    acts = len(rows) - len(outside)
    skipped = f"skipped (outside flashpoint's scope): {outside[0]['sub_event_type']} ×{len(outside)}"
    assert first.stdout == "" and again.stdout == ""
    assert only_line(first.stderr) == (
        f"{SAMPLE}: {len(rows)} row(s); appended {acts} report(s) (0 fatality revision(s)), {events} event(s); "
        f"0 already in the log unchanged; {skipped}"
    )
    assert only_line(again.stderr) == (
        f"{SAMPLE}: {len(rows)} row(s); appended 0 report(s) (0 fatality revision(s)), 0 event(s); "
        f"{acts} already in the log unchanged; {skipped}"
    )


# -- export ucdp / import ucdp ---------------------------------------------------------------


def test_export_ucdp_prints_a_row_per_act_and_counts_them_on_stderr(seeded: Seeded) -> None:
    result = ok(seeded.cli("export", "ucdp", "--to", "2021-06-26"))
    acts = seeded.cli.json("escalation", "--to", "2021-06-26")["acts"]

    assert [row["relid"] for row in csv_rows(result.stdout)] == [act["id"] for act in acts]
    assert only_line(result.stderr) == f"exported {len(acts)} act(s) as UCDP GED rows"


def test_import_ucdp_summarises_rows_reports_events_and_what_it_skipped(fresh: Cli) -> None:
    from .test_ucdp import SAMPLE as GED_SAMPLE

    rows = csv_rows(GED_SAMPLE.read_text(encoding="utf-8"))
    first = ok(fresh("import", "ucdp", str(GED_SAMPLE)))
    events = fresh.events()
    again = ok(fresh("import", "ucdp", str(GED_SAMPLE)))

    acts = len(rows) - 1
    skipped = "skipped (outside flashpoint's scope): neither side US/coalition nor Iran-aligned ×1"
    assert first.stdout == "" and again.stdout == ""
    assert only_line(first.stderr) == (
        f"{GED_SAMPLE}: {len(rows)} row(s); appended {acts} report(s) (0 deaths revision(s)), {events} event(s); "
        f"0 already in the log unchanged; {skipped}"
    )
    assert only_line(again.stderr) == (
        f"{GED_SAMPLE}: {len(rows)} row(s); appended 0 report(s) (0 deaths revision(s)), 0 event(s); "
        f"{acts} already in the log unchanged; {skipped}"
    )


# -- schema, check, serve --------------------------------------------------------------------


def test_schema_prints_indented_json_and_nothing_else(fresh: Cli) -> None:
    result = ok(fresh.runner.invoke(main, ["schema"]))

    assert json.loads(result.stdout)["$defs"]["report"]["required"] == ["id", "kind", "reported"]
    assert result.stdout.startswith('{\n  "') and result.stderr == ""


def test_check_quiet_prints_one_mark_per_scenario_and_names_the_failure(tmp_path: Path) -> None:
    feature = tmp_path / "two.feature"
    feature.write_text(
        "Feature: Two statements\n\n"
        "  Scenario: a true one\n    Given the seed reports are appended\n    Then the tit-for-tat cycles number 2\n\n"
        "  Scenario: a false one\n    Given the seed reports are appended\n    Then the tit-for-tat cycles number 3\n"
    )

    result = check("--quiet", str(feature), cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    assert ".F" in result.stdout
    # named by feature file and title, not by a test function in a temporary folder
    assert "FAILED two.feature: a false one - AssertionError: tit-for-tat cycles: expected 3, actual 2" in (
        result.stdout.splitlines()
    )
    assert "test_a_false_one" not in result.stdout and "flashpoint-check-" not in result.stdout
    assert "1 failed, 1 passed" in result.stdout.splitlines()[-1]


def test_serve_says_on_stderr_what_it_serves_where(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("datasette", reason="serve needs the datasette extra")
    from flashpoint import browse

    served: list[tuple[Any, ...]] = []
    monkeypatch.setattr(browse, "serve", lambda *args: served.append(args))

    monkeypatch.setattr(
        browse, "serve", lambda views, log, listener: served.append((views, log, listener.getsockname()))
    )

    result = ok(seeded.cli("serve", "-p", "0"))

    ((views, log, (host, port)),) = served
    assert result.stdout == ""
    assert (
        only_line(result.stderr) == f"serving {seeded.cli.views} at http://127.0.0.1:{port}/flashpoint (Ctrl-C stops)"
    )
    assert (views, log, host) == (seeded.cli.views, seeded.cli.store, "127.0.0.1") and port > 0


# -- text from reports is data: never markup, never terminal control --------------------------

TRICKY_ACTOR = "[bold]Kata'ib[/bold] :fire: group"
# Control characters (ESC, NUL) are refused on input now; bidirectional overrides and
# isolates are text, but reorder what follows them on screen.
TRICKY_TARGETS = ["[/oops] base", "Tower\u202e 22\u2066"]
TRICKY_SOURCE = "[link=https://example.org]a source[/link]\u2067"


@pytest.fixture
def tricky(fresh: Cli, write_reports: WriteReports) -> Cli:
    """A report whose names read as rich markup, emoji codes and bidirectional controls."""
    report = drone_attack(
        "drone-tricky",
        actor={"name": TRICKY_ACTOR, "side": "iran_aligned"},
        target=TRICKY_TARGETS,
        casualties=[{"party": "us_military", "killed": 1, "source": TRICKY_SOURCE}],
    )
    ok(fresh("append", str(write_reports([report], name="[tricky].json", as_json=True))))
    return fresh


SHOWN_ACTOR = "[bold]Kata'ib[/bold] :fire: group"
SHOWN_TARGETS = "[/oops] base; Tower\\u202e 22\\u2066"
SHOWN_SOURCE = "[link=https://example.org]a source[/link]\\u2067"


def test_report_text_is_shown_literally_in_the_escalation_table(tricky: Cli) -> None:
    result = ok(tricky("escalation"))
    (act,) = table_titled(result.stdout, "Hostile acts").records()

    assert act["actor → target"] == f"{SHOWN_ACTOR} → {SHOWN_TARGETS}"
    assert "\u202e" not in result.stdout and "\u2066" not in result.stdout


def test_report_text_is_shown_literally_in_the_casualties_table(tricky: Cli) -> None:
    result = ok(tricky("casualties"))
    (row,) = table_titled(result.stdout, "Casualty claims per incident").records()

    assert row["sources (current)"].startswith(f"{SHOWN_SOURCE}: 1 killed")
    assert "\u2067" not in result.stdout


def test_report_text_is_shown_literally_in_notices(tricky: Cli, tmp_path: Path) -> None:
    """(``demo`` lists only the seed story now: it refuses a log holding other reports.)"""
    out = tmp_path / "[b]replay.db"
    assert only_line(ok(tricky("replay", "--to", "2024-01-28", "--out", str(out))).stderr).startswith(f"{out}: ")


# -- an empty answer says so -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (("--to", "1950-01-01"), "by 1950-01-01"),
        (("--to", "2021-06-26", "--known-on", "2021-01-31"), "by 2021-06-26, as known on 2021-01-31"),
    ],
)
def test_escalation_with_no_acts_at_the_cut_says_so_instead_of_an_empty_table(
    seeded: Seeded, cut: tuple[str, ...], words: str
) -> None:
    assert seeded.cli.json("escalation", *cut)["acts"] == []

    stdout = ok(seeded.cli("escalation", *cut)).stdout

    assert tables_in(stdout) == []
    assert stdout.splitlines()[0] == f"No hostile acts {words}."
    assert stdout.splitlines()[-1].startswith("Level on ") and "0 calm" in stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--to", "1950-01-01"), "No casualty claims by 1950-01-01."),
        (("--known-on", "2021-02-14"), "No casualty claims as known on 2021-02-14."),
        (("--incident", "us-strikes-2021-02-25", "--known-on", "2021-02-24"), (
            "No casualty claims on us-strikes-2021-02-25 as known on 2021-02-24."
        )),
    ],
)  # fmt: skip
def test_casualties_with_no_claims_at_the_cut_says_so_instead_of_empty_tables(
    seeded: Seeded, args: tuple[str, ...], words: str
) -> None:
    assert seeded.cli.json("casualties", *args)["incidents"] == []

    stdout = ok(seeded.cli("casualties", *args)).stdout

    assert tables_in(stdout) == []
    assert only_line(stdout) == words


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_prefixed(fresh: Cli, write_reports: WriteReports) -> None:
    report = drone_attack(
        "drone-formula",
        actor={"name": '=HYPERLINK("https://example.org","KH")', "side": "iran_aligned"},
        target=["@SUM(A1)"],
        casualties=[{"party": "us_military", "killed": 1, "source": "-2+3"}],
    )
    ok(fresh("append", str(write_reports([report]))))

    (act,) = csv_rows(ok(fresh("escalation", "--csv")).stdout)
    (toll,) = csv_rows(ok(fresh("casualties", "--csv")).stdout)

    assert act["actor"] == '\'=HYPERLINK("https://example.org","KH")' and act["target"] == "'@SUM(A1)"
    assert act["id"] == "drone-formula" and act["occurred"] == "2024-01-28"  # other cells as they are
    assert toll["sources"] == "'-2+3" and toll["killed_best"] == "1"


# -- validate ----------------------------------------------------------------------------------


def test_validate_says_how_many_files_and_reports_passed_and_names_each_error(fresh: Cli) -> None:
    good = ok(fresh("validate", str(SEED), str(FEATURE_DATA / "tower-22.yaml")))
    bad = fresh("validate", str(SEED), str(FEATURE_DATA / "half-bad.yaml"))

    reports = len(report_ids(SEED)) + len(report_ids(FEATURE_DATA / "tower-22.yaml"))
    assert good.stdout == "" and only_line(good.stderr) == f"2 of 2 file(s) valid, {reports} report(s)"
    assert bad.exit_code == 65 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        f"error: {FEATURE_DATA / 'half-bad.yaml'}: report bad-date-report: "
        "occurred: '2021-02-30' is not a real calendar day",
        f"1 of 2 file(s) valid, {len(report_ids(SEED))} report(s)",
    ]
    assert not Path(fresh.store).exists()  # validate needs no log and makes none
