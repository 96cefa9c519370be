"""flashpoint: an event-sourced record of the US–militia escalation in Iraq and Syria.

From Python (a notebook): ``log = flashpoint.open("flashpoint.db")``, then
``log.escalation(to="2021-06-30")``, ``log.casualties(...)``, ``log.changes(since=...)``,
``log.sources(...)`` and ``log.append("reports.yaml")``; see :mod:`flashpoint.api`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flashpoint.api import Log

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(location: str | os.PathLike[str], views: str | os.PathLike[str] | None = None) -> Log:
    """The log at ``location`` (a SQLite path or a ``postgresql://`` URL); ``views``: its read-model file.

    Imported on first use, so that the command line does not load what only notebooks need.
    """
    from flashpoint.api import open as opened

    return opened(location, views)
