"""Scenarios of features/knowledge_cut.feature, bound to the packaged step library."""

from pytest_bdd import scenarios

scenarios("knowledge_cut.feature")
