"""One benchmark run: flashpoint against bare eventsourcing on the same SQLite engine.

    python benchmarks/run.py --reports 100000          # the targets are checked at 100k
    python benchmarks/run.py --reports 1000000 --skip-baseline-append
    python benchmarks/run.py --chart-only --log /tmp/chart-bench/bench.db   # chart vs listing on a log at hand

Absolute times on shared 2-core machines are noisy, so every figure is also given as a
ratio against a baseline measured in the same run. Prints a table; ``--json`` writes it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

sys.path.insert(0, str(Path(__file__).parent))
from flashpoint.app import Flashpoint
from flashpoint.gherkin.standing import backtest, standing_scenarios
from flashpoint.projections.casualties import casualties
from flashpoint.projections.changes import changes
from flashpoint.projections.cuts import Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.escalation import escalation, escalation_summary
from flashpoint.projections.sources import sources
from flashpoint.projections.watch import reports_published
from flashpoint.reports.files import load
from generate import START, write_files
from sqlite_utils import Database

WATCHED = Path(__file__).resolve().parents[1] / "features" / "standing" / "campaign.feature"
"""The standing scenarios ``watch`` is timed with: the level at least lethal with US dead, at
least casualty attacks, and at least three tit-for-tat cycles."""


class Ledger(Aggregate):
    """The bare baseline: an aggregate that records payloads, nothing else."""

    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name

    @event("Recorded")
    def record(self, payload: dict[str, Any]) -> None:
        pass


class BareLog(Application[Any]):
    name = "bare"


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def baseline_append(db: Path, documents: list[dict[str, Any]], events: int) -> float:
    """Save ``events`` events carrying the report documents, 1,000 per save, on 40 aggregates."""
    return bare_saves(
        BareLog(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)}), documents, events
    )


def bare_saves(app: BareLog, documents: list[dict[str, Any]], events: int) -> float:
    """The seconds ``app`` takes to save ``events`` events carrying the documents, 1,000 per save,
    on 40 aggregates (then it is closed)."""
    start = time.perf_counter()
    ledgers = [Ledger(name=f"site {n}") for n in range(40)]
    pending = 40
    for index in range(events - 40):
        ledgers[index % 40].record(payload=documents[index % len(documents)])
        pending += 1
        if pending >= 1000:
            app.save(*ledgers)
            pending = 0
    app.save(*ledgers)
    elapsed = time.perf_counter() - start
    app.close()
    return elapsed


def bare_append_per_report(db: Path, documents: list[dict[str, Any]]) -> float:
    """Issue 21's append peer: a bare application storing one event per report, carrying the
    whole document, 1,000 per save, on 40 aggregates (the seconds for all of ``documents``)."""
    app = BareLog(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)})
    start = time.perf_counter()
    ledgers = [Ledger(name=f"site {n}") for n in range(40)]
    for index, document in enumerate(documents):
        ledgers[index % 40].record(payload=document)
        if index % 1000 == 999:
            app.save(*ledgers)
    app.save(*ledgers)
    elapsed = time.perf_counter() - start
    app.close()
    return elapsed


def plain_sqlite_insert(db: Path, documents: list[dict[str, Any]]) -> float:
    """Plain SQLite inserting each report's document as JSON text, in one transaction."""
    import sqlite3

    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE reports (id TEXT PRIMARY KEY, document TEXT)")
    with connection:
        connection.executemany(
            "INSERT INTO reports VALUES (?, ?)", ((document["id"], json.dumps(document)) for document in documents)
        )
    connection.close()
    return time.perf_counter() - start


