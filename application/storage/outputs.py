"""One guard for every file a command writes: the log is never the file written over.

Every output path (``replay --out``, ``export --out``, ``chart --out``, ``check
--cucumberjson``, ``copy``'s destination, the read-model file) goes through here. The
path is resolved (symlinks followed) and compared by inode with the log, its ``-wal`` and
``-shm``, and the read-model file; an existing SQLite database is written over only when it
is of the kind the command itself writes, and nothing but a regular file or a new path is
ever replaced. The file is written beside the target under a temporary name and renamed
into place, so a command that fails leaves the old file whole.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flashpoint.domain.errors import FlashpointError
from flashpoint.projections.sqlite_files import FileKind, classify, companion_of, companions, same_file


class OutputRefused(FlashpointError):
    """A path a command must not write (exit 73, EX_CANTCREAT); the message names it and says why."""


Protected = tuple[Path, str]
"""A file no output may be, and what to call it in the refusal."""


class UnusableLog(FlashpointError):
    """A log path holding something no log can be read from: not SQLite, damaged, a device (exit 74)."""


def protected_files(log: str | Path | None = None, views: str | Path | None = None) -> list[Protected]:
    """The log and the read-model file, each with its ``-wal``/``-shm``/``-journal``."""
    named = []
    for database, role in ((log, "the event log"), (views, "the read-model file")):
        if database is not None:
            base, *beside = companions(database)
            named.append((base, role))
            named.extend((path, f"{role}'s {path.name[len(base.name) + 1 :]} file") for path in beside)
    return named


def _refuse_protected(target: Path, shown: str, protected: Iterable[Protected]) -> None:
    try:
        mine = os.stat(target)
    except FileNotFoundError:
        return
    for path, role in protected:
        try:
            theirs = os.stat(path)
        except FileNotFoundError:
            continue
        if same_file(mine, theirs):
            raise OutputRefused(f"{shown}: is {role} ({path}); flashpoint never writes over it")


def refuse_unless_log(path: str | Path) -> FileKind:
    """A SQLite log path must be a flashpoint log, or new: never a read-model file, a replay,
    another application's database, or anything that is not a regular file.

    Returns what is there: :attr:`FileKind.LOG`, or a kind that holds no log yet (missing,
    empty, a SQLite database without tables)."""
    kind = classify(path)
    if kind in (FileKind.NOT_SQLITE, FileKind.CORRUPT, FileKind.NOT_REGULAR):
        raise UnusableLog(f"{path}: is {kind.value}, not a flashpoint event log")
    if kind not in (FileKind.MISSING, FileKind.EMPTY, FileKind.BLANK, FileKind.LOG):
        raise OutputRefused(f"{path}: is {kind.value}, not a flashpoint event log")
    return kind


def guarded(path: str | Path, protected: Iterable[Protected] = ()) -> tuple[Path, FileKind]:
    """The resolved path and what is there now, unless it is one of the ``protected`` files, a
    ``-wal``/``-shm``/``-journal`` of a SQLite database, or exists and is not a regular file."""
    shown = str(path)
    target = Path(os.path.realpath(path))
    _refuse_protected(target, shown, protected)
    kind = classify(target)
    if kind is FileKind.NOT_REGULAR:
        raise OutputRefused(
            f"{shown}: is {'a directory' if target.is_dir() else 'not a regular file'}; give a file path"
        )
    base = companion_of(target)
    if base is not None and classify(base) not in (FileKind.NOT_SQLITE, FileKind.MISSING, FileKind.EMPTY):
        raise OutputRefused(f"{shown}: belongs to the SQLite database {base.name}, which flashpoint never writes over")
    return target, kind


SQLITE_KINDS = (FileKind.LOG, FileKind.VIEWS, FileKind.REPLAY, FileKind.FOREIGN, FileKind.CORRUPT, FileKind.BLANK)


def checked_target(path: str | Path, protected: Iterable[Protected] = (), replaces: FileKind | None = None) -> Path:
    """The resolved path a command may write, or :class:`OutputRefused` saying why not.

    ``replaces`` is the kind of SQLite file the command writes itself (a replay), which it
    may write over; any other SQLite database is refused, and so is anything that is not a
    regular file or a new path.
    """
    target, kind = guarded(path, protected)
    if kind in SQLITE_KINDS and kind is not replaces:
        raise OutputRefused(f"{path}: is {kind.value}, which this command does not write over")
    if not target.parent.is_dir():
        raise OutputRefused(f"{path}: no such directory {target.parent}")
    return target


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or what a new file would get under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def written(path: str | Path, protected: Iterable[Protected] = (), replaces: FileKind | None = None) -> Iterator[Path]:
    """A temporary file beside the checked target, renamed over it once the block succeeds.

    The temporary name keeps the target's suffix (matplotlib picks the format from it).
    If the block raises, the temporary file is removed and the target is as it was.
    """
    protected = list(protected)
    target = checked_target(path, protected, replaces)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=f".partial{target.suffix}", dir=target.parent
        )
    except OSError as error:
        raise OutputRefused(f"{path}: cannot create a file in {target.parent}: {error.strerror}") from None
    os.close(handle)
    partial = Path(temporary)
    try:
        yield partial
        # Checked again at the end: the target may have become the log meanwhile.
        checked_target(target, protected, replaces)
        os.chmod(partial, _mode_for(target))  # mkstemp's 0600 is not what a written file gets
        os.replace(partial, target)
    except OSError as error:  # named as the user named it, not by the temporary name
        raise OSError(error.errno, error.strerror or str(error), str(path)) from None
    finally:
        for leftover in companions(partial):
            leftover.unlink(missing_ok=True)
