"""Scenarios of features/seed_story.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("seed_story.feature")
