"""``verify`` compares a rebuild with the incremental read models inside SQLite, holding no
table in memory: each kind of difference is counted and named as the in-memory comparison did.

That comparison (every row of both sides in lists, membership by set) counts a row missing
once per occurrence in the rebuild when no equal row is incremental at all, extra the other way
round; a row held twice on one side and once on the other makes its table differ, yet is
neither. The examples are the first such rows in the order of all columns.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import pytest
from flashpoint.projections.engine import ReadModels, TableDifference
from flashpoint.questions import Verification, verify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import Analyst, casualty_report, claim, drone_attack, merge, retraction, statement

REPORTS = [
    drone_attack(
        "erbil-1", occurred="2024-01-10", reported="2024-01-10", casualties=[claim("us_military", "CENTCOM", killed=1)]
    ),
    drone_attack("erbil-2", occurred="2024-01-12", reported="2024-01-12"),
    drone_attack("tower-3", occurred="2024-01-14", reported="2024-01-14"),
    drone_attack("tower-4", occurred="2024-01-14", reported="2024-01-15"),
    casualty_report("cas-1", "erbil-1", "2024-01-11", claim("us_military", "Pentagon", killed=1, injured=4)),
    casualty_report("cas-2", "erbil-2", "2024-01-13", claim("us_military", "Reuters", injured=2)),
    statement("vow-1", "threat", "2024-01-16", incident="tower-3"),
    retraction("retract-1", "cas-2", reported="2024-01-20"),
    merge("merge-1", ["tower-4"], into="tower-3", reported="2024-01-21"),
]


@pytest.fixture
def log(analyst: Analyst) -> Analyst:
    analyst.append(*REPORTS[:3], REPORTS[4])
    analyst.views.catch_up(analyst.app)
    return analyst


def incremental(analyst: Analyst, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` run on the incremental read-model file (committed)."""
    with closing(sqlite3.connect(analyst.views.path)) as connection, connection:
        return [tuple(row) for row in connection.execute(sql, parameters)]


def act(analyst: Analyst, report_id: str) -> tuple[Any, ...]:
    return incremental(analyst, "SELECT * FROM acts WHERE report_id = ?", report_id)[0]


def verified(analyst: Analyst) -> Verification:
    return verify(analyst.app, str(analyst.views.path))


# -- through verify: the message, the repair -------------------------------------------------


def test_a_healthy_log_has_no_differences_and_is_not_repaired(log: Analyst) -> None:
    result = verified(log)

    assert result.differences == [] and not result.repaired and result.ok


def test_a_missing_row_is_counted_and_named(log: Analyst) -> None:
    erbil_2 = act(log, "erbil-2")
    incremental(log, "DELETE FROM acts WHERE report_id = 'erbil-2'")

    result = verified(log)

    assert result.differences == [f"acts: 3 rows rebuilt, 2 incremental; 1 missing, 0 extra; e.g. missing {erbil_2!r}"]
    assert result.repaired and not result.ok


def test_an_extra_row_is_counted_and_named(log: Analyst) -> None:
    ghost = ("ghost-9", *act(log, "erbil-2")[1:])
    incremental(log, f"INSERT INTO acts VALUES ({', '.join('?' * len(ghost))})", *ghost)

    result = verified(log)

    assert result.differences == [f"acts: 3 rows rebuilt, 4 incremental; 0 missing, 1 extra; e.g. extra {ghost!r}"]
    assert result.repaired


def test_a_changed_row_is_missing_as_it_was_and_extra_as_it_is(log: Analyst) -> None:
    before = act(log, "tower-3")
    incremental(log, "UPDATE acts SET actor = 'someone else' WHERE report_id = 'tower-3'")
    after = act(log, "tower-3")

    result = verified(log)

    assert result.differences == [
        f"acts: 3 rows rebuilt, 3 incremental; 1 missing, 1 extra; e.g. missing {before!r}; e.g. extra {after!r}"
    ]


