"""The ``flashpoint`` command: parses arguments, calls the application, formats the answer.

Data goes to stdout, messages and errors to stderr. Exit status follows sysexits:
65 bad report data, 66 missing input file, 74 unusable log file, 75 writers kept clashing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any, TypeVar

import click
from eventsourcing.persistence import PersistenceError
from flashpoint import report_files
from flashpoint.app import DEFAULT_DB, AppendOutcome, Flashpoint, WriterContention
from flashpoint.overview import entries
from flashpoint.report_files import BadReport, MissingFile, Submitted
from flashpoint.schema import report_file_schema
from rich.console import Console
from rich.table import Table

EX_DATAERR, EX_NOINPUT, EX_SOFTWARE, EX_IOERR, EX_TEMPFAIL = 65, 66, 70, 74, 75

F = TypeVar("F", bound=Callable[..., Any])

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True)


class Failure(click.ClickException):
    """A one-line refusal with a sysexits status; never a traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(" ".join(message.split()))
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(function)


@contextmanager
def opened(db: str) -> Iterator[Flashpoint]:
    """The log at ``db``; storage failures become one-line errors."""
    try:
        app = Flashpoint(db)
    except (PersistenceError, sqlite3.Error, OSError) as error:
        raise Failure(f"{db}: cannot open the log: {error}", EX_IOERR) from None
    try:
        yield app
    except (PersistenceError, sqlite3.Error) as error:
        raise Failure(f"{db}: storage error: {error}", EX_IOERR) from None
    finally:
        app.close()


def load_all(paths: tuple[str, ...]) -> list[Submitted]:
    """Validate every file before appending any, so one bad report appends nothing."""
    batch: list[Submitted] = []
    try:
        for path in paths:
            batch.extend(report_files.load(path))
    except MissingFile as error:
        raise Failure(str(error), EX_NOINPUT) from None
    except BadReport as error:
        raise Failure(str(error), EX_DATAERR) from None
    return batch


def append_batch(app: Flashpoint, batch: list[Submitted]) -> AppendOutcome:
    try:
        return app.append(batch)
    except BadReport as error:
        raise Failure(str(error), EX_DATAERR) from None
    except WriterContention as error:
        raise Failure(f"{app.db_path}: {error}", EX_TEMPFAIL) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="FLASHPOINT_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The SQLite event log (env FLASHPOINT_DB).",
)
@click.version_option(package_name="flashpoint")
@click.pass_context
def main(context: click.Context, db: str) -> None:
    """flashpoint: an append-only record of the US–militia escalation in Iraq and Syria."""
    context.obj = db


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@json_option
@click.pass_obj
def append(db: str, files: tuple[str, ...], as_json: bool) -> None:
    """Append report files (YAML or JSON; '-' reads standard input). All or nothing."""
    batch = load_all(files)
    with opened(db) as app:
        outcome = append_batch(app, batch)
    if as_json:
        click.echo(
            json.dumps(
                {"appended": outcome.appended, "unchanged": outcome.unchanged, "events": outcome.events}
            )
        )
    err.print(
        f"appended {len(outcome.appended)} report(s), {outcome.events} event(s); "
        f"{len(outcome.unchanged)} already in the log unchanged",
        highlight=False,
    )


@main.command()
@json_option
@click.pass_obj
def log(db: str, as_json: bool) -> None:
    """The audit trail: every stored event with its report and recording time."""
    with opened(db) as app:
        trail = app.audit_trail()
        if as_json:
            click.echo("[", nl=False)
            for index, item in enumerate(trail):
                click.echo(("," if index else "") + "\n" + json.dumps(item.as_dict()), nl=False)
            click.echo("\n]")
            return
        table = Table("#", "recorded at (UTC)", "report", "aggregate", "event", "v")
        for item in trail:
            table.add_row(
                str(item.position),
                item.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
                item.report_id or "",
                item.aggregate,
                item.event,
                str(item.version),
            )
        out.print(table)


@main.command()
def schema() -> None:
    """Print the JSON Schema of report files."""
    click.echo(json.dumps(report_file_schema(), indent=2))


SEED = "seed/seed.yaml"


def seed_path() -> str:
    return str(resources.files("flashpoint").joinpath(SEED))


@main.command()
@json_option
@click.pass_obj
def demo(db: str, as_json: bool) -> None:
    """Append the seed reports (June 2021 article) to the log, then show what it holds."""
    batch = load_all((seed_path(),))
    with opened(db) as app:
        outcome = append_batch(app, batch)
        documents = [event.document for event in app.filed_reports()]
    err.print(
        f"{db}: {len(outcome.appended)} seed report(s) appended, {len(outcome.unchanged)} already there",
        highlight=False,
    )
    timeline = entries(documents)
    if as_json:
        click.echo(json.dumps({"reports": [entry.as_dict() for entry in timeline]}, indent=2))
        return
    out.print(f"[bold]What the log holds[/bold]: {len(timeline)} reports, in order of occurrence\n")
    for entry in timeline:
        report = entry.report
        when = report.occurred.text() if report.occurred else "undated"
        out.print(
            f"[bold]{when}[/bold]  {entry.what()}  [dim]{report.id} · reported {report.reported}[/dim]",
            highlight=False,
        )
        out.print(f"    {entry.who()}", highlight=False)
        for claim in entry.claims():
            out.print(f"    [yellow]claim[/yellow] {claim}", highlight=False)


def run() -> None:
    """Console entry point: no traceback ever reaches the analyst."""
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        os._exit(0)
    except Exception as error:
        click.echo(f"error: internal error ({type(error).__name__}): {error}", err=True)
        sys.exit(EX_SOFTWARE)
    sys.exit(0)
