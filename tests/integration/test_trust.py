"""Trust I: no command loses the log, and no answer comes from the wrong log.

Each test is one of the ways a command was seen destroying a log or answering for another
one, tried as an analyst (or an adversary) would, in real processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from ..conftest import WriteReports, drone_attack
from .test_cli import flashpoint

EX_USAGE, EX_CANTCREAT = 64, 73


def tower_22(killed: int, report_id: str = "tower-22") -> dict[str, object]:
    return drone_attack(
        report_id, casualties=[{"party": "us_military", "killed": killed, "qualifier": "exact", "source": "Pentagon"}]
    )


def another_applications_database(folder: Path) -> Path:
    """A SQLite file of some other program, with a row flashpoint must never lose."""
    path = folder / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (name TEXT)")
        connection.execute("INSERT INTO customers VALUES ('kept')")
    return path


def count_events(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM stored_events").fetchone()[0])


def fingerprint(path: Path) -> bytes:
    """A log's stored events as bytes (what must never change)."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT * FROM stored_events ORDER BY rowid").fetchall()
    return repr(rows).encode()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A log holding the seed story, with its read models beside it."""
    db = tmp_path / "flashpoint.db"
    result = flashpoint("demo", db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return db


def assert_refused_and_whole(result: object, log: Path, before: bytes, status: int = EX_CANTCREAT) -> None:
    assert result.returncode == status, result.stderr  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    assert fingerprint(log) == before
    verified = flashpoint("verify", db=log)
    assert verified.returncode == 0 and "verified: 0 event(s)" not in verified.stderr, verified.stderr


# -- outputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("replay", "--to", "2021-01-01", "--out", "{log}"),
        ("replay", "--to", "2021-01-01", "--out", "{log}-wal"),
        ("replay", "--to", "2021-01-01", "--out", "{views}"),
        ("check", "--quiet", "--cucumberjson", "{log}", "-k", "nothing-matches-this"),
        ("export", "acled", "--out", "{log}"),
        ("chart", "--out", "{log}"),
    ],
    ids=["replay-log", "replay-wal", "replay-views", "check-cucumberjson", "export-acled", "chart"],
)
def test_no_output_option_writes_over_the_log_or_its_read_models(seeded: Path, command: tuple[str, ...]) -> None:
    before = fingerprint(seeded)
    views = seeded.with_name("flashpoint.views.db")
    args = [part.format(log=seeded, views=views) for part in command]

    result = flashpoint(*args, db=seeded)

    assert_refused_and_whole(result, seeded, before)
    assert "never writes over" in result.stderr


@pytest.mark.parametrize(
    "command", [("export", "acled", "--out"), ("chart", "--out"), ("replay", "--to", "2021-06-30", "--out")]
)
def test_a_symlink_to_the_log_is_the_log(seeded: Path, command: tuple[str, ...]) -> None:
    before = fingerprint(seeded)
    link = seeded.with_name("innocent.csv")
    link.symlink_to(seeded.name)

    result = flashpoint(*command, str(link), db=seeded)

    assert_refused_and_whole(result, seeded, before)
    assert link.is_symlink() and link.resolve() == seeded.resolve()


def test_replay_onto_a_device_is_refused_and_the_device_stays(seeded: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("this system has no /dev/full device")
    before = os.stat("/dev/full")

    result = flashpoint("replay", "--to", "2021-06-30", "--out", "/dev/full", db=seeded)

    assert result.returncode == EX_CANTCREAT and "not a regular file" in result.stderr
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_replay_never_writes_over_another_applications_database_or_another_log(seeded: Path, tmp_path: Path) -> None:
    other_app = another_applications_database(tmp_path)
    other_log = tmp_path / "other.db"
    assert flashpoint("demo", db=other_log).returncode == 0
    other_before = fingerprint(other_log)

    into_app = flashpoint("replay", "--to", "2021-06-30", "--out", str(other_app), db=seeded)
    into_log = flashpoint("replay", "--to", "2021-06-30", "--out", str(other_log), db=seeded)

    assert into_app.returncode == EX_CANTCREAT and "another application" in into_app.stderr
    assert into_log.returncode == EX_CANTCREAT and "event log" in into_log.stderr
    with sqlite3.connect(other_app) as connection:
        assert connection.execute("SELECT name FROM customers").fetchall() == [("kept",)]
    assert fingerprint(other_log) == other_before


def test_a_replay_replaces_an_earlier_replay_whole(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "june.db"
    first = flashpoint("replay", "--to", "2021-02-28", "--out", str(out), db=seeded)

    second = flashpoint("replay", "--to", "2021-06-30", "--json", "--out", str(out), db=seeded)

    assert first.returncode == 0 and second.returncode == 0, second.stderr
    with sqlite3.connect(out) as connection:
        assert connection.execute("SELECT [to] FROM cut").fetchone()[0] == "2021-06-30"
    assert "acts 2," in first.stderr and "acts 4," in second.stderr
    assert not [path for path in tmp_path.iterdir() if ".partial" in path.name]


def test_a_failed_export_leaves_the_old_file_whole(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    out.write_text("the analyst's earlier export\n")

    result = flashpoint("export", "acled", "--to", "2021-02-30", "--out", str(out), db=seeded)

    assert result.returncode == EX_USAGE
    assert out.read_text() == "the analyst's earlier export\n"


def test_export_writes_through_a_temporary_file_renamed_into_place(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    out.write_text("old\n")
    earlier = tmp_path / "earlier-link.csv"
    os.link(out, earlier)  # the old file's inode, to see that it was never written into

    result = flashpoint("export", "acled", "--out", str(out), db=seeded)

    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("event_id_cnty,")
    assert earlier.read_text() == "old\n" and not out.samefile(earlier)
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".acled")) == []


# -- read-model files ------------------------------------------------------------------------


@pytest.mark.parametrize("through", ["option", "environment"])
def test_views_never_drop_the_tables_of_a_file_that_is_not_a_read_model_file(
    seeded: Path, tmp_path: Path, through: str
) -> None:
    other_app = another_applications_database(tmp_path)
    other_log = tmp_path / "other.db"
    assert flashpoint("demo", db=other_log).returncode == 0
    before = {path: path.read_bytes() for path in (seeded, other_log, other_app)}

    for target in (seeded, other_log, other_app):
        if through == "option":
            result = flashpoint("--views", str(target), "escalation", "--summary", db=seeded)
        else:
            env_run = flashpoint
            os.environ["FLASHPOINT_VIEWS"] = str(target)
            try:
                result = env_run("escalation", "--summary", db=seeded)
            finally:
                del os.environ["FLASHPOINT_VIEWS"]

        assert result.returncode == EX_CANTCREAT, (target, result.stderr)
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1

    for path, content in before.items():
        assert path.read_bytes() == content
    with sqlite3.connect(other_app) as connection:
        assert connection.execute("SELECT name FROM customers").fetchall() == [("kept",)]


def test_the_log_cannot_be_a_read_model_file_or_another_applications_database(seeded: Path, tmp_path: Path) -> None:
    views = seeded.with_name("flashpoint.views.db")
    other_app = another_applications_database(tmp_path)
    write = tmp_path / "r.yaml"
    write.write_text(json.dumps([drone_attack("erbil-1")]))

    into_views = flashpoint("append", str(write), db=views)
    into_app = flashpoint("append", str(write), db=other_app)

    assert into_views.returncode == EX_CANTCREAT and "read-model file" in into_views.stderr
    assert into_app.returncode == EX_CANTCREAT and "another application" in into_app.stderr
    with sqlite3.connect(other_app) as connection:
        assert [row[0] for row in connection.execute("SELECT name FROM sqlite_master")] == ["customers"]


@pytest.mark.parametrize("destination", ["{log}", "{views}", "{app}"])
def test_copy_refuses_a_destination_that_is_the_source_or_not_a_log(
    seeded: Path, tmp_path: Path, destination: str
) -> None:
    other_app = another_applications_database(tmp_path)
    target = destination.format(log=seeded, views=seeded.with_name("flashpoint.views.db"), app=other_app)
    before = fingerprint(seeded)

    result = flashpoint("copy", str(seeded), target, db=seeded)

    assert_refused_and_whole(result, seeded, before)


def test_a_log_replaced_by_another_is_never_answered_from_the_old_read_models(
    tmp_path: Path, write_reports: WriteReports
) -> None:
    db = tmp_path / "flashpoint.db"
    three = write_reports([tower_22(3)], name="three.yaml")
    four = write_reports([tower_22(4)], name="four.yaml")
    assert flashpoint("append", str(three), db=db).returncode == 0
    assert json.loads(flashpoint("casualties", "--json", db=db).stdout)["totals"]["us_military"]["killed"]["best"] == 3
    for leftover in tmp_path.glob("flashpoint.db*"):
        leftover.unlink()
    assert flashpoint("append", str(four), db=db).returncode == 0  # same first report id, same aggregate ids

    answer = flashpoint("casualties", "--json", db=db)

    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["totals"]["us_military"]["killed"]["best"] == 4
    assert answer.stderr.strip() == (
        f"note: {tmp_path / 'flashpoint.views.db'}: the read models were built from another log; "
        "rebuilding them from the log"
    )


def test_read_models_built_from_another_store_are_rebuilt(tmp_path: Path, write_reports: WriteReports) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    shared = tmp_path / "shared.views.db"
    for db, figure in ((first, 3), (second, 4)):
        reports = write_reports([tower_22(figure)], name=f"{figure}.yaml")
        assert flashpoint("append", str(reports), db=db).returncode == 0
    assert flashpoint("--views", str(shared), "casualties", db=first).returncode == 0

    answer = flashpoint("--views", str(shared), "casualties", "--json", db=second)

    assert json.loads(answer.stdout)["totals"]["us_military"]["killed"]["best"] == 4
    assert "were built from another log" in answer.stderr


def test_a_file_copy_of_the_log_that_diverged_is_caught_by_the_last_event(
    tmp_path: Path, write_reports: WriteReports
) -> None:
    original, copy = tmp_path / "a.db", tmp_path / "b.db"
    shared = tmp_path / "shared.views.db"
    assert (
        flashpoint("append", str(write_reports([drone_attack("erbil-1")], name="a.yaml")), db=original).returncode == 0
    )
    copy.write_bytes(original.read_bytes())  # the same identity, as a file copy would have
    assert (
        flashpoint("append", str(write_reports([drone_attack("erbil-2")], name="b.yaml")), db=original).returncode == 0
    )
    assert flashpoint("append", str(write_reports([drone_attack("tanf-3")], name="c.yaml")), db=copy).returncode == 0
    assert flashpoint("--views", str(shared), "escalation", db=original).returncode == 0
    os.replace(copy, original)  # the other copy now stands where the first was

    answer = flashpoint("--views", str(shared), "escalation", "--json", db=original)

    assert sorted(act["id"] for act in json.loads(answer.stdout)["acts"]) == ["erbil-1", "tanf-3"]
    assert "no longer match the log" in answer.stderr


def pages_of(path: Path, table: str) -> list[int]:
    """The page numbers of a table of a SQLite file (its b-tree pages, in order)."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [
            row[0] for row in connection.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", [table])
        ]


