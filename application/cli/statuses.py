"""The one table from error types to exit statuses (sysexits), and how an error is shown.

64 usage · 65 data · 66 no input · 69 a missing extra · 70 a bug (never for bad input) ·
73 cannot create output · 74 I/O · 75 lock timeout · 130 interrupted. Every command's
errors end here, through :func:`report`, as one line on stderr.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from typing import Any

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_NOINPUT = 66
EX_UNAVAILABLE = 69
EX_SOFTWARE = 70
EX_CANTCREAT = 73
EX_IOERR = 74
EX_TEMPFAIL = 75
EX_INTERRUPTED = 130
OUTPUT_ERRNOS = (errno.ENOSPC, errno.EBADF, errno.EIO)
"""An OSError with one of these and no file name came from writing standard output."""


def exit_statuses() -> tuple[tuple[type[BaseException], int], ...]:
    """Error types, the more specific first, and the status each exits with.

    Imported here, not at the top, so that an interrupt during start-up is reported without
    loading the modules that define them.
    """
    import sqlite3

    import click
    from eventsourcing.persistence import PersistenceError
    from flashpoint.app import WriterContention
    from flashpoint.domain.errors import FlashpointError, InvalidValue
    from flashpoint.errors import MissingExtra
    from flashpoint.nearest import UnknownId
    from flashpoint.projections.engine import NotReadModels
    from flashpoint.reports.files import BadReport, NoInput
    from flashpoint.storage.copying import LogsDiverge
    from flashpoint.storage.outputs import OutputRefused, UnusableLog
    from flashpoint.storage.stores import BadStore, NoLog

    return (
        (KeyboardInterrupt, EX_INTERRUPTED),
        (click.exceptions.Abort, EX_INTERRUPTED),
        (click.UsageError, EX_USAGE),
        (BadStore, EX_USAGE),
        (UnknownId, EX_USAGE),
        (NoInput, EX_NOINPUT),
        (NoLog, EX_NOINPUT),
        (BadReport, EX_DATAERR),
        (InvalidValue, EX_DATAERR),
        (LogsDiverge, EX_DATAERR),
        (MissingExtra, EX_UNAVAILABLE),
        (OutputRefused, EX_CANTCREAT),
        (NotReadModels, EX_CANTCREAT),
        (WriterContention, EX_TEMPFAIL),
        (UnusableLog, EX_IOERR),
        (FlashpointError, EX_DATAERR),  # any other refusal on purpose (an aggregate's guard) is the data's
        (PersistenceError, EX_IOERR),
        (sqlite3.Error, EX_IOERR),
        (OSError, EX_IOERR),
    )


def interrupted(error: BaseException) -> bool:
    """Ctrl-C, also when Python wrapped it in another error on the way out: an interrupt landing in
    a class body being built during start-up becomes ``RuntimeError: Error calling __set_name__``
    with the KeyboardInterrupt as its cause."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        if isinstance(found, KeyboardInterrupt) or type(found).__name__ == "Abort":
            return True
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return False


def status_of(error: BaseException) -> int:
    """The exit status of ``error``: its entry in the table, else 70 (a bug)."""
    if isinstance(error, KeyboardInterrupt):
        return EX_INTERRUPTED
    for kind, status in exit_statuses():
        if isinstance(error, kind):
            return status
    return EX_SOFTWARE


def message_of(error: BaseException) -> str:
    """The one line that names what went wrong (and where, when the error knows)."""
    if isinstance(error, OSError) and error.strerror:
        if error.filename:
            return f"{error.filename}: {error.strerror}"
        if error.errno in OUTPUT_ERRNOS:
            return f"cannot write the output: {error.strerror}"
        return error.strerror
    text = " ".join(str(error).split())
    return text or type(error).__name__


def report(error: BaseException) -> int:
    """Show ``error`` as one line on stderr and return its exit status; further Ctrl-Cs are ignored.

    Nothing here may fail on a half-imported module: the interrupt may have come in the
    middle of importing click or eventsourcing.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else (EX_OK if error.code is None else EX_SOFTWARE)
    if interrupted(error):
        _say("interrupted")
        return EX_INTERRUPTED
    if isinstance(error, BrokenPipeError):
        _silence_stdout()  # the reader went away (``| head``): nothing more to say to it
        return EX_OK
    try:
        import click

        if isinstance(error, click.exceptions.Exit):
            return error.exit_code
        if isinstance(error, click.ClickException):
            status = error.exit_code if not isinstance(error, click.UsageError) else EX_USAGE
            text = error.format_message()
            if isinstance(error, click.UsageError) and error.ctx is not None:
                text += f" (see '{error.ctx.command_path} --help')"
            _say(f"error: {' '.join(text.split())}")
            for line in getattr(error, "more", ()):  # a refused file's further errors, one line each
                _say(f"error: {line}")
            return status
        status = status_of(error)
    except Exception:
        status = EX_SOFTWARE
    if status == EX_SOFTWARE:
        _say(f"error: internal error ({type(error).__name__}): {message_of(error)}")
    else:
        _say(f"error: {message_of(error)}")
    return status


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no stderr: the status alone says it
        print(line, file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit


class _Closed(io.TextIOBase):
    """Standard output or error when the caller closed it (``>&-``): writing is an I/O error."""

    def __init__(self, name: str) -> None:
        self._name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"standard {self._name} is closed")


def prepare_streams() -> None:
    """A closed stdout fails as an I/O error when written to (74), not as a bug; a closed stderr is silent."""
    if sys.stdout is None:
        sys.stdout = _Closed("output")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until exit


def leave(code: int) -> Any:
    """Exit with ``code``, with no Ctrl-C left to interrupt the way out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        _silence_stdout()
        if code == EX_OK:
            _say("error: cannot write the output")
            code = EX_IOERR
    sys.exit(code)
