"""What changed between two knowledge cuts, and which reports changed it (``flashpoint changes``).

Each side is exactly the answer as known on K1 (``since``) and as known on K2 (``known_on``;
None: everything) at the same valid-time cut. An answer can only differ about an act that a
report published in (K1, K2] touches, so only those acts (and the acts merged with them)
are asked about on each side, with indexed lookups; level, trend and cycles come from the
summary. Every difference is listed with ``because``, the reports published in (K1, K2]
whose rows touch it — the act's own report, the claims and damage assessments about it
(about any act that counts for it on either side), and the retractions and merges that name
any of those, directly or through another correction. Applying the listed changes to the
answer as known on K1 gives the answer as known on K2 (a property test holds it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flashpoint.domain.corrections import Corrections, InForce
from flashpoint.projections.casualties import FIGURES, casualties
from flashpoint.projections.cuts import DEFAULT_WINDOW, Cut
from flashpoint.projections.escalation import act_json, escalation_summary, rated_acts, stated_responses
from flashpoint.projections.reading import Queries
from flashpoint.projections.spans import IN_IDS, NAMED_ACTS, corrections, counting_for, ids_json

NO_FIGURE = {"low": None, "best": None, "high": None}

REPORTS_BETWEEN = """
    SELECT report_id, kind, reported, position, 0 AS rank FROM acts WHERE reported > :since AND reported <= :known
    UNION ALL
    SELECT report_id, kind, reported, position, 0 FROM statements WHERE reported > :since AND reported <= :known
    UNION ALL
    SELECT report_id, kind, reported, position, 0 FROM corrections WHERE reported > :since AND reported <= :known
    UNION ALL
    SELECT report_id, 'casualty_report', reported, position, 1 FROM claims
    WHERE reported > :since AND reported <= :known
    UNION ALL
    SELECT report_id, 'damage_assessment', reported, position, 1 FROM damage
    WHERE reported > :since AND reported <= :known
"""
"""Every report published in (K1, K2], once per row it gave: a report that is an act or a
statement names its kind; one seen only as claims or assessments is a casualty report or a
damage assessment."""

WINDOW_ACTS = (
    "SELECT report_id AS act FROM acts WHERE reported > :since AND reported <= :known",
    "SELECT incident AS act FROM claims WHERE reported > :since AND reported <= :known",
    "SELECT incident AS act FROM damage WHERE reported > :since AND reported <= :known",
)
"""The acts whose own rows a report published in (K1, K2] gave (indexed on ``reported``)."""
ACT_ROWS = f"SELECT report_id, reported, position FROM acts WHERE report_id IN {IN_IDS}"
"""The reports of acts ``:ids`` themselves."""
ROWS_ABOUT = f"""{ACT_ROWS}
    UNION ALL SELECT report_id, reported, position FROM claims WHERE incident IN {IN_IDS}
    UNION ALL SELECT report_id, reported, position FROM damage WHERE incident IN {IN_IDS}
