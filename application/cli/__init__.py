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
    """Have sqlite-utils, whenever it is imported, import without pandas and numpy, where they are
    installed (the ``notebook`` and ``charts`` extras bring them).

    sqlite-utils imports both, only to map their scalar types to column types; flashpoint
    never stores one, and the imports took 0.6 s of every command's start-up. They are hidden
    while ``sqlite_utils.db`` loads and importable again after: ``chart`` and ``map`` still load
    numpy through matplotlib when they draw. A question answered without catching up never
    imports sqlite-utils at all.
    """
    if any(name in sys.modules for name in DATAFRAME_LIBRARIES) or "sqlite_utils.db" in sys.modules:
        return  # already loaded (an embedding program): nothing to save
    sys.meta_path.insert(0, _SqliteUtilsFinder())


class _SqliteUtilsFinder:
    """Finds ``sqlite_utils.db`` as the other finders would, and loads it with the libraries hidden."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "sqlite_utils.db":
            return None
        import importlib.util

        sys.meta_path.remove(self)  # once: the next import of it is sys.modules'
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Hidden(spec.loader)  # type: ignore[assignment]  # a loader by its methods
        return spec


class _Hidden:
    """A module loader that runs the module with pandas and numpy unimportable."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        if any(name in sys.modules for name in DATAFRAME_LIBRARIES):  # loaded first (``chart``): keep them
            self.loader.exec_module(module)
            return
        for name in DATAFRAME_LIBRARIES:
            sys.modules[name] = None  # type: ignore[assignment]  # an import of it raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            for name in DATAFRAME_LIBRARIES:
                del sys.modules[name]


ELSEWHERE = {"seed_path": "flashpoint.reports.files"}
"""Names ``flashpoint.cli`` has long offered that the commands no longer import at start-up."""


def __getattr__(name: str) -> Any:
    """``flashpoint.cli.main``, ``seed_path`` and the rest, loaded on first use."""
    import importlib

    commands = importlib.import_module(ELSEWHERE.get(name, "flashpoint.cli.commands"))
    try:
        return getattr(commands, name)
    except AttributeError:
        raise AttributeError(f"module 'flashpoint.cli' has no attribute {name!r}") from None
