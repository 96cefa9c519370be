"""The ``flashpoint`` command: parses arguments, calls the application, formats the answer.

Data goes to stdout, messages and errors to stderr. Exit statuses follow sysexits, by
the one table in :mod:`flashpoint.cli.statuses`. Every file a command writes goes through
:mod:`flashpoint.storage.outputs`, which never lets it be the log or another SQLite database.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click
import orjson
from flashpoint.cli.statuses import EX_DATAERR, EX_SOFTWARE, EX_USAGE, message_of, status_of
from flashpoint.domain.claims import claim_text
from flashpoint.domain.dates import cut_day
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.estimates import estimate_text
from flashpoint.domain.external import ACLED_COLUMNS, UCDP_COLUMNS
from flashpoint.domain.ladder import RUNGS
from flashpoint.domain.track_record import FIELDS as TRACK_RECORD_FIELDS
from flashpoint.domain.vocabulary import Party
from flashpoint.projections.casualties import POLICIES, act_totals, casualties
from flashpoint.projections.changes import changes, nothing_changed
from flashpoint.projections.cuts import DEFAULT_WINDOW, MAX_WINDOW, Cut
from flashpoint.projections.escalation import ACT_FIELDS, escalation, escalation_summary, listing
from flashpoint.projections.reading import Queries
from flashpoint.projections.sqlite_files import FileKind
from flashpoint.questions import answered_now, answering_for, as_of
from flashpoint.reports.cells import inert
from flashpoint.storage.outputs import Protected, checked_target, guarded, protected_files, written
from flashpoint.storage.stores import DEFAULT_DB, BadStore, NoLog, Store, parse_store

if TYPE_CHECKING:  # loaded by the commands that use them: a question need not pay for them
    from flashpoint.app import AppendOutcome, Flashpoint
    from flashpoint.projections.engine import ReadModels
    from flashpoint.reports import acled, geojson
    from flashpoint.reports.files import BadReport, Submitted
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# No emoji codes: ``:fire:`` in a report is those six characters. Markup is only ever ours:
# text from reports and the command line goes through visible(), then escape() or Text.
# Piped, tables are 140 columns wide unless COLUMNS says otherwise (rich reads it): as wide as the terminal.
PIPED_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 140


class LazyConsole:
    """A rich console made on first use: an answer printed as JSON or CSV never imports rich."""

    def __init__(self, **settings: Any) -> None:
        self._settings = settings
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._settings)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


out = LazyConsole(soft_wrap=False, width=PIPED_WIDTH, emoji=False)
err = LazyConsole(stderr=True, soft_wrap=True, emoji=False)

# Bidirectional embeddings, overrides and isolates reorder the text after them on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: Any) -> str:
    """``text`` with its control characters written out (``\\x1b``, ``\\n``), so none acts on the terminal."""
    return "".join(
        character.encode("unicode_escape").decode("ascii")
        if unicodedata.category(character) == "Cc" or character in BIDI_CONTROLS
        else character
        for character in str(text)
    )


def literal(text: Any) -> str:
    """Text from a report or the command line, for a line printed with markup: shown as it is."""
    from rich.markup import escape

    return escape(visible(text))


def cell(text: Any) -> Text:
    """A table cell shown as it is: never markup, control characters visible."""
    from rich.text import Text

    return Text(visible(text))


def say(line: str) -> None:
    """A one-line message on stderr, shown as it is (paths and ids may hold brackets or control characters)."""
    err.print(visible(line), markup=False, highlight=False)


class Failure(click.ClickException):
    """A one-line refusal, with the exit status the table gives the error it reports."""

    def __init__(self, message: str, cause: BaseException | int, *, more: Sequence[str] = ()) -> None:
        super().__init__(" ".join(message.split()))
        self._status = cause if isinstance(cause, int) else status_of(cause)
        self.more = [" ".join(line.split()) for line in more]  # further one-line errors of the same refusal

    # click declares ``exit_code`` on the class (one status per exception class); a failure's
    # status is its own, so it is read from the instance.
    @property
    def exit_code(self) -> int:
        return self._status

    @exit_code.setter
    def exit_code(self, status: int) -> None:
        self._status = status

    def show(self, file: Any = None) -> None:
        for line in (self.format_message(), *self.more):
            click.echo(f"error: {line}", err=True)

    @classmethod
    def of_refusals(cls, error: BadReport) -> Failure:
        """Every refusal of a file (or several), one ``error:`` line each."""
        from flashpoint.reports.files import BadFile

        first, *more = error.lines() if isinstance(error, BadFile) else [str(error)]
        return cls(first, error, more=more)


@contextmanager
def statuses_applied() -> Iterator[None]:
    """Every error a command raises leaves as a one-line :class:`Failure` with the table's status;
    usage errors exit 64 (click's own default is 2). Only bugs (status 70) pass as they are."""
    try:
        yield
    except click.UsageError as error:
        error.exit_code = EX_USAGE  # type: ignore[misc]
        raise
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
        raise  # a closed pipe ends quietly (``| head``): the entry point knows
    except Exception as error:
        status = status_of(error)
        if status == EX_SOFTWARE:
            raise
        raise Failure(message_of(error), status) from error


class Commands(click.Group):
    """flashpoint's command group: parsing and every command run under :func:`statuses_applied`."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with statuses_applied():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with statuses_applied():
            return super().invoke(ctx)


def json_option(function: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print the answer as JSON (data on stdout, notes on stderr)."
    )(function)


def csv_option(function: F) -> F:
    return click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows instead of a table.")(function)


def emit_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: Any = None) -> int:
    """Rows as CSV (stdout by default), one header line first; lists are joined with '; '. Returns the row count.

    Text cells that a spreadsheet would run as a formula get a leading ``'`` (reports/cells.py).
    """
    writer = csv.DictWriter(out or sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        cells = {key: "; ".join(map(str, value)) if isinstance(value, list) else value for key, value in row.items()}
        writer.writerow({key: inert(value) for key, value in cells.items()})
        count += 1
    return count


def one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")


def store_of(location: str) -> Store:
    try:
        return parse_store(location)
    except BadStore as error:
        raise Failure(f"--store: {error}", error) from None


@contextmanager
def opened(location: str, *, create: bool = False) -> Iterator[Flashpoint]:
    """The log at ``location`` (a SQLite path or a PostgreSQL URL); storage failures become one-line errors.

    Only the commands that append pass ``create``: a query on a log that does not exist exits
    66 and creates nothing.
    """
    from eventsourcing.persistence import PersistenceError
    from flashpoint.app import Flashpoint

    store = store_of(location)
    try:
        app = Flashpoint(store, create=create)
    except (PersistenceError, sqlite3.Error, OSError) as error:
        raise Failure(f"{store.display}: cannot open the log: {one_line(error)}", error) from None
    try:
        yield app
    except (PersistenceError, sqlite3.Error) as error:
        raise Failure(f"{store.display}: storage error: {one_line(error)}", error) from None
    finally:
        app.close()


def one_line(error: BaseException) -> str:
    """A storage error's first line (psycopg adds hints and context on further lines)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@contextmanager
def refused_input() -> Iterator[None]:
    """An input that cannot be read exits 66, a refused report 65, each with its one-line message."""
    from flashpoint.reports.files import BadReport, NoInput

    try:
        yield
    except NoInput as error:
        raise Failure(str(error), error) from None
    except BadReport as error:
        raise Failure.of_refusals(error) from None


def load_all(paths: tuple[str, ...]) -> list[Submitted]:
    """:func:`flashpoint.reports.files.load_all`, with a progress bar per file and its refusals as one-line errors."""
    from flashpoint.reports import files as report_files

    with refused_input():
        return report_files.load_all(paths, lambda path: progress_bar(f"validating {os.path.basename(path) or path}"))


def append_batch(app: Flashpoint, batch: list[Submitted]) -> AppendOutcome:
    """Append, then say on stderr what the append noted (new names near known ones)."""
    from flashpoint.app import WriterContention
    from flashpoint.reports.files import BadReport

    try:
        with progress_bar("appending") as progress:
            outcome = app.append(batch, progress)
    except BadReport as error:
        raise Failure.of_refusals(error) from None
    except WriterContention as error:
        raise Failure(f"{app.db_path}: {error}", error) from None
    for note in outcome.notes:
        say(note)
    return outcome


@dataclass(frozen=True)
class Settings:
    db: str  # the log: a SQLite path, or a postgresql:// URL given with --store
    views: str | None


def _db_after_the_command(context: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        context.obj = replace(context.find_object(Settings) or Settings(value, None), db=value)


def pass_settings(function: F) -> F:
    """Pass the command its :class:`Settings`, and take ``--db`` after the command's name too
    (``flashpoint escalation --db x.db``, as sqlite-utils and datasette take their database);
    given there, it wins over ``--db``, ``--store`` and the environment before it."""
    return click.option(
        "--db",
        "db_after",
        default=None,
        expose_value=False,
        callback=_db_after_the_command,
        help="The event log, as --db before the command (which defaults to env FLASHPOINT_DB, then "
        f"{DEFAULT_DB}); a SQLite path or a postgresql:// URL.",
    )(click.pass_obj(function))  # type: ignore[return-value]  # click's decorators lose the signature


def limit_option(rows: str) -> Callable[[F], F]:
    return click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=None,
        metavar="N",
        help=f"List only the first N {rows} (everything else is still answered over them all).",
    )


def listed(rows: list[T], limit: int | None, what: str) -> list[T]:
    """The first ``limit`` rows (all of them without a limit); a cut listing says so on stderr."""
    if limit is None or len(rows) <= limit:
        return rows
    notice(f"listed {limit} of {len(rows)} {what} (--limit {limit})")
    return rows[:limit]


def with_limit(answer: dict[str, Any], key: str, limit: int | None) -> dict[str, Any]:
    """A JSON answer with its ``key`` list cut to ``limit``; it then says so in a top-level
    ``limit`` key, ``{"n", "list", "total"}`` (no key is added without ``--limit``)."""
    if limit is None:
        return answer
    total = len(answer[key])
    return answer | {key: listed(answer[key], limit, key), "limit": {"n": limit, "list": key, "total": total}}


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="FLASHPOINT_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The SQLite event log (env FLASHPOINT_DB).",
)
@click.option(
    "--store",
    envvar="FLASHPOINT_STORE",
    default=None,
    help="The log's store, overriding --db: a SQLite path or postgresql://user:password@host:port/dbname"
    "[?schema=NAME] (env FLASHPOINT_STORE). Read models stay local: --views, default "
    "~/.cache/flashpoint/<the log's identity>.views.db.",
)
@click.option(
    "--views",
    envvar="FLASHPOINT_VIEWS",
    default=None,
    help="The read-model database (env FLASHPOINT_VIEWS); default: beside the log, NAME.views.db.",
)
@click.version_option(package_name="flashpoint")
@click.pass_context
def main(context: click.Context, db: str, store: str | None, views: str | None) -> None:
    """flashpoint: an append-only record of the US–militia escalation in Iraq and Syria."""
    context.obj = Settings(store or db, views)


