"""Scenarios of features/casualty_revisions.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("casualty_revisions.feature")
