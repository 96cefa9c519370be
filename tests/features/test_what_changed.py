"""Scenarios of features/what_changed.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("what_changed.feature")
