"""The Gherkin step library: the analysts' vocabulary for stating what they expect.

A pytest plugin (``pytest_plugins = ["flashpoint.steps"]``), shipped in the package so
that ``flashpoint check`` works after a plain ``pip install``. Every scenario gets its own
fresh log in a temporary directory. Paths in steps are relative to the feature file.
A Then step that does not hold fails showing the expected and the actual value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flashpoint.app import AppendOutcome, Flashpoint
from flashpoint.domain import name_key
from flashpoint.domain.ladder import RUNGS
from flashpoint.nearest import UnknownId
from flashpoint.projections.casualties import casualties
from flashpoint.projections.changes import changes, nothing_changed
from flashpoint.projections.cuts import Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.escalation import act_json, escalation, escalation_summary, logged_acts, rated_acts
from flashpoint.projections.sources import sources
from flashpoint.projections.spans import in_force_about, standing_of
from flashpoint.projections.watch import reports_published
from flashpoint.questions import open_read_models
from flashpoint.reports.files import BadReport, NoInput, Submitted, load, seed_path, validate
from flashpoint.storage.stores import (
    SCENARIO_STORE,
    WATCHED_LOG,
    WATCHED_VIEWS,
    parse_store,
    scratch_schema,
    with_schema,
)
from pytest_bdd import given, parsers, then, when

DAY = r"\d{4}-\d{2}-\d{2}"
NUMBER = r"-?\d+|null|none|unknown|-|—"
PARTY = r"[A-Za-z][A-Za-z_ -]*?"


# -- the world a scenario runs in -------------------------------------------------------------


@dataclass
class World:
    """One scenario's log, read models, cut and the outcome of its last append."""

    directory: Path
    feature_dir: Path = field(default_factory=Path.cwd)
    cut: Cut = field(default_factory=Cut)
    failure: str | None = None
    outcome: AppendOutcome | None = None
    changed: dict[str, Any] | None = None  # the last "changes between" answer
    changed_cuts: tuple[Cut, Cut] | None = None  # its two sides
    _app: Flashpoint | None = None
    _views: ReadModels | None = None

    store: str | None = None  # a PostgreSQL URL with a scenario's own schema, else a SQLite file
    watched: bool = False  # the scenario reads a log it must not write (Given the event log)

    @property
    def app(self) -> Flashpoint:
        if self._app is None:
            self._app = Flashpoint(self.store or self.directory / "flashpoint.db")
        return self._app

    @property
    def views(self) -> ReadModels:
        if self._views is None:
            self._views = ReadModels(self.directory / "flashpoint.views.db")
        if not self.watched:  # a watched log is not written meanwhile: caught up once
            self._views.catch_up(self.app)
        return self._views

    def close(self) -> None:
        if self._views is not None:
            self._views.close()
        if self._app is not None:
            self._app.close()
            if self.store is not None:
                self._app.store.drop_schema()
        self._app = self._views = None

    def resolve(self, path: str) -> Path:
        """Paths in steps are relative to the feature file."""
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.feature_dir / candidate

    def append(self, batch: list[Submitted]) -> AppendOutcome:
        if self.watched:
            raise AssertionError("the event log is watched, not written: a scenario on it appends nothing")
        self.outcome = self.app.append(batch)
        return self.outcome

    def watch(self, app: Flashpoint, views: ReadModels) -> None:
        """From here on the scenario reads this log (``Given the event log``), and never writes it."""
        self.close()
        self._app, self._views, self.store, self.watched = app, views, None, True

    def escalation(self) -> dict[str, Any]:
        return escalation(self.views.db, self.cut)

    def casualties(self) -> dict[str, Any]:
        return casualties(self.views.db, self.cut)

    def summary(self) -> dict[str, Any]:
        """Level, trend and cycles at the cut (the full listing's, from the indexed tables)."""
        return escalation_summary(self.views.db, self.cut)

    def totals(self) -> dict[str, Any]:
        """The casualty totals per party at the cut."""
        totals: dict[str, Any] = self.casualties()["totals"]
        return totals

    def act(self, act_id: str) -> dict[str, Any] | None:
        """The act as the timeline lists it at the cut, or None when it is not listed there."""
        db, cut = self.views.db, self.cut
        listed = rated_acts(db, cut, in_force_about(db, cut.known_text, [act_id]), [act_id])
        return act_json(listed[0]) if listed else None

    def incident(self, incident: str, cut: Cut | None = None) -> list[dict[str, Any]]:
        """The casualty rows (one per party) of one incident at the cut."""
        rows: list[dict[str, Any]] = casualties(self.views.db, cut or self.cut, incident=incident)["incidents"]
        return rows

    def logged_acts(self) -> list[str]:
        """Every act the log holds, at any cut."""
        return logged_acts(self.views.db)