def test_of_several_rows_the_first_in_the_order_of_all_columns_is_named(log: Analyst) -> None:
    erbil_2, tower_3 = act(log, "erbil-2"), act(log, "tower-3")
    incremental(log, "UPDATE acts SET report_id = 'zz-' || report_id WHERE report_id IN ('tower-3', 'erbil-2')")
    incremental(log, "UPDATE acts SET report_id = 'aa-1' WHERE report_id = 'zz-tower-3'")

    result = verified(log)

    assert result.differences == [
        f"acts: 3 rows rebuilt, 3 incremental; 2 missing, 2 extra; e.g. missing {erbil_2!r}; "
        f"e.g. extra {('aa-1', *tower_3[1:])!r}"
    ]


def test_a_duplicated_row_makes_its_table_differ_yet_is_neither_missing_nor_extra(log: Analyst) -> None:
    incremental(log, "INSERT INTO claim_spans SELECT * FROM claim_spans WHERE which = 'injured'")

    result = verified(log)

    assert result.differences == ["claim_spans: 3 rows rebuilt, 4 incremental; 0 missing, 0 extra"]
    assert result.repaired


def test_a_table_emptied_here_has_every_row_missing(log: Analyst) -> None:
    first = incremental(log, "SELECT * FROM claims ORDER BY position")[0]
    incremental(log, "DELETE FROM claims")

    result = verified(log)

    assert result.differences == [f"claims: 2 rows rebuilt, 0 incremental; 2 missing, 0 extra; e.g. missing {first!r}"]


def test_rows_in_a_table_the_rebuild_leaves_empty_are_all_extra_each_time_they_occur(log: Analyst) -> None:
    incremental(log, "INSERT INTO pairs VALUES ('us-9', 'erbil-1', '2024-01-10', 1, '2024-01-11', NULL)")
    for _ in range(2):
        incremental(log, "INSERT INTO pairs VALUES ('us-8', 'erbil-1', '2024-01-10', 0, '2024-01-11', NULL)")

    result = verified(log)

    assert result.differences == [
        "pairs: 0 rows rebuilt, 3 incremental; 0 missing, 3 extra; "
        "e.g. extra ('us-8', 'erbil-1', '2024-01-10', 0, '2024-01-11', None)"
    ]


def test_a_table_with_a_column_added_here_has_every_row_missing_and_extra(log: Analyst) -> None:
    erbil_1 = act(log, "erbil-1")
    incremental(log, "ALTER TABLE acts ADD COLUMN note TEXT")

    result = verified(log)

    assert result.differences == [
        f"acts: 3 rows rebuilt, 3 incremental; 3 missing, 3 extra; e.g. missing {erbil_1!r}; "
        f"e.g. extra {(*erbil_1, None)!r}"
    ]


def test_differences_in_several_tables_are_listed_in_table_order(log: Analyst) -> None:
    incremental(log, "DELETE FROM claim_spans")
    incremental(log, "DELETE FROM acts WHERE report_id = 'tower-3'")

    result = verified(log)

    assert [line.partition(":")[0] for line in result.differences] == ["acts", "claim_spans"]


# -- the engine's comparison, both files tampered with ---------------------------------------


@pytest.fixture
def pair(log: Analyst, tmp_path: Path) -> Iterator[tuple[ReadModels, Path]]:
    """The incremental read models and a rebuild of them in a file of its own."""
    with ReadModels(tmp_path / "rebuilt.db") as rebuilt:
        rebuilt.rebuild(log.app)
    yield log.views, tmp_path / "rebuilt.db"