@main.command()
# No dir_okay or readable checks here: reading the file says what is wrong with it, and exits 66.
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@click.option(
    "--watch",
    "watched",
    multiple=True,
    type=click.Path(),
    metavar="FEATURE",
    help="After the append, print the flips of these features' @standing scenarios that the new reports "
    "cause (judged as known on each day from the earliest of their reported days). Repeatable.",
)
@json_option
@pass_settings
def append(settings: Settings, files: tuple[str, ...], watched: tuple[str, ...], as_json: bool) -> None:
    """Append report files (YAML or JSON; '-' reads standard input). All or nothing."""
    batch = load_all(files)
    scenarios = standing_of_features(watched) if watched else []
    since = min((date.fromisoformat(str(item.document["reported"])) for item in batch), default=None)
    before = backtest_before(settings, scenarios, since) if scenarios and since else None
    with opened(settings.db, create=True) as app:
        outcome = append_batch(app, batch)
    caused = None
    if scenarios and since and outcome.appended:
        after = backtest_of(settings, scenarios, since)
        earlier = {(flip.day, flip.scenario, flip.holds) for flip in (before.flips if before else [])}
        caused = [flip for flip in after.flips if (flip.day, flip.scenario, flip.holds) not in earlier]
    if as_json:
        answer: dict[str, Any] = {
            "appended": outcome.appended,
            "unchanged": outcome.unchanged,
            "events": outcome.events,
        }
        if scenarios:
            answer["flips"] = [flip.as_dict() for flip in caused or []]
        click.echo(json.dumps(answer))
    elif caused:
        for flip in caused:
            out.print(literal(flip.line()), highlight=False, soft_wrap=True)
    say(
        f"appended {len(outcome.appended)} report(s), {outcome.events} event(s); "
        f"{len(outcome.unchanged)} already in the log unchanged"
        + (f"; {len(caused or [])} flip(s) of the watched scenarios" if scenarios else "")
    )


def backtest_before(settings: Settings, scenarios: list[Any], since: date) -> Any:
    """The backtest of the log as it is before an append (None: there is no log yet)."""
    try:
        return backtest_of(settings, scenarios, since)
    except NoLog:
        return None


def standing_of_features(paths: tuple[str, ...]) -> list[Any]:
    """The ``@standing`` scenarios of ``paths``; none at all is a data error (65)."""
    from flashpoint.gherkin.standing import NotStanding, standing_scenarios  # pytest-bdd loads only here

    found = standing_scenarios(paths)
    if not found:
        raise NotStanding(f"no @standing scenario in {', '.join(paths)}")
    return found


def backtest_of(settings: Settings, scenarios: list[Any], since: date | None, window: int | None = None) -> Any:
    """The standing scenarios judged on every publication day of the log (from ``since``)."""
    from flashpoint.gherkin.standing import backtest

    def judged(app: Flashpoint, views: ReadModels, bar: Any) -> Any:
        progress = None if bar is None else lambda done, total: bar(done, total, "judging days")
        return backtest(app, views, scenarios, since, window, progress=progress)

    return ask_long(settings, judged)


@main.command()
@limit_option("events")
@json_option
@csv_option
@pass_settings
def log(settings: Settings, limit: int | None, as_json: bool, as_csv: bool) -> None:
    """The audit trail: every stored event with its report and recording time."""
    one_format(as_json, as_csv)
    with opened(settings.db) as app:
        trail = first_of_trail(app.audit_trail(), limit)
        if as_csv:
            emit_csv((item.as_dict() for item in trail), LOG_COLUMNS)
            return
        if as_json:
            click.echo("[", nl=False)
            for index, item in enumerate(trail):
                click.echo(("," if index else "") + "\n" + json.dumps(item.as_dict()), nl=False)
            click.echo("\n]")
            return
        from rich.table import Table

        table = Table("#", "recorded at (UTC)", "report", "aggregate", "event", "v")
        for column in table.columns[1:3]:
            column.no_wrap = True  # a time and an id are read whole
        for item in trail:
            table.add_row(
                *map(
                    cell,
                    (
                        item.position,
                        item.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
                        item.report_id or "",
                        item.aggregate,
                        item.event,
                        item.version,
                    ),
                )
            )
        out.print(table)


def first_of_trail(trail: Iterator[T], limit: int | None) -> Iterator[T]:
    """The first ``limit`` events of the trail (all without a limit), read no further; when the
    log holds more, a note on stderr says so (the JSON answer is a bare list, with no room for a key)."""
    if limit is None:
        yield from trail
        return
    yield from itertools.islice(trail, limit)
    if next(trail, None) is not None:
        notice(f"listed the first {limit} events (--limit {limit}); the log holds more")


LOG_COLUMNS = ("position", "report_id", "event", "aggregate", "aggregate_id", "version", "recorded_at")


@main.command()
def schema() -> None:
    """Print the JSON Schema of report files."""
    from flashpoint.reports.schema import report_file_schema

    click.echo(json.dumps(report_file_schema(), indent=2))


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@click.option("--json", "as_json", is_flag=True, help="Print each file's result as JSON.")
def validate_command(files: tuple[str, ...], as_json: bool) -> None:
    """Check report files against the contract, without a log (0: all valid, 65: refused, 66: unreadable).

    Shape only: whether incidents and responses name reports in a log is append's to say.
    """
    from flashpoint.reports import files as report_files

    verdicts = [report_files.verdict_of(path) for path in report_files.distinct(files)]
    if as_json:
        click.echo(json.dumps({"valid": all(v.valid for v in verdicts), "files": [v.as_dict() for v in verdicts]}))
    for verdict in verdicts:
        for line in verdict.lines():
            say(f"error: {line}")
    valid = [verdict for verdict in verdicts if verdict.valid]
    say(f"{len(valid)} of {len(verdicts)} file(s) valid, {sum(v.reports for v in valid)} report(s)")
    status = max((status_of(v.error) for v in verdicts if v.error is not None), default=0)  # 66 over 65
    if status:
        raise click.exceptions.Exit(status)


