"""Scenarios of features/escalation_ladder.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("escalation_ladder.feature")