@pytest.fixture
def flashpoint_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A fresh, empty log for every scenario."""
    world = World(tmp_path_factory.mktemp("flashpoint-scenario"))
    shared = os.environ.get(SCENARIO_STORE)
    if shared:
        world.store = with_schema(shared, scratch_schema("flashpoint_scenario"))
    yield world
    world.close()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Remember where the feature file is, so that paths in its steps resolve beside it."""
    world: World = request.getfixturevalue("flashpoint_world")
    world.feature_dir = Path(feature.filename).resolve().parent
    if "standing" in {*scenario.tags, *feature.tags}:
        for step in scenario.steps:
            if step.type != "then" and not (step.type == "given" and step.name.strip() == "the event log"):
                pytest.fail(
                    f'scenario "{scenario.name}" is @standing: it holds only "Given the event log" and Then '
                    f'steps, not "{step.keyword.strip()} {step.name}"',
                    pytrace=False,
                )


# -- reading tables -----------------------------------------------------------------------------

LISTS = {"target", "country", "responds_to", "aircraft", "munitions", "grounds", "retracts", "merges"}
CLAIM_COLUMNS = ("party", "killed", "injured", "qualifier", "source")


def _items(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


RANGE_CELL = re.compile(r"(-?\d+)\s*(?:to|-)\s*(-?\d+)")
"""A range in a killed or injured cell: ``4 to 7`` or ``4-7``."""


def _figure(value: str) -> int | str | dict[str, int]:
    """A killed or injured cell: a number, a range (``4 to 7``, ``4-7``: ``{from: 4, to: 7}``) or a word."""
    ranged = RANGE_CELL.fullmatch(value)
    if ranged:
        return {"from": int(ranged.group(1)), "to": int(ranged.group(2))}
    return int(value) if re.fullmatch(r"-?\d+", value) else value


def report_from_row(row: dict[str, str]) -> dict[str, Any]:
    """One row of a ``these reports are appended`` table as a report in the file contract."""
    cells = {key.strip(): value.strip() for key, value in row.items() if key and value and value.strip()}
    report: dict[str, Any] = {}
    for key in ("id", "kind", "occurred", "reported", "damage", "stance", "place", "incident", "into", "notes"):
        if key in cells:
            report[key] = cells[key]
    for key in LISTS:
        if key in cells:
            report[key] = _items(cells[key])
    if "actor" in cells:
        report["actor"] = _actor(cells["actor"], cells.get("side"), cells.get("actor_type"))
    elif "side" in cells or "actor_type" in cells:
        report["actor"] = _actor("unknown", cells.get("side"), cells.get("actor_type"))
    if "target_side" in cells or "target_type" in cells or "target_actor" in cells:
        targets = report.get("target", [])
        name = cells.get("target_actor") or (targets[0] if targets else "unknown")
        report["target_actor"] = _actor(name, cells.get("target_side"), cells.get("target_type"))
    if "source" in cells:
        report["sources"] = [{"name": name} for name in _items(cells["source"])]
    if any(key in cells for key in ("party", "killed", "injured")):
        report["casualties"] = _claims(cells)
    for key in cells:
        if key not in KNOWN_COLUMNS:
            report[key] = cells[key]  # refused by the contract, naming the column
    return report


def _actor(name: str, side: str | None, kind: str | None) -> dict[str, str] | str:
    if side is None and kind is None:
        return name
    actor = {"name": name}
    if side is not None:
        actor["side"] = side
    if kind is not None:
        actor["type"] = kind
    return actor


def _claims(cells: dict[str, str]) -> list[dict[str, Any]]:
    """Claims from the party/killed/injured/qualifier/source columns; ';' gives several claims.

    A table is a shorthand, so a claim without a party counts for party ``unknown`` and one
    without a source is attributed to an "unspecified source".
    """
    columns = {key: _items(cells[key]) for key in CLAIM_COLUMNS if key in cells}
    count = max(len(values) for values in columns.values())
    claims = []
    for index in range(count):
        claim: dict[str, Any] = {"party": "unknown", "source": UNSPECIFIED_SOURCE}
        for key, values in columns.items():
            value = values[index] if index < len(values) else values[-1] if len(values) == 1 else None
            if value is None:
                continue
            claim[key] = _figure(value) if key in ("killed", "injured") else value
        claims.append(claim)
    return claims


UNSPECIFIED_SOURCE = "unspecified source"


KNOWN_COLUMNS = {
    "id",
    "kind",
    "occurred",
    "reported",
    "actor",
    "side",
    "actor_type",
    "target",
    "target_side",
    "target_type",
    "target_actor",
    "damage",
    "stance",
    "place",
    "country",
    "incident",
    "party",
    "killed",
    "injured",
    "qualifier",
    "source",
    "responds_to",
    "aircraft",
    "munitions",
    "grounds",
    "notes",
    "retracts",
    "merges",
    "into",
}


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    header, *rows = datatable
    return [dict(zip(header, row, strict=False)) for row in rows]


# -- Given ----------------------------------------------------------------------------------------


@given("an empty event log")
def empty_log(flashpoint_world: World) -> None:
    """A fresh log; nothing has been reported yet."""
    assert flashpoint_world.app.recorder.max_notification_id() in (None, 0)


@given("the event log")
def the_event_log(flashpoint_world: World) -> None:
    """Standing scenarios: the log itself, not an empty one (``check``: its --db log, read-only)."""
    if flashpoint_world.watched:
        return
    location = os.environ.get(WATCHED_LOG)
    if not location:
        raise AssertionError("the event log: no log to read (flashpoint check --db names it)")
    app = Flashpoint(parse_store(location), create=False)  # a mistyped --db is no empty log
    try:
        views = open_read_models(app, os.environ.get(WATCHED_VIEWS) or None)
    except BaseException:
        app.close()
        raise
    views.catch_up(app)
    flashpoint_world.watch(app, views)


@given("the seed reports are appended")
def seed_reports(flashpoint_world: World) -> None:
    """The founding June 2021 article, as shipped with flashpoint."""
    flashpoint_world.append(load(seed_path()))


@given(parsers.parse('the reports in "{path}" are appended'))
def given_reports_in(flashpoint_world: World, path: str) -> None:
    """Append a report file; a refusal fails the scenario here."""
    flashpoint_world.append(load(str(flashpoint_world.resolve(path))))


@given("these reports are appended:")
def given_these_reports(flashpoint_world: World, datatable: list[list[str]]) -> None:
    """Append reports written as table rows (empty cell = absent, ';' separates list items)."""
    documents = [report_from_row(row) for row in table_rows(datatable)]
    flashpoint_world.append(validate(documents, "table"))


# -- When -------------------------------------------------------------------------------------------


def _attempt(world: World, read: Any) -> None:
    """Append, keeping a refusal for the Then steps instead of failing here."""
    world.failure = None
    try:
        world.append(read())
    except (BadReport, NoInput) as error:
        world.failure = str(error)


@when(parsers.parse('the reports in "{path}" are appended'))
def when_reports_in(flashpoint_world: World, path: str) -> None:
    """Append a report file; it may be refused."""
    _attempt(flashpoint_world, lambda: load(str(flashpoint_world.resolve(path))))


@when("these reports are appended:")
def when_these_reports(flashpoint_world: World, datatable: list[list[str]]) -> None:
    """Append table rows; they may be refused."""
    documents = [report_from_row(row) for row in table_rows(datatable)]
    _attempt(flashpoint_world, lambda: validate(documents, "table"))


@when(parsers.parse('the report "{report_id}" is appended again'))
def append_again(flashpoint_world: World, report_id: str) -> None:
    """Append the very document the log holds for this id once more."""
    filing = flashpoint_world.app.filing(report_id)
    if filing is None:
        raise UnknownId("report", report_id, (event.report_id for event in flashpoint_world.app.filed_reports()))
    _attempt(flashpoint_world, lambda: validate([filing.document], f"report {report_id}"))


def _day(text: str) -> date:
    return date.fromisoformat(text)


@when(parsers.re(rf"history is replayed to (?P<to>{DAY})"))
def replay_to(flashpoint_world: World, to: str) -> None:
    """Valid-time cut: only what had occurred by then."""
    flashpoint_world.cut = Cut(_day(to), flashpoint_world.cut.known_on, flashpoint_world.cut.window)


@when(parsers.re(rf"history is replayed as known on (?P<known_on>{DAY})"))
def replay_known_on(flashpoint_world: World, known_on: str) -> None:
    """Knowledge cut: only reports public by then."""
    flashpoint_world.cut = Cut(flashpoint_world.cut.to, _day(known_on), flashpoint_world.cut.window)


@when(parsers.re(rf"history is replayed to (?P<to>{DAY}) as known on (?P<known_on>{DAY})"))
def replay_to_known_on(flashpoint_world: World, to: str, known_on: str) -> None:
    """Both cuts at once."""
    flashpoint_world.cut = Cut(_day(to), _day(known_on), flashpoint_world.cut.window)


@when(parsers.re(r"the escalation window is (?P<days>\d+) days"))
def escalation_window(flashpoint_world: World, days: str) -> None:
    """A trailing window other than 30 days for the level and the trend."""
    flashpoint_world.cut = Cut(flashpoint_world.cut.to, flashpoint_world.cut.known_on, int(days))


# -- Then: the timeline --------------------------------------------------------------------------


def _expect(condition: bool, expected: object, actual: object, what: str) -> None:
    if not condition:
        raise AssertionError(f"{what}: expected {expected}, actual {actual}")


def _logged_act(world: World, act_id: str) -> None:
    """A step naming an act the log has never held is mistyped, not an expectation of nothing.

    Asked of the whole log (no cut, withdrawn and merged acts too), so that an act outside the
    cut is still told apart from a typo.
    """
    if world.views.db.execute("SELECT 1 FROM acts WHERE report_id = ?", [act_id]).fetchone() is None:
        raise UnknownId("act", act_id, world.logged_acts())


def _act(world: World, act_id: str) -> dict[str, Any]:
    _logged_act(world, act_id)
    act = world.act(act_id)
    if act is not None:
        return act
    standing = _standing_text(standing_of(world.views.db, world.cut.known_text, act_id))
    begun = next(iter(world.views.db.execute("SELECT occurred_from FROM acts WHERE report_id = ?", [act_id])))[0]
    why = standing if standing != "listed" else f"it begins {begun}"
    raise AssertionError(f'act "{act_id}": expected it on the timeline at {_cut_text(world.cut)}, actual: {why}')


def _cut_text(cut: Cut) -> str:
    parts = [
        f"to {cut.to}" if cut.to else "to the end",
        f"known on {cut.known_on}" if cut.known_on else "all known",
    ]
    return ", ".join(parts)


@then(parsers.re(r"the timeline holds (?P<count>\d+) hostile acts?"))
def timeline_holds(flashpoint_world: World, count: str) -> None:
    """How many attacks and airstrikes the timeline holds at the cut."""
    acts = [act["id"] for act in flashpoint_world.escalation()["acts"]]
    _expect(len(acts) == int(count), f"{count} hostile acts", f"{len(acts)}: {acts}", "the timeline")


def _token(text: object) -> str:
    """Spelling-insensitive comparison of enumerated values: "Drone attack" = "drone_attack"."""
    return re.sub(r"[\s-]+", "_", str(text).strip().lower())


def _same(column: str, expected: str, act: dict[str, Any]) -> bool:
    if column == "occurred":
        return expected.strip() in (act["occurred"], f"{act['occurred_from']}/{act['occurred_to']}")
    if column in ("target", "actor"):
        return [name_key(item) for item in _items(expected)] == [name_key(item) for item in _items(act[column])]
    if column == "rung":
        return expected.strip() in (str(act["rung"]), RUNGS[act["rung"]])
    return _token(act.get(column)) == _token(expected)


TIMELINE_COLUMNS = ("id", "occurred", "kind", "side", "target", "certainty", "actor", "rung")


@then("the timeline lists these acts in order:")
def timeline_lists(flashpoint_world: World, datatable: list[list[str]]) -> None:
    """The acts on the timeline, in order, with any of: id occurred kind side target certainty."""
    expected = table_rows(datatable)
    acts = flashpoint_world.escalation()["acts"]
    for row in expected:
        unknown = [column for column in row if column.strip() not in TIMELINE_COLUMNS]
        if unknown:
            raise AssertionError(f"unknown timeline column(s) {unknown}; use any of {', '.join(TIMELINE_COLUMNS)}")

    def shown(act: dict[str, Any], columns: list[str]) -> dict[str, Any]:
        return {column: act.get(column.strip()) for column in columns}

    columns = list(expected[0]) if expected else ["id"]
    actual = [shown(act, columns) for act in acts]
    matches = len(expected) == len(acts) and all(
        all(_same(column.strip(), value, act) for column, value in row.items() if value.strip())
        for row, act in zip(expected, acts, strict=False)
    )
    _expect(matches, expected, actual, "the timeline")


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" is (?P<certainty>certain|possible)'))
def act_certainty(flashpoint_world: World, act_id: str, certainty: str) -> None:
    """Whether an act certainly occurred by the valid-time cut, or only possibly."""
    act = _act(flashpoint_world, act_id)
    _expect(act["certainty"] == certainty, certainty, act["certainty"], f'act "{act_id}"')


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" is on rung (?P<rung>\d)'))
def act_rung(flashpoint_world: World, act_id: str, rung: str) -> None:
    """The rung of one act, as known at the cut."""
    act = _act(flashpoint_world, act_id)
    _expect(
        act["rung"] == int(rung),
        f"rung {rung} ({RUNGS[int(rung)]})",
        f"rung {act['rung']} ({RUNGS[act['rung']]})",
        f'act "{act_id}"',
    )


def _response(world: World, response: str, act: str) -> dict[str, Any]:
    _logged_act(world, response)
    _logged_act(world, act)
    responses: list[dict[str, Any]] = world.escalation()["responses"]
    for row in responses:
        if row["response"] == response and row["act"] == act:
            return row
    raise AssertionError(
        f'expected "{response}" to respond to "{act}", actual responses: '
        f"{[(row['response'], row['act']) for row in responses]}"
    )


@then(parsers.re(r'"(?P<response>[^"]+)" responds to "(?P<act>[^"]+)" after (?P<days>-?\d+) days?'))
def responds_after(flashpoint_world: World, response: str, act: str, days: str) -> None:
    """A stated response with a lag known to the day."""
    row = _response(flashpoint_world, response, act)
    actual = f"{row['lag_min']}" if row["lag_min"] == row["lag_max"] else f"{row['lag_min']} to {row['lag_max']}"
    _expect(
        row["lag_min"] == row["lag_max"] == int(days),
        f"{days} days",
        f"{actual} days",
        f'"{response}" → "{act}"',
    )


@then(parsers.re(r'"(?P<response>[^"]+)" responds to "(?P<act>[^"]+)" after (?P<low>-?\d+) to (?P<high>-?\d+) days'))
def responds_after_range(flashpoint_world: World, response: str, act: str, low: str, high: str) -> None:
    """A stated response whose lag spans the imprecision of the dates."""
    row = _response(flashpoint_world, response, act)
    _expect(
        (row["lag_min"], row["lag_max"]) == (int(low), int(high)),
        f"{low} to {high} days",
        f"{row['lag_min']} to {row['lag_max']} days",
        f'"{response}" → "{act}"',
    )


@then(parsers.parse('the escalation level is "{name}"'))
def escalation_level(flashpoint_world: World, name: str) -> None:
    """The highest rung in the trailing window at the cut."""
    level = flashpoint_world.summary()["level"]
    _expect(
        level["name"] == name.strip().lower(),
        f'"{name}"',
        f'"{level["name"]}" (rung {level["rung"]})',
        "escalation level",
    )


@then(parsers.parse('the escalation trend is "{trend}"'))
def escalation_trend(flashpoint_world: World, trend: str) -> None:
    """escalating, de-escalating or stable: this window against the one before."""
    actual = flashpoint_world.summary()["trend"]
    _expect(actual == trend.strip().lower(), f'"{trend}"', f'"{actual}"', "escalation trend")


@then(parsers.re(r"the tit-for-tat cycles number (?P<count>\d+)"))
def cycles_number(flashpoint_world: World, count: str) -> None:
    """Stated responses across sides."""
    actual = flashpoint_world.summary()["cycles"]
    _expect(actual == int(count), count, actual, "tit-for-tat cycles")


# -- Then: casualties --------------------------------------------------------------------------------


def _party(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _number(text: str) -> int | None:
    return None if text.strip().lower() in ("null", "none", "unknown", "-", "—") else int(text)


def _figures_match(estimate: dict[str, Any], low: str, best: str, high: str) -> bool:
    return (estimate["low"], estimate["best"], estimate["high"]) == (
        _number(low),
        _number(best),
        _number(high),
    )


def _show(estimate: dict[str, Any]) -> str:
    return f"low {estimate['low']}, best {estimate['best']}, high {estimate['high']}"


def _incident_estimate(world: World, party: str, incident: str, which: str, cut: Cut | None = None) -> dict[str, Any]:
    _logged_act(world, incident)
    for row in world.incident(incident, cut):
        if row["party"] == _party(party):
            return dict(row[which])
    return {"low": None, "best": None, "high": None}


FIGURES = rf"low (?P<low>{NUMBER}), best (?P<best>{NUMBER}), high (?P<high>{NUMBER})"


@then(parsers.re(rf'(?P<party>{PARTY}) (?P<which>killed|injured) in "(?P<incident>[^"]+)" are {FIGURES}'))
def figures_in(flashpoint_world: World, party: str, which: str, incident: str, low: str, best: str, high: str) -> None:
    """UCDP-style killed (or injured) estimates for one party in one incident."""
    estimate = _incident_estimate(flashpoint_world, party, incident, which)
    _expect(
        _figures_match(estimate, low, best, high),
        f"low {low}, best {best}, high {high}",
        _show(estimate),
        f'{party} {which} in "{incident}"',
    )


@then(parsers.re(r'the casualty figures for "(?P<incident>[^"]+)" are (?P<verdict>disputed|undisputed)'))
def figures_disputed(flashpoint_world: World, incident: str, verdict: str) -> None:
    """Whether the current figures of different sources differ, for any party."""
    _act(flashpoint_world, incident)  # the incident itself must be on the timeline at the cut
    rows = flashpoint_world.incident(incident)
    disputed = [row["party"] for row in rows if row["disputed"]]
    actual = ("disputed (" + ", ".join(disputed) + ")") if disputed else "undisputed"
    _expect(bool(disputed) == (verdict == "disputed"), verdict, actual, f'casualty figures for "{incident}"')


@then(parsers.re(rf"the total (?P<party>{PARTY}) (?P<which>killed|injured) are {FIGURES}"))
def total(flashpoint_world: World, party: str, which: str, low: str, best: str, high: str) -> None:
    """Totals per party over every incident in the cut."""
    totals = flashpoint_world.totals()
    estimate = totals.get(_party(party), {}).get(which, {"low": None, "best": None, "high": None})
    _expect(
        _figures_match(estimate, low, best, high),
        f"low {low}, best {best}, high {high}",
        _show(estimate),
        f"total {party} {which}",
    )


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" is withdrawn'))
def act_withdrawn(flashpoint_world: World, act_id: str) -> None:
    """A retraction in force at the knowledge cut withdraws the act."""
    _logged_act(flashpoint_world, act_id)
    standing = standing_of(flashpoint_world.views.db, flashpoint_world.cut.known_text, act_id)
    actual = _standing_text(standing)
    _expect(standing.withdrawn, "withdrawn", actual, f'act "{act_id}" at {_cut_text(flashpoint_world.cut)}')


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" is merged into "(?P<into>[^"]+)"'))
def act_merged(flashpoint_world: World, act_id: str, into: str) -> None:
    """A merge in force at the knowledge cut makes the act count for another (at the end of its chain)."""
    _logged_act(flashpoint_world, act_id)
    _logged_act(flashpoint_world, into)
    standing = standing_of(flashpoint_world.views.db, flashpoint_world.cut.known_text, act_id)
    _expect(
        standing.into == into,
        f'merged into "{into}"',
        _standing_text(standing),
        f'act "{act_id}" at {_cut_text(flashpoint_world.cut)}',
    )


def _standing_text(standing: Any) -> str:
    if not standing.published:
        return "not yet reported"
    if standing.withdrawn:
        return "withdrawn"
    return f'merged into "{standing.into}"' if standing.into else "listed"


@then(parsers.parse('the escalation level is at least "{name}"'))
def level_at_least(flashpoint_world: World, name: str) -> None:
    """The level's rung is this rung or higher."""
    wanted = _rung_named(name)
    level = flashpoint_world.summary()["level"]
    _expect(
        level["rung"] >= wanted,
        f'at least "{RUNGS[wanted]}" (rung {wanted})',
        f'"{level["name"]}" (rung {level["rung"]})',
        "escalation level",
    )


def _rung_named(name: str) -> int:
    wanted = name.strip().lower()
    if wanted not in RUNGS:
        raise UnknownId("rung", wanted, RUNGS)
    return RUNGS.index(wanted)


@then(parsers.re(r"the tit-for-tat cycles number at least (?P<count>\d+)"))
def cycles_at_least(flashpoint_world: World, count: str) -> None:
    """At least this many stated responses across sides."""
    actual = flashpoint_world.summary()["cycles"]
    _expect(actual >= int(count), f"at least {count}", actual, "tit-for-tat cycles")


@then(parsers.re(rf"the total (?P<party>{PARTY}) (?P<which>killed|injured) are at least (?P<count>\d+)"))
def total_at_least(flashpoint_world: World, party: str, which: str, count: str) -> None:
    """The best total for a party is this many or more (no claims: 0)."""
    totals = flashpoint_world.totals()
    best = totals.get(_party(party), {}).get(which, {}).get("best") or 0
    _expect(best >= int(count), f"at least {count}", best, f"total {party} {which} (best)")


# -- When/Then: what changed between two knowledge cuts -----------------------------------------


@when(parsers.re(rf"the changes between (?P<since>{DAY}) and (?P<known_on>{DAY}) are listed"))
def changes_listed(flashpoint_world: World, since: str, known_on: str) -> None:
    """What changed between as known on the first day and as known on the second, at the current
    valid-time cut; the scenario's cut itself does not move."""
    cut = flashpoint_world.cut
    first, second = _day(since), _day(known_on)
    if first > second:
        raise AssertionError(f"the changes between {since} and {known_on}: the first day is after the second")
    flashpoint_world.changed = changes(flashpoint_world.views.db, first, second, cut.to, cut.window)
    flashpoint_world.changed_cuts = (Cut(cut.to, first, cut.window), Cut(cut.to, second, cut.window))


def _changed(world: World) -> dict[str, Any]:
    if world.changed is None:
        raise AssertionError('no changes listed yet: use "When the changes between <date> and <date> are listed"')
    return world.changed


@then("nothing changed")
def nothing_changed_step(flashpoint_world: World) -> None:
    """Every list of the changes is empty and every before equals its after."""
    answer = _changed(flashpoint_world)
    _expect(nothing_changed(answer), "nothing changed", _changes_text(answer), "the changes")


def _changes_text(answer: dict[str, Any]) -> str:
    acts = {key: [row["id"] for row in rows] for key, rows in answer["acts"].items() if rows}
    figures = [f"{row['party']} {row['figure']} in {row['incident']}" for row in answer["casualties"]]
    moved = {key: answer[key] for key in ("level", "trend", "cycles") if answer[key]["before"] != answer[key]["after"]}
    responses = {key: len(rows) for key, rows in answer["responses"].items() if rows}
    return f"acts {acts}, figures {figures}, responses {responses}, {moved}"


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" was (?P<change>added|withdrawn)'))
def act_was(flashpoint_world: World, act_id: str, change: str) -> None:
    """The act is listed on the later side and not the earlier (added), or the other way (withdrawn)."""
    _logged_act(flashpoint_world, act_id)
    acts = _changed(flashpoint_world)["acts"]
    found = {key: [row["id"] for row in rows] for key, rows in acts.items()}
    actual = [key for key, ids in found.items() if act_id in ids] or ["no change"]
    _expect(act_id in found[change], change, ", ".join(actual), f'act "{act_id}"')


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" was merged into "(?P<into>[^"]+)"'))
def act_was_merged(flashpoint_world: World, act_id: str, into: str) -> None:
    """Listed on the earlier side; on the later one, a merge makes it count for ``into``."""
    _logged_act(flashpoint_world, act_id)
    _logged_act(flashpoint_world, into)
    merged = {row["id"]: row["into"] for row in _changed(flashpoint_world)["acts"]["merged"]}
    actual = f'merged into "{merged[act_id]}"' if act_id in merged else "not merged between the two days"
    _expect(merged.get(act_id) == into, f'merged into "{into}"', actual, f'act "{act_id}"')


@then(parsers.re(r'the act "(?P<act_id>[^"]+)" changed from rung (?P<before>\d) to rung (?P<after>\d)'))
def act_rung_changed(flashpoint_world: World, act_id: str, before: str, after: str) -> None:
    """The act's rung as known on the first day, and as known on the second."""
    _logged_act(flashpoint_world, act_id)
    for row in _changed(flashpoint_world)["acts"]["rung_changed"]:
        if row["id"] == act_id:
            _expect(
                (row["before"], row["after"]) == (int(before), int(after)),
                f"rung {before} to rung {after}",
                f"rung {row['before']} to rung {row['after']}",
                f'act "{act_id}"',
            )
            return
    raise AssertionError(f'act "{act_id}": expected rung {before} to rung {after}, actual: its rung did not change')


@then(parsers.parse('the escalation level changed from "{before}" to "{after}"'))
def level_changed(flashpoint_world: World, before: str, after: str) -> None:
    """The level as known on the first day, and as known on the second."""
    level = _changed(flashpoint_world)["level"]
    wanted = (_rung_named(before), _rung_named(after))
    actual = (level["before"]["rung"], level["after"]["rung"])
    _expect(
        actual == wanted,
        f'"{RUNGS[wanted[0]]}" to "{RUNGS[wanted[1]]}"',
        f'"{RUNGS[actual[0]]}" to "{RUNGS[actual[1]]}"',
        "escalation level",
    )


@then(parsers.parse('the escalation trend changed from "{before}" to "{after}"'))
def trend_changed(flashpoint_world: World, before: str, after: str) -> None:
    trend = _changed(flashpoint_world)["trend"]
    wanted = (before.strip().lower(), after.strip().lower())
    _expect(
        (trend["before"], trend["after"]) == wanted,
        f'"{wanted[0]}" to "{wanted[1]}"',
        f'"{trend["before"]}" to "{trend["after"]}"',
        "escalation trend",
    )


@then(parsers.re(r"the tit-for-tat cycles changed from (?P<before>\d+) to (?P<after>\d+)"))
def cycles_changed(flashpoint_world: World, before: str, after: str) -> None:
    cycles = _changed(flashpoint_world)["cycles"]
    _expect(
        (cycles["before"], cycles["after"]) == (int(before), int(after)),
        f"{before} to {after}",
        f"{cycles['before']} to {cycles['after']}",
        "tit-for-tat cycles",
    )


@then(
    parsers.re(
        rf'(?P<party>{PARTY}) (?P<which>killed|injured) in "(?P<incident>[^"]+)" changed from '
        rf"low (?P<low>{NUMBER}), best (?P<best>{NUMBER}), high (?P<high>{NUMBER}) to "
        rf"low (?P<low2>{NUMBER}), best (?P<best2>{NUMBER}), high (?P<high2>{NUMBER})"
    )
)
def figures_changed(
    flashpoint_world: World,
    party: str,
    which: str,
    incident: str,
    low: str,
    best: str,
    high: str,
    low2: str,
    best2: str,
    high2: str,
) -> None:
    """The figure's low/best/high as known on the first day, and as known on the second (null: none)."""
    _changed(flashpoint_world)
    assert flashpoint_world.changed_cuts is not None
    sides = [_incident_estimate(flashpoint_world, party, incident, which, cut) for cut in flashpoint_world.changed_cuts]
    _expect(
        _figures_match(sides[0], low, best, high) and _figures_match(sides[1], low2, best2, high2),
        f"low {low}, best {best}, high {high} to low {low2}, best {best2}, high {high2}",
        f"{_show(sides[0])} to {_show(sides[1])}",
        f'{party} {which} in "{incident}"',
    )


@then(
    parsers.re(
        rf'the change to (?P<party>{PARTY}) (?P<which>killed|injured) in "(?P<incident>[^"]+)" '
        r'is because of "(?P<report_id>[^"]+)"'
    )
)
def change_because(flashpoint_world: World, party: str, which: str, incident: str, report_id: str) -> None:
    """The report is among those that caused the change to this figure."""
    _logged_act(flashpoint_world, incident)
    logged = [event.report_id for event in flashpoint_world.app.filed_reports()]
    if report_id not in logged:
        raise UnknownId("report", report_id, logged)
    for entry in _changed(flashpoint_world)["casualties"]:
        if (entry["incident"], entry["party"], entry["figure"]) == (incident, _party(party), which):
            _expect(
                report_id in entry["because"],
                f'"{report_id}" among the causes',
                entry["because"],
                f'the change to {party} {which} in "{incident}"',
            )
            return
    raise AssertionError(
        f'the change to {party} {which} in "{incident}": expected one, actual: the figure did not change'
    )


# -- Then: sources ---------------------------------------------------------------------------


def _source_record(world: World, name: str) -> dict[str, Any]:
    """The track record of the source of that (folded) name at the cut; a name no claim in the
    whole log gives is mistyped, and fails naming the nearest."""
    records: list[dict[str, Any]] = sources(world.views.db, world.cut)["sources"]
    for record in records:
        if name_key(record["source"]) == name_key(name):
            return record
    logged = {record["source"] for record in sources(world.views.db, Cut())["sources"]}
    if not any(name_key(known) == name_key(name) for known in logged):
        raise UnknownId("source", name, sorted(logged))
    return {"source": name, "figures": 0, "revised": 0, "revised_up": 0, "revised_down": 0}


@then(parsers.re(r'the source "(?P<name>[^"]+)" revised (?P<revised>\d+) of its (?P<figures>\d+) figures?'))
def source_revised_of(flashpoint_world: World, name: str, revised: str, figures: str) -> None:
    """How many of the figures a source gave it later revised (only what was known at the cut)."""
    record = _source_record(flashpoint_world, name)
    _expect(
        (record["revised"], record["figures"]) == (int(revised), int(figures)),
        f"{revised} of {figures} figures revised",
        f"{record['revised']} of {record['figures']}",
        f'the source "{name}"',
    )


@then(parsers.re(r'the source "(?P<name>[^"]+)" revised (?P<count>\d+) figures? (?P<way>upward|downward)'))
def source_revised_way(flashpoint_world: World, name: str, count: str, way: str) -> None:
    """How many figures a source revised up (its last number above its first), or down."""
    record = _source_record(flashpoint_world, name)
    actual = record["revised_up" if way == "upward" else "revised_down"]
    _expect(actual == int(count), f"{count} revised {way}", actual, f'the source "{name}"')


# -- Then: the log ---------------------------------------------------------------------------------------


@then(parsers.parse('the append fails mentioning "{text}"'))
def append_fails(flashpoint_world: World, text: str) -> None:
    """The last When-append was refused, and its one-line error says this."""
    failure = flashpoint_world.failure
    _expect(failure is not None, f'a refusal mentioning "{text}"', "the append succeeded", "append")
    assert failure is not None
    _expect(text.lower() in failure.lower(), f'a refusal mentioning "{text}"', f'"{failure}"', "append")


@then(parsers.parse("the append succeeds"))
def append_succeeds(flashpoint_world: World) -> None:
    """The last When-append was accepted."""
    _expect(flashpoint_world.failure is None, "the append to succeed", f'"{flashpoint_world.failure}"', "append")


@then(parsers.re(r"the event log holds (?P<count>\d+) reports?"))
def log_holds(flashpoint_world: World, count: str) -> None:
    """How many distinct reports the log holds (a watched log: those published by the knowledge cut)."""
    world = flashpoint_world
    known = world.cut.known_on
    actual = reports_published(world.views.db, known) if world.watched and known else world.app.count_reports()
    _expect(actual == int(count), f"{count} reports", f"{actual} reports", "the event log")