@main.command()
@json_option
@pass_settings
def demo(settings: Settings, as_json: bool) -> None:
    """Append the seed reports (June 2021 article) to a new log, then show what it holds.

    A log holding other reports is refused, untouched: give --db a new file for the demo.
    """
    from flashpoint.overview import entries
    from flashpoint.reports.files import seed_path

    batch = load_all((seed_path(),))
    with opened(settings.db, create=True) as app:
        refuse_unless_only_the_seed(app, batch)
        outcome = append_batch(app, batch)
        documents = [event.document for event in app.filed_reports()]
    say(f"{app.db_path}: {len(outcome.appended)} seed report(s) appended, {len(outcome.unchanged)} already there")
    timeline = entries(documents)
    if as_json:
        click.echo(json.dumps({"reports": [entry.as_dict() for entry in timeline]}, indent=2))
        return
    out.print(f"[bold]What the log holds[/bold]: {len(timeline)} reports, in order of occurrence\n")
    for entry in timeline:
        report = entry.report
        when = report.occurred.text() if report.occurred else "undated"
        out.print(
            f"[bold]{literal(when)}[/bold]  {literal(entry.what())}  "
            f"[dim]{literal(report.id)} · reported {report.reported}[/dim]",
            highlight=False,
        )
        indented(literal(entry.who()))
        for claim in entry.claims():
            indented(f"[yellow]claim[/yellow] {literal(claim)}")
    picture, toll = ask(settings, lambda _, views: (escalation(views.db, Cut()), casualties(views.db, Cut())))
    out.print(
        f"\n[bold]Escalation[/bold] on {picture['cut']['level_date']}: "
        f"{rung_label(picture['level']['rung'])}, "
        f"trend {picture['trend']}, {picture['cycles']} tit-for-tat cycle(s); "
        f"{len(picture['acts'])} hostile acts, {len(picture['responses'])} stated responses",
        highlight=False,
    )
    for row in toll["incidents"]:
        if row["killed"]["low"] is not None:
            indented(
                f"{literal(row['incident'])}: {literal(row['party'])} killed {estimate_text(row['killed'])}"
                + (" — disputed" if row["disputed"] else "")
            )
    out.print(
        "\nAsk more: flashpoint escalation --to 2021-06-26 · flashpoint casualties --known-on 2021-06-27",
        highlight=False,
    )


def refuse_unless_only_the_seed(app: Flashpoint, seed: list[Submitted]) -> None:
    """``demo`` writes into a new log or one holding just the seed story, never into an analyst's
    log: the seed story would stay in it for good, and the listing print every report it holds.

    Refused with 65: what the log holds (its data) is what rules the demo out.
    """
    filed = app.filed_digests([item.report.id for item in seed])
    others = app.count_reports() - len(filed)
    if others:
        raise Failure(
            f"{app.db_path}: holds {others} report(s) besides the seed story, and demo writes only into a new "
            "log or one holding just the seed story; give it a new file: flashpoint --db demo.db demo",
            EX_DATAERR,
        )
    older = [item.report.id for item in seed if filed.get(item.report.id, item.report.digest) != item.report.digest]
    if older:
        raise Failure(
            f"{app.db_path}: holds the seed story as an earlier version of flashpoint wrote it ({len(older)} of its "
            "reports have changed since, and the log never rewrites a report); give demo a new file: "
            "flashpoint --db demo.db demo",
            EX_DATAERR,
        )


def indented(markup: str) -> None:
    """A line under a demo entry, four spaces in; wrapped lines keep the indent (at column 0
    they would read as the next entry)."""
    from rich.text import Text

    for line in Text.from_markup(markup, emoji=False).wrap(out.console, max(out.width - 4, 20)):
        line.rstrip()
        out.print(Text("    ") + line, highlight=False)


# -- questions -----------------------------------------------------------------------------


class Day(click.ParamType[date]):
    """A cut day, ``YYYY-MM-DD`` (the metavar ``--help`` shows), inside the range the contract accepts.

    Anything else is a usage error (64) in one line naming the option and what is wrong:
    ``--to: 2021-02-30 is not a day``, ``--to: 2021-13 is not a day (YYYY-MM-DD)``. A day
    outside the range could only ask about days no report can hold, and is refused too.
    """

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        option = param.opts[0] if param is not None and param.opts else "date"
        try:
            return cut_day(visible(value) if isinstance(value, str) else value, option)
        except InvalidValue as error:
            raise Failure(str(error), EX_USAGE) from None


DAY = Day()


def cut_options(function: F) -> F:
    """--to and --known-on, shared by every question."""
    function = click.option(
        "--known-on",
        "known_on",
        type=DAY,
        default=None,
        help="Knowledge cut: only reports public by this day.",
    )(function)
    return click.option(
        "--to",
        "to",
        type=DAY,
        default=None,
        help="Valid-time cut: what had occurred by this day.",
    )(function)


def notice(line: str) -> None:
    """A one-line notice on stderr (a read-model file rebuilt, and why), shown as it is like every other."""
    say(f"note: {line}")


def ask(settings: Settings, question: Callable[[Flashpoint, ReadModels], T]) -> T:
    """Open the log, catch the read models up (with a progress bar on a terminal), answer ``question``.

    A damaged read-model file is rebuilt and the question asked again; a read-model failure
    names the read-model file, not the log.
    """
    return ask_long(settings, lambda app, views, _: question(app, views))


def ask_views(settings: Settings, question: Callable[[Queries], T]) -> T:
    """:func:`ask` for a question of the read models alone: answered at once, without opening the
    log with eventsourcing, when they already hold all of it (:func:`flashpoint.questions.answered_now`)."""
    now = answered_now(store_of(settings.db), settings.views, question)
    if now is not None:
        return now.answer
    return ask(settings, lambda _, views: question(views.db))


def ask_long(settings: Settings, question: Callable[[Flashpoint, ReadModels, Any], T]) -> T:
    """:func:`ask` for a long question, given the progress bar too (``bar(done, total, description)``)."""
    from flashpoint.projections.engine import NotReadModels
    from flashpoint.questions import answered, views_for

    with opened(settings.db) as app, progress_bar("catching up") as progress:
        try:
            return answered(app, lambda views: question(app, views, progress), settings.views, progress, notice)
        except (sqlite3.Error, NotReadModels) as error:
            where = settings.views or views_for(app, None)
            raise Failure(f"{where}: cannot use the read models: {one_line(error)}", error) from None


def writes(settings: Settings) -> list[Protected]:
    """The files no output may be: the log and the read-model file, each with its -wal and -shm."""
    store = store_of(settings.db)
    log = None if store.is_postgres or store.in_memory else store.location
    views = settings.views or (None if store.is_postgres else str(store.default_views(None)))
    return protected_files(log, views)


def window_option(purpose: str) -> Callable[[F], F]:
    return click.option(
        "--window",
        type=click.IntRange(1, MAX_WINDOW),
        default=DEFAULT_WINDOW,
        show_default=True,
        help=f"Trailing window, in days, for {purpose}.",
    )


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err.console,
        transient=True,
    ) as bar:
        task = bar.add_task(literal(description), total=None)

        def advance(done: int, total: int, now: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=literal(now or description))

        yield advance


# An id is what the analyst copies into --incident or a report's responds_to: kept on one
# line (the other columns wrap first), cut with a visible ellipsis only if nothing else can give.
ID_COLUMN: dict[str, Any] = {"no_wrap": True, "overflow": "ellipsis"}


def rung_label(rung: int) -> str:
    return f"{rung} {RUNGS[rung]}"


