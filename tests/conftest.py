"""Shared fixtures: a fresh log on disk per test, and report files written on the fly."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from flashpoint.app import Flashpoint
from flashpoint.storage.stores import parse_store, scratch_schema, with_schema

pytest_plugins = ["flashpoint.steps"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "log.db"


POSTGRES_ENV = "FLASHPOINT_TEST_POSTGRES"
SKIP_POSTGRES = (
    f"PostgreSQL tests need {POSTGRES_ENV}=postgresql://user:password@host:port/dbname "
    "(a database the tests may create schemas in; .ci/run starts one)"
)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def scratch_postgres_log() -> Iterator[str]:
    """The URL of an empty PostgreSQL log in a schema of its own, dropped afterwards (or skip)."""
    url = postgres_url()
    if url is None:
        pytest.skip(SKIP_POSTGRES)
    location = with_schema(url, scratch_schema("flashpoint_test"))
    try:
        yield location
    finally:
        parse_store(location).drop_schema()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty log: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "log.db")
        return
    with scratch_postgres_log() as location:
        yield location


@pytest.fixture
def app(store: str) -> Iterator[Flashpoint]:
    application = Flashpoint(store)
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


def retraction(report_id: str, *retracts: str, reported: str = "2024-01-30", **fields: Any) -> dict[str, Any]:
    """A retraction of ``retracts``; fields override."""
    report = {"id": report_id, "kind": "retraction", "reported": reported, "retracts": list(retracts)}
    report.update(sources=[{"name": "analyst desk"}], **fields)
    return {key: value for key, value in report.items() if value is not None}


def merge(report_id: str, merges: list[str], into: str, reported: str = "2024-01-30", **fields: Any) -> dict[str, Any]:
    """A merge of ``merges`` into ``into``; fields override."""
    report = {"id": report_id, "kind": "merge", "reported": reported, "merges": merges, "into": into}
    report.update(sources=[{"name": "analyst desk"}], **fields)
    return {key: value for key, value in report.items() if value is not None}


def filed_before_the_date_range(document: dict[str, Any], occurred: str) -> Any:
    """``document`` as a version without the contract's date range filed it, ``occurred`` unchecked.

    The parser now refuses such days, so the report is parsed with an in-range day and then
    given the real one through the domain objects, as an older log holds it.
    """
    from dataclasses import replace
    from datetime import date

    from flashpoint.domain import Occurred, Precision, digest_of, parse_report
    from flashpoint.reports.files import Submitted

    first, _, last = occurred.partition("/")
    start, end = date.fromisoformat(first), date.fromisoformat(last or first)
    stored = {**document, "occurred": occurred}
    report = parse_report({**document, "occurred": document["reported"]}, digest=digest_of(stored))
    dated = replace(report, occurred=Occurred(start, end, Precision.DAY if start == end else Precision.INTERVAL))
    return Submitted(dated, stored, "older-version.yaml", f"report {document['id']}")


@pytest.fixture
def log_from_before_the_date_range(db_path: Path) -> Path:
    """A log holding the issue's report (occurred 0001-01-01/2024-01-28) and a lethal act on 0001-01-01."""
    with Flashpoint(db_path) as application:
        application.append(
            [
                filed_before_the_date_range(drone_attack("drone-ancient"), "0001-01-01/2024-01-28"),
                filed_before_the_date_range(
                    drone_attack(
                        "drone-day-one", casualties=[{"party": "us_military", "killed": 3, "source": "CENTCOM"}]
                    ),
                    "0001-01-01",
                ),
            ]
        )
    return db_path


class Analyst:
    """A fresh log and its read models, for asking questions of hand-made reports."""

    def __init__(self, directory: Path) -> None:
        from flashpoint.projections.engine import ReadModels

        self.app = Flashpoint(directory / "log.db")
        self.views = ReadModels(directory / "log.views.db")

    def append(self, *reports: dict[str, Any]) -> Analyst:
        from flashpoint.reports.files import validate

        self.app.append(validate(list(reports), "test"))
        return self

    def escalation(self, to: str | None = None, known_on: str | None = None, window: int = 30) -> dict[str, Any]:
        from flashpoint.projections.escalation import escalation

        self.views.catch_up(self.app)
        return escalation(self.views.db, cut(to, known_on, window))

    def casualties(
        self, to: str | None = None, known_on: str | None = None, policy: str = "conservative"
    ) -> dict[str, Any]:
        from flashpoint.projections.casualties import casualties

        self.views.catch_up(self.app)
        return casualties(self.views.db, cut(to, known_on), policy)

    def close(self) -> None:
        self.views.close()
        self.app.close()


def cut(to: str | None = None, known_on: str | None = None, window: int = 30) -> Any:
    from datetime import date

    from flashpoint.projections.cuts import Cut

    return Cut(date.fromisoformat(to) if to else None, date.fromisoformat(known_on) if known_on else None, window)


@pytest.fixture
def analyst(tmp_path: Path) -> Iterator[Analyst]:
    subject = Analyst(tmp_path)
    yield subject
    subject.close()


def rungs(picture: dict[str, Any]) -> dict[str, int]:
    return {act["id"]: act["rung"] for act in picture["acts"]}


def claim(party: str, source: str, **figures: Any) -> dict[str, Any]:
    return {"party": party, "source": source, **figures}


def casualty_report(report_id: str, incident: str, reported: str, *claims: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": report_id,
        "kind": "casualty_report",
        "incident": incident,
        "reported": reported,
        "casualties": list(claims),
    }


def statement(report_id: str, stance: str, day: str, actor: str = "KH", **fields: Any) -> dict[str, Any]:
    return {
        "id": report_id,
        "kind": "statement",
        "stance": stance,
        "occurred": day,
        "reported": day,
        "actor": actor,
        **fields,
    }
