"""The Cucumber JSON report of ``flashpoint check --cucumberjson``, as Cucumber report tools read it.

pytest-bdd's own formatter writes only the steps that ran: an undefined step and every step
after it are left out (a dashboard then shows the scenario green, and a scenario whose first
step is undefined is not there at all), the steps after a failing one are marked failed, and
tags lose their ``@``. This plugin writes what cucumber-js writes: every feature, scenario and
step that was collected, each step ``passed``, ``failed``, ``undefined`` or ``skipped`` (the
steps after a failing or undefined one), ``result.duration`` in nanoseconds, the
``error_message`` on the failing step, and tags as written, ``@`` and line included. A failure
outside any step (a fixture, a hook) is a hidden ``Before``/``After`` hook step, as cucumber-js
writes hooks, so that the scenario still shows failed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.gherkin_parser import Scenario as ParsedScenario
from pytest_bdd.gherkin_parser import Tag, get_gherkin_document
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

NANOSECONDS = 10**9


@dataclass
class StepRun:
    """One step of one scenario: skipped until it is started, then passed, failed or undefined."""

    step: Step
    status: str = "skipped"
    location: str = ""
    started: float | None = None
    duration: int = 0
    error: str | None = None

    def finish(self, status: str, error: str | None = None) -> None:
        self.status = status
        self.error = error
        if self.started is not None:
            self.duration = int((time.perf_counter() - self.started) * NANOSECONDS)


@dataclass
class ScenarioRun:
    """One scenario as it ran: its steps, and failures outside them (as hidden hook steps)."""

    feature: Feature
    scenario: Scenario
    steps: list[StepRun]
    examples_line: int | None = None  # an outline's row: the line of its Examples block, whose tags it has
    hooks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, feature: Feature, scenario: Scenario, item: pytest.Function) -> ScenarioRun:
        return cls(feature, scenario, [StepRun(step) for step in scenario.steps], _examples_line(item))

    def run_of(self, step: Step) -> StepRun:
        return next(run for run in self.steps if run.step is step)

    @property
    def failed(self) -> bool:
        return any(run.status in ("failed", "undefined") for run in self.steps) or bool(self.hooks)

    @property
    def started(self) -> bool:
        return any(run.started is not None for run in self.steps)


class CucumberJson:
    """A pytest plugin writing the Cucumber JSON report of the session to ``path``.

    ``root`` is the directory feature ``uri``s are relative to (those outside it stay absolute).
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root
        self.items: dict[str, pytest.Function] = {}
        self.runs: dict[str, ScenarioRun] = {}
        self._tags: dict[str, dict[int, list[dict[str, Any]]]] = {}

    # -- what happens to each scenario ------------------------------------------------------

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Remember the scenarios, to report those that never start (skipped, or a fixture failed)."""
        self.items = {
            item.nodeid: item
            for item in items
            if isinstance(item, pytest.Function) and item.obj in scenario_wrapper_template_registry
        }

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
        self.runs[request.node.nodeid] = ScenarioRun.of(feature, scenario, request.node)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, step: Step, step_func: Any) -> None:
        run = self.runs[request.node.nodeid].run_of(step)
        run.started = time.perf_counter()
        run.location = f"{step_func.__module__}.{step_func.__qualname__}"

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        self.runs[request.node.nodeid].run_of(step).finish("passed")

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, step: Step, exception: Exception) -> None:
        self.runs[request.node.nodeid].run_of(step).finish("failed", f"{type(exception).__name__}: {exception}")

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, step: Step) -> None:
        self.runs[request.node.nodeid].run_of(step).finish("undefined")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Scenarios that never started (skipped, or a fixture failed) and failures outside any step."""
        run = self.runs.get(report.nodeid)
        if run is None and (report.failed or report.skipped) and report.nodeid in self.items:
            run = self.runs[report.nodeid] = self._unstarted(self.items[report.nodeid])
        if run is None or not report.failed or (report.when == "call" and run.failed):
            return
        keyword = "Before" if report.when == "setup" or not run.started else "After"
        run.hooks.append(
            {
                "arguments": [],
                "keyword": keyword,
                "hidden": True,
                "match": {"location": report.location[0]},
                "result": {
                    "status": "failed",
                    "duration": int(report.duration * NANOSECONDS),
                    "error_message": _failure(report),
                },
            }
        )

    @staticmethod
    def _unstarted(item: pytest.Function) -> ScenarioRun:
        template = scenario_wrapper_template_registry[item.obj]
        return ScenarioRun.of(template.feature, template.render(_example(item)), item)

    def pytest_sessionfinish(self) -> None:
        self.path.write_text(json.dumps(self.features(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    # -- the report --------------------------------------------------------------------------

    def features(self) -> list[dict[str, Any]]:
        """Features in the order their first scenario ran, each with its scenarios in run order."""
        features: dict[str, dict[str, Any]] = {}
        ids: Counter[str] = Counter()
        for run in self.runs.values():
            feature = run.feature
            if feature.filename not in features:
                features[feature.filename] = self._feature(feature)
            entry = features[feature.filename]
            entry["elements"].append(self._element(run, entry["id"], ids))
        return list(features.values())

    def _feature(self, feature: Feature) -> dict[str, Any]:
        tags = self.tags(feature.filename)
        return {
            "uri": self._uri(feature.filename),
            "id": _slug(feature.name),
            "keyword": feature.keyword,
            "name": feature.name,
            "description": feature.description,
            "line": feature.line_number,
            "tags": tags[feature.line_number],
            "elements": [],
        }

    def tags(self, filename: str) -> dict[int, list[dict[str, Any]]]:
        """The tags of a feature file by the line of the feature or scenario they apply to (read once)."""
        if filename not in self._tags:
            self._tags[filename] = _tags_by_line(filename)
        return self._tags[filename]

    def _element_tags(self, run: ScenarioRun) -> list[dict[str, Any]]:
        tags = self.tags(run.feature.filename)
        return tags[run.scenario.line_number] + (tags[run.examples_line] if run.examples_line else [])

    def _uri(self, filename: str) -> str:
        path = Path(filename).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def _element(self, run: ScenarioRun, feature_id: str, ids: Counter[str]) -> dict[str, Any]:
        """A scenario; one named like an earlier one (an outline's examples) gets ``;2``, ``;3`` … on its id."""
        scenario = run.scenario
        element_id = f"{feature_id};{_slug(scenario.name)}"
        ids[element_id] += 1
        if ids[element_id] > 1:
            element_id = f"{element_id};{ids[element_id]}"
        before = [hook for hook in run.hooks if hook["keyword"] == "Before"]
        after = [hook for hook in run.hooks if hook["keyword"] == "After"]
        return {
            "id": element_id,
            "keyword": scenario.keyword,
            "name": scenario.name,
            "description": scenario.description,
            "line": scenario.line_number,
            "type": "scenario",
            "tags": self._element_tags(run),
            "steps": before + [_step(step, scenario, self._uri(run.feature.filename)) for step in run.steps] + after,
        }


def _example(item: pytest.Function) -> dict[str, str]:
    """The Examples row an outline's test runs with ({} for a plain scenario)."""
    callspec = getattr(item, "callspec", None)
    example: dict[str, str] = callspec.params.get("_pytest_bdd_example", {}) if callspec is not None else {}
    return example


def _examples_line(item: pytest.Function) -> int | None:
    """The line of the Examples block of an outline's row, found by the row's index among all of them
    (pytest-bdd parametrizes with the blocks' rows in order; the values alone may repeat)."""
    template = scenario_wrapper_template_registry.get(item.obj)
    callspec = getattr(item, "callspec", None)
    if template is None or callspec is None or "_pytest_bdd_example" not in callspec.indices:
        return None
    index = callspec.indices["_pytest_bdd_example"]
    for block in template.examples:
        if index < len(block.examples):
            return block.line_number
        index -= len(block.examples)
    return None


def _step(run: StepRun, scenario: Scenario, uri: str) -> dict[str, Any]:
    step = run.step
    result: dict[str, Any] = {"status": run.status, "duration": run.duration}
    if run.error is not None:
        result["error_message"] = run.error
    entry: dict[str, Any] = {
        "arguments": _arguments(step),
        "keyword": f"{step.keyword.strip()} ",
        "line": step.line_number,
        "name": step.name,
        "match": {"location": run.location or f"{uri}:{step.line_number}"},
        "result": result,
    }
    if step.line_number < scenario.line_number:
        entry["isBackground"] = True
    return entry


def _arguments(step: Step) -> list[dict[str, Any]]:
    """A step's data table or doc string, in cucumber-js's shape."""
    if step.datatable is not None:
        return [{"rows": [{"cells": row} for row in step.datatable.raw()]}]
    if step.docstring is not None:
        return [{"content": step.docstring, "line": step.line_number + 1}]
    return []


def _failure(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return str(crash.message) if crash is not None else str(report.longrepr)


def _slug(name: str) -> str:
    """cucumber-js's ids: the name lower-cased, spaces as hyphens."""
    return name.strip().lower().replace(" ", "-")


def _tags_by_line(filename: str) -> dict[int, list[dict[str, Any]]]:
    """The tags of the feature (at its line), of each scenario (at its line, inherited ones included)
    and of each Examples block (at its line, its own only).

    pytest-bdd keeps tag names only, so the feature file is read again for the lines.
    """
    feature = get_gherkin_document(filename).feature
    own = _tag_list(feature.tags)
    tags = {feature.location.line: own}
    for child in feature.children:
        scenarios: list[tuple[ParsedScenario, list[Tag]]] = [(child.scenario, [])] if child.scenario else []
        if child.rule is not None:
            scenarios = [(inner.scenario, child.rule.tags) for inner in child.rule.children if inner.scenario]
        for scenario, rule_tags in scenarios:
            tags[scenario.location.line] = own + _tag_list([*rule_tags, *scenario.tags])
            tags.update({examples.location.line: _tag_list(examples.tags) for examples in scenario.examples})
    return tags


def _tag_list(tags: list[Tag]) -> list[dict[str, Any]]:
    return [{"name": tag.name, "line": tag.location.line} for tag in tags]