@main.command("escalation")
@cut_options
@window_option("the level and the trend")
@click.option("--summary", is_flag=True, help="Only the level, trend and cycles (fast on any log size).")
@limit_option("acts")
@json_option
@csv_option
@pass_settings
def escalation_command(
    settings: Settings,
    to: Any,
    known_on: Any,
    window: int,
    summary: bool,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Hostile acts in order, their rungs, the level and trend at the cut, responses and cycles.

    --csv prints one row per act (with --summary, one row: the level at the cut).
    """
    one_format(as_json, as_csv)
    cut = Cut(as_of(to), as_of(known_on), window)
    if not summary and (as_json or as_csv):  # written as it is read, in one transaction
        write = streamed_csv if as_csv else streamed_json
        ask_views(settings, lambda db: write(db, listing(db, cut), limit))
        return
    question = escalation_summary if summary else escalation
    picture = ask_views(settings, lambda db: question(db, cut))
    if not summary:
        picture = with_limit(picture, "acts", limit)
    if as_csv:
        emit_csv([level_row(picture)], LEVEL_COLUMNS)
        return
    if as_json:
        click.echo(json.dumps(picture, indent=2))
        return
    if summary:
        print_level(picture, window)
        return
    if not picture["acts"] and "limit" not in picture:
        out.print(f"No hostile acts {cut_words(cut)}.", highlight=False)
        print_level(picture, window)
        return
    table = acts_table(picture, cut, compact=False)
    out.print(table if fits(table) else acts_table(picture, cut, compact=True))
    if picture["responses"]:
        responses = titled("Stated responses", cut)
        for column in ("response", "answers", "lag (days)", "tit-for-tat"):
            responses.add_column(column, **ID_COLUMN if column in ("response", "answers") else {"overflow": "fold"})
        for row in picture["responses"]:
            lag = str(row["lag_min"]) if row["lag_min"] == row["lag_max"] else f"{row['lag_min']}–{row['lag_max']}"
            responses.add_row(*map(cell, (row["response"], row["act"], lag, "yes" if row["tit_for_tat"] else "no")))
        out.print(responses)
    print_level(picture, window)


def acts_table(picture: dict[str, Any], cut: Cut, *, compact: bool) -> Table:
    """The hostile acts, a column per field; ``compact`` (a narrow terminal): the rung's number,
    kind, certainty, side, actor and target in one wrapped column, and an interval's two days
    on two lines, so that the ids and days stay whole at 80 columns."""
    table = titled("Hostile acts", cut, picture.get("limit"))
    columns = ("occurred", "act", "rung", "what") if compact else ACT_TABLE_COLUMNS
    for column in columns:
        table.add_column(column, **ID_COLUMN if column in ("occurred", "act") else {"overflow": "fold"})
    for act in picture["acts"]:
        kind = act["kind"].replace("_", " ")
        if compact:
            what = f"{kind}, {act['certainty']}: {act['actor']} ({act['side']}) → {act['target']}"
            table.add_row(days_apart(act["occurred"]), *map(cell, (act["id"], act["rung"], what)))
        else:
            actors = f"{act['actor']} → {act['target']}"
            row = (act["occurred"], act["id"], kind, act["side"], actors, act["certainty"], rung_label(act["rung"]))
            table.add_row(*map(cell, row))
    return table


def days_apart(occurred: str) -> Text:
    """An occurrence as a cell with each day of an interval on its own line, whole."""
    first, slash, last = occurred.partition("/")
    return lines((first + slash, last) if slash else (first,))


ACT_TABLE_COLUMNS = ("occurred", "act", "kind", "side", "actor → target", "certainty", "rung")


def fits(table: Table) -> bool:
    """Whether ``table`` fits the console's width with every word of every cell whole."""
    from rich.measure import Measurement

    unbounded = out.options.update(width=UNBOUNDED)  # measured as wide as it wants, not cut to the console
    return Measurement.get(out.console, unbounded, table).minimum <= out.console.width


UNBOUNDED = 1_000_000


ACT_COLUMNS = ACT_FIELDS
LEVEL_COLUMNS = ("level_date", "rung", "name", "trend", "cycles", "window")


def level_row(picture: dict[str, Any]) -> dict[str, Any]:
    return {
        "level_date": picture["cut"].get("level_date"),
        "rung": picture["level"]["rung"],
        "name": picture["level"]["name"],
        "trend": picture["trend"],
        "cycles": picture["cycles"],
        "window": picture["cut"].get("window"),
    }


def titled(title: str, cut: Cut, limit: dict[str, Any] | None = None) -> Table:
    """A table titled with the cut it answers (``Hostile acts by 2021-06-26, as known on 2021-06-27``),
    and with how much of the list it shows when ``--limit`` cut it."""
    from rich.table import Table

    shown = f" (the first {limit['n']} of {limit['total']})" if limit and limit["n"] < limit["total"] else ""
    return Table(title=f"{title} {cut_words(cut)}{shown}", title_justify="left")


def cut_words(cut: Cut) -> str:
    """``by 2021-06-26, as known on 2021-03-01``: the cut in words, for an answer that is empty."""
    words = [f"by {cut.to}" if cut.to else "", f"as known on {cut.known_on}" if cut.known_on else ""]
    return ", ".join(word for word in words if word) or "in the log"


def print_level(picture: dict[str, Any], window: int) -> None:
    level_date = picture["cut"]["level_date"] or "—"
    out.print(
        f"Level on {level_date}: [bold]{rung_label(picture['level']['rung'])}[/bold] "
        f"(trailing {window} days), trend {picture['trend']}, {picture['cycles']} tit-for-tat cycle(s)",
        highlight=False,
    )


NEXT_LIST = {"acts": "responses", "responses": "statements"}
LIST_OF = {"act": "acts", "response": "responses", "statement": "statements"}
"""The listing's lists in the order ``escalation --json`` writes them, and the list of each item."""


def streamed_json(db: Queries, parts: Iterator[tuple[str, Any]], limit: int | None) -> None:
    """The escalation listing as ``json.dumps(answer, indent=2)`` writes it, one act at a time."""
    write = sys.stdout.write

    def member(key: str, value: Any, last: bool = False) -> None:
        text = json.dumps(value, indent=2).replace("\n", "\n  ")
        write(f"  {json.dumps(key)}: {text}{'' if last else ','}\n")

    with db.atomic():
        _, head = next(parts)  # nothing written yet: a damaged file is rebuilt and asked again
        with cut_short():
            write("{\n")
            for key, value in head.items():
                member(key, value)
            write('  "acts": [')
            total = listed = 0  # the acts, and the items written in the list open now
            listing_of = "acts"

            def open_list(name: str) -> None:
                """Close the lists before ``name`` (even empty ones), opening each next one."""
                nonlocal listing_of, listed
                while listing_of != name:
                    write("\n  ],\n" if listed else "],\n")
                    listing_of, listed = NEXT_LIST[listing_of], 0
                    write(f'  "{listing_of}": [')

            for kind, value in parts:
                if kind == "act":
                    total += 1
                    if limit is not None and listed >= limit:
                        continue
                open_list(LIST_OF[kind])
                write(("," if listed else "") + "\n    " + dumped(value).replace("\n", "\n    "))
                listed += 1
            open_list("statements")
            write("\n  ]" if listed else "]")
            if limit is not None:
                write(",\n")
                member("limit", {"n": limit, "list": "acts", "total": total}, last=True)
                write("}\n")
            else:
                write("\n}\n")
    if limit is not None and total > limit:
        notice(f"listed {limit} of {total} acts (--limit {limit})")


def dumped(row: dict[str, Any]) -> str:
    """``json.dumps(row, indent=2)`` of a row of scalars, written by orjson (in C) when the two
    give the same text: ASCII only, and each float as Python writes it (``1e-05`` is orjson's
    ``1e-5``); else by json. The listing wrote 70,000 acts through json's Python encoder in 4 s."""
    try:
        text = orjson.dumps(row, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # an integer past 64 bits
        return json.dumps(row, indent=2)
    floats = (value for value in row.values() if type(value) is float)
    if text.isascii() and all(orjson.dumps(value) == repr(value).encode() for value in floats):
        return text
    return json.dumps(row, indent=2)


def streamed_csv(db: Queries, parts: Iterator[tuple[str, Any]], limit: int | None) -> None:
    """The escalation listing as CSV, one row per act, written as it is read."""

    def acts() -> Iterator[dict[str, Any]]:
        for kind, value in parts:
            if kind == "act":
                yield value

    with db.atomic():
        next(parts)  # the head (a CSV of acts has no place for the level); nothing written yet
        with cut_short():
            rows = acts()
            total = emit_csv(itertools.islice(rows, limit), ACT_COLUMNS)
            total += sum(1 for _ in rows)
    if limit is not None and total > limit:
        notice(f"listed {limit} of {total} acts (--limit {limit})")


@contextmanager
def cut_short() -> Iterator[None]:
    """A read-model failure once part of an answer is written ends the command (asking again
    would write that part twice), saying so."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        why = f"cannot use the read models: {one_line(error)}; the answer written is cut short"
        raise Failure(why, error) from None


def best_option(purpose: str) -> Callable[[F], F]:
    """--best: the policy that picks the best estimate among the sources' figures."""
    return click.option(
        "--best", "policy", type=click.Choice(POLICIES), default="conservative", show_default=True, help=purpose
    )


@main.command("casualties")
@cut_options
@best_option("How the best estimate is chosen among the sources' figures.")
@click.option("--incident", default=None, help="Only this act (a report id; an unknown one is refused).")
@limit_option("incidents and parties")
@json_option
@csv_option
@pass_settings
def casualties_command(
    settings: Settings,
    to: Any,
    known_on: Any,
    policy: str,
    incident: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Killed and injured per incident and party, low/best/high across sources, with disputes.

    --csv prints one row per incident and party, the current sources joined with '; '.
    """
    one_format(as_json, as_csv)
    cut = Cut(as_of(to), as_of(known_on))

    def toll_of(db: Queries) -> dict[str, Any]:
        if incident is None:
            return casualties(db, cut, policy)
        answering = answering_for(db, cut, "--incident", incident)
        if answering.merged:
            notice(f"{incident} is merged into {answering.act} {cut_words(cut)}: answering for {answering.act}")
        elif answering.withdrawn:
            notice(f"{incident} is withdrawn {cut_words(cut)}: a retraction names it")
        return casualties(db, cut, policy, answering.act)

    toll = with_limit(ask_views(settings, toll_of), "incidents", limit)
    if as_csv:
        emit_csv((casualty_row(entry) for entry in toll["incidents"]), CASUALTY_COLUMNS)
        return
    if as_json:
        click.echo(json.dumps(toll, indent=2))
        return
    if not toll["incidents"] and "limit" not in toll:
        about = f"on {literal(incident)} " if incident is not None else ""
        out.print(f"No casualty claims {about}{cut_words(cut)}.", highlight=False)
        return
    table = claims_table(toll, cut, compact=False)
    out.print(table if fits(table) else claims_table(toll, cut, compact=True))
    totals = titled("Totals per party", cut)
    for column in ("party", "killed", "injured"):
        totals.add_column(column)
    for party, figures in toll["totals"].items():
        totals.add_row(*map(cell, (party, estimate_text(figures["killed"]), estimate_text(figures["injured"]))))
    out.print(totals)


@main.command("changes")
@click.option("--since", "since", type=DAY, required=True, help="The earlier knowledge cut (K1): what you knew then.")
@click.option(
    "--known-on", "known_on", type=DAY, default=None, help="The later knowledge cut (K2; default: everything)."
)
@click.option("--to", "to", type=DAY, default=None, help="Valid-time cut, the same on both sides.")
@window_option("the level and the trend")
@json_option
@pass_settings
def changes_command(settings: Settings, since: Any, known_on: Any, to: Any, window: int, as_json: bool) -> None:
    """Every answer that differs between "as known on --since" and "as known on --known-on", and the
    reports published in between that caused each change (because)."""
    since, known_on = as_of(since), as_of(known_on)
    if known_on is not None and since > known_on:
        raise click.UsageError(f"--since {since} is after --known-on {known_on}")
    answer = ask_views(settings, lambda db: changes(db, since, known_on, as_of(to), window))
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    print_changes(answer)


def print_changes(answer: dict[str, Any]) -> None:
    """The changes in words, grouped: the level first, then acts, figures and responses, the most
    severe first; under each, the reports that caused it."""
    cut = answer["cut"]
    later = f"as known on {cut['known_on']}" if cut["known_on"] else "as known now"
    where = f", by {cut['to']}" if cut["to"] else ""
    count = f"{len(answer['reports'])} report(s) published in between"
    if nothing_changed(answer):
        out.print(f"Nothing changed since {cut['since']}, {later}{where} ({count}).", highlight=False)
        return
    out.print(f"Changes since {cut['since']}, {later}{where} ({count}):", highlight=False)
    groups: tuple[tuple[str, list[Changed]], ...] = (
        ("Escalation", [(line, []) for line in headline_changes(answer)]),
        ("Acts", acts_changed(answer["acts"])),
        ("Casualty figures", figures_changed(answer["casualties"])),
        ("Stated responses", responses_changed(answer["responses"])),
    )
    for title, items in groups:
        if items:
            out.print(f"\n[bold]{title}[/bold]", highlight=False)
        for line, because in items:
            out.print(f"  {literal(line)}", highlight=False)
            if because:
                out.print(f"      because {literal(', '.join(because))}", highlight=False)


def headline_changes(answer: dict[str, Any]) -> list[str]:
    """Level, trend and cycles, where they changed."""
    found = []
    level = answer["level"]
    if level["before"] != level["after"]:
        days = answer["cut"]["level_date_before"], answer["cut"]["level_date_after"]
        on = f"on {days[1]}" if days[0] == days[1] else f"on {days[0]}, then {days[1]}"
        found.append(f"level {rung_label(level['before']['rung'])} → {rung_label(level['after']['rung'])} ({on})")
    for key, words in (("trend", "trend"), ("cycles", "tit-for-tat cycles")):
        if answer[key]["before"] != answer[key]["after"]:
            found.append(f"{words} {answer[key]['before']} → {answer[key]['after']}")
    return found


Changed = tuple[str, list[str]]
"""One change in words, and the reports that caused it."""


def acts_changed(acts: dict[str, Any]) -> list[Changed]:
    """One line per act that changed, the highest rung first."""
    rows: list[tuple[int, str, list[str]]] = [
        (
            max(row["before"], row["after"]),
            f"{row['id']}: rung {row['before']} → {rung_label(row['after'])}",
            row["because"],
        )
        for row in acts["rung_changed"]
    ]
    rows += [
        (act["rung"], f"{act['id']} withdrawn (was {rung_label(act['rung'])})", act["because"])
        for act in acts["withdrawn"]
    ]
    rows += [(act["rung"], f"{act['id']} added ({rung_label(act['rung'])})", act["because"]) for act in acts["added"]]
    rows += [(-1, f"{row['id']} merged into {row['into']}", row["because"]) for row in acts["merged"]]
    rows.sort(key=lambda row: -row[0])
    return [(line, because) for _, line, because in rows]


def figures_changed(entries: list[dict[str, Any]]) -> list[Changed]:
    """One line per figure that changed: deaths before injuries, the largest toll first."""

    def shown(figures: dict[str, Any] | None, disputed: bool) -> str:
        text = estimate_text(figures) if figures is not None else "none"
        return f"{text}, disputed" if disputed else text

    def weight(entry: dict[str, Any]) -> tuple[int, int]:
        best = max((side or {}).get("best") or 0 for side in (entry["before"], entry["after"]))
        return (0 if entry["figure"] == "killed" else 1, -best)

    return [
        (
            f"{entry['party']} {entry['figure']} in {entry['incident']}: "
            f"{shown(entry['before'], entry['disputed_before'])} → {shown(entry['after'], entry['disputed_after'])}",
            entry["because"],
        )
        for entry in sorted(entries, key=weight)
    ]


def responses_changed(responses: dict[str, Any]) -> list[Changed]:
    found = []
    for change in ("added", "withdrawn"):
        for row in responses[change]:
            crossing = ", tit-for-tat" if row["tit_for_tat"] else ""
            found.append((f"{row['response']} answering {row['act']} {change}{crossing}", row["because"]))
    return found


@main.command("sources")
@cut_options
@best_option("How the incident's best, that each source is compared with, is chosen.")
@json_option
@csv_option
@pass_settings
def sources_command(settings: Settings, to: Any, known_on: Any, policy: str, as_json: bool, as_csv: bool) -> None:
    """Each source's track record, hindsight-free: figures given and revised (up, down), the median
    final÷first and days to the final figure, agreement with the incident's best, withdrawn claims.

    --csv prints one row per source, with the JSON record's keys as columns, sorted as the JSON is."""
    from flashpoint.projections.sources import sources

    one_format(as_json, as_csv)
    cut = Cut(as_of(to), as_of(known_on))
    answer = ask_views(settings, lambda db: sources(db, cut, policy))
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    if as_csv:
        emit_csv(answer["sources"], TRACK_RECORD_FIELDS)
        return
    if not answer["sources"]:
        out.print(f"No casualty claims {cut_words(cut)}.", highlight=False)
        return
    table = titled("Sources' track records", cut)
    for column in SOURCE_COLUMNS:
        table.add_column(
            column, **{"overflow": "fold"} if column == "source" else {"no_wrap": True, "justify": "right"}
        )
    for record in sorted(answer["sources"], key=lambda record: -record["claims"]):
        table.add_row(*map(cell, source_row(record)))
    out.print(table)


SOURCE_COLUMNS = (
    "source",
    "claims",
    "incidents",
    "figures",
    "revised ↑/↓",
    "final÷first",
    "days",
    "=/>/< best",
    "withdrawn",
)
"""The track record table's columns: revised (up/down); median final÷first and days to the final
figure; its latest numbers equal to, above and below the incident's best."""


def source_row(record: dict[str, Any]) -> tuple[str, ...]:
    def median(value: float | None) -> str:
        return "—" if value is None else f"{value:g}"

    return (
        record["source"],
        str(record["claims"]),
        str(record["incidents"]),
        str(record["figures"]),
        f"{record['revised']} ({record['revised_up']}/{record['revised_down']})",
        median(record["median_final_over_first"]),
        median(record["median_days_to_final"]),
        f"{record['agreed']}/{record['above_best']}/{record['below_best']}",
        str(record["withdrawn"]),
    )


@main.command("watch")
@click.argument("features", nargs=-1, required=True, type=click.Path())
@click.option("--since", type=DAY, default=None, help="Judge from this day on (the verdict before it is not printed).")
@click.option("--exit-status", "exit_status", is_flag=True, help="Exit 1 when a scenario holds on the last judged day.")
@window_option("the level and trend the scenarios read")
@json_option
@pass_settings
def watch(
    settings: Settings, features: tuple[str, ...], since: Any, exit_status: bool, window: int, as_json: bool
) -> None:
    """Re-judge the @standing scenarios of FEATURE... as known on each day a report was published,
    and print one line per flip: the day, the scenario, now holds or no longer holds, and the reports
    published that day ("(window)" when the sliding window alone flipped it). Never writes the log."""
    scenarios = standing_of_features(features)
    result = backtest_of(settings, scenarios, as_of(since), window)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        for flip in result.flips:
            out.print(literal(flip.line()), highlight=False, soft_wrap=True)
        holding = [scenario.name for scenario, holds in zip(scenarios, result.verdicts, strict=True) if holds]
        span = f"{result.days} day(s) judged" + (f", the last {result.last_day}" if result.last_day else "")
        say(f"{span}; {len(result.flips)} flip(s); holding now: {', '.join(holding) or 'none'}")
    if exit_status and result.holding():
        raise click.exceptions.Exit(1)


@main.command("cite")
@click.argument("incident")
@click.option(
    "--party", type=click.Choice([party.value for party in Party]), default=None, help="Only this party's figures."
)
@click.option("--known-on", "known_on", type=DAY, default=None, help="Knowledge cut: only reports public by this day.")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="A sentence per figure, the same in markdown with links to sources and archived copies, or JSON.",
)
@click.option("--history", is_flag=True, help="Also name the figures each source's later claim superseded, and when.")
@pass_settings
def cite_command(settings: Settings, incident: str, party: str | None, known_on: Any, form: str, history: bool) -> None:
    """The ready-to-publish attribution of every current figure of INCIDENT (a report id)."""
    from flashpoint.citations import citation_lines
    from flashpoint.projections.sources import cite

    cut = Cut(None, as_of(known_on))

    def cited(db: Queries) -> dict[str, Any]:
        answering = answering_for(db, cut, "INCIDENT", incident)
        if answering.merged:
            notice(f"{incident} is merged into {answering.act} {cut_words(cut)}: citing {answering.act}")
        return cite(db, answering.act, cut, party, history=history)

    answer = ask_views(settings, cited)
    if form == "json":
        click.echo(json.dumps(answer, indent=2))
        return
    lines = citation_lines(answer, markdown=form == "markdown")
    if not lines:
        click.echo(f"No current casualty figures for {literal(answer['incident'])} {cut_words(cut)}.")
    for line in lines:
        click.echo(line if form == "markdown" else literal(line))


@main.group("import")
def import_group() -> None:
    """Import other datasets into the log (validated and appended like report files)."""


@import_group.command("acled")
@click.argument("file", required=False, type=click.Path(readable=False))  # reading it says what is wrong (66, 65)
@click.option("--strict", is_flag=True, help="Refuse the file if a row is outside flashpoint's scope (else skip it).")
@click.option(
    "--deletions",
    type=click.Path(readable=False),
    help="ACLED's list of deleted events (CSV with event_id_cnty and deleted_timestamp, Unix seconds): each "
    "deleted event in the log becomes a retraction from ACLED, reported the UTC day it was deleted; deleted "
    "events not in the log are skipped and counted.",
)
@json_option
@pass_settings
def import_acled(settings: Settings, file: str | None, strict: bool, deletions: str | None, as_json: bool) -> None:
    """An ACLED CSV export: in-scope rows become act reports; re-importing is a no-op.

    Revised fatalities become casualty reports from ACLED that supersede the first figure.
    With --deletions (alone or with FILE), events ACLED deleted are retracted from the day it
    deleted them (acled-<event_id_cnty>-deleted); a deletion dated before the report of its
    event was published is refused. Everything is appended at once, or nothing.
    """
    from flashpoint.reports import acled

    if file is None and deletions is None:
        raise click.UsageError("give an ACLED export FILE, --deletions FILE, or both")
    with opened(settings.db, create=True) as app:
        with refused_input():
            imported = _read_acled_export(app, file, strict) if file else acled.AcledImport(source="")
            deleted = acled.read_deletions(deletions, app.reports, imported.submitted) if deletions else None
        outcome = append_batch(app, imported.submitted + (deleted.submitted if deleted else []))
    summary = imported.as_dict() | {
        "appended": outcome.appended,
        "unchanged": outcome.unchanged,
        "events": outcome.events,
    }
    if deleted is not None:
        summary["deletions"] = deleted.as_dict()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    if file:
        _say_imported(file, imported, outcome)
    if deleted is not None:
        retracted = len(set(summary["deletions"]["retractions"]) & set(outcome.appended))
        say(
            f"{deletions}: {deleted.rows} deleted event(s); appended {retracted} retraction(s); "
            f"{deleted.not_in_log} not in the log, skipped"
        )


def _read_acled_export(app: Flashpoint, file: str, strict: bool) -> acled.AcledImport:
    from flashpoint.reports import acled

    with progress_bar(f"reading {os.path.basename(file)}") as progress:
        return acled.read_acled(file, app.filings, strict=strict, progress=progress)


def _say_imported(file: str, imported: acled.AcledImport, outcome: AppendOutcome) -> None:
    """What importing an export did, on stderr: reports appended, revisions, rows skipped, first versions kept."""
    skipped = ", ".join(f"{name or '(none)'} ×{count}" for name, count in sorted(imported.skipped.items()))
    ours = {item.report.id for item in imported.submitted}
    appended = [report_id for report_id in outcome.appended if report_id in ours]
    say(
        f"{file}: {imported.rows} row(s); appended {len(appended)} report(s) "
        f"({len(set(imported.revisions) & set(appended))} fatality revision(s)), {outcome.events} event(s); "
        f"{len(ours & set(outcome.unchanged))} already in the log unchanged"
        + (f"; skipped (outside flashpoint's scope): {skipped}" if skipped else "")
    )
    for report_id, fields in imported.kept_first.items():
        say(
            f"note: ACLED changed {', '.join(fields)} of {report_id} since it was imported; "
            "the log keeps the first version (fatalities revisions are recorded)"
        )


@import_group.command("ucdp")
@click.argument("file", type=click.Path(readable=False))  # reading it says what is wrong (66, 65)
@click.option("--strict", is_flag=True, help="Refuse the file if a row is outside flashpoint's scope (else skip it).")
@json_option
@pass_settings
def import_ucdp(settings: Settings, file: str, strict: bool, as_json: bool) -> None:
    """A UCDP GED CSV file: rows setting the US/coalition against Iran-aligned groups become act
    reports (ucdp-<relid>) with UCDP's deaths per side as claims; re-importing is a no-op.

    A later GED version with other deaths becomes a casualty report from UCDP GED that
    supersedes the first figures. Everything is appended at once, or nothing. The mapping is
    in docs/ucdp.md.
    """
    from flashpoint.reports import ucdp

    with opened(settings.db, create=True) as app:
        with refused_input(), progress_bar(f"reading {os.path.basename(file)}") as progress:
            imported = ucdp.read_ucdp(file, app.filings, strict=strict, progress=progress)
        outcome = append_batch(app, imported.submitted)
    summary = imported.as_dict() | {
        "appended": outcome.appended,
        "unchanged": outcome.unchanged,
        "events": outcome.events,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    skipped = ", ".join(f"{reason} ×{number}" for reason, number in sorted(imported.skipped.items()))
    say(
        f"{file}: {imported.rows} row(s); appended {len(outcome.appended)} report(s) "
        f"({len(set(imported.revisions) & set(outcome.appended))} deaths revision(s)), {outcome.events} event(s); "
        f"{len(outcome.unchanged)} already in the log unchanged"
        + (f"; skipped (outside flashpoint's scope): {skipped}" if skipped else "")
    )
    for report_id, fields in imported.kept_first.items():
        say(
            f"note: UCDP changed {', '.join(fields)} of {report_id} since it was imported; "
            "the log keeps the first version (deaths revisions are recorded)"
        )


@main.group("export")
def export_group() -> None:
    """Export the log in other datasets' formats."""


def out_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--out", "out_path", default="-", help=f"{what} file (default: stdout); never the log or another SQLite file."
    )


def exported(settings: Settings, out_path: str, write: Callable[[Flashpoint, ReadModels, TextIO], T]) -> T:
    """Run an export on the caught-up read models into stdout (``-``) or a file written whole or not at all."""
    if out_path == "-":
        return ask(settings, lambda app, views: write(app, views, sys.stdout))
    with written(out_path, writes(settings)) as partial:

        def into_file(app: Flashpoint, views: ReadModels) -> T:
            with open(partial, "w", encoding="utf-8", newline="") as handle:
                return write(app, views, handle)

        return ask(settings, into_file)


@export_group.command("acled")
@cut_options
@out_option("CSV")
@pass_settings
def export_acled(settings: Settings, to: Any, known_on: Any, out_path: str) -> None:
    """Every act in the cut as ACLED's 31 columns; imported rows come back as ACLED wrote them."""
    from flashpoint.reports import acled

    cut = Cut(as_of(to), as_of(known_on))
    count = exported(
        settings, out_path, lambda app, views, out: emit_csv(acled.export_acled(app, views.db, cut), ACLED_COLUMNS, out)
    )
    say(f"exported {count} act(s) as ACLED rows")


@export_group.command("geojson")
@cut_options
@out_option("GeoJSON")
@pass_settings
def export_geojson(settings: Settings, to: Any, known_on: Any, out_path: str) -> None:
    """The acts in the cut with coordinates as a GeoJSON FeatureCollection of points (RFC 7946).

    Each feature's properties: id, kind, occurred_from, occurred_to, certainty, side, actor,
    target, rung, rung_name, place, geo_precision, and killed and injured (best estimates,
    summed over the parties hurt). Acts without coordinates are counted on stderr.
    """
    from flashpoint.reports import geojson

    cut = Cut(as_of(to), as_of(known_on))

    def write(_: Flashpoint, views: ReadModels, out: TextIO) -> geojson.Mapped:
        with views.db.atomic():  # acts and figures from one state of the read models
            picture, toll = escalation(views.db, cut), casualties(views.db, cut)
        return geojson.write_collection(picture["acts"], act_totals(toll), out)

    mapped = exported(settings, out_path, write)
    say(f"exported {mapped.features} act(s) as GeoJSON points; {mapped.unplaced} act(s) without coordinates left out")


@export_group.command("ucdp")
@cut_options
@out_option("CSV")
@pass_settings
def export_ucdp(settings: Settings, to: Any, known_on: Any, out_path: str) -> None:
    """Every act in the cut as UCDP GED's 49 columns; imported rows come back as UCDP wrote them
    (the version whose deaths stand at the knowledge cut).

    Acts reported natively are described in GED's terms: deaths per side from flashpoint's best
    figures, low and high summed over the parties, date_prec from the interval, where_prec from
    geo_precision, the kind in words as the headline.
    """
    from flashpoint.reports import ucdp

    cut = Cut(as_of(to), as_of(known_on))
    count = exported(
        settings, out_path, lambda app, views, out: emit_csv(ucdp.export_ucdp(app, views.db, cut), UCDP_COLUMNS, out)
    )
    say(f"exported {count} act(s) as UCDP GED rows")


def claims_table(toll: dict[str, Any], cut: Cut, *, compact: bool) -> Table:
    """The casualty claims, a column per field; ``compact`` (a narrow terminal): killed, injured and
    the dispute in one column, so that the incident ids stay whole at 80 columns."""
    table = titled("Casualty claims per incident", cut, toll.get("limit"))
    columns = ("incident", "party", "figures", "sources (current)") if compact else CLAIM_TABLE_COLUMNS
    for column in columns:
        # A party is one word of the vocabulary: kept whole like the id (the sources wrap instead).
        table.add_column(column, **ID_COLUMN if column in ("incident", "party") else {"overflow": "fold"})
    for row in toll["incidents"]:
        sources = (
            f"{source['source']}: {claim_text(source['qualifier'], source['killed'], source['injured'])}"
            for source in row["sources"]
            if source["current"]
        )
        killed, injured = estimate_text(row["killed"]), estimate_text(row["injured"])
        disputed = "disputed" if row["disputed"] else ""
        if compact:
            figures = lines(line for line in (f"killed {killed}", f"injured {injured}", disputed) if line)
            table.add_row(cell(row["incident"]), cell(row["party"]), figures, lines(sources))
        else:
            table.add_row(*map(cell, (row["incident"], row["party"], killed, injured, disputed)), lines(sources))
    return table


def lines(texts: Iterable[str]) -> Text:
    """A cell of several lines, each shown as it is."""
    from rich.text import Text

    return Text("\n".join(map(visible, texts)))


CLAIM_TABLE_COLUMNS = ("incident", "party", "killed", "injured", "disputed", "sources (current)")
CASUALTY_COLUMNS = (
    "incident",
    "kind",
    "occurred_from",
    "occurred_to",
    "party",
    "side",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "disputed",
    "sources",
)


def casualty_row(entry: dict[str, Any]) -> dict[str, Any]:
    row = {key: entry[key] for key in ("incident", "kind", "occurred_from", "occurred_to", "party", "side")}
    for which in ("killed", "injured"):
        for bound in ("low", "best", "high"):
            row[f"{which}_{bound}"] = entry[which][bound]
    row["disputed"] = "yes" if entry["disputed"] else ""
    row["sources"] = [source["source"] for source in entry["sources"] if source["current"]]
    return row


@main.command()
@cut_options
@window_option("the level in the title")
@click.option("--out", "out_path", required=True, help="The PNG file to write (never the log or a SQLite file).")
@pass_settings
def chart(settings: Settings, to: Any, known_on: Any, window: int, out_path: str) -> None:
    """Draw the escalation at the cut (PNG): the level day by day, the acts at their rungs, statements,
    and the killed and injured by the party hurt."""
    from flashpoint import chart as charts
    from flashpoint.projections.timeline import timeline

    cut = Cut(as_of(to), as_of(known_on), window)
    charts.check_installed()  # a missing extra says so first (69), whatever else is wrong
    checked_target(out_path, writes(settings))  # refused before the read models are caught up
    story = ask_views(settings, lambda db: timeline(db, cut))
    with written(out_path, writes(settings)) as partial, progress_bar("drawing") as bar:
        drawn = charts.draw(story, partial, charts.title_of(story.escalation), bar)
    per = "each act on its day" if drawn.period == "act" else f"per {drawn.period}"
    say(
        f"drew {drawn.acts} act(s) and {drawn.statements} statement(s), {per}, "
        f"{len(drawn.labels)} labelled, into {out_path}"
    )


@main.command("map")
@cut_options
@click.option("--out", "out_path", required=True, help="The PNG file to write (never the log or a SQLite file).")
@pass_settings
def map_command(settings: Settings, to: Any, known_on: Any, out_path: str) -> None:
    """Draw where the acts at the cut happened: dots by side, sized by killed, with how exactly each is placed (PNG).

    The country outlines are Natural Earth's, shipped with flashpoint (no network). The acts
    drawn are those ``export geojson`` writes; the others have no coordinates.
    """
    from flashpoint import atlas
    from flashpoint import chart as charts
    from flashpoint.reports import geojson

    cut = Cut(as_of(to), as_of(known_on))
    charts.check_installed()  # a missing extra says so first (69), whatever else is wrong
    checked_target(out_path, writes(settings))  # refused before the read models are caught up

    def features(_: Flashpoint, views: ReadModels) -> tuple[dict[str, Any], geojson.Mapped, str | None]:
        with views.db.atomic():
            picture, toll = escalation(views.db, cut), casualties(views.db, cut)
        placed = geojson.Mapped()
        collection = geojson.collection(picture["acts"], act_totals(toll), placed)
        return collection, placed, picture["cut"]["level_date"]

    collection, placed, last_day = ask(settings, features)
    title = (
        f"Where the acts happened, to {cut.to_text if cut.to else last_day or 'the first act'}"
        + (f", as known on {cut.known_text}" if cut.known_on else "")
        + f": {placed.features} placed, {placed.unplaced} without coordinates"
    )
    with written(out_path, writes(settings)) as partial:
        drawn = atlas.draw(collection, partial, title)
    say(f"drew {drawn.points} act(s) into {out_path}; {placed.unplaced} act(s) without coordinates left out")


@main.command()
@click.option("--to", "to", type=DAY, required=True, help="Valid-time cut.")
@click.option("--known-on", "known_on", type=DAY, default=None, help="Knowledge cut.")
@click.option(
    "--out",
    "out_path",
    required=True,
    help="The SQLite file to write: a new path, or an earlier replay (replaced); never the log or its read models.",
)
@json_option
@pass_settings
def replay(settings: Settings, to: Any, known_on: Any, out_path: str, as_json: bool) -> None:
    """Write a standalone read-model database as of the cut (browse it with any SQLite tool)."""
    from flashpoint.projections.replay import write_replay

    cut = Cut(as_of(to), as_of(known_on))
    with written(out_path, writes(settings), replaces=FileKind.REPLAY) as partial:
        counts = ask(settings, lambda _, views: write_replay(views.db, cut, partial))
    if as_json:
        click.echo(json.dumps({"out": out_path, "cut": cut.as_dict(), "tables": counts}))
    say(
        f"{out_path}: history as of {cut.to}"
        + (f", as known on {cut.known_on}" if cut.known_on else "")
        + " (rows per table: "
        + ", ".join(f"{table} {count}" for table, count in counts.items())
        + ")"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on; 0 takes any free port (the line on stderr says which).",
)
@pass_settings
def serve(settings: Settings, host: str, port: int) -> None:
    """Browse the read models in Datasette (catches them up first; read-only; Ctrl-C stops).

    Canned queries at a cut: the escalation timeline, the estimates per incident and party,
    disputed tolls, sources' track records and response lags. With the map extra
    (pip install 'flashpoint[map]'), the acts with coordinates are mapped; the browser fetches
    the map's tiles. Appends made while serving show up once a query command (or a restart)
    catches up.
    """
    from flashpoint import browse

    browse.check_installed()
    path = ask(settings, lambda _, views: Path(views.path))
    with browse.listening(host, port) as listener:
        bound = listener.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        say(f"serving {path} at http://{shown}:{bound}/{browse.DATABASE} (Ctrl-C stops)")
        browse.serve(path, store_of(settings.db).display, listener)


@main.command("copy")
@click.argument("source")
@click.argument("destination")
@json_option
def copy_command(source: str, destination: str, as_json: bool) -> None:
    """Copy the log SOURCE into DESTINATION (SQLite paths or postgresql:// URLs), event for event.

    Order, aggregate ids and versions and recorded times are kept. Copying again appends
    only what is new; a destination holding another log is refused, untouched.
    """
    from flashpoint.storage import copying

    origin, target = store_of(source), store_of(destination)
    if not target.is_postgres:
        guarded(target.location, [] if origin.is_postgres else protected_files(origin.location))
    with opened(source) as from_log, opened(destination, create=True) as to_log, progress_bar("copying") as progress:
        try:
            outcome = copying.copy_log(from_log, to_log, progress)
        except copying.LogsDiverge as error:
            raise Failure(f"{to_log.db_path}: {error}", error) from None
    if as_json:
        click.echo(json.dumps({"copied": outcome.copied, "already_there": outcome.already}))
    say(
        f"copied {outcome.copied} event(s) from {from_log.db_path} to {to_log.db_path}; "
        f"{outcome.already} were already there"
    )


@main.command("verify")
@json_option
@pass_settings
def verify_command(settings: Settings, as_json: bool) -> None:
    """Rebuild the read models from scratch and compare with the incremental ones; re-validate reports."""
    from flashpoint.projections.engine import NotReadModels
    from flashpoint.questions import verify, views_for

    with opened(settings.db) as app, progress_bar("rebuilding") as progress:
        try:
            result = verify(app, settings.views, progress, notice)
        except (sqlite3.Error, NotReadModels) as error:
            where = settings.views or views_for(app, None)
            raise Failure(f"{where}: cannot use the read models: {one_line(error)}", error) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "events": result.events,
                    "differences": result.differences,
                    "invalid_reports": result.invalid_reports,
                }
            )
        )
    for line in (*result.differences, *result.invalid_reports):
        err.print(f"[red]✗[/red] {literal(line)}", highlight=False)
    if result.repaired:
        notice("the incremental read models differed from the rebuild and were replaced by it")
    if not result.ok:
        raise click.exceptions.Exit(1)
    say(
        f"✓ verified: the {result.events} event(s) the read models are built from, rebuilt from scratch, match the "
        "incremental read models; every stored report still meets the contract"
    )


