"""Retractions and merges as pure rules (flashpoint.domain.corrections), and their knowledge spans."""

from __future__ import annotations

from typing import Any

from flashpoint.domain.corrections import NOTHING, Correction, Corrections
from flashpoint.projections.spans import (
    FIGURES,
    _claim_spans,
    _damage_spans,
    _states,
    plain_claim_spans,
    plain_damage_spans,
    plain_pairs,
    spans,
    stated_pairs,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .. import conftest
from ..conftest import Analyst, drone_attack


def retraction(report_id: str, reported: str, *names: str, position: int = 0) -> Correction:
    return Correction(report_id, reported, position, retracts=names)


def merge(report_id: str, reported: str, into: str, *acts: str, position: int = 0) -> Correction:
    return Correction(report_id, reported, position, merges=acts, into=into)


def test_a_retraction_withdraws_from_its_reported_day_on_not_before() -> None:
    log = Corrections([retraction("r", "2024-01-30", "claim")])

    assert log.in_force("2024-01-29").counts("claim")
    assert not log.in_force("2024-01-30").counts("claim")
    assert not log.in_force(None).counts("claim")


def test_retracting_a_retraction_reinstates_and_retracting_that_withdraws_again() -> None:
    log = Corrections(
        [
            retraction("r1", "2024-01-10", "claim"),
            retraction("r2", "2024-01-20", "r1"),
            retraction("r3", "2024-01-25", "r2"),
        ]
    )

    assert [log.in_force(day).counts("claim") for day in ("2024-01-09", "2024-01-10", "2024-01-20", "2024-01-25")] == [
        True,
        False,
        True,
        False,
    ]
    assert log.in_force("2024-01-20").withdrawn == {"r1"}


def test_two_retractions_of_one_report_both_have_to_be_undone() -> None:
    log = Corrections(
        [
            retraction("r1", "2024-01-10", "claim"),
            retraction("r2", "2024-01-12", "claim"),
            retraction("u", "2024-01-15", "r1"),
        ]
    )

    assert not log.in_force("2024-01-15").counts("claim")


def test_a_merge_lists_only_into_and_counts_the_others_for_it() -> None:
    log = Corrections([merge("m", "2023-10-25", "tanf-a", "tanf-b")])
    before, after = log.in_force("2023-10-24"), log.in_force("2023-10-25")

    assert before.listed("tanf-b") and before.root("tanf-b") == "tanf-b"
    assert not after.listed("tanf-b") and after.listed("tanf-a")
    assert after.root("tanf-b") == "tanf-a"
    assert after.about("claim-on-b", "tanf-b") == "tanf-a"


def test_merges_chain_and_a_withdrawn_into_suspends_the_merge() -> None:
    log = Corrections(
        [
            merge("m1", "2024-01-02", "b", "a"),
            merge("m2", "2024-01-03", "c", "b"),
            retraction("r", "2024-01-04", "b"),
        ]
    )

    assert log.in_force("2024-01-03").root("a") == "c"
    on_fourth = log.in_force("2024-01-04")
    assert on_fourth.listed("a"), "into b withdrawn: a is listed on its own again"
    assert not on_fourth.listed("b") and on_fourth.listed("c")
    assert on_fourth.about("claim", "b") is None, "what was said about a withdrawn act is suspended"


def test_retracting_a_merge_undoes_it_from_the_retraction_day() -> None:
    log = Corrections([merge("m", "2024-01-02", "b", "a"), retraction("r", "2024-01-05", "m")])

    assert log.in_force("2024-01-04").root("a") == "b"
    assert log.in_force("2024-01-05").root("a") == "a"
    assert log.in_force("2024-01-05").listed("a")


def test_a_claim_counts_only_while_its_report_and_its_act_both_count() -> None:
    log = Corrections([retraction("r1", "2024-01-02", "casualty-report"), retraction("r2", "2024-01-03", "act")])

    assert log.in_force("2024-01-01").about("casualty-report", "act") == "act"
    assert log.in_force("2024-01-02").about("casualty-report", "act") is None
    assert log.in_force("2024-01-03").about("other-report", "act") is None
    assert log.in_force("2024-01-03").counts("statement-about-act")


def test_touching_and_named_by_follow_corrections_of_corrections() -> None:
    log = Corrections(
        [
            retraction("r1", "2024-01-10", "claim"),
            retraction("r2", "2024-01-20", "r1"),
            merge("m", "2024-01-21", "b", "a"),
            retraction("unrelated", "2024-01-22", "x"),
        ]
    )

    assert [item.report_id for item in log.touching(["claim"])] == ["r1", "r2"]
    assert [item.report_id for item in log.touching(["a"])] == ["m"]
    assert log.named_by(["r2"]) == {"r1", "claim"}
    assert log.named_by(["m"]) == {"a", "b"}


def test_groups_join_every_act_a_merge_ever_named_retracted_or_not() -> None:
    log = Corrections(
        [merge("m1", "2024-01-02", "b", "a"), merge("m2", "2024-01-03", "c", "d"), merge("m3", "2024-01-04", "c", "b")]
    )

    assert len({log.group_of(act) for act in "abcd"}) == 1
    assert log.group_of("e") == "e"


def test_a_cycle_the_append_refuses_still_ends() -> None:
    looped = Corrections([retraction("x", "2024-01-01", "y"), retraction("y", "2024-01-01", "x")])
    merged = Corrections([merge("m1", "2024-01-01", "b", "a"), merge("m2", "2024-01-01", "a", "b")])

    looped.in_force(None)  # terminates
    assert merged.in_force(None).root("a") in {"a", "b"}


def test_spans_close_on_the_first_day_a_key_no_longer_holds() -> None:
    found = spans([("d1", ["a"]), ("d2", ["a", "b"]), ("d3", ["b"]), ("d4", ["a", "b"])])

    assert sorted(found, key=lambda span: (span[0], span[1])) == [
        ("a", "d1", "d3"),
        ("a", "d4", None),
        ("b", "d2", None),
    ]


def test_stated_pairs_rewrite_to_into_collapse_duplicates_and_drop_self_loops() -> None:
    state = Corrections([merge("m", "2024-01-02", "a", "a2"), retraction("r", "2024-01-02", "z")]).in_force(None)
    links = [
        {"response": "x", "act": "a"},
        {"response": "x", "act": "a2"},  # same pair once a2 is a
        {"response": "a2", "act": "a"},  # a answering itself
        {"response": "y", "act": "z"},  # z withdrawn
        {"response": "z", "act": "a"},  # stated by a withdrawn report
    ]

    assert list(stated_pairs(links, state)) == [("x", "a")]


DAYS = st.sampled_from(["2024-01-01", "2024-01-02", "2024-01-05", "2024-02-01"])


@st.composite
def claim_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for position in range(draw(st.integers(0, 8))):
        figures = {which: None for which in FIGURES} | {f"{which}_word": None for which in FIGURES}
        for which in draw(st.sets(st.sampled_from(FIGURES), min_size=1)):
            if draw(st.booleans()):
                figures[which] = draw(st.integers(0, 3))
            else:
                figures[f"{which}_word"] = "several"
        rows.append(
            {
                "position": position,
                "incident": draw(st.sampled_from(["a", "b"])),
                "report_id": f"r{position}",
                "party": draw(st.sampled_from(["militia", "civilian"])),
                "source_key": draw(st.sampled_from(["ap", "sohr"])),
                "qualifier": "exact",
                "reported": draw(DAYS),
                **figures,
            }
        )
    return rows


def _sorted(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(sorted(row.items())) for row in rows), key=repr)


