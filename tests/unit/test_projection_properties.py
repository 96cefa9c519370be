"""Properties of the read models over generated histories (hypothesis)."""

from __future__ import annotations

import contextlib
import io
import json
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
                "qualifier": draw(
                    st.sampled_from(["exact", "at_least", "at_most", "approximately", "unquantified", "between"])
                ),
            }
            if previous is not None and draw(st.booleans()):  # the same source revises its figure
                claim |= {"party": previous["party"], "source": previous["source"]}
            previous = claim
            figures = draw(st.sampled_from([("killed",), ("injured",), ("killed", "injured")]))
            for figure in figures:
                # 0 is common: a claim that nobody died must not raise the rung, nor dispute a figure of 0
                number = draw(st.sampled_from([0, 0, 1, 2, 3, 5, 12]))
                if claim["qualifier"] == "between":  # a range from 0 reports harm by its to; 4 to 4 is exact 4
                    claim[figure] = {"from": number, "to": number + draw(st.sampled_from([0, 1, 4]))}
                else:
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
    reports.extend(draw(corrections(reports)))
    return reports


@st.composite
def corrections(draw: st.DrawFn, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Retractions (of any report, or of an earlier correction) and merges (of a later act into an
    earlier one, each act merged once: never a cycle), each published on or after what it names."""
    published = {report["id"]: report["reported"] for report in reports}
    acts = [report["id"] for report in reports if report["id"].startswith("act-")]
    merged: set[str] = set()
    found: list[dict[str, Any]] = []
    for n in range(draw(st.integers(0, 3))):
        mergeable = [(one, other) for one in acts for other in acts if one > other and one not in merged]
        kind = draw(st.sampled_from(["retraction", "retraction", "merge"] if mergeable else ["retraction"]))
        if kind == "merge":
            act, into = draw(st.sampled_from(mergeable))
            merged.add(act)
            named, fields = [act, into], {"merges": [act], "into": into}
        else:
            named = [draw(st.sampled_from(sorted(published)))]
            fields = {"retracts": named}
        latest = max(date.fromisoformat(published[name]) for name in named)
        reported = (latest + timedelta(days=draw(st.sampled_from([0, 1, 5, 20])))).isoformat()
        found.append({"id": f"fix-{n}", "kind": kind, "reported": reported, **fields})
        published[f"fix-{n}"] = reported
    return found


def in_append_order(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Acts and statements, then what is said about them, then the corrections."""
    later = {"casualty_report": 1, "damage_assessment": 1, "retraction": 2, "merge": 2}
    return sorted(reports, key=lambda report: later.get(report["kind"], 0))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_incremental_catch_up_in_any_chunking_equals_a_full_rebuild(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    acts_first = in_append_order(reports)
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
    """Unless a retraction withdraws it or a merge makes it another act, by the later knowledge cut."""
    from flashpoint.projections.spans import standing_of

    acts_first = in_append_order(reports)
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
                known = later.get("known_on", "9999-12-31")
                corrected = {act for act in before if not standing_of(analyst.views.db, known, act).listed}

                assert all(after.get(act) == "certain" for act in before - corrected), (earlier, later)
                assert not corrected & set(after), (earlier, later)
                assert not corrected or "known_on" in later, "only the knowledge cut follows corrections"
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
    - Datasette's response lags and tit-for-tat against the listing (domain.ladder.crosses);
    - the streamed listing (``escalation --json``: the summary's level, RUNG_AT_CUT's rungs)
      against the answer worked out in Python, byte for byte, with and without ``--limit``.
    """
    from flashpoint.browse import DISPUTED, LAGS, TIMELINE, register_day
    from flashpoint.cli.commands import streamed_json, with_limit
    from flashpoint.domain.claims import claim_text
    from flashpoint.projections.casualties import casualties, claims_in_cut, current_claims, stands_sql
    from flashpoint.projections.escalation import escalation_summary, listing

    acts_first = in_append_order(reports)
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
            register_day(db.conn)  # the canned queries' SQL reads its cuts through it
            full = analyst.escalation(to=to, known_on=known, window=window)
            summary = escalation_summary(db, at)

            assert {key: full[key] for key in summary} == summary

            limit = data.draw(st.none() | st.integers(0, 3))
            streamed = io.StringIO()
            with contextlib.redirect_stdout(streamed):
                streamed_json(db, listing(db, at), limit)
            assert streamed.getvalue() == json.dumps(with_limit(full, "acts", limit), indent=2) + "\n"

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

    acts_first = in_append_order(reports)
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
    """Catch-up was quadratic twice: the planner scanned all responses, then all claims, per batch.
    A batch's own rows are taken from memory; the older rows of its acts are read by index."""
    from flashpoint.projections.spans import OLDER_ROWS, older_sql

    with ReadModels(tmp_path / "views.db") as views:
        plans = [
            " | ".join(
                row[3]
                for row in views.db.execute(
                    f"EXPLAIN QUERY PLAN {older_sql(table, columns)}", {"first": 1, "ids": "[]"}
                )
            )
            for table, columns in OLDER_ROWS
        ]

    for plan in plans:
        assert all(
            step.startswith(("SEARCH", "MULTI-INDEX", "INDEX", "LIST", "SCAN json_each")) for step in plan.split(" | ")
        ), plan


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_the_changes_applied_to_the_earlier_answer_give_the_later_one(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    """flashpoint changes asks only about the acts touched in (K1, K2]; the full answers at K1 and
    K2 are the reference. K1 = K2 changes nothing; every cause was published in between."""
    from flashpoint.projections.changes import changes, nothing_changed

    published = sorted({report["reported"] for report in reports})
    days = st.sampled_from(published) | st.integers(0, 130).map(day)
    first, second = sorted(data.draw(st.lists(days, min_size=2, max_size=2)))
    to = data.draw(st.none() | st.integers(0, 130).map(day))
    window = data.draw(st.sampled_from([7, 30]))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*in_append_order(reports))
            analyst.views.catch_up(analyst.app)
            db = analyst.views.db
            asked = changes(
                db, date.fromisoformat(first), date.fromisoformat(second), to and date.fromisoformat(to), window
            )
            same = changes(
                db, date.fromisoformat(first), date.fromisoformat(first), to and date.fromisoformat(to), window
            )
            before = analyst.escalation(to=to, known_on=first, window=window)
            after = analyst.escalation(to=to, known_on=second, window=window)
            tolls = [analyst.casualties(to=to, known_on=day_) for day_ in (first, second)]
        finally:
            analyst.close()

    assert nothing_changed(same) and same["reports"] == []
    assert {report["id"] for report in asked["reports"]} == {
        r["id"] for r in reports if first < r["reported"] <= second
    }
    assert [report["reported"] for report in asked["reports"]] == sorted(r["reported"] for r in asked["reports"])
    for key in ("level", "trend", "cycles"):
        assert asked[key] == {"before": before[key], "after": after[key]}, key

    rungs = {act["id"]: act["rung"] for act in before["acts"]}
    for act in (*asked["acts"]["withdrawn"], *asked["acts"]["merged"]):
        del rungs[act["id"]]
    rungs |= {act["id"]: act["rung"] for act in asked["acts"]["added"]}
    rungs |= {change["id"]: change["after"] for change in asked["acts"]["rung_changed"]}
    assert rungs == {act["id"]: act["rung"] for act in after["acts"]}
    listed_after = {act["id"]: act for act in after["acts"]}
    assert all(
        {**act, "because": None} == {**listed_after[act["id"]], "because": None} for act in asked["acts"]["added"]
    )

    pairs = {(row["response"], row["act"]) for row in before["responses"]}
    pairs -= {(row["response"], row["act"]) for row in asked["responses"]["withdrawn"]}
    pairs |= {(row["response"], row["act"]) for row in asked["responses"]["added"]}
    assert pairs == {(row["response"], row["act"]) for row in after["responses"]}

    def figures(toll: dict[str, Any]) -> dict[tuple[str, str, str], tuple[Any, ...]]:
        return {
            (row["incident"], row["party"], which): (*row[which].values(), row["disputed"])
            for row in toll["incidents"]
            for which in ("killed", "injured")
            if any(value is not None for value in row[which].values())
        }

    toll = figures(tolls[0])
    for entry in asked["casualties"]:
        key = (entry["incident"], entry["party"], entry["figure"])
        assert toll.get(key, (None, None, None, False))[:3] == tuple((entry["before"] or {}).values() or (None,) * 3)
        toll.pop(key, None)
        if entry["after"] is not None and any(value is not None for value in entry["after"].values()):
            toll[key] = (*entry["after"].values(), entry["disputed_after"])
    later = figures(tolls[1])
    assert {key: value[:3] for key, value in toll.items()} == {key: value[:3] for key, value in later.items()}

    window_ids = {report["id"] for report in asked["reports"]}
    causes = [
        *(act["because"] for group in asked["acts"].values() for act in group),
        *(row["because"] for group in asked["responses"].values() for row in group),
        *(entry["because"] for entry in asked["casualties"]),
    ]
    assert all(set(because) <= window_ids for because in causes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=histories(), data=st.data())
def test_track_records_read_a_page_at_a_time_are_those_of_every_claim_at_once(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    """sources() reads the claims a page of incidents at a time (merged acts with the act merged
    into); the reference takes every claim of the cut at once and applies the domain rule."""
    from collections import defaultdict

    from flashpoint.domain.estimates import estimate
    from flashpoint.domain.track_record import Said, track_record
    from flashpoint.projections.casualties import claims_in_cut, current_claims, withdrawn_claims
    from flashpoint.projections.sources import sources
    from flashpoint.projections.spans import in_force, stated

    to = data.draw(st.none() | st.integers(0, 130).map(day))
    known = data.draw(st.none() | st.integers(0, 130).map(day))
    page = data.draw(st.sampled_from([1, 2, 3, 1000]))
    with tempfile.TemporaryDirectory() as scratch:
        analyst = Analyst(Path(scratch))
        try:
            analyst.append(*in_append_order(reports))
            analyst.views.catch_up(analyst.app)
            db, at = analyst.views.db, cut(to, known)
            paged = sources(db, at, page=page)["sources"]
            state = in_force(db, at.known_text)
            counted, gone = claims_in_cut(db, at, state=state), withdrawn_claims(db, at, state)
        finally:
            analyst.close()
    bests = {
        (incident, party, which): estimate(now.stated[which])["best"]
        for (incident, party), now in current_claims(counted).items()
        for which in ("killed", "injured")
    }
    expected = []
    for key in sorted({claim["source_key"] for claim in (*counted, *gone)}):
        made = [claim for claim in counted if claim["source_key"] == key]
        figures: dict[Any, list[Said]] = defaultdict(list)
        for claim in made:
            for which in ("killed", "injured"):
                item = stated(claim, which)
                if item is not None and item.ends is not None:
                    figures[(claim["incident"], claim["party"], which)].append(
                        Said(claim["reported"], claim["position"], item.ends)
                    )
        first = min(
            made or [claim for claim in gone if claim["source_key"] == key],
            key=lambda c: (c["reported"], c["position"]),
        )
        expected.append(
            track_record(
                first["source_name"],
                claims=len(made),
                incidents=len({claim["incident"] for claim in made}),
                figures=figures,
                bests=bests,
                withdrawn=sum(1 for claim in gone if claim["source_key"] == key),
            )
        )

    assert paged == expected