def listing_against_sqlite_utils(
    db: Path, views: Path, figures: dict[str, Any], runs: int = 3
) -> tuple[str, str, str, str]:
    """``escalation --json`` (every act, streamed) against ``sqlite-utils query`` dumping the acts
    table of the same read-model file, both as commands, alternated, median of ``runs``."""
    env = {**os.environ, "FLASHPOINT_DB": str(db), "FLASHPOINT_VIEWS": str(views)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ours = [sys.executable, "-m", "flashpoint", "escalation", "--json"]
    peer = [sys.executable, "-c", LEAN_PEER, "query", str(views), "select * from acts"]

    def run(command: list[str]) -> float:
        return timed(lambda: subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True))[0]

    run(ours), run(peer)  # caught up and compiled before either is timed
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(run(ours))
        theirs.append(run(peer))
    listing, dump = statistics.median(mine), statistics.median(theirs)
    figures.update(listing_cli_seconds=listing, sqlite_utils_acts_seconds=dump)
    return (
        "escalation --json, every act, via the CLI (s)",
        f"{listing:,.2f}",
        f"sqlite-utils query views 'select * from acts': {dump:,.2f} s",
        f"{listing / dump:.2f}× (target ≤ 1.5×)",
    )


def peak_rss_of_listing(views: Path) -> int:
    """Peak RSS (KiB) of a process writing the whole ``escalation --json`` listing (to /dev/null)."""
    return peak_rss(
        "import sys, os, contextlib\n"
        "from flashpoint.cli.commands import streamed_json\n"
        "from flashpoint.projections.cuts import Cut\n"
        "from flashpoint.projections.escalation import listing\n"
        "from flashpoint.projections.reading import Reader\n"
        "db = Reader(sys.argv[1])\n"
        "with open(os.devnull, 'w') as sink, contextlib.redirect_stdout(sink):\n"
        "    streamed_json(db, listing(db, Cut()), None)\n",
        views,
    )


def baseline_read(app: Flashpoint) -> tuple[float, int]:
    """The bare decoded log read: select_notifications + mapper.to_domain_event, 1,000 at a time."""
    start, count, position = time.perf_counter(), 0, 1
    while True:
        notifications = app.recorder.select_notifications(position, 1000)
        if not notifications:
            break
        for notification in notifications:
            app.mapper.to_domain_event(notification)
            count += 1
        position = notifications[-1].id + 1
    return time.perf_counter() - start, count


def random_cuts(count: int, span_days: int, seed: int = 7) -> list[Cut]:
    rng = random.Random(seed)
    cuts = []
    for _ in range(count):
        to = START + timedelta(days=rng.randrange(30, span_days))
        known = to + timedelta(days=rng.randrange(0, 30)) if rng.random() < 0.7 else None
        cuts.append(Cut(to, known))
    return cuts


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def peak_rss(code: str, *args: object) -> int:
    """Peak RSS (KiB) of a Python process running ``code`` with ``args`` as ``sys.argv[1:]``.

    Read from VmHWM: ru_maxrss survives exec on Linux and would report the parent's peak.
    """
    tail = "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))\n"
    command = [sys.executable, "-c", code + tail, *map(str, args)]
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(output.stdout.strip().splitlines()[-1])


def peak_rss_of_rebuild(db: Path) -> int:
    """Peak RSS (KiB) of a process that rebuilds the read models of ``db`` from scratch."""
    return peak_rss(
        "import sys, tempfile, pathlib\n"
        "from flashpoint.app import Flashpoint\n"
        "from flashpoint.projections.engine import ReadModels\n"
        "app = Flashpoint(sys.argv[1])\n"
        "with tempfile.TemporaryDirectory() as d, ReadModels(pathlib.Path(d) / 'v.db') as views:\n"
        "    views.rebuild(app)\n",
        db,
    )


def peak_rss_of_verify(db: Path) -> int:
    """Peak RSS (KiB) of a process that verifies ``db``: a rebuild compared with its caught-up read models."""
    return peak_rss(
        "import sys\n"
        "from flashpoint.app import Flashpoint\n"
        "from flashpoint.questions import verify\n"
        "verify(Flashpoint(sys.argv[1]))\n",
        db,
    )