def overwrite(path: Path, pages: list[int]) -> None:
    content = bytearray(path.read_bytes())
    for page in pages:
        content[4096 * (page - 1) : 4096 * page] = b"\xff" * 4096
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "overwritten-pages"])
def test_a_damaged_read_model_file_is_rebuilt(seeded: Path, damage: str) -> None:
    views = seeded.with_name("flashpoint.views.db")
    expected = flashpoint("casualties", "--json", db=seeded).stdout
    for companion in (Path(f"{views}-wal"), Path(f"{views}-shm")):
        companion.unlink(missing_ok=True)
    if damage == "garbage":
        views.write_bytes(b"not a database at all\n" * 100)
    elif damage == "truncated":
        views.write_bytes(views.read_bytes()[:5000])
    else:  # the pages of the table the question reads (nothing is new: it is asked at once)
        overwrite(views, pages_of(views, "claims"))

    answer = flashpoint("casualties", "--json", db=seeded)
    verified = flashpoint("verify", db=seeded)

    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == expected
    assert "rebuilding" in answer.stderr and str(views) in answer.stderr
    assert verified.returncode == 0, verified.stderr


def test_a_streamed_listing_over_damaged_pages_is_rebuilt_before_a_byte_is_written(seeded: Path) -> None:
    """``escalation --json`` writes as it reads: damage found before the first byte is rebuilt and
    asked again (never an answer written twice)."""
    views = seeded.with_name("flashpoint.views.db")
    expected = flashpoint("escalation", "--json", db=seeded).stdout
    for companion in (Path(f"{views}-wal"), Path(f"{views}-shm")):
        companion.unlink(missing_ok=True)
    overwrite(views, pages_of(views, "acts"))

    answer = flashpoint("escalation", "--json", db=seeded)

    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == expected
    assert "rebuilding" in answer.stderr and str(views) in answer.stderr