@main.command()
@click.argument("features", nargs=-1, type=click.Path())
@click.option(
    "--cucumberjson",
    "cucumber_json",
    default=None,
    help="Also write a Cucumber JSON report here (for CI dashboards; never the log or a SQLite file).",
)
@click.option("--tags", default=None, help="Only scenarios whose tags match this expression, e.g. 'seed and not slow'.")
@click.option("-k", "keyword", default=None, help="Only scenarios whose names match this pytest -k expression.")
@click.option("--quiet", is_flag=True, help="One character per scenario instead of every step.")
@pass_settings
def check(
    settings: Settings,
    features: tuple[str, ...],
    cucumber_json: str | None,
    tags: str | None,
    keyword: str | None,
    quiet: bool,
) -> None:
    """Run Gherkin features (default: the bundled ones); exit non-zero if any scenario fails.

    Each scenario starts from an empty log of its own: a temporary SQLite file, or, with a
    PostgreSQL --store, a schema of its own in that database (dropped afterwards).
    """
    from flashpoint.gherkin.check import run_features  # pytest loads only when checking

    store = store_of(settings.db)
    with contextlib.ExitStack() as stack:
        report = stack.enter_context(written(cucumber_json, writes(settings))) if cucumber_json else None
        status = run_features(
            features,
            cucumber_json=str(report) if report else None,
            tags=tags,
            keyword=keyword,
            verbose=not quiet,
            store=store.location if store.is_postgres else None,
            log=settings.db,
            views=settings.views,
        )
    if status == 5:
        raise Failure("no scenarios were run (check the feature files and --tags/-k)", 1)
    if status:
        raise click.exceptions.Exit(status)
