"""Scenarios of features/replay.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("replay.feature")