@settings(max_examples=200, deadline=None)
@given(claims=claim_rows())
def test_plain_claim_spans_are_the_spans_of_the_rule_evaluated_each_day(claims: list[dict[str, Any]]) -> None:
    """Without corrections, the spans are worked out directly; they must be what evaluating
    supersession on every day gives."""
    days = sorted({claim["reported"] for claim in claims})

    assert _sorted(plain_claim_spans(claims)) == _sorted(_claim_spans(claims, _states(Corrections(), days)))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from(["a", "b"]), DAYS, st.sampled_from(["none", "minor", "heavy"])), max_size=8)
)
def test_plain_damage_spans_are_the_spans_of_the_rule_evaluated_each_day(rows: list[tuple[str, str, str]]) -> None:
    damage = [
        {"position": n, "incident": incident, "report_id": f"d{n}", "damage": level, "reported": day}
        for n, (incident, day, level) in enumerate(rows)
    ]
    days = sorted({row["reported"] for row in damage})

    assert _sorted(plain_damage_spans(damage)) == _sorted(_damage_spans(damage, _states(Corrections(), days)))


@settings(max_examples=200, deadline=None)
@given(
    links=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), max_size=6),
    published=st.fixed_dictionaries({act: DAYS for act in "abc"}),
)
def test_plain_pairs_are_the_pairs_of_the_rule_evaluated_each_day(
    links: list[tuple[str, str]], published: dict[str, str]
) -> None:
    rows = [{"response": response, "act": act} for response, act in links]
    known = {act: {"reported": day} for act, day in published.items()}

    def on(day: str) -> list[tuple[str, str]]:
        public = [link for link in rows if max(published[link["response"]], published[link["act"]]) <= day]
        return list(stated_pairs(public, NOTHING))

    expected = {
        (pair, start) for pair, start, until in spans((day, on(day)) for day in sorted(set(published.values())))
    }
    assert set(plain_pairs(rows, known)) == expected


def test_the_corrections_kept_with_a_connection_follow_every_catch_up_and_a_rebuild(analyst: Analyst) -> None:
    from flashpoint.projections.spans import corrections

    analyst.append(drone_attack("a", reported="2024-01-28"), drone_attack("b", reported="2024-01-28"))
    analyst.views.catch_up(analyst.app)
    assert not corrections(analyst.views.db)
    analyst.append(conftest.retraction("r", "a"))
    assert [act["id"] for act in analyst.escalation()["acts"]] == ["b"]
    analyst.append(conftest.retraction("s", "b"))
    assert analyst.escalation()["acts"] == []
    kept = corrections(analyst.views.db)
    analyst.views.rebuild(analyst.app)
    assert corrections(analyst.views.db) is not kept
    assert [item.report_id for item in corrections(analyst.views.db).items] == ["r", "s"]
