"""Shared fixtures: a fresh log on disk per test, and report files written on the fly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flashpoint.app import Flashpoint


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "log.db"


@pytest.fixture
def app(db_path: Path) -> Iterator[Flashpoint]:
    application = Flashpoint(db_path)
    yield application
    application.close()


WriteReports = Callable[..., Path]


@pytest.fixture
def write_reports(tmp_path: Path) -> WriteReports:
    """Write reports as YAML (default) or JSON into a file and return its path."""
    counter = iter(range(10_000))

    def write(reports: Any, *, name: str | None = None, as_json: bool = False) -> Path:
        suffix = ".json" if as_json else ".yaml"
        path = tmp_path / (name or f"reports-{next(counter)}{suffix}")
        text = json.dumps(reports) if as_json else yaml.safe_dump(reports, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def drone_attack(report_id: str = "drone-1", **fields: Any) -> dict[str, Any]:
    """A minimal valid drone attack report; fields override."""
    report: dict[str, Any] = {
        "id": report_id,
        "kind": "drone_attack",
        "occurred": "2024-01-28",
        "reported": "2024-01-28",
        "actor": "Islamic Resistance in Iraq",
        "target": ["Tower 22"],
        "target_actor": {"name": "United States", "side": "us_coalition", "type": "state_forces"},
        "sources": [{"name": "US Central Command", "outlet": "CENTCOM press release"}],
    }
    report.update(fields)
    return {key: value for key, value in report.items() if value is not None}