def test_damage_where_no_question_reads_is_rebuilt_by_the_next_catch_up(seeded: Path) -> None:
    """A question asked at once reads only the tables it answers from: the answer is whole, and
    the damaged pages (here sqlite-utils' migration records) are found by the next command that
    opens the read models to write, which rebuilds them."""
    views = seeded.with_name("flashpoint.views.db")
    expected = flashpoint("casualties", "--json", db=seeded).stdout
    for companion in (Path(f"{views}-wal"), Path(f"{views}-shm")):
        companion.unlink(missing_ok=True)
    overwrite(views, pages_of(views, "_sqlite_migrations"))

    answer = flashpoint("casualties", "--json", db=seeded)
    verified = flashpoint("verify", db=seeded)

    assert answer.returncode == 0 and answer.stdout == expected, answer.stderr
    assert verified.returncode == 0, verified.stderr
    assert "rebuilding" in verified.stderr and str(views) in verified.stderr
    assert pages_of(views, "_sqlite_migrations")  # whole again


def test_an_explicit_views_file_that_is_not_sqlite_is_refused_not_replaced(seeded: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")

    result = flashpoint("--views", str(notes), "escalation", db=seeded)

    assert result.returncode == EX_CANTCREAT and "not a SQLite database" in result.stderr
    assert notes.read_text() == "my notes\n"


def test_read_models_of_an_older_schema_are_rebuilt_with_a_notice(seeded: Path) -> None:
    views = seeded.with_name("flashpoint.views.db")
    with sqlite3.connect(views) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")

    answer = flashpoint("escalation", "--summary", "--json", db=seeded)

    assert answer.returncode == 0
    assert json.loads(answer.stdout)["level"]["name"] == "lethal attacks"
    assert "older schema (1, now" in answer.stderr


def test_verify_repairs_read_models_that_differ_from_a_rebuild(seeded: Path) -> None:
    views = seeded.with_name("flashpoint.views.db")
    with sqlite3.connect(views) as connection:
        connection.execute("DELETE FROM acts WHERE report_id = 'us-strikes-2021-06-27'")

    first = flashpoint("verify", db=seeded)
    second = flashpoint("verify", db=seeded)

    assert first.returncode == 1 and "acts:" in first.stderr and "replaced by it" in first.stderr
    assert second.returncode == 0, second.stderr


def test_a_new_log_gets_an_identity_and_an_old_one_on_its_next_write(
    tmp_path: Path, write_reports: WriteReports
) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "log-v1.db"
    old = tmp_path / "old.db"
    old.write_bytes(fixture.read_bytes())
    new = tmp_path / "new.db"
    events_before = fingerprint(old)

    assert flashpoint("escalation", db=old).returncode == 0  # a read writes nothing into the log
    with sqlite3.connect(old) as connection:
        before = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert flashpoint("append", str(write_reports([drone_attack("erbil-9")], name="x.yaml")), db=old).returncode == 0
    assert flashpoint("append", str(write_reports([drone_attack("erbil-8")], name="y.yaml")), db=new).returncode == 0

    assert "flashpoint_log" not in before
    for log in (old, new):
        with sqlite3.connect(log) as connection:
            (identity,) = connection.execute("SELECT value FROM flashpoint_log WHERE key = 'identity'").fetchone()
        assert len(identity) == 32 and int(identity, 16) >= 0
    assert fingerprint(old).startswith(events_before[:-1])  # the stored events are the same, one more appended


def test_postgres_read_models_default_to_a_cache_file_named_for_the_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flashpoint.storage.stores import parse_store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FLASHPOINT_CACHE", raising=False)
    store = parse_store("postgresql://analyst@db.example.org/flashpoint?schema=iraq")

    path = store.default_views("0123abcd")

    assert path == tmp_path / "cache" / "flashpoint" / "0123abcd.views.db"
    assert parse_store(tmp_path / "x.db").default_views("ignored") == tmp_path / "x.views.db"


def test_verify_on_a_damaged_read_model_file_names_it_and_rebuilds_it(seeded: Path) -> None:
    views = seeded.with_name("flashpoint.views.db")
    for companion in (Path(f"{views}-wal"), Path(f"{views}-shm")):
        companion.unlink(missing_ok=True)
    views.write_bytes(views.read_bytes()[:3000])

    verified = flashpoint("verify", db=seeded)

    assert verified.returncode == 0, verified.stderr
    assert f"note: {views}: the read-model file is damaged" in verified.stderr
    assert str(seeded) + ":" not in verified.stderr


def test_a_page_found_damaged_while_answering_is_rebuilt_and_the_question_asked_again(seeded: Path) -> None:
    from flashpoint.app import Flashpoint
    from flashpoint.projections.casualties import casualties
    from flashpoint.projections.cuts import Cut
    from flashpoint.questions import answered

    asked: list[int] = []
    notices: list[str] = []

    def question(views: object) -> dict[str, object]:
        asked.append(1)
        if len(asked) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return casualties(views.db, Cut())  # type: ignore[attr-defined]

    with Flashpoint(seeded) as app:
        toll = answered(app, question, notice=notices.append)

    assert len(asked) == 2 and toll["totals"]["militia"]["killed"]["low"] == 5
    assert notices == [
        f"{seeded.with_name('flashpoint.views.db')}: the read-model file is damaged "
        "(database disk image is malformed); rebuilding it from the log"
    ]


def test_an_output_gets_the_permissions_a_written_file_would_not_the_temporary_files(
    seeded: Path, tmp_path: Path
) -> None:
    fresh, kept = tmp_path / "fresh.csv", tmp_path / "kept.csv"
    kept.write_text("old\n")
    kept.chmod(0o640)

    for out in (fresh, kept):
        assert flashpoint("export", "acled", "--out", str(out), db=seeded).returncode == 0

    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~current_umask()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
