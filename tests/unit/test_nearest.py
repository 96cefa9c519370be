"""The nearest ids to one that names nothing: what a misspelt id in a step or an option is told."""

from __future__ import annotations

from flashpoint.domain.errors import FlashpointError
from flashpoint.nearest import UnknownId, nearest

LOGGED = ["us-strikes-2021-06-27", "us-strikes-2021-02-25", "acled-irq41901", "tower-22"]


def test_the_closest_come_first() -> None:
    assert nearest("us-strikes-2021-06-26", LOGGED)[:2] == ["us-strikes-2021-06-27", "us-strikes-2021-02-25"]


def test_case_does_not_count_and_ids_come_back_as_spelt() -> None:
    assert nearest("acled-IRQ41901", LOGGED) == ["acled-irq41901"]


def test_nothing_close_is_no_suggestion() -> None:
    assert nearest("erbil", LOGGED) == []


def test_the_error_names_the_nearest_ids() -> None:
    error = UnknownId("act", "tower-23", LOGGED)

    assert isinstance(error, FlashpointError)
    assert error.nearest == ["tower-22"]
    assert str(error) == "\"tower-23\": no act in the log has this id; did you mean 'tower-22'?"


def test_without_a_near_id_the_error_says_only_what_is_unknown() -> None:
    assert str(UnknownId("report", "erbil", LOGGED)) == '"erbil": no report in the log has this id'
