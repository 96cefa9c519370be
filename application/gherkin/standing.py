"""Standing scenarios (``@standing``) and ``flashpoint watch``: when a pattern starts or stops holding.

A standing scenario starts from the log itself (``Given the event log``) and holds only Then
steps, the step library's own (:mod:`flashpoint.gherkin.steps`): the same phrases, the same
functions, called here directly rather than through pytest, once per judged day. ``watch``
judges each scenario at ``--to K --known-on K`` for every day K on which a report was
published, in order; it holds on K when every Then step holds. A report published after K
cannot change the verdict of K: every question is asked at knowledge cut K.

The day's answers come from :class:`Watching`, a world whose cut moves forward: the summary
for the level, trend and cycles, indexed lookups for one act or incident, and
:class:`flashpoint.projections.watch.MovingTotals` for the casualty totals.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flashpoint.app import Flashpoint
from flashpoint.domain.errors import FlashpointError
from flashpoint.gherkin import steps as step_library
from flashpoint.gherkin.check import NoFeatures, feature_files
from flashpoint.gherkin.steps import World
from flashpoint.nearest import UnknownId
from flashpoint.projections.cuts import Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.watch import Moving, last_publication_before, publication_days, reports_on
from pytest_bdd.exceptions import FeatureError, GherkinParseError
from pytest_bdd.parser import FeatureParser, Scenario, ScenarioTemplate, Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

TAG = "standing"
THE_LOG = "the event log"


class NotStanding(FlashpointError):
    """A standing scenario with a step it may not hold, or a feature that cannot be read (exit 65)."""


@dataclass(frozen=True)
class Bound:
    """One Then step of a standing scenario, bound to the step library's function for it."""

    text: str
    line: int
    function: Callable[..., Any]
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Standing:
    """One ``@standing`` scenario (one per example row of an outline)."""

    name: str
    feature: Path
    line: int
    steps: tuple[Bound, ...]

    def holds(self, world: World) -> bool:
        """Whether every Then step holds in ``world`` at its cut (an unknown id is an error)."""
        for step in self.steps:
            try:
                step.function(flashpoint_world=world, **step.arguments)
            except AssertionError:
                return False
        return True


def then_steps() -> list[StepFunctionContext]:
    """The step library's Then steps, in the order they are defined."""
    return [
        context
        for context in step_function_context_registry.values()
        if context.type in ("then", None) and context.step_func.__module__ == step_library.__name__
    ]


def standing_scenarios(paths: tuple[str, ...]) -> list[Standing]:
    """Every ``@standing`` scenario of the features at ``paths`` (files or directories)."""
    library = then_steps()
    found: list[Standing] = []
    for path in feature_files(paths):
        try:
            feature = FeatureParser(str(path.parent), path.name).parse()
        except OSError as error:
            raise NoFeatures(str(path), error.strerror or str(error)) from None
        except (FeatureError, GherkinParseError, UnicodeDecodeError) as error:
            raise NotStanding(f"{path}: cannot read the feature: {str(error).splitlines()[0]}") from None
        for template in feature.scenarios.values():
            if TAG in template.tags or TAG in feature.tags:
                found.extend(_rendered(template, path, library))
    return found


def _rendered(template: ScenarioTemplate, path: Path, library: list[StepFunctionContext]) -> Iterable[Standing]:
    contexts: list[dict[str, str]] = [
        context for examples in template.examples for context in examples.as_contexts()
    ] or [{}]
    for context in contexts:
        scenario = template.render(context)
        suffix = f" ({', '.join(f'{key}={value}' for key, value in context.items())})" if context else ""
        yield Standing(template.name + suffix, path, template.line_number, tuple(_bound(scenario, path, library)))


def _bound(scenario: Scenario, path: Path, library: list[StepFunctionContext]) -> Iterable[Bound]:
    for step in scenario.steps:
        where = f"{path}:{step.line_number}"
        if step.type == "given" and step.name.strip() == THE_LOG:
            continue
        if step.type != "then":
            raise NotStanding(
                f'{where}: scenario "{scenario.name}" is @standing: it holds only "Given {THE_LOG}" and Then '
                f'steps, not "{step.keyword.strip()} {step.name}"'
            )
        yield _bind(step, where, library)


def _bind(step: Step, where: str, library: list[StepFunctionContext]) -> Bound:
    for context in library:
        if not context.parser.is_matching(step.name):
            continue
        arguments = context.parser.parse_arguments(step.name) or {}
        parameters = inspect.signature(context.step_func).parameters
        if "datatable" in parameters:
            if step.datatable is None:
                raise NotStanding(f'{where}: "Then {step.name}" needs a table under it')
            arguments = {**arguments, "datatable": step.datatable.raw()}
        return Bound(step.name, step.line_number, context.step_func, dict(arguments))
    raise NotStanding(f'{where}: no step of the library reads "Then {step.name}"')


# -- judging every publication day --------------------------------------------------------------


