"""A big append's insert, run by a second process while this one records the next reports.

An append stores every event in ONE SQLite transaction. For a big batch, the events are
streamed, 1,000 at a time, to a writer process that holds that transaction open and
inserts them while the appending process records the following reports; it
commits only when told that everything was recorded. SQLite's insert and commit (a
third of a big append's time) then run on the second core, and the appending process
no longer holds every encoded event until the end.

If anything goes wrong, nothing is stored: a refusal or error in the appending process
closes the pipe and the writer rolls back; a failed insert (a version clash, the write
lock not granted) ends the writer, and the appending process raises the same error as an
in-process insert would; if the appending process dies, the writer reads end-of-file and
rolls back. The writer takes SQLite's write lock at its first insert and keeps it until
the commit, so other writers wait for the whole append, not just its insert.

The writer runs this file as a script, ``python -P writer.py DB LOCK_TIMEOUT``, importing
nothing but the standard library.
"""

from __future__ import annotations

import contextlib
import pickle
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from typing import IO, Any

if sys.platform == "linux":  # F_SETPIPE_SZ is Linux's
    import fcntl

COMMIT = "commit"
OK, CLASH, FAILED = "ok", "clash", "failed"

Row = tuple[str, int, str, bytes]


class WriterFailed(Exception):
    """The writer process did not store the rows; ``kind`` is CLASH (a version clash) or FAILED."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class WriterProcess:
    """The appending side: ``write`` rows in order, then ``commit``; ``close`` without commit rolls back."""

    def __init__(self, db: str, lock_timeout: float, statement: str) -> None:
        self._process = subprocess.Popen(
            # This file as a script, not ``-m flashpoint.storage.writer``: it needs only the standard
            # library, wherever flashpoint was imported from; -P keeps its folder off sys.path.
            [sys.executable, "-P", __file__, db, str(lock_timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _widen(self._process.stdin)
        self._send(statement)

    def _send(self, message: Any) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except (BrokenPipeError, ConnectionResetError):
            raise self._failure() from None

    def write(self, rows: Sequence[Row]) -> None:
        if rows:
            self._send(list(rows))

    def commit(self) -> None:
        """Wait until the writer committed."""
        self._send(COMMIT)
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            raise self._failure() from None
        reply = self._reply()
        self._process.wait()
        if reply is None or reply[0] != OK:
            raise self._failure(reply)

    def close(self) -> None:
        """Roll back whatever was not committed and wait for the writer to end.

        Closing its input makes the writer roll back and exit; one still busy after a
        second (waiting for the write lock, say) is killed, which SQLite survives as it
        survives any crash: an uncommitted transaction leaves no trace.
        """
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self._process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _reply(self) -> tuple[str, Any] | None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            reply: tuple[str, Any] = pickle.load(stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            return None
        return reply

    def _failure(self, reply: tuple[str, Any] | None = None) -> WriterFailed:
        if reply is None:
            reply = self._reply()
        if reply is not None and reply[0] != OK:
            return WriterFailed(reply[0], reply[1])
        code = self._process.wait()
        stderr = self._process.stderr
        said = stderr.read().decode(errors="replace").strip().splitlines() if stderr is not None else []
        detail = f": {said[-1]}" if said else ""
        return WriterFailed(FAILED, f"the log's writer process ended unexpectedly (exit status {code}){detail}")


PIPE_BYTES = 1 << 20


def _widen(pipe: IO[bytes] | None) -> None:
    """Let a whole batch of rows wait in the pipe (Linux: 1 MiB, not 64 KiB) while the writer
    inserts the previous one, so that the appending process does not wait for it. Where the
    system allows less (``/proc/sys/fs/pipe-max-size``, per-user limits), as much as it allows."""
    if sys.platform != "linux" or pipe is None:
        return
    size = PIPE_BYTES
    while size > 64 * 1024:
        try:
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, size)
            return
        except OSError:
            size //= 2


def serve(db: str, lock_timeout: float, requests: IO[bytes], replies: IO[bytes]) -> int:
    """The writer side: insert every batch of rows in one transaction; commit when told to."""
    connection = sqlite3.connect(db, uri=True, isolation_level=None, timeout=lock_timeout)
    stored = 0
    try:
        statement = pickle.load(requests)
        connection.execute("BEGIN")
        while True:
            message = pickle.load(requests)
            if message == COMMIT:
                connection.execute("COMMIT")
                reply: tuple[str, Any] = (OK, stored)
                break
            connection.executemany(statement, message)
            stored += len(message)
    except EOFError:
        return 0  # the appending process gave up (or died): closing rolls back
    except sqlite3.IntegrityError as error:
        reply = (CLASH, str(error))
    except sqlite3.Error as error:  # SQLite's own words ("database is locked") tell the appending side why
        reply = (FAILED, str(error))
    finally:
        connection.close()  # without a COMMIT, this rolls the transaction back
    pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
    replies.flush()
    return 0


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the appending process decides (and closes the
    # pipe, which rolls back); the writer must not die half-way through a commit on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(serve(sys.argv[1], float(sys.argv[2]), sys.stdin.buffer, sys.stdout.buffer))
