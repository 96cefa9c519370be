"""Properties of the read models over generated histories (hypothesis)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flashpoint.projections.engine import ReadModels
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import Analyst, cut

START = date(2024, 1, 1)
PARTIES = ["us_military", "militia", "civilian"]
SOURCES = ["CENTCOM", "SOHR", "militia officials", "AP"]


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Attacks (some imprecise, some published late), claims and revisions about them, statements."""
    reports: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 8))):
        first = draw(st.integers(0, 90))
        length = draw(st.sampled_from([0, 0, 0, 5, 20]))
        published = first + length + draw(st.integers(0, 10))
        report: dict[str, Any] = {
            "id": f"act-{n}",
            "kind": draw(st.sampled_from(["drone_attack", "rocket_attack", "airstrike"])),
            "occurred": day(first) if length == 0 else f"{day(first)}/{day(first + length)}",
            "reported": day(published),
            "actor": draw(st.sampled_from(["KH", "United States", "unknown", "Iran"])),
            "target": [draw(st.sampled_from(["Tower 22", "Al Asad", "depot"]))],
            "target_actor": draw(st.sampled_from(["United States", "KH", "Iran"])),
            "damage": draw(st.sampled_from(["none", "minor", "unknown", "heavy"])),
        }
        if n and draw(st.booleans()):
            report["responds_to"] = [f"act-{draw(st.integers(0, n - 1))}"]
        reports.append(report)
        for m in range(draw(st.integers(0, 3))):
            later = published + draw(st.integers(0, 15))
            claim: dict[str, Any] = {
                "party": draw(st.sampled_from(PARTIES)),
                "source": draw(st.sampled_from(SOURCES)),  # four sources: same-source revisions are common
                "qualifier": draw(st.sampled_from(["exact", "at_least", "at_most", "approximately", "unquantified"])),
            }
            figures = draw(st.sampled_from([("killed",), ("injured",), ("killed", "injured")]))
            for figure in figures:
                claim[figure] = "several" if claim["qualifier"] == "unquantified" else draw(st.integers(0, 12))
            reports.append(
                {
                    "id": f"toll-{n}-{m}",
                    "kind": "casualty_report",
                    "incident": f"act-{n}",
                    "reported": day(later),
                    "casualties": [claim],
                }
            )
        for m in range(draw(st.integers(0, 2))):  # later assessments revise the damage (or not)
            reports.append(
                {
                    "id": f"damage-{n}-{m}",
                    "kind": "damage_assessment",
                    "incident": f"act-{n}",
                    "reported": day(published + draw(st.integers(0, 15))),
                    "damage": draw(st.sampled_from(["none", "minor", "heavy", "unknown"])),
                }
            )
    for n in range(draw(st.integers(0, 3))):
        when = day(draw(st.integers(0, 100)))
        reports.append(
            {
                "id": f"said-{n}",
                "kind": "statement",
                "stance": draw(st.sampled_from(["threat", "vow_revenge", "assessment"])),
                "occurred": when,
                "reported": when,
                "actor": "KH",
            }
        )
    return reports


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_incremental_catch_up_in_any_chunking_equals_a_full_rebuild(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    acts_first = sorted(reports, key=lambda report: report["kind"] in ("casualty_report", "damage_assessment"))
    cuts = sorted(data.draw(st.lists(st.integers(1, len(acts_first)), max_size=4, unique=True)))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            previous = 0
            for boundary in [*cuts, len(acts_first)]:
                if boundary > previous:
                    analyst.append(*acts_first[previous:boundary])
                    analyst.views.catch_up(analyst.app, batch=data.draw(st.integers(1, 7)))
                previous = boundary
            with ReadModels(Path(scratch) / "rebuilt.db") as rebuilt:
                rebuilt.rebuild(analyst.app)

                assert rebuilt.table_rows() == analyst.views.table_rows()
        finally:
            analyst.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_moving_a_cut_forward_never_removes_a_certain_act(reports: list[dict[str, Any]], data: st.DataObject) -> None:
    acts_first = sorted(reports, key=lambda report: report["kind"] in ("casualty_report", "damage_assessment"))
    first, second = sorted(data.draw(st.lists(st.integers(0, 130), min_size=2, max_size=2)))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*acts_first)
            for earlier, later in (
                (dict(to=day(first)), dict(to=day(second))),
                (dict(known_on=day(first)), dict(known_on=day(second))),
                (dict(to=day(first), known_on=day(first)), dict(to=day(second), known_on=day(second))),
            ):
                before = {a["id"] for a in analyst.escalation(**earlier)["acts"] if a["certainty"] == "certain"}
                after = {a["id"]: a["certainty"] for a in analyst.escalation(**later)["acts"]}

                assert all(after.get(act) == "certain" for act in before), (earlier, later)
        finally:
            analyst.close()


def test_cut_helper_reads_iso_days() -> None:
    assert cut("2024-01-02", None).to == date(2024, 1, 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_the_summary_agrees_with_the_full_listing_at_any_cut(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    from flashpoint.projections.casualties import casualties
    from flashpoint.projections.escalation import escalation_summary

    acts_first = sorted(reports, key=lambda report: report["kind"] in ("casualty_report", "damage_assessment"))
    to = data.draw(st.none() | st.integers(0, 130).map(day))
    known = data.draw(st.none() | st.integers(0, 130).map(day))
    window = data.draw(st.sampled_from([1, 7, 30]))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*acts_first)
            full = analyst.escalation(to=to, known_on=known, window=window)
            summary = escalation_summary(analyst.views.db, cut(to, known, window))
            whole = analyst.casualties(to=to, known_on=known)
            incidents = {row["incident"] for row in whole["incidents"]}
            one = [casualties(analyst.views.db, cut(to, known), incident=i)["incidents"] for i in sorted(incidents)]

            # The summary is SQL (RUNG_AT_CUT, window sums, pairs); the listing applies
            # flashpoint.domain.ladder in Python to the listed acts and statements.
            assert {key: full[key] for key in summary} == summary
            assert sorted((r["incident"], r["party"]) for rows in one for r in rows) == sorted(
                (r["incident"], r["party"]) for r in whole["incidents"]
            )
        finally:
            analyst.close()


def test_per_batch_statements_start_from_the_batch_not_from_the_whole_table(tmp_path: Path) -> None:
    """Catch-up was quadratic twice: the planner scanned all responses, then all claims, per batch."""
    from flashpoint.projections.casualties import FIGURES, SUPERSESSION
    from flashpoint.projections.escalation import PAIRING

    with ReadModels(tmp_path / "views.db") as views:
        plans = [
            " | ".join(row[3] for row in views.db.execute(f"EXPLAIN QUERY PLAN {statement}", {"first": 1}))
            for statement in (*PAIRING, *(SUPERSESSION.format(which=which) for which in FIGURES))
        ]

    for plan in plans:
        assert "SCAN r " not in plan and "SCAN claims" not in plan and "SCAN a " not in plan, plan