def run(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(sql)


def test_a_row_the_rebuild_holds_twice_and_the_incremental_not_at_all_is_missing_twice(
    pair: tuple[ReadModels, Path],
) -> None:
    views, rebuilt = pair
    injured = tuple(views.db.execute("SELECT * FROM claim_spans WHERE which = 'injured'").fetchone())
    run(rebuilt, "INSERT INTO claim_spans SELECT * FROM claim_spans WHERE which = 'injured'")
    run(views.path, "DELETE FROM claim_spans WHERE which = 'injured'")

    found = views.differences_from(rebuilt)

    assert found == [TableDifference("claim_spans", 4, 2, 2, 0, injured, None)]


def test_duplicates_swapped_between_the_sides_differ_with_nothing_missing_or_extra(
    pair: tuple[ReadModels, Path],
) -> None:
    views, rebuilt = pair
    run(rebuilt, "INSERT INTO claim_spans SELECT * FROM claim_spans WHERE which = 'injured'")
    run(views.path, "INSERT INTO claim_spans SELECT * FROM claim_spans WHERE position = 4")

    found = views.differences_from(rebuilt)

    assert found == [TableDifference("claim_spans", 4, 4, 0, 0, None, None)]


def test_equal_read_models_have_no_differences(pair: tuple[ReadModels, Path]) -> None:
    views, rebuilt = pair

    assert views.differences_from(rebuilt) == []


# -- held equal to the in-memory comparison, whatever the tampering ---------------------------


def in_memory(
    rebuilt: dict[str, list[tuple[Any, ...]]], incremental: dict[str, list[tuple[Any, ...]]]
) -> list[TableDifference]:
    """The comparison ``verify`` made before it streamed: every row of both sides in lists."""
    found = []
    for table, rows in rebuilt.items():
        mine = incremental[table]
        if rows != mine:
            missing = [row for row in rows if row not in set(mine)]
            extra = [row for row in mine if row not in set(rows)]
            first_missing, first_extra = (missing[0] if missing else None), (extra[0] if extra else None)
            found.append(
                TableDifference(table, len(rows), len(mine), len(missing), len(extra), first_missing, first_extra)
            )
    return found


@pytest.fixture(scope="module")
def caught_up_views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-model file with rows in acts, claims, statements, corrections, absent and the spans."""
    analyst = Analyst(tmp_path_factory.mktemp("log"))
    analyst.append(*REPORTS)
    analyst.views.catch_up(analyst.app)
    analyst.close()
    return analyst.views.path


TABLES = ["acts", "claims", "statements", "corrections", "absent", "claim_spans", "damage_spans"]
VALUES = st.one_of(
    st.none(), st.integers(-1, 4), st.sampled_from(["", "erbil-1", "killed", "2024-01-10"]), st.just(1.0)
)
TAMPERINGS = st.lists(
    st.tuples(
        st.sampled_from(["rebuilt", "incremental"]),
        st.sampled_from(TABLES),
        st.sampled_from(["delete", "duplicate", "change"]),
        st.integers(0, 20),
        st.integers(0, 30),
        VALUES,
    ),
    max_size=6,
)


def tamper(path: Path, table: str, how: str, pick: int, column: int, value: Any) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        rowids = [row[0] for row in connection.execute(f"SELECT rowid FROM [{table}] ORDER BY rowid")]
        if not rowids:
            return
        rowid = rowids[pick % len(rowids)]
        if how == "delete":
            connection.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
        elif how == "duplicate":  # a copy only where no key refuses it
            connection.execute(f"INSERT OR IGNORE INTO [{table}] SELECT * FROM [{table}] WHERE rowid = ?", [rowid])
        else:
            names = [row[1] for row in connection.execute(f"PRAGMA table_info([{table}])")]
            name = names[column % len(names)]
            with suppress(sqlite3.IntegrityError):  # text or NULL for an INTEGER PRIMARY KEY: no tampering
                connection.execute(f"UPDATE OR IGNORE [{table}] SET [{name}] = ? WHERE rowid = ?", [value, rowid])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tamperings=TAMPERINGS)
def test_the_streamed_comparison_equals_the_in_memory_one(
    caught_up_views: Path, tmp_path_factory: pytest.TempPathFactory, tamperings: list[tuple[Any, ...]]
) -> None:
    scratch = tmp_path_factory.mktemp("pair")
    files = {side: scratch / f"{side}.db" for side in ("rebuilt", "incremental")}
    for path in files.values():
        shutil.copyfile(caught_up_views, path)
    for side, *how in tamperings:
        tamper(files[side], *how)

    with ReadModels(files["rebuilt"]) as rebuilt, ReadModels(files["incremental"]) as views:
        expected = in_memory(rebuilt.table_rows(), views.table_rows())
        found = views.differences_from(files["rebuilt"])

    assert found == expected
