"""flashpoint's PostgreSQL recorder against eventsourcing's stock one, on the same server in one run.

    python benchmarks/postgres.py --url postgresql://postgres@127.0.0.1:54401/bench --reports 100000
    python benchmarks/run.py --reports 100000 --postgres postgresql://…   # the same rows in run.py's table

Every measure runs in a child process of its own (timed inside it, so both sides start
alike), and each append into a fresh schema of the database the URL names (dropped after):

- flashpoint appending the generated report files (one append per file, as ``run.py`` does),
  against the same ``Flashpoint.append`` on eventsourcing's stock ``PostgresApplicationRecorder``
  (:class:`StockRecorded`). The stock recorder sends a batch as one pipelined message, which
  never finishes sending once it is big (psycopg issue 685): a child whose INSERT has waited
  for the rest of its message for :data:`HUNG_AFTER` seconds is stopped, and the stock
  recorder is given the largest appends it survives, smaller files of the same reports;
  flashpoint is then also timed on those same files, which compares the recorders alone;
- and, for context, a bare eventsourcing ``Application`` on the stock recorder saving as many
  events carrying the same documents, 1,000 per save (``run.py``'s ``baseline_append``).

Then, on one log flashpoint appended, the read models' catch-up into a new file and the bare
decoded log read (``run.py``'s ``baseline_read``) through each recorder. Every append is taken
``--rounds`` times, every read twice as often, the sides alternated (the order reversed every
round), the median kept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from eventsourcing.utils import Environment, EnvType
from psycopg.sql import SQL, Identifier

sys.path.insert(0, str(Path(__file__).parent))
from flashpoint.app import Flashpoint
from flashpoint.projections.engine import ReadModels
from flashpoint.storage.stores import parse_store, scratch_schema, with_schema
from generate import write_files
from run import BareLog, appended, bare_saves, baseline_read, report

STOCK_TOPIC = "eventsourcing.postgres:PostgresApplicationRecorder"
PER_FILE = 100_000
"""Reports per generated file, as ``run.py`` writes them: flashpoint appends a file at a time."""
SMALLER = (50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100)
"""The appends tried, largest first, for a recorder that hangs on whole files."""
HUNG_AFTER = 20
"""Seconds an INSERT may wait, active, for the rest of its message before the append counts as hung."""
READS = ("catch-up", "read")
"""What is timed on the log flashpoint appended: the read models' catch-up, the bare decoded read."""
Row = tuple[str, str, str, str]


class StockRecorded(Flashpoint):
    """The same application on eventsourcing's stock PostgreSQL recorder (this benchmark's peer only)."""

    name = "flashpoint"  # eventsourcing would name the tables after the class otherwise

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        environment = super().construct_env(name, env)
        for key in environment.create_keys("APPLICATION_RECORDER_TOPIC"):  # FLASHPOINT_… first, then plain
            environment[key] = STOCK_TOPIC
        return environment


RECORDED_BY: dict[str, type[Flashpoint]] = {"flashpoint": Flashpoint, "stock": StockRecorded}


def postgres_against_stock(
    url: str, reports: int, workdir: Path, rounds: int = 3, figures: dict[str, Any] | None = None
) -> list[Row]:
    """The rows of ``run.py``'s table: append, catch-up and the decoded read on PostgreSQL, flashpoint's
    recorder against eventsourcing's stock one, each append in a fresh schema of ``url``'s database.
    ``figures``, when given, is told the rates (events/s, medians) and the appends the stock recorder took."""
    file_size = min(reports, PER_FILE)
    files: dict[int, list[Path]] = {}

    def files_of(size: int) -> list[Path]:
        if size not in files:
            files[size] = write_files(workdir / f"pg-files-{size}", reports, size)
        return files[size]

    print(f"PostgreSQL: the largest appends the stock recorder takes (files of {file_size:,}) …", file=sys.stderr)
    first_passed = largest_surviving(url, json.loads(files_of(file_size)[0].read_text()), workdir)
    rates, kept, stock_size = appends(url, files_of, file_size, first_passed, rounds)

    events = int(rates.pop("events"))
    reads: dict[str, list[float]] = {f"{measure} {recorder}": [] for measure in READS for recorder in RECORDED_BY}
    try:  # the kept log is dropped whatever happens (a broken stderr pipe included)
        print("PostgreSQL catch-up and decoded reads …", file=sys.stderr)
        with connected(kept) as connection:  # the log's pages read once before either side is timed
            connection.execute(
                SQL("SELECT sum(length(state)) FROM {}.flashpoint_events").format(Identifier(schema_of(kept)))
            )
        for round_ in range(2 * rounds):  # cheaper than the appends, and noisier
            recorders = list(RECORDED_BY) if round_ % 2 == 0 else list(reversed(RECORDED_BY))
            for measure in READS:
                for recorder in recorders:
                    seconds, _ = in_child(measure, recorder, kept, scratch=workdir) or (0.0, 0)
                    reads[f"{measure} {recorder}"].append(events / seconds)
                recorders.reverse()
    finally:
        parse_store(kept).drop_schema()

    rate = {**rates, **{name: statistics.median(samples) for name, samples in reads.items()}}
    if figures is not None:
        figures.update(
            postgres={
                "events": events,
                "stock_first_file_passed_at": first_passed,
                "stock_appends_of": stock_size,
                "events_per_second": rate,
            }
        )
    hung = "" if stock_size == file_size else f" (whole files of {file_size:,} and bigger appends hung)"
    return [
        (
            "PostgreSQL append (events/s)",
            f"{rate['whole']:,.0f}",
            f"stock recorder, appends of {stock_size:,} reports{hung}: {rate['stock sized']:,.0f}",
            f"{rate['whole'] / rate['stock sized']:.2f}× (target ≥ 1.0×)",
        ),
        (
            f"PostgreSQL append, appends of {stock_size:,} (events/s)",
            f"{rate['flashpoint sized']:,.0f}",
            f"stock recorder, the same appends: {rate['stock sized']:,.0f}",
            f"{rate['flashpoint sized'] / rate['stock sized']:.2f}× (target ≥ 1.0×)",
        ),
        (
            "PostgreSQL append (events/s)",
            f"{rate['whole']:,.0f}",
            f"bare eventsourcing, stock recorder, batches of 1,000: {rate['bare']:,.0f}",
            f"{rate['whole'] / rate['bare']:.2f}× (context)",
        ),
        (
            "PostgreSQL catch-up (events/s)",
            f"{rate['catch-up flashpoint']:,.0f}",
            f"through the stock recorder: {rate['catch-up stock']:,.0f}",
            f"{rate['catch-up flashpoint'] / rate['catch-up stock']:.2f}× (target ≥ 1.0×)",
        ),
        (
            "PostgreSQL decoded log read (events/s)",
            f"{rate['read flashpoint']:,.0f}",
            f"through the stock recorder: {rate['read stock']:,.0f}",
            f"{rate['read flashpoint'] / rate['read stock']:.2f}× (target ≥ 1.0×)",
        ),
    ]


