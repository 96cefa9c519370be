"""The chart's one read (projections/timeline.py) gives what the two answers it stands for give."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flashpoint.projections.timeline import timeline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import Analyst, claim, cut, drone_attack, retraction
from .test_projection_properties import day, histories, in_append_order


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_the_timeline_is_the_escalation_and_the_casualties_at_any_cut(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    published = sorted({report["reported"] for report in reports})
    to = data.draw(st.none() | st.integers(0, 130).map(day) | st.sampled_from(published))
    known = data.draw(st.none() | st.integers(0, 130).map(day) | st.sampled_from(published))
    policy = data.draw(st.sampled_from(["conservative", "median", "high"]))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*in_append_order(reports))
            escalation = analyst.escalation(to=to, known_on=known)
            toll = analyst.casualties(to=to, known_on=known, policy=policy)

            drawn = timeline(analyst.views.db, cut(to, known), policy)

            assert drawn.escalation == escalation
            assert drawn.harm == sorted(
                (
                    {key: entry[key] for key in ("incident", "party", "side", "killed", "injured")}
                    for entry in toll["incidents"]
                ),
                key=lambda entry: (entry["incident"], entry["party"]),
            )
        finally:
            analyst.close()


def test_a_retraction_published_after_the_knowledge_cut_withdraws_nothing_there(analyst: Analyst) -> None:
    analyst.append(
        drone_attack("a", casualties=[claim("militia", "SOHR", killed=4)]),
        retraction("fix", "a", reported="2024-02-05"),
    )
    analyst.views.catch_up(analyst.app)

    before = timeline(analyst.views.db, cut(known_on="2024-02-01"))
    after = timeline(analyst.views.db, cut(known_on="2024-02-05"))

    assert [act["id"] for act in before.escalation["acts"]] == ["a"]
    assert [(entry["incident"], entry["side"], entry["killed"]["best"]) for entry in before.harm] == [
        ("a", "iran_aligned", 4)
    ]
    assert (after.escalation["acts"], after.harm) == ([], [])


def test_the_best_estimate_is_the_conservative_one_unless_another_policy_is_named(analyst: Analyst) -> None:
    analyst.append(drone_attack("a", casualties=[claim("militia", "SOHR", killed=4), claim("militia", "AP", killed=9)]))
    analyst.views.catch_up(analyst.app)

    bests = {
        policy: [entry["killed"]["best"] for entry in timeline(analyst.views.db, cut(), *policy).harm]
        for policy in ((), ("conservative",), ("high",))
    }

    assert bests == {(): [4], ("conservative",): [4], ("high",): [9]}
