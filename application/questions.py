"""Answering questions: bring the read models up to date with the log, then ask them.

The CLI calls these; they own the rule that every query first catches up (incrementally,
exactly once) and that ``verify`` compares a from-scratch rebuild with the incremental views.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flashpoint.app import Flashpoint
from flashpoint.domain import parse_report
from flashpoint.projections.engine import Progress, ReadModels


def views_for(app: Flashpoint, views_path: str | None) -> Path:
    return Path(views_path) if views_path else app.store.default_views()


def caught_up(app: Flashpoint, views_path: str | None = None, progress: Progress | None = None) -> ReadModels:
    """The read models, caught up with every event in the log."""
    views = ReadModels(views_for(app, views_path))
    try:
        views.catch_up(app, progress=progress)
    except BaseException:
        views.close()
        raise
    return views


@dataclass
class Verification:
    differences: list[str] = field(default_factory=list)
    invalid_reports: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences and not self.invalid_reports


def verify(app: Flashpoint, views_path: str | None = None, progress: Progress | None = None) -> Verification:
    """Rebuild from scratch beside the incremental views and compare them table by table.

    Also re-validate every stored report against the current contract.
    """
    result = Verification()
    with caught_up(app, views_path, progress) as incremental, tempfile.TemporaryDirectory() as scratch:
        with ReadModels(Path(scratch) / "rebuild.db") as rebuilt:
            result.events = rebuilt.rebuild(app, progress=progress)
            expected, actual = rebuilt.table_rows(), incremental.table_rows()
        for table, rows in expected.items():
            mine = actual.get(table, [])
            if rows != mine:
                missing = [row for row in rows if row not in set(mine)]
                extra = [row for row in mine if row not in set(rows)]
                result.differences.append(
                    f"{table}: {len(rows)} rows rebuilt, {len(mine)} incremental; "
                    f"{len(missing)} missing, {len(extra)} extra"
                    + (f"; e.g. missing {missing[0]!r}" if missing else "")
                    + (f"; e.g. extra {extra[0]!r}" if extra else "")
                )
    for event in app.filed_reports():
        try:
            parse_report(event.document)
        except ValueError as error:
            result.invalid_reports.append(f"report {event.report_id}: {error}")
    return result


def as_of(value: Any) -> Any:
    """Dates from click arrive as datetimes; the cuts want days."""
    return value.date() if value is not None else None