def largest_surviving(url: str, documents: list[dict[str, Any]], workdir: Path) -> int:
    """The most of the first ``documents`` one append on the stock recorder takes without hanging, each
    size tried in a fresh schema: all of them, then :data:`SMALLER` down to the first that passes,
    then halving the gap to the smallest that hung until it is within a tenth."""

    def survives(size: int) -> bool:
        path = workdir / f"pg-probe-{size}.json"
        path.write_text(json.dumps(documents[:size]))
        schema_url = with_schema(url, scratch_schema("probe"))
        survived = in_child("append", "stock", schema_url, [path]) is not None
        parse_store(schema_url).drop_schema()
        path.unlink()
        print(f"  appends of {size:,} reports {'passed' if survived else 'hung'}", file=sys.stderr)
        return survived

    hung = len(documents)
    if survives(hung):
        return hung
    passed = next((size for size in SMALLER if size < hung and survives(size)), 0)
    if not passed:
        raise RuntimeError(f"the stock recorder hung even on appends of {SMALLER[-1]} reports")
    hung = min(size for size in (*SMALLER, hung) if size > passed)
    while hung - passed > max(passed // 10, 1):
        middle = (passed + hung) // 2
        middle -= middle % (100 if passed >= 1000 else 1)
        if survives(middle):
            passed = middle
        else:
            hung = middle
    return passed


def appends(
    url: str, files_of: Callable[[int], list[Path]], whole: int, stock_size: int, rounds: int
) -> tuple[dict[str, float], str, int]:
    """Median events/s of each append (and ``events``), alternated; the schema URL of one log flashpoint
    appended from whole files (kept for the reads; every other schema is dropped); and the appends the
    stock recorder took. Its hang is a race, likelier the bigger the message: when one of its appends
    hangs, both sides' appends of that size are taken again at four fifths of it."""
    runs: dict[str, list[float]] = {"whole": [], "stock sized": [], "flashpoint sized": [], "bare": []}
    events, kept, round_ = 0, "", 0
    try:
        while round_ < rounds:
            print(f"PostgreSQL appends, round {round_ + 1} of {rounds} …", file=sys.stderr)
            for side in list(runs) if round_ % 2 == 0 else reversed(runs):
                if len(runs[side]) > round_:  # taken before a hang
                    continue
                schema_url = with_schema(url, scratch_schema("bench"))
                recorder = {"whole": "flashpoint", "bare": "bare"}.get(side, side.split()[0])
                files = files_of(stock_size if side.endswith("sized") else whole)
                timed_append = in_child("append", recorder, schema_url, files[:1] if side == "bare" else files, events)
                if timed_append is None:
                    parse_store(schema_url).drop_schema()
                    if recorder != "stock" or stock_size * 4 // 5 < SMALLER[-1]:
                        raise RuntimeError(f"the {side} append of {stock_size:,} reports hung")
                    print(f"  stock appends of {stock_size:,} reports hung; again at 4/5", file=sys.stderr)
                    stock_size = stock_size * 4 // 5
                    runs["stock sized"].clear()
                    runs["flashpoint sized"].clear()
                    round_ = -1
                    break
                seconds, counted = timed_append
                if side == "whole":
                    events, kept = counted, kept or schema_url
                assert counted == events, f"{side}: {counted:,} events, {events:,} from whole files"
                runs[side].append(events / seconds)
                if schema_url != kept:
                    parse_store(schema_url).drop_schema()
            round_ += 1
    except BaseException:
        if kept:
            parse_store(kept).drop_schema()
        raise
    medians = {side: statistics.median(samples) for side, samples in runs.items()}
    return {"events": events, **medians}, kept, stock_size


def in_child(
    measure: str, recorder: str, url: str, files: list[Path] | None = None, events: int = 0, scratch: Path | None = None
) -> tuple[float, int] | None:
    """Seconds and events of one ``measure`` (append, catch-up or read) through ``recorder`` (flashpoint,
    stock, or bare: the bare application saving ``events`` events of the first file's documents), in a
    child process (its temporary files under ``scratch``); None when the child's INSERT hung (stopped
    after :data:`HUNG_AFTER` seconds)."""
    tag = f"flashpoint-bench-{os.getpid()}-{time.monotonic_ns()}"
    command = [sys.executable, __file__, "--child", measure, "--recorder", recorder, "--url", url]
    command += ["--events", str(events), *map(str, files or ())]
    env = {**os.environ, "PGAPPNAME": tag, **({"TMPDIR": str(scratch)} if scratch else {})}
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    with connected(url) as watcher:
        while child.poll() is None:
            if stalled(watcher, tag):
                child.kill()
                child.wait()
                return None
            time.sleep(0.5)
    assert child.stdout is not None
    if child.returncode != 0:
        raise RuntimeError(f"the {recorder} {measure} failed (exit {child.returncode})")
    result = json.loads(child.stdout.read().strip().splitlines()[-1])
    return float(result["seconds"]), int(result["events"])


def stalled(watcher: Any, tag: str) -> bool:
    """Whether the child's INSERT has been waiting, active, for the rest of its own message for
    :data:`HUNG_AFTER` seconds: the server reading (``ClientRead``) mid-statement while the client
    never sends the rest is psycopg issue 685's hang."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND state = 'active' "
        "AND wait_event = 'ClientRead' AND now() - state_change > make_interval(secs => %s)",
        (tag, HUNG_AFTER),
    ).fetchone()
    return bool(row[0])


@contextmanager
def connected(url: str) -> Iterator[Any]:
    """A plain autocommit connection to ``url``'s database (its ``schema`` parameter left out)."""
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(query="")), autocommit=True) as connection:
        yield connection


