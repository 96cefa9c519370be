"""Scenarios of features/casualty_ranges.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("casualty_ranges.feature")
