"""No silent wrong answer from the command line: a missing log, an unknown id, a bad day or a
missing extra is refused in one line with what to do; and the habits analysts bring from
sqlite-utils and datasette (``--db`` after the command, ``--limit``, ``serve -p 0``) work."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flashpoint.cli import main

from ..conftest import WriteReports, drone_attack, scratch_postgres_log
from .test_acled import SAMPLE

ROOT = Path(__file__).parent.parent.parent


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def answer(*args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one log, flashpoint.db, with the seed story."""
    log = tmp_path_factory.mktemp("desk") / "flashpoint.db"
    assert invoke("--db", str(log), "demo").exit_code == 0
    return log


def files_in(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


# -- queries never create a log -------------------------------------------------------------

READING = [
    ("escalation",),
    ("casualties",),
    ("log",),
    ("verify",),
    ("replay", "--to", "2021-06-30", "--out", "replay.db"),
    ("export", "acled"),
    ("chart", "--out", "chart.png"),
    ("serve", "-p", "0"),
]


@pytest.mark.parametrize("command", READING, ids=lambda command: command[0])
def test_a_query_on_a_mistyped_log_exits_66_names_the_log_meant_and_creates_nothing(
    seeded: Path, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip({"chart": "matplotlib", "serve": "datasette"}.get(command[0], "flashpoint"))
    monkeypatch.chdir(seeded.parent)
    before = files_in(seeded.parent)

    result = invoke("--db", "flashpint.db", *command)

    assert result.exit_code == 66
    assert result.stderr == (
        "error: no log at flashpint.db "
        "(did you mean flashpoint.db? create one with flashpoint append or flashpoint demo)\n"
    )
    assert result.stdout == ""
    assert files_in(seeded.parent) == before


def test_copy_from_a_missing_log_creates_neither_log(tmp_path: Path) -> None:
    result = invoke("copy", str(tmp_path / "absent.db"), str(tmp_path / "copy.db"))

    assert result.exit_code == 66 and result.stderr.startswith(f"error: no log at {tmp_path / 'absent.db'} (")
    assert files_in(tmp_path) == set()


def test_a_query_on_an_empty_file_exits_66_and_leaves_it_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()

    result = invoke("--db", str(empty), "escalation")

    assert result.exit_code == 66 and result.stderr.startswith(f"error: no log at {empty} (create one with ")
    assert empty.stat().st_size == 0 and files_in(tmp_path) == {"empty.db"}


def test_a_query_on_a_postgres_schema_without_a_log_exits_66_and_creates_no_schema() -> None:
    with scratch_postgres_log() as location:
        result = invoke("--db", location, "escalation")
        import psycopg
        from flashpoint.storage.stores import parse_store

        settings = dict(parse_store(location).settings)
        with psycopg.connect(
            dbname=settings["POSTGRES_DBNAME"],
            host=settings["POSTGRES_HOST"],
            port=settings["POSTGRES_PORT"],
            user=settings["POSTGRES_USER"],
            password=settings["POSTGRES_PASSWORD"],
        ) as connection:
            schemas = connection.execute(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (settings["POSTGRES_SCHEMA"],)
            ).fetchall()

    assert result.exit_code == 66 and result.stderr.startswith("error: no log at postgresql://")
    assert schemas == []


# -- demo writes only into a new log ---------------------------------------------------------


def test_demo_refuses_a_log_holding_other_reports_and_leaves_it_untouched(
    db_path: Path, write_reports: WriteReports
) -> None:
    assert invoke("--db", str(db_path), "append", str(write_reports([drone_attack("drone-1")]))).exit_code == 0
    before = answer("--db", str(db_path), "log")

    result = invoke("--db", str(db_path), "demo")

    assert result.exit_code == 65
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {db_path}: holds 1 report(s) besides the seed story, and demo writes only into a new log or one "
        "holding just the seed story; give it a new file: flashpoint --db demo.db demo\n"
    )
    assert answer("--db", str(db_path), "log") == before


def test_demo_on_the_seed_story_of_an_earlier_version_says_so_and_leaves_it_untouched(
    db_path: Path, write_reports: WriteReports
) -> None:
    """The seed's sources gained outlets and links: a log holding the older seed conflicts with it."""
    import yaml
    from flashpoint.reports.files import seed_path

    older = yaml.safe_load(Path(seed_path()).read_text(encoding="utf-8"))
    for report in older:
        report["notes"] = "as an earlier version wrote it"
    assert invoke("--db", str(db_path), "append", str(write_reports(older))).exit_code == 0
    before = answer("--db", str(db_path), "log")

    result = invoke("--db", str(db_path), "demo")

    assert result.exit_code == 65 and result.stdout == ""
    assert result.stderr == (
        f"error: {db_path}: holds the seed story as an earlier version of flashpoint wrote it ({len(older)} of its "
        "reports have changed since, and the log never rewrites a report); give demo a new file: "
        "flashpoint --db demo.db demo\n"
    )
    assert answer("--db", str(db_path), "log") == before


# -- unknown ids in options ------------------------------------------------------------------


def test_an_unknown_incident_is_a_usage_error_naming_the_nearest_acts(seeded: Path) -> None:
    result = invoke("--db", str(seeded), "casualties", "--incident", "us-strikes-2021-06-72")

    assert result.exit_code == 64 and result.stdout == ""
    assert result.stderr == (
        "error: --incident: no act 'us-strikes-2021-06-72' in the log; "
        "did you mean us-strikes-2021-06-27, us-strikes-2021-02-25, bdsc-drone-2021-06?\n"
    )


def test_an_incident_id_nothing_is_near_is_refused_too(seeded: Path) -> None:
    result = invoke("--db", str(seeded), "casualties", "--incident", "no-such-id", "--json")

    assert result.exit_code == 64 and result.stdout == ""
    assert result.stderr == "error: --incident: no act 'no-such-id' in the log\n"


def test_acleds_capitalisation_of_an_incident_suggests_the_lower_case_id(db_path: Path) -> None:
    assert invoke("--db", str(db_path), "import", "acled", str(SAMPLE)).exit_code == 0

    result = invoke("--db", str(db_path), "casualties", "--incident", "acled-IRQ41901")

    assert result.exit_code == 64
    assert result.stderr == "error: --incident: no act 'acled-IRQ41901' in the log; did you mean acled-irq41901?\n"


def test_a_known_act_outside_the_cut_still_answers_that_nothing_was_known(seeded: Path) -> None:
    result = invoke(
        "--db", str(seeded), "casualties", "--incident", "us-strikes-2021-06-27", "--known-on", "2021-01-01"
    )

    assert result.exit_code == 0
    assert result.stdout == "No casualty claims on us-strikes-2021-06-27 as known on 2021-01-01.\n"


# -- missing extras and bad days -------------------------------------------------------------


def test_a_postgres_url_without_psycopg_exits_69_with_the_pip_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("psycopg", "psycopg_pool", "eventsourcing.postgres"):
        monkeypatch.setitem(sys.modules, module, None)

    result = invoke("--db", "postgresql://analyst@localhost/flashpoint", "escalation")

    assert result.exit_code == 69
    assert result.stderr == (
        "error: a PostgreSQL store needs psycopg, which is not installed: pip install 'flashpoint[postgres]'\n"
    )


@pytest.mark.parametrize(
    ("option", "value", "line"),
    [
        ("--to", "2021-02-30", "error: --to: 2021-02-30 is not a day"),
        ("--to", "2021-13", "error: --to: 2021-13 is not a day (YYYY-MM-DD)"),
        ("--known-on", "26/06/2021", "error: --known-on: 26/06/2021 is not a day (YYYY-MM-DD)"),
        ("--known-on", "2021-06-26T10:00", "error: --known-on: 2021-06-26T10:00 is not a day (YYYY-MM-DD)"),
    ],
)
@pytest.mark.parametrize("command", ["escalation", "casualties", "replay"])
def test_a_bad_day_is_one_line_saying_what_is_wrong(
    tmp_path: Path, command: str, option: str, value: str, line: str
) -> None:
    replay = ("--out", str(tmp_path / "r.db")) + (("--to", "2021-06-30") if option != "--to" else ())
    extra = replay if command == "replay" else ()

    result = invoke("--db", str(tmp_path / "log.db"), command, *extra, option, value)

    assert result.exit_code == 64
    assert result.stderr == line + "\n"
    assert files_in(tmp_path) == set()


def test_day_options_show_their_format_as_the_metavar() -> None:
    shown = invoke("escalation", "--help").stdout

    assert re.search(r"--to YYYY-MM-DD\s", shown) and re.search(r"--known-on YYYY-MM-DD\s", shown)


# -- habits from sqlite-utils and datasette --------------------------------------------------


def test_db_after_the_command_wins_over_the_one_before_and_the_environment(seeded: Path, tmp_path: Path) -> None:
    expected = answer("--db", str(seeded), "escalation")

    after = answer("escalation", "--db", str(seeded))
    over_before = answer("--db", str(tmp_path / "nothing.db"), "escalation", "--db", str(seeded))
    over_env = invoke("escalation", "--db", str(seeded), "--json", env={"FLASHPOINT_DB": str(tmp_path / "none.db")})

    assert after == over_before == json.loads(over_env.stdout) == expected
    assert files_in(tmp_path) == set()


def test_limit_lists_the_first_acts_and_says_so_in_a_limit_key(seeded: Path) -> None:
    everything = answer("--db", str(seeded), "escalation")

    limited = invoke("--db", str(seeded), "escalation", "--limit", "2", "--json")

    cut = json.loads(limited.stdout)
    assert cut["acts"] == everything["acts"][:2]
    assert cut["limit"] == {"n": 2, "list": "acts", "total": len(everything["acts"])}
    assert {key: value for key, value in cut.items() if key not in ("acts", "limit")} == {
        key: value for key, value in everything.items() if key != "acts"
    }
    assert limited.stderr == f"note: listed 2 of {len(everything['acts'])} acts (--limit 2)\n"
    assert "limit" not in everything


def test_limit_cuts_the_table_and_the_csv_and_the_title_says_how_much(seeded: Path) -> None:
    total = len(answer("--db", str(seeded), "escalation")["acts"])

    table = invoke("--db", str(seeded), "escalation", "--limit", "1").stdout
    rows = invoke("--db", str(seeded), "escalation", "--limit", "1", "--csv").stdout

    assert table.splitlines()[0].rstrip() == f"Hostile acts in the log (the first 1 of {total})"
    assert "erbil-rockets-2021-02-15" in table and "us-strikes-2021-02-25 " not in table.split("Stated")[0]
    assert len(rows.splitlines()) == 2  # the header and one act


def test_limit_on_casualties_lists_the_first_incidents_and_keeps_the_totals(seeded: Path) -> None:
    everything = answer("--db", str(seeded), "casualties")

    limited = answer("--db", str(seeded), "casualties", "--limit", "1")

    assert limited["incidents"] == everything["incidents"][:1]
    assert limited["totals"] == everything["totals"]
    assert limited["limit"] == {"n": 1, "list": "incidents", "total": len(everything["incidents"])}


def test_limit_on_the_log_lists_the_first_events_and_notes_there_are_more(seeded: Path) -> None:
    everything = answer("--db", str(seeded), "log")

    limited = invoke("--db", str(seeded), "log", "--limit", "3", "--json")

    assert json.loads(limited.stdout) == everything[:3]
    assert limited.stderr == "note: listed the first 3 events (--limit 3); the log holds more\n"


def run_at_80_columns(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flashpoint", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_at_80_columns_tables_keep_every_id_and_day_whole_and_title_their_cut(seeded: Path) -> None:
    cut = ("--to", "2021-06-26", "--known-on", "2021-06-27")
    acts = answer("--db", str(seeded), "escalation", *cut)["acts"]
    toll = answer("--db", str(seeded), "casualties", *cut)["incidents"]
    incidents = {entry["incident"] for entry in toll} | {entry["party"] for entry in toll}  # parties whole too

    escalation = run_at_80_columns("--db", str(seeded), "escalation", *cut)
    casualties = run_at_80_columns("--db", str(seeded), "casualties", *cut)

    for shown in (escalation, casualties):
        assert max(map(len, shown.splitlines())) <= 80
    assert escalation.splitlines()[0].rstrip() == "Hostile acts by 2021-06-26, as known on 2021-06-27"
    assert casualties.splitlines()[0].rstrip() == "Casualty claims per incident by 2021-06-26, as known on 2021-06-27"
    days = {day for act in acts for day in act["occurred"].split("/")}
    for whole in {act["id"] for act in acts} | days:
        assert re.search(rf"(?<![\w-]){re.escape(whole)}(?![\w-])", escalation), whole
    claims = casualties.split("Totals per party")[0]  # (the totals table names the parties again)
    for whole in incidents:
        assert re.search(rf"(?<![\w-]){re.escape(whole)}(?![\w-])", claims), whole


def test_serve_on_port_0_says_the_port_it_really_bound(seeded: Path) -> None:
    pytest.importorskip("datasette")
    server = subprocess.Popen(
        [sys.executable, "-m", "flashpoint", "serve", "--db", str(seeded), "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
        found = re.fullmatch(r"serving .* at http://127\.0\.0\.1:(\d+)/flashpoint \(Ctrl-C stops\)\n", line)
        assert found, line
        with urllib.request.urlopen(f"http://127.0.0.1:{found[1]}/-/versions.json", timeout=30) as response:
            assert "datasette" in json.loads(response.read())
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_generator_has_a_real_help_and_writes_what_it_says(tmp_path: Path) -> None:
    script = str(ROOT / "benchmarks" / "generate.py")
    shown = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True, timeout=60)
    made = subprocess.run(
        [sys.executable, script, "--reports", "7", "--per-file", "5", "--out", str(tmp_path / "made")],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert shown.returncode == 0
    for option in ("--reports N", "--out DIR", "--per-file N", "--seed SEED"):
        assert re.search(rf"^  {re.escape(option)}\s+\S", shown.stdout, re.MULTILINE), option
    assert made.returncode == 0 and made.stderr == f"wrote 7 reports into 2 file(s) in {tmp_path / 'made'}\n"
    files = sorted((tmp_path / "made").iterdir())
    assert [len(json.loads(path.read_text())) for path in files] == [5, 2]
