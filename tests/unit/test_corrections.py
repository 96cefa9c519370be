"""Retractions and merges as pure rules (flashpoint.domain.corrections), and their knowledge spans."""

from __future__ import annotations

from flashpoint.domain.corrections import Correction, Corrections
from flashpoint.projections.spans import spans, stated_pairs


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