"""
"""The reports of acts ``:ids`` and of every claim and damage assessment about them."""
CLAIMS_ON = {
    which: f"""{ACT_ROWS}
    UNION ALL SELECT report_id, reported, position FROM claims
    WHERE incident IN {IN_IDS} AND party = :party AND ({which} IS NOT NULL OR {which}_word IS NOT NULL)
    """
    for which in FIGURES
}
"""The reports of acts ``:ids`` and of the claims about them stating this figure for ``:party``."""


def changes(
    db: Queries,
    since: date,
    known_on: date | None = None,
    to: date | None = None,
    window: int = DEFAULT_WINDOW,
    policy: str = "conservative",
) -> dict[str, Any]:
    """Every answer that differs between "as known on ``since``" and "as known on ``known_on``".

    Only the acts that a report published in between touches (with the acts merged with them)
    are asked about on each side, with indexed lookups; the level, trend and cycles come from
    the summary. Raises ValueError when ``since`` is after ``known_on``.
    """
    if known_on is not None and since > known_on:
        raise ValueError(f"--since {since} is after --known-on {known_on}")
    cuts = Cut(to, since, window), Cut(to, known_on, window)
    with db.atomic():  # both sides from one state of the read models
        because = Because(db, cuts[0].known_text, cuts[1].known_text, corrections(db))
        touched = because.touched()
        first, second = (
            _side(db, cut, state, touched, policy) for cut, state in zip(cuts, because.states, strict=True)
        )
        reports = reports_between(db, because.since, because.known)
    return {
        "cut": {
            "to": to.isoformat() if to else None,
            "since": since.isoformat(),
            "known_on": known_on.isoformat() if known_on else None,
            "window": window,
            "policy": policy,
            "level_date_before": first["summary"]["cut"]["level_date"],
            "level_date_after": second["summary"]["cut"]["level_date"],
        },
        "reports": reports,
        "acts": _acts(first["acts"], second["acts"], because),
        "responses": _responses(first["responses"], second["responses"], because),
        "casualties": _casualties(first["incidents"], second["incidents"], because),
        **{
            key: {"before": first["summary"][key], "after": second["summary"][key]}
            for key in ("level", "trend", "cycles")
        },
    }


def _side(db: Queries, cut: Cut, state: InForce, touched: set[str], policy: str) -> dict[str, Any]:
    """One side's answers about the touched acts only (and its level, trend and cycles)."""
    acts = rated_acts(db, cut, state, touched)
    ends = {
        row[key]
        for row in db.query(LINKS_OF, {"ids": ids_json(counting_for(state, touched))})
        for key in ("response", "act")
    }
    answered = rated_acts(db, cut, state, {state.root(act) for act in ends} | touched)
    return {
        "summary": escalation_summary(db, cut),
        "acts": [act_json(act) for act in acts],
        "responses": stated_responses(db, state, answered, touched),
        "incidents": casualties(db, cut, policy, incidents=touched, state=state)["incidents"],
    }


LINKS_OF = f"SELECT response, act FROM responses WHERE response IN {IN_IDS} OR act IN {IN_IDS}"


def reports_between(db: Queries, since: str, known: str) -> list[dict[str, Any]]:
    """Every report published in (``since``, ``known``], each once: ``{id, kind, reported}`` by
    ``reported``, then log order."""
    seen: dict[str, dict[str, Any]] = {}
    rows = db.query(REPORTS_BETWEEN, {"since": since, "known": known})
    for row in sorted(rows, key=lambda row: (row["rank"], row["position"])):
        seen.setdefault(row["report_id"], {"id": row["report_id"], "kind": row["kind"], "reported": row["reported"]})
        seen[row["report_id"]].setdefault("position", row["position"])
    ordered = sorted(seen.values(), key=lambda report: (report["reported"], report.pop("position")))
    return ordered


class Because:
    """The reports published in (K1, K2] that touch an act, a figure or a stated response."""

    def __init__(self, db: Queries, since: str, known: str, everything: Corrections) -> None:
        self.db, self.since, self.known, self.everything = db, since, known, everything
        self.states: tuple[InForce, InForce] = (everything.in_force(since), everything.in_force(known))

    def touched(self) -> set[str]:
        """The acts whose answers a report published in (K1, K2] can change: acts published then,
        acts claims and damage assessments published then are about, the acts the corrections
        published then name (through the corrections they name), and every act merged with them."""
        window = {"since": self.since, "known": self.known}
        acts = {row["act"] for sql in WINDOW_ACTS for row in self.db.query(sql, window)}
        fresh = [item.report_id for item in self.everything.published_between(self.since, self.known)]
        if fresh:
            named = {"ids": ids_json(self.everything.named_by(fresh))}
            acts.update(row["act"] for sql in NAMED_ACTS for row in self.db.query(sql, named))
        return {member for act in acts for member in self.everything.members(self.everything.group_of(act))}

    def counting_for(self, act: str) -> set[str]:
        """The act, and every act that counts for it on either side (merged into it)."""
        group = self.everything.members(self.everything.group_of(act))
        return {act} | {other for other in group if any(state.root(other) == act for state in self.states)}

    def of_act(self, act: str) -> list[str]:
        """Reports touching an act: itself, what was said about it, the corrections naming those."""
        return _ordered(self._found(self.counting_for(act), ROWS_ABOUT, {}))

    def of_figure(self, incident: str, party: str, *figures: str) -> list[str]:
        """Reports touching figures of one party in one incident: the claims stating them, the act."""
        acts = self.counting_for(incident)
        return _ordered({entry for which in figures for entry in self._found(acts, CLAIMS_ON[which], {"party": party})})

    def of_pair(self, response: str, act: str) -> list[str]:
        """Reports touching a stated response: the two acts, and the corrections naming them."""
        return _ordered(self._found(self.counting_for(response) | self.counting_for(act), ACT_ROWS, {}))

    def _found(self, acts: set[str], sql: str, parameters: Mapping[str, Any]) -> set[tuple[str, int, str]]:
        """``(reported, position, report id)`` of the rows ``sql`` finds about ``acts`` and of the
        corrections touching them, published in (K1, K2]."""
        rows = list(self.db.query(sql, {"ids": ids_json(acts), **parameters}))
        found = {(row["reported"], row["position"], row["report_id"]) for row in rows}
        for item in self.everything.touching(acts | {row["report_id"] for row in rows}):
            found.add((item.reported, item.position, item.report_id))
        return {entry for entry in found if self.since < entry[0] <= self.known}


