"""The casualty-estimate rules (flashpoint.domain.estimates), without a log or a database."""

from __future__ import annotations

import pytest
from flashpoint.domain.estimates import (
    POLICIES,
    Stated,
    add,
    check_policy,
    disputed,
    estimate,
    no_figure,
    reports_harm,
    standing,
)


def said(
    source: str, number: int | None = None, *, day: str = "2024-01-28", at: int = 1, qualifier: str = "exact"
) -> Stated:
    return Stated(source, day, at, qualifier, number, None)


def word(source: str, text: str = "several", *, day: str = "2024-01-28", at: int = 1) -> Stated:
    return Stated(source, day, at, "unquantified", None, text)


# -- supersession ------------------------------------------------------------------------------


def test_a_sources_later_statement_supersedes_its_earlier_one() -> None:
    first, revised = said("ap", 3, day="2024-01-28", at=5), said("ap", 4, day="2024-01-29", at=2)

    assert standing([revised, first]) == [revised]


def test_on_one_day_the_later_position_in_the_log_supersedes() -> None:
    first, second = said("ap", 3, at=7), said("ap", 4, at=8)

    assert standing([second, first]) == [second]


def test_other_sources_statements_all_stand_in_log_order() -> None:
    ap, sohr, centcom = said("ap", 3, at=9), said("sohr", 5, at=2), said("centcom", 2, at=4)

    assert standing([ap, sohr, centcom]) == [sohr, centcom, ap]


def test_a_word_supersedes_a_number_from_the_same_source() -> None:
    number, vague = said("ap", 3, day="2024-01-28"), word("ap", day="2024-01-30")

    assert standing([number, vague]) == [vague]


def test_a_report_of_zero_is_no_harm_and_a_word_is() -> None:
    assert not said("ap", 0).reports_harm
    assert said("ap", 1).reports_harm
    assert word("ap").reports_harm
    assert not reports_harm([said("ap", 0), said("sohr", 0)])
    assert reports_harm([said("ap", 0), said("sohr", 2)])
    assert not reports_harm([])


# -- low, best, high -----------------------------------------------------------------------------


def test_no_statement_gives_no_figure() -> None:
    assert estimate([]) == no_figure() == {"low": None, "best": None, "high": None}


def test_words_alone_count_as_one() -> None:
    assert estimate([word("ap"), word("sohr", "dozens")]) == {"low": 1, "best": 1, "high": 1}


def test_a_number_anywhere_makes_the_words_count_for_nothing() -> None:
    assert estimate([word("ap"), said("sohr", 7)]) == {"low": 7, "best": 7, "high": 7}


def test_conservative_best_is_the_smallest_and_high_the_largest() -> None:
    claims = [said("a", 4), said("b", 9, qualifier="at_least"), said("c", 6, qualifier="approximately")]

    assert estimate(claims) == {"low": 4, "best": 4, "high": 9}


def test_at_most_lowers_the_low_to_zero_but_keeps_its_number_for_best_and_high() -> None:
    assert estimate([said("a", 5, qualifier="at_most"), said("b", 8)]) == {"low": 0, "best": 5, "high": 8}


@pytest.mark.parametrize(
    ("numbers", "policy", "best"),
    [
        ([2, 9, 4], "median", 4),
        ([2, 9, 4, 7], "median", 4),  # the lower median of an even count
        ([2, 9, 4], "high", 9),
        ([2, 9, 4], "conservative", 2),
    ],
)
def test_each_policy_chooses_its_best(numbers: list[int], policy: str, best: int) -> None:
    claims = [said(f"source {n}", number) for n, number in enumerate(numbers)]

    assert estimate(claims, policy) == {"low": min(numbers), "best": best, "high": max(numbers)}


def test_an_unknown_policy_is_refused_naming_the_choices() -> None:
    for policy in POLICIES:
        check_policy(policy)
    with pytest.raises(ValueError, match="'mean'; choose from conservative, median, high"):
        check_policy("mean")


# -- disputes and totals ----------------------------------------------------------------------------


def test_different_numbers_are_a_dispute_words_and_equal_numbers_are_not() -> None:
    assert disputed([said("a", 4), said("b", 5)])
    assert not disputed([said("a", 4), said("b", 4)])
    assert not disputed([said("a", 4), word("b")])
    assert not disputed([said("a", 4)])
    assert not disputed([])


def test_totals_add_bound_by_bound_and_a_missing_figure_adds_nothing() -> None:
    total = no_figure()
    add(total, no_figure())
    assert total == no_figure()

    add(total, {"low": 0, "best": 2, "high": 5})
    add(total, {"low": 1, "best": 1, "high": 1})
    add(total, no_figure())

    assert total == {"low": 1, "best": 3, "high": 6}
