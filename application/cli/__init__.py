"""The ``flashpoint`` command's entry point, kept small: everything else loads inside :func:`run`.

Importing the commands (click, rich, eventsourcing, sqlite-utils) takes a noticeable part
of a second; a Ctrl-C in that time, or any other moment, must end in one line and exit
130, never a traceback. So this module imports nothing heavy, and :func:`run` imports the
commands inside the handler that maps every error to its sysexits status
(:mod:`flashpoint.cli.statuses`).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: importing typing alone costs a few ms of start-up
if TYPE_CHECKING:
    from typing import Any


def run() -> None:
    """Console entry point: no traceback ever reaches the analyst."""
    try:
        from flashpoint.cli.statuses import prepare_streams

        prepare_streams()
        without_dataframe_libraries()
        from flashpoint.cli.commands import main

        result = main.main(standalone_mode=False)
        code = result if isinstance(result, int) else 0
        sys.stdout.flush()  # a full or closed stdout fails here, inside the handler
    except BaseException as error:
        from flashpoint.cli.statuses import report

        code = report(error)
    from flashpoint.cli.statuses import leave

    leave(code)


DATAFRAME_LIBRARIES = ("pandas", "numpy")


def without_dataframe_libraries() -> None:
    """Import sqlite-utils without pandas and numpy, where they are installed (the ``notebook`` and
    ``charts`` extras bring them).

    sqlite-utils imports both, only to map their scalar types to column types; flashpoint
    never stores one, and the imports took 0.6 s of every command's start-up. They are hidden
    while sqlite-utils loads and importable again after: ``chart`` and ``map`` still load
    numpy through matplotlib when they draw.
    """
    if any(name in sys.modules for name in DATAFRAME_LIBRARIES):
        return  # already loaded (an embedding program): nothing to save
    for name in DATAFRAME_LIBRARIES:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it raises ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in DATAFRAME_LIBRARIES:
            del sys.modules[name]


def __getattr__(name: str) -> Any:
    """``flashpoint.cli.main``, ``seed_path`` and the rest, loaded on first use."""
    import importlib

    commands = importlib.import_module("flashpoint.cli.commands")
    try:
        return getattr(commands, name)
    except AttributeError:
        raise AttributeError(f"module 'flashpoint.cli' has no attribute {name!r}") from None