def _ordered(found: set[tuple[str, int, str]]) -> list[str]:
    """Report ids by ``reported``, then log order; each once (at its first row)."""
    return list(dict.fromkeys(report for _day, _position, report in sorted(found)))


def _acts(first: list[dict[str, Any]], second: list[dict[str, Any]], because: Because) -> dict[str, Any]:
    before = {act["id"]: act for act in first}
    after = {act["id"]: act for act in second}
    state = because.states[1]
    gone = [act for act in first if act["id"] not in after]
    merged = [act for act in gone if state.counts(act["id"]) and state.root(act["id"]) != act["id"]]
    return {
        "added": [act | {"because": because.of_act(act["id"])} for act in second if act["id"] not in before],
        "withdrawn": [act | {"because": because.of_act(act["id"])} for act in gone if act not in merged],
        "merged": [
            {"id": act["id"], "into": state.root(act["id"]), "because": because.of_act(act["id"])} for act in merged
        ],
        "rung_changed": [
            {
                "id": act["id"],
                "before": before[act["id"]]["rung"],
                "after": act["rung"],
                "because": because.of_act(act["id"]),
            }
            for act in second
            if act["id"] in before and before[act["id"]]["rung"] != act["rung"]
        ],
    }


def _responses(first: list[dict[str, Any]], second: list[dict[str, Any]], because: Because) -> dict[str, Any]:
    def key(row: Mapping[str, Any]) -> tuple[str, str]:
        return (row["response"], row["act"])

    before, after = {key(row) for row in first}, {key(row) for row in second}
    return {
        "added": [row | {"because": because.of_pair(*key(row))} for row in second if key(row) not in before],
        "withdrawn": [row | {"because": because.of_pair(*key(row))} for row in first if key(row) not in after],
    }


def _triple(estimate: Mapping[str, Any] | None) -> tuple[Any, ...]:
    estimate = estimate or NO_FIGURE
    return (estimate["low"], estimate["best"], estimate["high"])


def _casualties(first: list[dict[str, Any]], second: list[dict[str, Any]], because: Because) -> list[dict[str, Any]]:
    before = {(row["incident"], row["party"]): row for row in first}
    after = {(row["incident"], row["party"]): row for row in second}
    keys = list(dict.fromkeys([*after, *before]))  # in the order of the later answer, then what left it
    entries = []
    for incident, party in keys:
        one, other = before.get((incident, party)), after.get((incident, party))
        disputed = (bool(one and one["disputed"]), bool(other and other["disputed"]))
        for which in FIGURES:
            was, now = (one[which] if one else None), (other[which] if other else None)
            if _triple(was) == _triple(now) == _triple(None):
                continue  # this figure is stated on neither side
            if _triple(was) == _triple(now) and disputed[0] == disputed[1]:
                continue
            entries.append(
                {
                    "incident": incident,
                    "party": party,
                    "figure": which,
                    "before": dict(was) if was is not None else None,
                    "after": dict(now) if now is not None else None,
                    "disputed_before": disputed[0],
                    "disputed_after": disputed[1],
                    # a figure listed only because the pair's dispute changed: the claims that changed it
                    "because": because.of_figure(
                        incident, party, *(FIGURES if _triple(was) == _triple(now) else (which,))
                    ),
                }
            )
    return entries


def nothing_changed(answer: Mapping[str, Any]) -> bool:
    """Every list but ``reports`` empty, and every before equal to its after."""
    lists = [*answer["acts"].values(), *answer["responses"].values(), answer["casualties"]]
    same = all(answer[key]["before"] == answer[key]["after"] for key in ("level", "trend", "cycles"))
    return same and not any(lists)
