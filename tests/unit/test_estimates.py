"""The casualty-estimate rules (flashpoint.domain.estimates), without a log or a database."""

from __future__ import annotations

import pytest
from flashpoint.domain.claims import FigureRange
from flashpoint.domain.estimates import (
    POLICIES,
    Estimate,
    RunningTotal,
    Stated,
    check_policy,
    disputed,
    estimate,
    estimate_text,
    no_figure,
    reports_harm,
    standing,
    total,
)
from hypothesis import given
from hypothesis import strategies as st


def said(
    source: str, number: int | None = None, *, day: str = "2024-01-28", at: int = 1, qualifier: str = "exact"
) -> Stated:
    return Stated(source, day, at, qualifier, number, None)


def word(source: str, text: str = "several", *, day: str = "2024-01-28", at: int = 1) -> Stated:
    return Stated(source, day, at, "unquantified", None, text)


def between(source: str, start: int, end: int, *, day: str = "2024-01-28", at: int = 1) -> Stated:
    return Stated(source, day, at, "between", start, None, end)


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


def test_words_alone_count_as_one_and_leave_the_range_open_above() -> None:
    """No source stated an upper bound: "several injured" must not read as "at most 1"."""
    assert estimate([word("ap"), word("sohr", "dozens")]) == {"low": 1, "best": 1, "high": None}


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
    assert total([]) == no_figure()
    assert total([no_figure(), no_figure()]) == no_figure()
    assert total([{"low": 0, "best": 2, "high": 5}, no_figure(), {"low": 1, "best": 1, "high": 1}]) == {
        "low": 1,
        "best": 3,
        "high": 6,
    }


def test_a_total_that_adds_an_open_high_is_open_above() -> None:
    opened = {"low": 1, "best": 1, "high": None}

    assert total([{"low": 4, "best": 4, "high": 5}, opened]) == {"low": 5, "best": 5, "high": None}
    assert total([opened, {"low": 4, "best": 4, "high": 5}]) == {"low": 5, "best": 5, "high": None}


ESTIMATES = st.one_of(
    st.just(no_figure()),
    st.builds(
        lambda low, more, more_high, open_above: {
            "low": low,
            "best": low + more,
            "high": None if open_above else low + more + more_high,
        },
        st.integers(0, 50),
        st.integers(0, 50),
        st.integers(0, 50),
        st.booleans(),
    ),
)


@given(st.lists(ESTIMATES, max_size=12), st.data())
def test_a_running_total_is_the_total_of_the_parts_it_holds(parts: list[Estimate], data: st.DataObject) -> None:
    running = RunningTotal()
    for part in parts:
        running.add(part)
    gone = data.draw(st.sets(st.integers(0, max(len(parts) - 1, 0))) if parts else st.just(set[int]()))
    for index in sorted(gone):
        running.remove(parts[index])

    assert running.value() == total(part for index, part in enumerate(parts) if index not in gone)


@pytest.mark.parametrize(
    ("figures", "text"),
    [
        ({"low": None, "best": None, "high": None}, "—"),
        ({"low": 4, "best": 4, "high": 4}, "4"),
        ({"low": 4, "best": 4, "high": 5}, "4–5 (best 4)"),
        ({"low": 0, "best": 3, "high": 10}, "0–10 (best 3)"),
        ({"low": 1, "best": 1, "high": None}, "≥1"),
        ({"low": 5, "best": 6, "high": None}, "≥5 (best 6)"),
    ],
)
def test_an_estimate_reads_as_one_figure_a_range_or_open_above(figures: dict[str, int | None], text: str) -> None:
    assert estimate_text(figures) == text


@pytest.mark.parametrize(
    ("qualifier", "killed", "injured", "text"),
    [
        ("exact", 4, None, "4 killed"),
        ("at_least", None, 34, "≥34 injured"),
        ("at_most", 10, 2, "≤10 killed, ≤2 injured"),
        ("approximately", 10, None, "~10 killed"),
        ("unquantified", None, "several", "several injured"),
        ("unquantified", None, None, "unquantified"),
        ("not_assessed", None, None, "not yet assessed"),
        ("between", FigureRange(4, 7), None, "4 to 7 killed"),
        ("between", {"from": 0, "to": 3}, FigureRange(2, 2), "0 to 3 killed, 2 to 2 injured"),  # JSON's spelling too
    ],
)
def test_a_claim_reads_with_its_hedge_as_a_sign(qualifier: str, killed: object, injured: object, text: str) -> None:
    from flashpoint.domain.claims import claim_text

    assert claim_text(qualifier, killed, injured) == text  # type: ignore[arg-type]


# -- ranges -------------------------------------------------------------------------------------


def test_a_range_gives_its_from_to_low_and_best_and_its_to_to_high() -> None:
    assert estimate([between("officials", 4, 7)]) == {"low": 4, "best": 4, "high": 7}
    assert estimate([between("officials", 4, 7), said("SOHR", 5, qualifier="at_least")]) == {
        "low": 4,
        "best": 4,
        "high": 7,
    }
    assert estimate([between("officials", 4, 7), said("AP", 3), said("SOHR", 9, qualifier="at_most")]) == {
        "low": 0,
        "best": 3,
        "high": 9,
    }


@pytest.mark.parametrize(
    ("claims", "policy", "best"),
    [
        ([(4, 7)], "median", 5),  # the midpoint 5.5, rounded down
        ([(4, 7)], "high", 7),
        ([(4, 7)], "conservative", 4),
        ([(4, 7), (9, 9), (1, 2)], "median", 5),  # candidates 5, 9, 1
        ([(4, 7), (0, 3), (10, 10), (2, 2)], "median", 2),  # candidates 5, 1, 10, 2: the lower median
    ],
)
def test_each_policy_takes_its_candidate_of_a_range(claims: list[tuple[int, int]], policy: str, best: int) -> None:
    stated = [between(f"source {n}", start, end) for n, (start, end) in enumerate(claims)]

    assert estimate(stated, policy)["best"] == best


@pytest.mark.parametrize("policy", POLICIES)
def test_a_range_from_n_to_n_is_exact_n_in_every_rule(policy: str) -> None:
    others = [said("AP", 2), said("SOHR", 9, qualifier="at_most")]
    as_range, as_number = [between("officials", 4, 4), *others], [said("officials", 4), *others]

    assert estimate(as_range, policy) == estimate(as_number, policy)
    assert disputed(as_range) == disputed(as_number)
    assert not disputed([between("officials", 4, 4), said("AP", 4)])
    assert reports_harm([between("officials", 0, 0)]) is reports_harm([said("officials", 0)]) is False


def test_ranges_are_disputed_when_their_from_to_pairs_differ() -> None:
    assert disputed([between("a", 4, 7), between("b", 4, 9)])
    assert disputed([between("a", 4, 7), said("b", 4)])
    assert disputed([between("a", 4, 7), said("b", 7)])
    assert not disputed([between("a", 4, 7), between("b", 4, 7)])
    assert not disputed([between("a", 4, 7), word("b")])


def test_a_range_reports_harm_when_its_to_is_above_zero() -> None:
    assert reports_harm([between("a", 0, 3)])
    assert not reports_harm([between("a", 0, 0)])


def test_a_sources_range_supersedes_its_number_and_is_superseded_by_one() -> None:
    first, revised = said("a", 3, day="2024-01-28"), between("a", 4, 7, day="2024-01-29")
    final = said("a", 6, day="2024-01-30")

    assert standing([first, revised]) == [revised]
    assert standing([first, revised, final]) == [final]