def child(measure: str, recorder: str, url: str, files: list[Path], events: int) -> dict[str, float]:
    """In the child process: the one measure, timed, as JSON (seconds, events)."""
    if recorder == "bare":
        return {"seconds": bare_append(url, json.loads(files[0].read_text()), events), "events": events}
    app = RECORDED_BY[recorder](url, create=measure == "append")
    if measure == "catch-up":
        with tempfile.TemporaryDirectory() as scratch, ReadModels(Path(scratch) / "views.db") as views:
            seconds, events = timed(lambda: views.catch_up(app))
    elif measure == "read":
        seconds, events = baseline_read(app)
    else:
        seconds, events = appended(app, files)
    app.close()
    return {"seconds": seconds, "events": events}


def bare_append(url: str, documents: list[dict[str, Any]], events: int) -> float:
    """``run.py``'s ``baseline_append`` on PostgreSQL: ``events`` events carrying the report documents,
    1,000 per save, on 40 aggregates, through eventsourcing's stock recorder."""
    store = parse_store(url)
    with connected(url) as connection:
        connection.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema_of(url))))
    env = {key: value for key, value in store.env(60).items() if key != "APPLICATION_RECORDER_TOPIC"}
    return bare_saves(BareLog(env=env), documents, events)


def schema_of(url: str) -> str:
    return dict(parse_store(url).settings)["POSTGRES_SCHEMA"]


def timed(action: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="a PostgreSQL database (the schemas are made and dropped there)")
    parser.add_argument("--reports", type=int, default=100_000, help="N, the reports generated (default 100000)")
    parser.add_argument("--rounds", type=int, default=3, help="times each measure is taken (default 3)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the report files go (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--child", choices=["append", *READS], help=argparse.SUPPRESS)
    parser.add_argument("--recorder", choices=[*RECORDED_BY, "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--events", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(options.child, options.recorder, options.url, options.files, options.events)))
        return
    loaded = os.getloadavg()
    figures: dict[str, Any] = {"reports": options.reports}
    with tempfile.TemporaryDirectory(dir=options.workdir) as scratch:
        rows = postgres_against_stock(options.url, options.reports, Path(scratch), options.rounds, figures)
    figures["events"] = figures["postgres"]["events"]
    with connected(options.url) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        fsync = connection.execute("SHOW fsync").fetchone()[0]
    averages = " → ".join(" ".join(f"{value:.2f}" for value in sample) for sample in (loaded, os.getloadavg()))
    print(f"\nPostgreSQL {version}, fsync {fsync}, {options.rounds} rounds; load average {averages}", end="")
    report(options.reports, figures, rows, options.json)


if __name__ == "__main__":
    main()
