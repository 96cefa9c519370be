"""The same log on SQLite and on PostgreSQL: every command, identical answers, copies, many writers.

PostgreSQL tests need FLASHPOINT_TEST_POSTGRES (see tests/conftest.py); without it they are
skipped with that reason. .ci/run starts a server and runs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flashpoint.cli import main
from flashpoint.storage.stores import parse_store

from ..conftest import drone_attack, postgres_url, scratch_postgres_log
from .test_acled import SAMPLE, Cli

FEATURE_DATA = Path(__file__).parents[2] / "features" / "data" / "tower-22.yaml"
CUTS = [(), ("--to", "2021-03-01"), ("--known-on", "2021-06-20"), ("--to", "2021-06-26", "--known-on", "2021-06-28")]


@pytest.fixture
def cli(store: str, tmp_path: Path) -> Cli:
    return Cli(store, tmp_path / "views.db")


@pytest.fixture
def postgres() -> Iterator[str]:
    """An empty PostgreSQL log besides ``store`` (skipped without a server)."""
    with scratch_postgres_log() as location:
        yield location


def fill(cli: Cli) -> None:
    """Real-event files: the seed story, the Tower 22 reports and an ACLED export."""
    assert cli("demo").exit_code == 0
    assert cli("append", str(FEATURE_DATA)).exit_code == 0
    assert cli("import", "acled", str(SAMPLE)).exit_code == 0


def answers(cli: Cli) -> dict[str, Any]:
    picture: dict[str, Any] = {}
    for cut in CUTS:
        picture[f"escalation {cut}"] = cli.json("escalation", *cut)
        picture[f"casualties {cut}"] = cli.json("casualties", *cut)
    picture["log"] = [
        {key: entry[key] for key in ("report_id", "event", "aggregate", "aggregate_id", "version")}
        for entry in cli.json("log")
    ]
    return picture


def test_every_command_works_on_the_store(cli: Cli, tmp_path: Path) -> None:
    fill(cli)

    assert cli.json("escalation")["level"] == {"rung": 5, "name": "lethal attacks"}
    assert cli.json("casualties", "--incident", "acled-irq41901")["incidents"][0]["killed"]["best"] == 25
    assert len(cli.json("log")) > 50
    replay = cli("replay", "--to", "2021-06-26", "--out", str(tmp_path / "replay.db"))
    assert replay.exit_code == 0 and (tmp_path / "replay.db").stat().st_size > 0
    assert cli.json("verify")["ok"] is True
    exported = cli("export", "acled")
    assert exported.exit_code == 0 and "IRQ41901" in exported.stdout
    checked = run_cli(cli.store, cli.views, "check", "--quiet", "--tags", "seed")  # pytest inside: its own process
    output = checked.communicate(timeout=300)
    assert checked.returncode == 0, output


def test_real_event_files_give_identical_answers_on_sqlite_and_postgresql(tmp_path: Path, postgres: str) -> None:
    on_sqlite = Cli(tmp_path / "log.db", tmp_path / "sqlite.views.db")
    on_postgres = Cli(postgres, tmp_path / "postgres.views.db")
    fill(on_sqlite)
    fill(on_postgres)

    sqlite_answers, postgres_answers = answers(on_sqlite), answers(on_postgres)

    assert sqlite_answers == postgres_answers
    assert len(sqlite_answers["escalation ()"]["acts"]) == 10  # 4 seed acts, Tower 22, 5 ACLED rows


def test_copy_round_trips_sqlite_to_postgresql_and_back(tmp_path: Path, postgres: str) -> None:
    original = Cli(tmp_path / "original.db", tmp_path / "original.views.db")
    fill(original)
    back = tmp_path / "back.db"

    there = original.json("copy", original.store, postgres)
    again = original.json("copy", original.store, postgres)
    home = original.json("copy", postgres, str(back))

    events = len(original.json("log"))
    assert there == {"copied": events, "already_there": 0}
    assert again == {"copied": 0, "already_there": events}
    assert home == {"copied": events, "already_there": 0}
    # Order, aggregate ids, versions and recorded times all survive the round trip.
    assert Cli(back, tmp_path / "back.views.db").json("log") == original.json("log")
    assert Cli(postgres, tmp_path / "pg.views.db").json("log") == original.json("log")


def test_copy_appends_only_what_is_new_and_refuses_another_log(cli: Cli, tmp_path: Path) -> None:
    assert cli("demo").exit_code == 0
    copy = Cli(tmp_path / "copy.db", tmp_path / "copy.views.db")
    first = cli.json("copy", cli.store, copy.store)
    assert cli("import", "acled", str(SAMPLE)).exit_code == 0

    second = cli.json("copy", cli.store, copy.store)
    other = Cli(tmp_path / "other.db", tmp_path / "other.views.db")
    assert other("append", str(FEATURE_DATA)).exit_code == 0
    refused = cli("copy", cli.store, other.store)

    assert second["already_there"] == first["copied"] and second["copied"] > 0
    assert copy.json("log") == cli.json("log")
    assert refused.exit_code == 65 and "another log" in refused.stderr
    assert len(other.json("log")) < len(cli.json("log"))  # untouched


def test_copy_from_a_missing_log_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("copy", str(tmp_path / "absent.db"), cli.store)

    assert result.exit_code == 66 and result.stderr.startswith(f"error: no log at {tmp_path / 'absent.db'} (")


def run_cli(store: str, views: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "FLASHPOINT_STORE": store, "FLASHPOINT_VIEWS": str(views)}
    return subprocess.Popen(
        [sys.executable, "-m", "flashpoint", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_many_writers_on_postgresql_lose_nothing_and_a_reader_never_skips(tmp_path: Path, postgres: str) -> None:
    sites = ["Tower 22", "Al-Tanf garrison", "Erbil air base"]
    files = []
    for writer in range(4):
        reports = [
            drone_attack(f"w{writer}-{n}", target=[sites[n % len(sites)]], occurred="2024-01-28") for n in range(150)
        ]
        path = tmp_path / f"writer-{writer}.yaml"
        path.write_text(yaml.safe_dump(reports), encoding="utf-8")
        files.append(path)
    shared = tmp_path / "shared.yaml"
    shared.write_text(
        yaml.safe_dump([drone_attack(f"shared-{n}", target=[sites[0]]) for n in range(100)]), encoding="utf-8"
    )
    reader_views = tmp_path / "reader.views.db"
    # The log exists before the readers start: a query on a log that does not exist yet is
    # refused (66), and a reader starting before the first writer committed would be.
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump([drone_attack("first", target=[sites[1]])]), encoding="utf-8")
    assert Cli(postgres, tmp_path / "first.views.db")("append", str(first)).exit_code == 0

    writers = [
        run_cli(postgres, tmp_path / f"w{index}.views.db", "append", str(path)) for index, path in enumerate(files)
    ]
    writers += [run_cli(postgres, tmp_path / f"s{index}.views.db", "append", str(shared)) for index in range(2)]
    readers = []
    while any(writer.poll() is None for writer in writers):
        reader = run_cli(postgres, reader_views, "escalation", "--summary", "--json")
        reader.wait(timeout=120)
        readers.append((reader.returncode, reader.stderr.read() if reader.stderr else ""))
    results = [(writer.wait(timeout=300), writer.stderr.read() if writer.stderr else "") for writer in writers]

    assert all(status == 0 for status, _ in results), [result for result in results if result[0] != 0]
    assert all(status == 0 for status, _ in readers), readers
    final = Cli(postgres, reader_views)
    acts = final.json("escalation")["acts"]
    assert len(acts) == 1 + 4 * 150 + 100
    assert len({act["id"] for act in acts}) == len(acts)
    # The reader's views, caught up again and again while the writers wrote, equal a rebuild.
    assert final.json("verify")["ok"] is True
    log = final.json("log")
    assert len([entry for entry in log if entry["event"] == "ReportFiled"]) == 701
    assert [entry["position"] for entry in log] == sorted(entry["position"] for entry in log)


@pytest.mark.slow
def test_on_postgresql_a_writer_that_cannot_get_the_lock_says_so_and_readers_do_not_wait(
    tmp_path: Path, postgres: str
) -> None:
    import psycopg
    from psycopg import sql

    shared = Cli(postgres, tmp_path / "views.db")
    assert shared("demo").exit_code == 0
    schema = dict(parse_store(postgres).settings)["POSTGRES_SCHEMA"]
    report = tmp_path / "late.yaml"
    report.write_text(yaml.safe_dump([drone_attack("late-drone")]), encoding="utf-8")
    with psycopg.connect(postgres_url() or "") as blocker:  # another writer, mid-insert
        blocker.execute(sql.SQL("LOCK TABLE {}.flashpoint_events IN EXCLUSIVE MODE").format(sql.Identifier(schema)))
        env = {**os.environ, "FLASHPOINT_STORE": postgres, "FLASHPOINT_LOCK_TIMEOUT": "1"}
        writer = subprocess.run(
            [sys.executable, "-m", "flashpoint", "--views", str(tmp_path / "w.db"), "append", str(report)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        reader = subprocess.run(
            [sys.executable, "-m", "flashpoint", "--views", str(tmp_path / "r.db"), "escalation", "--summary"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        blocker.rollback()

    assert writer.returncode == 75, writer.stderr
    assert "locked by another writer" in writer.stderr and len(writer.stderr.strip().splitlines()) == 1
    assert reader.returncode == 0 and "lethal attacks" in reader.stdout
    assert "late-drone" not in {act["id"] for act in shared.json("escalation")["acts"]}


def test_a_big_append_is_stored_whole_and_a_clash_in_its_last_part_stores_none_of_it(store: str) -> None:
    from uuid import uuid4

    from eventsourcing.persistence import IntegrityError, StoredEvent
    from flashpoint.app import Flashpoint
    from flashpoint.reports.files import validate

    reports = [drone_attack(f"bulk-{n}", target=[f"site {n % 7}"]) for n in range(1500)]
    with Flashpoint(store) as app:
        outcome = app.append(validate(reports, "bulk.yaml"))
        stored = app.recorder.max_notification_id()
        assert len(outcome.appended) == 1500 and outcome.events > 3000  # several insert chunks
        first = app.recorder.select_notifications(1, 1)[0]
        fresh = [StoredEvent(uuid4(), 1, first.topic, first.state) for _ in range(2500)]
        clash = StoredEvent(first.originator_id, first.originator_version, first.topic, first.state)

        with pytest.raises(IntegrityError):
            app.recorder.insert_events([*fresh, clash])

        assert app.recorder.max_notification_id() == stored
        assert len(app.recorder.select_notifications(stored + 1, 10)) == 0


def test_a_postgresql_log_never_shares_read_models_with_a_local_log(
    tmp_path: Path, postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's migration: copy the local log to PostgreSQL, then keep using both from one directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "my-cache"))
    monkeypatch.delenv("FLASHPOINT_CACHE", raising=False)
    local = tmp_path / "flashpoint.db"
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    write = tmp_path / "r.yaml"
    write.write_text(yaml.safe_dump([drone_attack("shared-1")]))
    run("--db", str(local), "append", str(write))
    run("copy", str(local), postgres)
    write.write_text(yaml.safe_dump([drone_attack("colleague-2")]))
    run("--store", postgres, "--views", str(tmp_path / "colleague.views.db"), "append", str(write))
    write.write_text(yaml.safe_dump([drone_attack("local-only-3")]))
    run("--db", str(local), "append", str(write))
    run("--db", str(local), "escalation")

    shared = json.loads(run("--store", postgres, "escalation", "--json").stdout)
    mine = json.loads(run("--db", str(local), "escalation", "--json").stdout)

    assert sorted(act["id"] for act in shared["acts"]) == ["colleague-2", "shared-1"]
    assert sorted(act["id"] for act in mine["acts"]) == ["local-only-3", "shared-1"]
    cached = list((tmp_path / "my-cache" / "flashpoint").glob("*.views.db"))
    assert len(cached) == 1 and len(cached[0].name) == len("0123456789abcdef0123456789abcdef.views.db")


def test_processes_opening_a_new_postgresql_log_at_once_create_it_once(postgres: str) -> None:
    """PostgreSQL's CREATE ... IF NOT EXISTS races ('tuple concurrently updated'); the opening lock queues them."""
    code = (
        "import sys\nfrom flashpoint.app import Flashpoint\n"
        "app = Flashpoint(sys.argv[1])\nprint(app.identity)\napp.close()\n"
    )
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", code, postgres], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    results = [(opener.wait(timeout=120), *opener.communicate()) for opener in openers]

    assert [status for status, _, _ in results] == [0] * 8, [error for _, _, error in results if error]
    assert len({identity.strip() for _, identity, _ in results}) == 1
