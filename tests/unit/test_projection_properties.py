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
PARTIES = ["militia", "militia", "us_military", "civilian"]  # militia twice: disputes are common
SOURCES = ["CENTCOM", "SOHR", "militia officials", "AP"]


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Attacks (some imprecise, some published late), claims and revisions about them, statements."""
    reports: list[dict[str, Any]] = []
    starts: list[int] = []  # the first day of each act so far
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
        answerable = [earlier for earlier, began in enumerate(starts) if began <= first + length]
        if answerable and draw(st.booleans()):  # an act begun by the time the response ended
            report["responds_to"] = [f"act-{draw(st.sampled_from(answerable))}"]
        starts.append(first)
        reports.append(report)
        previous: dict[str, Any] | None = None
        for m in range(draw(st.integers(0, 4))):
            later = published + draw(st.sampled_from([0, 0, 1, 4, 15]))
            claim: dict[str, Any] = {
                "party": draw(st.sampled_from(PARTIES)),
                "source": draw(st.sampled_from(SOURCES)),
                "qualifier": draw(st.sampled_from(["exact", "at_least", "at_most", "approximately", "unquantified"])),
            }
            if previous is not None and draw(st.booleans()):  # the same source revises its figure
                claim |= {"party": previous["party"], "source": previous["source"]}
            previous = claim
            figures = draw(st.sampled_from([("killed",), ("injured",), ("killed", "injured")]))
            for figure in figures:
                # 0 is common: a claim that nobody died must not raise the rung, nor dispute a figure of 0
                number = draw(st.sampled_from([0, 0, 1, 2, 3, 5, 12]))
                claim[figure] = "several" if claim["qualifier"] == "unquantified" else number
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
                    "reported": day(published + draw(st.sampled_from([0, 0, 2, 15]))),  # often two on one day
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
def test_every_sql_answer_equals_the_python_rule_at_any_cut(reports: list[dict[str, Any]], data: st.DataObject) -> None:
    """The rules live once, in flashpoint.domain (ladder, estimates); SQL twins answer the
    same questions for speed. Each twin is asked here and compared with the rule:

    - the summary (RUNG_AT_CUT, window sums, the pairs spans): level, trend, cycles;
    - each act's rung in SQL (Datasette's timeline) against domain.ladder.act_rung;
    - which claims stand in SQL (claim_spans, read by RUNG_AT_CUT, the Datasette queries
      and the ACLED export) against domain.estimates.standing, under the corrections in
      force (domain.corrections: withdrawn reports, merged acts);
    - Datasette's disputed tolls (figures and the claims' text) against the CLI's answer
      (domain.estimates.estimate, disputed; domain.claims.claim_text);
    - Datasette's response lags and tit-for-tat against the listing (domain.ladder.crosses).
    """
    from flashpoint.browse import DISPUTED, LAGS, TIMELINE
    from flashpoint.domain.claims import claim_text
    from flashpoint.projections.casualties import casualties, claims_in_cut, current_claims, stands_sql
    from flashpoint.projections.escalation import escalation_summary

    acts_first = sorted(reports, key=lambda report: report["kind"] in ("casualty_report", "damage_assessment"))
    published = sorted({report["reported"] for report in reports})
    to = data.draw(st.none() | st.integers(0, 130).map(day) | st.sampled_from(published))
    # Often a day a report was published: a revision published on the cut's day supersedes.
    known = data.draw(st.none() | st.integers(0, 130).map(day) | st.sampled_from(published))
    window = data.draw(st.sampled_from([1, 7, 30]))
    at = cut(to, known, window)
    form = {"to": to or "", "known_on": known or ""}
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*acts_first)
            db = analyst.views.db
            full = analyst.escalation(to=to, known_on=known, window=window)
            summary = escalation_summary(db, at)

            assert {key: full[key] for key in summary} == summary

            timeline = {row["act"]: row["rung"] for row in db.query(TIMELINE, form)}
            assert timeline == {act["id"]: act["rung"] for act in full["acts"]}

            in_cut = claims_in_cut(db, at)
            now = current_claims(in_cut)
            for which in ("killed", "injured"):
                sql = {
                    row["position"]
                    for row in db.query(
                        f"SELECT position FROM claims c WHERE {stands_sql(which)}", {"known": at.known_text}
                    )
                }
                public = {claim["position"] for claim in in_cut}
                assert sql & public == {item.position for current in now.values() for item in current.stated[which]}, (
                    which
                )

            def shown(row: dict[str, Any]) -> tuple[Any, ...]:
                figures = tuple(
                    row[which][bound] for which in ("killed", "injured") for bound in ("low", "best", "high")
                )
                said = " | ".join(
                    f"{source['source']}: {claim_text(source['qualifier'], source['killed'], source['injured'])}"
                    for source in row["sources"]
                    if source["current"]
                )
                return (*figures, said)

            bounds = [f"{which}_{bound}" for which in ("killed", "injured") for bound in ("low", "best", "high")]
            disputes = {
                (row["incident"], row["party"]): (*(row[column] for column in bounds), row["claims"])
                for row in db.query(DISPUTED, form)
            }
            assert disputes == {
                (row["incident"], row["party"]): shown(row)
                for row in casualties(db, at)["incidents"]
                if row["disputed"]
            }

            lags = [
                (row["response"], row["answers"], row["lag_min_days"], row["lag_max_days"], bool(row["tit_for_tat"]))
                for row in db.query(LAGS, form)
            ]
            assert sorted(lags) == sorted(
                (r["response"], r["act"], r["lag_min"], r["lag_max"], r["tit_for_tat"]) for r in full["responses"]
            )
        finally:
            analyst.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_one_incidents_casualties_are_its_rows_of_the_whole_answer(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    from flashpoint.projections.casualties import casualties

    acts_first = sorted(reports, key=lambda report: report["kind"] in ("casualty_report", "damage_assessment"))
    to = data.draw(st.none() | st.integers(0, 130).map(day))
    known = data.draw(st.none() | st.integers(0, 130).map(day))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*acts_first)
            whole = analyst.casualties(to=to, known_on=known)
            incidents = sorted({row["incident"] for row in whole["incidents"]})
            one = [
                row for i in incidents for row in casualties(analyst.views.db, cut(to, known), incident=i)["incidents"]
            ]

            assert sorted(one, key=lambda r: (r["incident"], r["party"])) == sorted(
                whole["incidents"], key=lambda r: (r["incident"], r["party"])
            )
        finally:
            analyst.close()


def test_per_batch_statements_start_from_the_batch_not_from_the_whole_table(tmp_path: Path) -> None:
    """Catch-up was quadratic twice: the planner scanned all responses, then all claims, per batch."""
    from flashpoint.projections.spans import BATCH_ACTS, BATCH_CORRECTIONS, BATCH_STATEMENTS

    with ReadModels(tmp_path / "views.db") as views:
        plans = [
            " | ".join(row[3] for row in views.db.execute(f"EXPLAIN QUERY PLAN {statement}", {"first": 1}))
            for statement in (*BATCH_ACTS, BATCH_STATEMENTS, BATCH_CORRECTIONS)
        ]

    for plan in plans:
        assert "SCAN" not in plan or "USING INDEX" in plan or "INTEGER PRIMARY KEY" in plan, plan
