"""Scenarios of features/refused_appends.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("refused_appends.feature")
