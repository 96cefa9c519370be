"""Scenarios of features/source_records.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("source_records.feature")
