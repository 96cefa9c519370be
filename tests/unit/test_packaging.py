"""The package's metadata: an SPDX license with its file, known classifiers, project URLs, pinned extras."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.licenses import canonicalize_license_expression
from packaging.requirements import Requirement
from trove_classifiers import classifiers as known_classifiers

ROOT = Path(__file__).parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_license_is_an_spdx_expression_with_its_file_shipped() -> None:
    assert PROJECT["license"] == canonicalize_license_expression(PROJECT["license"]) == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    # A License classifier beside an SPDX expression is refused by current build backends.
    assert not [item for item in PROJECT["classifiers"] if item.startswith("License ::")]


def test_every_classifier_is_a_known_trove_classifier_and_the_pythons_match_requires_python() -> None:
    assert PROJECT["classifiers"] == sorted(set(PROJECT["classifiers"]), key=PROJECT["classifiers"].index)
    assert set(PROJECT["classifiers"]) <= known_classifiers
    assert "Programming Language :: Python :: 3.11" in PROJECT["classifiers"]
    assert PROJECT["requires-python"] == ">=3.11"


def test_project_urls_are_https() -> None:
    assert PROJECT["urls"]
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())


def test_every_dependency_is_pinned_to_a_range() -> None:
    requirements = [
        *PROJECT["dependencies"],
        *(item for extra in PROJECT["optional-dependencies"].values() for item in extra),
    ]
    for text in requirements:
        requirement = Requirement(text)
        if requirement.name == "flashpoint":  # the `all` extra names the others
            continue
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, f"{text}: no lower bound"
        assert "<" in operators or requirement.name in UNCAPPED, f"{text}: no upper bound"


UNCAPPED = {"trove-classifiers", "packaging"}
"""Test-only metadata checkers: newer releases only know more classifiers and licenses."""
