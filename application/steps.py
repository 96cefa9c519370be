"""The Gherkin step library's public name: ``pytest_plugins = ["flashpoint.steps"]``.

The steps live in :mod:`flashpoint.gherkin.steps`; this module registers them as a plugin
and hands out their names, so conftest files written against ``flashpoint.steps`` keep working.
"""

from __future__ import annotations

import importlib

pytest_plugins = ["flashpoint.gherkin.steps"]


def __getattr__(name: str) -> object:
    return getattr(importlib.import_module("flashpoint.gherkin.steps"), name)