class Watching(World):
    """A standing scenario's world on the watched log, at a cut that moves forward day by day."""

    def __init__(self, app: Flashpoint, views: ReadModels) -> None:
        super().__init__(Path(views.path).parent)
        self._app, self._views, self.watched = app, views, True
        self.moving = Moving(views.db)

    def close(self) -> None:  # the log and read models are the caller's
        return None

    def summary(self) -> dict[str, Any]:
        self.moving.at(self.cut)
        return self.moving.summary()

    def totals(self) -> dict[str, Any]:
        self.moving.at(self.cut)
        return self.moving.totals()


@dataclass
class Held:
    """One interval over which a scenario held: from a judged day until the first one on which it
    no longer did (None: it still holds); ``because``: the reports of its first day (none when
    the sliding window alone made it hold)."""

    start: str | None
    because: list[str]
    until: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start, "until": self.until, "because": self.because}


@dataclass(frozen=True)
class Flip:
    day: str
    scenario: str
    holds: bool
    reports: tuple[str, ...]
    window: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "scenario": self.scenario,
            "holds": self.holds,
            "because": [] if self.window else list(self.reports),
            "window": self.window,
        }

    def line(self) -> str:
        verdict = "now holds" if self.holds else "no longer holds"
        return f"{self.day}  {self.scenario}  {verdict}  {'(window)' if self.window else ', '.join(self.reports)}"


@dataclass
class Backtest:
    """What ``watch`` found: the flips in order, and per scenario the intervals it held."""

    since: date | None
    scenarios: list[Standing]
    days: int = 0
    last_day: str | None = None
    flips: list[Flip] = field(default_factory=list)
    held: dict[int, list[Held]] = field(default_factory=dict)
    verdicts: list[bool] = field(default_factory=list)

    def holding(self) -> bool:
        """Whether any scenario holds on the last judged day."""
        return any(self.verdicts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cut": {"since": self.since.isoformat() if self.since else None, "days": self.days, "last": self.last_day},
            "scenarios": [
                {
                    "name": scenario.name,
                    "feature": str(scenario.feature),
                    "line": scenario.line,
                    "holds": self.verdicts[index],
                    "held": [interval.as_dict() for interval in self.held[index]],
                }
                for index, scenario in enumerate(self.scenarios)
            ],
            "flips": [flip.as_dict() for flip in self.flips],
        }


def backtest(
    app: Flashpoint,
    views: ReadModels,
    scenarios: list[Standing],
    since: date | None = None,
    window: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Backtest:
    """Judge ``scenarios`` at ``--to K --known-on K`` for every publication day K from ``since``.

    Before the first judged day a scenario does not hold (with ``since``: its verdict on the last
    publication day before it, not listed as a flip). A flip that re-judging at ``--known-on K-1
    --to K`` already gives is the sliding window's: it has no ``because``. An id the whole log
    does not know fails here, before any day is judged (:class:`UnknownId`).
    """
    world, before = Watching(app, views), Watching(app, views)
    cut_of = _cuts(window)
    latest = last_publication_before(views.db, date.max)
    whole = World(Path(views.path).parent, watched=True) if latest is None else Watching(app, views)
    whole._app, whole._views = app, views
    whole.cut = cut_of(latest, latest)  # everything published (an empty log: no cut)
    for scenario in scenarios:  # an id unknown to the whole log is a mistake, not "does not hold"
        try:
            scenario.holds(whole)
        except UnknownId as error:
            raise NotStanding(f'{scenario.feature}:{scenario.line}: scenario "{scenario.name}": {error}') from None
    result = Backtest(since, scenarios, held={index: [] for index in range(len(scenarios))})
    verdicts = [False] * len(scenarios)
    if since is not None:
        baseline = last_publication_before(views.db, since)
        if baseline is not None:
            world.cut = cut_of(baseline, baseline)
            verdicts = [scenario.holds(world) for scenario in scenarios]
            for index, holds in enumerate(verdicts):
                if holds:
                    result.held[index].append(Held(None, []))
    days = publication_days(views.db, since)
    for count, day in enumerate(days, 1):
        world.cut = cut_of(day, day)
        for index, scenario in enumerate(scenarios):
            holds = scenario.holds(world)
            if holds == verdicts[index]:
                continue
            before.cut = cut_of(day, _day_before(day))
            window_flip = scenario.holds(before) == holds
            reports = reports_on(views.db, day)
            result.flips.append(Flip(day, scenario.name, holds, tuple(reports), window_flip))
            if holds:
                result.held[index].append(Held(day, [] if window_flip else list(reports)))
            else:
                result.held[index][-1].until = day
            verdicts[index] = holds
        if progress is not None:
            progress(count, len(days))
    result.days, result.last_day, result.verdicts = len(days), days[-1] if days else None, verdicts
    return result


def _cuts(window: int | None) -> Callable[..., Cut]:
    def cut_of(to: str | None, known: str | None = None) -> Cut:
        days = (date.fromisoformat(to) if to else None, date.fromisoformat(known) if known else None)
        return Cut(*days) if window is None else Cut(*days, window)

    return cut_of


def _day_before(day: str) -> str:
    first = date.fromisoformat(day)
    return (first - timedelta(days=1)).isoformat() if first > date.min else day


__all__ = ["Backtest", "Flip", "NotStanding", "Standing", "UnknownId", "backtest", "standing_scenarios"]