def peak_rss_of_changes(db: Path, views: Path, since: date, known_on: date) -> int:
    """Peak RSS (KiB) of a process that asks ``changes`` between two knowledge days of caught-up read models."""
    return peak_rss(
        "import sys\n"
        "from datetime import date\n"
        "from flashpoint.projections.changes import changes\n"
        "from flashpoint.projections.engine import ReadModels\n"
        "with ReadModels(sys.argv[1]) as views:\n"
        "    changes(views.db, date.fromisoformat(sys.argv[2]), date.fromisoformat(sys.argv[3]))\n",
        views,
        since.isoformat(),
        known_on.isoformat(),
    )


def peak_rss_of_watch(db: Path, views: Path) -> int:
    """Peak RSS (KiB) of a process that backtests the bundled standing scenarios on caught-up read models."""
    return peak_rss(
        "import sys\n"
        "from flashpoint.app import Flashpoint\n"
        "from flashpoint.gherkin.standing import backtest, standing_scenarios\n"
        "from flashpoint.projections.engine import ReadModels\n"
        "app = Flashpoint(sys.argv[1])\n"
        "with ReadModels(sys.argv[2]) as views:\n"
        "    backtest(app, views, standing_scenarios((sys.argv[3],)))\n",
        db,
        views,
        WATCHED,
    )


def peak_rss_of_sources(views: Path) -> int:
    """Peak RSS (KiB) of a process that asks ``sources`` at full knowledge of caught-up read models."""
    return peak_rss(
        "import sys\n"
        "from flashpoint.projections.cuts import Cut\n"
        "from flashpoint.projections.engine import ReadModels\n"
        "from flashpoint.projections.sources import sources\n"
        "with ReadModels(sys.argv[1]) as views:\n"
        "    sources(views.db, Cut())\n",
        views,
    )


def change_windows(count: int, span_days: int, seed: int = 11) -> list[tuple[date, date]]:
    """Knowledge windows an analyst asks about: a day, a week or a month, anywhere in the log."""
    rng = random.Random(seed)
    windows = []
    for _ in range(count):
        since = START + timedelta(days=rng.randrange(30, span_days))
        windows.append((since, since + timedelta(days=rng.choice([1, 7, 7, 30]))))
    return windows


def build_log(directory: Path, count: int, name: str) -> tuple[Path, float, int, list[Path]]:
    files = write_files(directory / f"{name}-files", count)
    db = directory / f"{name}.db"
    app = Flashpoint(db)
    elapsed, events = appended(app, files)
    app.close()
    return db, elapsed, events, files


def appended(app: Flashpoint, files: list[Path]) -> tuple[float, int]:
    """The seconds ``app`` takes to append each file (read and validated), and the events it then holds."""
    start = time.perf_counter()
    for path in files:
        app.append(load(str(path)))
    return time.perf_counter() - start, app.recorder.max_notification_id() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000, help="N, the reports generated (default 100000)")
    parser.add_argument("--queries", type=int, default=200, help="in-process queries timed (default 200)")
    parser.add_argument("--cli-queries", type=int, default=10, help="command-line queries timed (default 10)")
    parser.add_argument("--skip-baseline-append", action="store_true", help="(1M runs) skip the bare append")
    parser.add_argument("--skip-memory", action="store_true", help="measure the rebuild's RSS at N only, not at 2N")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--watch-only", action="store_true", help="(1M runs) only the append, catch-up, rebuild and watch"
    )
    parser.add_argument(
        "--chart-only", action="store_true", help="only the chart against the full listing (on the log built, or --log)"
    )
    parser.add_argument(
        "--log", type=Path, default=None, help="(--chart-only) time on this log instead of building one"
    )
    parser.add_argument("--postgres", metavar="URL", help="also flashpoint's PostgreSQL recorder against the stock one")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="the folder the scratch files and logs go under (default: the system temporary folder)",
    )
    options = parser.parse_args()
    n = options.reports
    rows: list[tuple[str, str, str, str]] = []
    figures: dict[str, Any] = {"reports": n}

    if options.chart_only and options.log:
        with tempfile.TemporaryDirectory(dir=options.workdir) as scratch:
            app = Flashpoint(options.log)
            figures["events"] = app.recorder.max_notification_id() or 0
            with ReadModels(options.log.with_suffix(".views.db")) as views:
                views.catch_up(app)
                figures["reports"] = n = reports_published(views.db, date.max)
            app.close()
            rows.append(
                chart_against_listing(options.log, options.log.with_suffix(".views.db"), Path(scratch), figures)
            )
        report(n, figures, rows, options.json)
        return

    with tempfile.TemporaryDirectory(dir=options.workdir) as scratch:
        directory = Path(scratch)
        print(f"building a log of {n:,} reports …", file=sys.stderr)
        db, append_seconds, events, files = build_log(directory, n, "log")
        append_rate = events / append_seconds
        figures.update(events=events, append_seconds=append_seconds)
        if options.chart_only:
            rows.append(chart_against_listing(db, directory / "log.views.db", directory, figures))
            report(n, figures, rows, options.json)
            return

        if not options.skip_baseline_append:
            documents = json.loads(files[0].read_text())
            bare_seconds = baseline_append(directory / "bare.db", documents, events)
            bare_rate = events / bare_seconds
            figures.update(bare_append_seconds=bare_seconds)
            rows.append(
                (
                    "append (events/s)",
                    f"{append_rate:,.0f}",
                    f"bare eventsourcing, as many events, batches of 1,000: {bare_rate:,.0f}",
                    f"{append_rate / bare_rate:.2f}× (first round's target ≥ 0.8×)",
                )
            )
            every = [document for path in files for document in json.loads(path.read_text())]
            per_report = bare_append_per_report(directory / "bare-reports.db", every)
            plain = plain_sqlite_insert(directory / "plain.db", every)
            reports_rate = n / append_seconds
            figures.update(bare_per_report_seconds=per_report, plain_sqlite_seconds=plain)
            rows.append(
                (
                    "append (reports/s)",
                    f"{reports_rate:,.0f}",
                    f"bare eventsourcing, one event per report: {n / per_report:,.0f}; "
                    f"plain SQLite inserts: {n / plain:,.0f}",
                    f"{per_report / append_seconds:.2f}× (target ≥ 0.5×); {plain / append_seconds:.2f}× plain SQLite",
                )
            )
        else:
            rows.append(("append (events/s)", f"{append_rate:,.0f}", "(baseline skipped)", ""))

        app = Flashpoint(db)
        read_seconds, read_events = baseline_read(app)
        read_rate = read_events / read_seconds
        views_path = directory / "log.views.db"
        with ReadModels(views_path) as views:
            catch_seconds, _ = timed(lambda: views.catch_up(app))
            rebuild_seconds, _ = timed(lambda: views.rebuild(app))
            catch_rate, rebuild_rate = events / catch_seconds, events / rebuild_seconds
            figures.update(read_seconds=read_seconds, catch_up_seconds=catch_seconds, rebuild_seconds=rebuild_seconds)
            rows.append(
                (
                    "catch-up (events/s)",
                    f"{catch_rate:,.0f}",
                    f"bare decoded log read: {read_rate:,.0f}",
                    f"{catch_rate / read_rate:.2f}× (target ≥ 0.6×)",
                )
            )
            rows.append(
                (
                    "rebuild (events/s)",
                    f"{rebuild_rate:,.0f}",
                    f"bare decoded log read: {read_rate:,.0f}",
                    f"{rebuild_rate / read_rate:.2f}× (target ≥ 0.6×)",
                )
            )
            if options.postgres:  # benchmarks/postgres.py: the same reports, on that server
                from postgres import postgres_against_stock

                rows.extend(postgres_against_stock(options.postgres, n, directory, figures=figures))

            print("backtesting the standing scenarios on every publication day …", file=sys.stderr)
            watch_seconds, judged = timed(lambda: backtest(app, views, standing_scenarios((str(WATCHED),))))
            figures.update(watch_seconds=watch_seconds, watch_days=judged.days, watch_flips=len(judged.flips))
            rows.append(
                (
                    "watch, every publication day (s)",
                    f"{watch_seconds:,.1f} ({judged.days:,} days, {len(judged.flips):,} flips)",
                    f"one rebuild of the read models: {rebuild_seconds:,.1f} s",
                    f"{watch_seconds / rebuild_seconds:.2f}× (target ≤ 3×)",
                )
            )
            if options.watch_only:
                watch_rss = peak_rss_of_watch(db, views_path)
                figures.update(watch_rss_n_kib=watch_rss)
                rows.append(("watch peak RSS (MiB)", f"N: {watch_rss / 1024:.0f}", "(2N skipped)", ""))
                report(n, figures, rows, options.json)
                return

            span = (date.fromisoformat(max_day(views)) - START).days
            cuts = random_cuts(options.queries, span)
            summary = [
                timed(lambda cut=cut: (escalation_summary(views.db, cut), casualties_of_one(views, cut)))[0]
                for cut in cuts
            ]
            full = [
                timed(lambda cut=cut: escalation(views.db, cut))[0] for cut in cuts[: max(3, options.queries // 20)]
            ]
            p50, p95 = percentiles(summary)
            f50, f95 = percentiles(full)
            catch_100k = catch_seconds * 100_000 / n * (events / n) / (events / n)
            figures.update(query_p50=p50, query_p95=p95, full_p50=f50, full_p95=f95)
            rows.append(
                (
                    "as-of query, in process (ms)",
                    f"p50 {p50 * 1000:.1f} · p95 {p95 * 1000:.1f}",
                    f"catch-up of 100k reports: {catch_100k * 1000:,.0f} ms",
                    f"{catch_100k / p95:,.0f}× faster (target ≥ 10×; p95 < 50 ms at 1M)",
                )
            )
            rows.append(
                (
                    "full escalation listing (ms)",
                    f"p50 {f50 * 1000:.0f} · p95 {f95 * 1000:.0f}",
                    "every act in the cut",
                    "",
                )
            )
            windows = change_windows(max(5, options.queries // 10), span)
            asked = [timed(lambda w=w: changes(views.db, w[0], w[1]))[0] for w in windows]
            answers = [
                timed(lambda w=w: (escalation(views.db, Cut(None, w[1])), casualties(views.db, Cut(None, w[1]))))[0]
                for w in windows[:3]
            ]
            g50, g95 = percentiles(asked)
            a50, _ = percentiles(answers)
            figures.update(changes_p50=g50, changes_p95=g95, answer_p50=a50)
            rows.append(
                (
                    "changes, a day to a month apart (ms)",
                    f"p50 {g50 * 1000:.0f} · p95 {g95 * 1000:.0f}",
                    f"one as-of answer (escalation + casualties): {a50 * 1000:,.0f} ms",
                    f"{g95 / a50:.2f}× (target ≤ 2×); {g95 / p95:.1f}× the as-of query above",
                )
            )
            last_window = windows[0]
            known_days = [since for since, _ in windows[:3]]
            records = [timed(lambda day=day: sources(views.db, Cut(None, day)))[0] for day in known_days]
            peers = [
                timed(
                    lambda day=day: (
                        casualties(views.db, Cut(None, day)),
                        sum(1 for _ in views.db.query("SELECT * FROM claims")),
                    )
                )[0]
                for day in known_days
            ]
            s50, p50_peer = statistics.median(records), statistics.median(peers)
            figures.update(sources_p50=s50, sources_peer_p50=p50_peer)
            rows.append(
                (
                    "sources, as known on a day (ms)",
                    f"p50 {s50 * 1000:,.0f}",
                    f"casualties as of then + one pass over claims: {p50_peer * 1000:,.0f} ms",
                    f"{s50 / p50_peer:.2f}× (target ≤ 2×)",
                )
            )
        app.close()

        cli = []
        env = {**os.environ, "FLASHPOINT_DB": str(db), "FLASHPOINT_VIEWS": str(views_path)}
        for cut in cuts[: options.cli_queries]:
            args = [sys.executable, "-m", "flashpoint", "escalation", "--summary", "--json", "--to", cut.to_text]
            if cut.known_on:
                args += ["--known-on", cut.known_text]
            cli.append(timed(lambda args=args: subprocess.run(args, env=env, capture_output=True, check=True))[0])
        c50, c95 = percentiles(cli)
        figures.update(cli_p50=c50, cli_p95=c95)
        rows.append(
            (
                "as-of query via the CLI (ms)",
                f"p50 {c50 * 1000:.0f} · p95 {c95 * 1000:.0f}",
                "includes Python start-up",
                "",
            )
        )
        rows.extend(questions_against_sqlite_utils(db, views_path, cli_questions(views_path, cuts[0]), figures))

        rows.append(listing_against_sqlite_utils(db, views_path, figures))
        rows.append(chart_against_listing(db, views_path, directory, figures))

        listing_rss_n = peak_rss_of_listing(views_path)
        figures.update(listing_rss_n_kib=listing_rss_n)
        changes_rss_n = peak_rss_of_changes(db, views_path, *last_window)
        watch_rss_n = peak_rss_of_watch(db, views_path)
        sources_rss_n = peak_rss_of_sources(views_path)
        figures.update(watch_rss_n_kib=watch_rss_n, sources_rss_n_kib=sources_rss_n)
        if options.skip_memory:
            rss_n, verify_rss_n = peak_rss_of_rebuild(db), peak_rss_of_verify(db)
            figures.update(rss_n_kib=rss_n, changes_rss_n_kib=changes_rss_n, verify_rss_n_kib=verify_rss_n)
            rows.append(("rebuild peak RSS (MiB)", f"N: {rss_n / 1024:.0f}", "(2N skipped)", ""))
            rows.append(("verify peak RSS (MiB)", f"N: {verify_rss_n / 1024:.0f}", "(2N skipped)", ""))
            rows.append(("listing peak RSS (MiB)", f"N: {listing_rss_n / 1024:.0f}", "(2N skipped)", ""))
            rows.append(("changes peak RSS (MiB)", f"N: {changes_rss_n / 1024:.0f}", "(2N skipped)", ""))
            rows.append(("watch peak RSS (MiB)", f"N: {watch_rss_n / 1024:.0f}", "(2N skipped)", ""))
            rows.append(("sources peak RSS (MiB)", f"N: {sources_rss_n / 1024:.0f}", "(2N skipped)", ""))
        else:
            print(f"building a log of {2 * n:,} reports for the memory check …", file=sys.stderr)
            double_db, *_ = build_log(directory, 2 * n, "double")
            rss_n, rss_2n = peak_rss_of_rebuild(db), peak_rss_of_rebuild(double_db)
            double_views = directory / "double.views.db"
            with ReadModels(double_views) as views:
                views.catch_up(Flashpoint(double_db))
            verify_rss_n, verify_rss_2n = peak_rss_of_verify(db), peak_rss_of_verify(double_db)
            figures.update(verify_rss_n_kib=verify_rss_n, verify_rss_2n_kib=verify_rss_2n)
            listing_rss_2n = peak_rss_of_listing(double_views)
            figures.update(listing_rss_2n_kib=listing_rss_2n)
            rows.append(
                (
                    "listing peak RSS (MiB)",
                    f"N: {listing_rss_n / 1024:.0f} · 2N: {listing_rss_2n / 1024:.0f}",
                    "",
                    f"{listing_rss_2n / listing_rss_n:.2f}× (flat: ≤ 1.3×)",
                )
            )
            changes_rss_2n = peak_rss_of_changes(double_db, double_views, *last_window)
            watch_rss_2n = peak_rss_of_watch(double_db, double_views)
            sources_rss_2n = peak_rss_of_sources(double_views)
            figures.update(watch_rss_2n_kib=watch_rss_2n, sources_rss_2n_kib=sources_rss_2n)
            figures.update(
                rss_n_kib=rss_n, rss_2n_kib=rss_2n, changes_rss_n_kib=changes_rss_n, changes_rss_2n_kib=changes_rss_2n
            )
            rows.append(
                (
                    "rebuild peak RSS (MiB)",
                    f"N: {rss_n / 1024:.0f} · 2N: {rss_2n / 1024:.0f}",
                    "",
                    f"{rss_2n / rss_n:.2f}× (target ≤ 1.3×)",
                )
            )
            rows.append(
                (
                    "verify peak RSS (MiB)",
                    f"N: {verify_rss_n / 1024:.0f} · 2N: {verify_rss_2n / 1024:.0f}",
                    "",
                    f"{verify_rss_2n / verify_rss_n:.2f}× (target ≤ 1.3×)",
                )
            )
            rows.append(
                (
                    "changes peak RSS (MiB)",
                    f"N: {changes_rss_n / 1024:.0f} · 2N: {changes_rss_2n / 1024:.0f}",
                    "",
                    f"{changes_rss_2n / changes_rss_n:.2f}× (flat: ≤ 1.3×)",
                )
            )
            rows.append(
                (
                    "watch peak RSS (MiB)",
                    f"N: {watch_rss_n / 1024:.0f} · 2N: {watch_rss_2n / 1024:.0f}",
                    "",
                    f"{watch_rss_2n / watch_rss_n:.2f}× (flat: ≤ 1.3×)",
                )
            )
            rows.append(
                (
                    "sources peak RSS (MiB)",
                    f"N: {sources_rss_n / 1024:.0f} · 2N: {sources_rss_2n / 1024:.0f}",
                    "",
                    f"{sources_rss_2n / sources_rss_n:.2f}× (flat: ≤ 1.3×)",
                )
            )

    report(n, figures, rows, options.json)


def chart_against_listing(
    db: Path, views: Path, directory: Path, figures: dict[str, Any], runs: int = 3
) -> tuple[str, str, str, str]:
    """``flashpoint chart`` of the whole log against ``flashpoint escalation --json`` (every act
    in the cut) on the same log, each a command as the analyst runs it (Python start-up,
    imports and the caught-up check included), alternated, median of ``runs``."""
    env = {**os.environ, "FLASHPOINT_DB": str(db), "FLASHPOINT_VIEWS": str(views)}

    def cli(*args: str) -> float:
        command = [sys.executable, "-m", "flashpoint", *args]
        return timed(lambda: subprocess.run(command, env=env, capture_output=True, check=True))[0]

    cli("escalation", "--summary")  # the read models caught up before either is timed
    listing, chart = [], []
    for _ in range(runs):
        listing.append(cli("escalation", "--json"))
        chart.append(cli("chart", "--out", str(directory / "chart.png")))
    chart_seconds, listing_seconds = statistics.median(chart), statistics.median(listing)
    figures.update(chart_seconds=chart_seconds, chart_listing_seconds=listing_seconds)
    return (
        "chart of the whole log via the CLI (s)",
        f"{chart_seconds:,.1f}",
        f"escalation --json, every act: {listing_seconds:,.1f} s",
        f"{chart_seconds / listing_seconds:.2f}× (target ≤ 2×)",
    )


LEAN_PEER = (
    "import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; "
    "from sqlite_utils.cli import cli; sys.argv[0] = 'sqlite-utils'; cli()"
)
"""sqlite-utils' own command line with pandas and numpy hidden: as fast as it starts where they are
not installed (it imports both when they are, only to map their types; the dev extras install them)."""


def questions_against_sqlite_utils(
    db: Path, views: Path, questions: list[list[str]], figures: dict[str, Any], runs: int = 5
) -> list[tuple[str, str, str, str]]:
    """Each CLI question (``--json``) against ``sqlite-utils query`` reading one row of the same
    read-model file, both as commands (Python start-up and imports included), alternated,
    median of ``runs``; then what a JSON question imports (``python -X importtime``).

    Both run with their bytecode cached, as installed packages do (an editable install writes
    it on first import, unless PYTHONDONTWRITEBYTECODE is set: it is unset here)."""
    env = {**os.environ, "FLASHPOINT_DB": str(db), "FLASHPOINT_VIEWS": str(views)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    peer = [sys.executable, "-c", LEAN_PEER, "query", str(views), "select * from acts where report_id = :id"]
    act = next(iter(Database(views).query("SELECT report_id FROM acts LIMIT 1")))["report_id"]
    peer += ["-p", "id", act]

    def run(command: list[str]) -> float:
        return timed(lambda: subprocess.run(command, env=env, capture_output=True, check=True))[0]

    rows = []
    run(peer)  # its bytecode compiled before it is timed
    bare = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(runs))
    figures["python_start_seconds"] = bare
    for question in questions:
        command = [sys.executable, "-m", "flashpoint", *question, "--json"]
        run(command)  # caught up (and compiled) before it is timed
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(run(command))
            theirs.append(run(peer))
        mine, peers = statistics.median(ours), statistics.median(theirs)
        name = " ".join(question[:2])
        figures[f"question {name}"] = {"seconds": mine, "sqlite_utils_seconds": peers}
        rows.append(
            (
                f"{name} … --json via the CLI (ms)",
                f"{mine * 1000:,.0f}",
                f"sqlite-utils query, one row: {peers * 1000:,.0f} ms",
                f"{mine / peers:.2f}× (target ≤ 0.6×); Python alone starts in {bare * 1000:,.0f} ms",
            )
        )
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flashpoint", *questions[0], "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines() if line.startswith("import time:")}
    heavy = [
        name
        for name in ("numpy", "pandas", "matplotlib", "rich", "yaml", "eventsourcing", "sqlite_utils")
        if name in loaded
    ]
    figures["question_imports"] = heavy
    rows.append(
        (
            "a JSON question imports",
            ", ".join(heavy) or "none of the heavy ones",
            "none: a question asked at once reads the read models with sqlite3",
            "",
        )
    )
    return rows


def cli_questions(views: Path, cut: Cut) -> list[list[str]]:
    """The two questions #21 times: one incident as known on a day, and the summary at a day."""
    incident = next(iter(Database(views).query("SELECT incident FROM claims ORDER BY position LIMIT 1")))["incident"]
    return [
        ["casualties", "--incident", incident, "--known-on", cut.known_text if cut.known_on else cut.to_text],
        ["escalation", "--summary", "--to", cut.to_text],
    ]


def report(n: int, figures: dict[str, Any], rows: list[tuple[str, str, str, str]], out: Path | None) -> None:
    """Print the table of figures (and write them as JSON to ``out``)."""
    print(
        f"\nflashpoint benchmark: {n:,} reports, {figures['events']:,} events, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}\n"
    )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "flashpoint", "baseline (same run)", "ratio")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    if out:
        out.write_text(json.dumps(figures, indent=2))


def max_day(views: ReadModels) -> str:
    return next(iter(views.db.query("SELECT max(occurred_to) AS day FROM acts")))["day"]


def casualties_of_one(views: ReadModels, cut: Cut) -> Any:
    """The second half of an as-of question: who was hurt in one incident, at the cut."""
    row = next(
        iter(
            views.db.query(
                "SELECT report_id FROM acts WHERE occurred_from <= ? ORDER BY occurred_from DESC LIMIT 1", [cut.to_text]
            )
        ),
        None,
    )
    return casualties(views.db, cut, incident=row["report_id"]) if row else None


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
