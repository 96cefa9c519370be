"""Who was killed or hurt, according to whom.

Every claim is a row. At a cut, a source's later claim about the same incident, party
and figure (killed or injured, separately) supersedes its earlier one; the current
claims then give UCDP-style ``low`` / ``best`` / ``high`` per incident and party:

- low: the smallest lower bound (exact n, at_least n, approximately n → n; at_most n → 0);
  unquantified claims ("several") count, as 1, only where no source states a figure;
- high: the largest figure stated; best: the smallest (ACLED's conservative rule), or
  another policy (``median``, ``high``);
- disputed: the current figures of different sources differ.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flashpoint.domain import name_key
from flashpoint.projections.cuts import Cut
from sqlite_utils import Database

TABLES = ("claims",)
FIGURES = ("killed", "injured")
POLICIES = ("conservative", "median", "high")

PARTY_SIDES = {
    "us_military": "us_coalition",
    "us_civilian": "us_coalition",
    "coalition_military": "us_coalition",
    "contractor": "us_coalition",
    "militia": "iran_aligned",
    "host_nation_forces": "host_nation",
    "civilian": "other",
    "unknown": "unknown",
}


def create_tables(db: Database) -> None:
    db.table("claims").create(
        {
            "position": int,
            "incident": str,
            "report_id": str,
            "party": str,
            "killed": int,
            "killed_word": str,
            "injured": int,
            "injured_word": str,
            "qualifier": str,
            "source": str,
            "source_key": str,
            "reported": str,
        },
        pk="position",
    )
    db.table("claims").add_column("killed_until", str)
    db.table("claims").add_column("injured_until", str)
    db.table("claims").create_index(["incident", "party"])
    db.table("claims").create_index(["incident", "reported"])


# -- from events to rows ----------------------------------------------------------------------


def on_claim(position: int, event: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    claim, envelope = event.claim, event.envelope
    row: dict[str, Any] = {
        "position": position,
        "incident": event.incident,
        "report_id": envelope.report_id,
        "party": claim.party.value,
        "qualifier": claim.qualifier.value,
        "source": claim.source.label(),
        "source_key": name_key(claim.source.name),
        "reported": envelope.reported.isoformat(),
    }
    for which in FIGURES:
        figure = claim.figure(which)
        row[which] = figure if isinstance(figure, int) else None
        row[f"{which}_word"] = figure if isinstance(figure, str) else None
    yield "claims", row


HANDLERS = {"CasualtiesReported": on_claim}


SUPERSESSION = """
    WITH touched AS (
        -- NOT INDEXED: read this batch's claims by rowid; with the index the planner scans them all
        SELECT DISTINCT incident, party, source_key FROM claims NOT INDEXED WHERE position >= :first
    ),
    chain AS (
        SELECT c.position AS position,
               LEAD(c.reported) OVER (
                   PARTITION BY c.incident, c.party, c.source_key ORDER BY c.reported, c.position
               ) AS next_reported
        FROM claims c JOIN touched t
          ON c.incident = t.incident AND c.party = t.party AND c.source_key = t.source_key
        WHERE c.{which} IS NOT NULL OR c.{which}_word IS NOT NULL
    )
    UPDATE claims SET {which}_until = chain.next_reported FROM chain WHERE claims.position = chain.position
"""


def after_batch(db: Database, first_position: int) -> None:
    """Record, on each claim, the day the same source's next claim on the same figure was published.

    A claim stating killed (or injured) is current at a knowledge cut K when it was
    published by K and its ``killed_until`` (``injured_until``) is empty or after K. Kept
    for every (incident, party, source) touched by this batch, in its transaction, so that
    the escalation can rate acts in SQL.
    """
    for which in FIGURES:
        db.execute(SUPERSESSION.format(which=which), {"first": first_position})


# -- answering at a cut -----------------------------------------------------------------------


def states(claim: dict[str, Any], which: str) -> bool:
    return claim[which] is not None or claim[f"{which}_word"] is not None


def reports_harm(claims: Iterable[dict[str, Any]], which: str) -> bool:
    """Whether any of these claims reports at least one killed (or injured)."""
    return any(
        (claim[which] is not None and claim[which] > 0) or claim[f"{which}_word"] is not None for claim in claims
    )


@dataclass
class Current:
    """The claims on one incident × party at a cut: all of them, and the current one per figure."""

    claims: list[dict[str, Any]]
    by_figure: dict[str, list[dict[str, Any]]]


def current_claims(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Current]:
    """Apply supersession: per source, the latest claim stating each figure is the current one."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["incident"], row["party"])].append(row)
    result = {}
    for key, claims in grouped.items():
        claims.sort(key=lambda claim: (claim["reported"], claim["position"]))
        by_figure: dict[str, list[dict[str, Any]]] = {}
        for which in FIGURES:
            latest: dict[str, dict[str, Any]] = {}
            for claim in claims:
                if states(claim, which):
                    latest[claim["source_key"]] = claim
            by_figure[which] = sorted(latest.values(), key=lambda claim: claim["position"])
        result[key] = Current(claims, by_figure)
    return result


def claims_in_cut(db: Database, cut: Cut, incident: str | None = None) -> list[dict[str, Any]]:
    """Claims public by the knowledge cut about acts that occurred (at least possibly) by the valid cut."""
    only = "AND claims.incident = :incident" if incident is not None else ""
    return list(
        db.query(
            f"""
            SELECT claims.* FROM claims JOIN acts ON acts.report_id = claims.incident
            WHERE claims.reported <= :known AND acts.reported <= :known AND acts.occurred_from <= :to {only}
            """,
            {"known": cut.known_text, "to": cut.to_text, "incident": incident},
        )
    )


Estimate = dict[str, int | None]
NO_FIGURE: Estimate = {"low": None, "best": None, "high": None}


def estimate(claims: list[dict[str, Any]], which: str, policy: str = "conservative") -> Estimate:
    """low / best / high for one figure from the current claims that state it."""
    numeric = [(claim["qualifier"], claim[which]) for claim in claims if claim[which] is not None]
    if not numeric:
        return {"low": 1, "best": 1, "high": 1} if claims else dict(NO_FIGURE)
    figures = [figure for _, figure in numeric]
    lower_bounds = [0 if qualifier == "at_most" else figure for qualifier, figure in numeric]
    if policy == "median":
        best = int(statistics.median_low(figures))
    elif policy == "high":
        best = max(figures)
    else:
        best = min(figures)
    return {"low": min(lower_bounds), "best": best, "high": max(figures)}


def is_disputed(current: Current) -> bool:
    for which in FIGURES:
        figures = {claim[which] for claim in current.by_figure[which] if claim[which] is not None}
        if len(figures) > 1:
            return True
    return False


def _add(total: Estimate, part: Estimate) -> None:
    for bound in ("low", "best", "high"):
        figure = part[bound]
        if figure is not None:
            total[bound] = (total[bound] or 0) + figure


def casualties(db: Database, cut: Cut, policy: str = "conservative", incident: str | None = None) -> dict[str, Any]:
    """The casualty picture at a cut, in the JSON shape of the CLI contract (read in one transaction).

    With ``incident``, only that act's claims (an indexed lookup, whatever the size of the log).
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown best-estimate policy {policy!r}; choose from {', '.join(POLICIES)}")
    with db.atomic():
        return _casualties(db, cut, policy, incident)


def _casualties(db: Database, cut: Cut, policy: str, incident: str | None) -> dict[str, Any]:
    only = "AND report_id = :incident" if incident is not None else ""
    acts = {
        row["report_id"]: row
        for row in db.query(
            "SELECT report_id, kind, occurred_from, occurred_to, position FROM acts "
            f"WHERE reported <= :known AND occurred_from <= :to {only}",
            {"known": cut.known_text, "to": cut.to_text, "incident": incident},
        )
    }
    current = current_claims(claims_in_cut(db, cut, incident))
    incidents = []
    totals: dict[str, dict[str, Estimate]] = {}
    sides: dict[str, dict[str, Estimate]] = {}
    ordered = sorted(
        current.items(),
        key=lambda item: (acts[item[0][0]]["occurred_from"], acts[item[0][0]]["position"], item[0][1]),
    )
    for (incident, party), now in ordered:
        act = acts[incident]
        figures = {which: estimate(now.by_figure[which], which, policy) for which in FIGURES}
        current_positions = {claim["position"] for which in FIGURES for claim in now.by_figure[which]}
        incidents.append(
            {
                "incident": incident,
                "kind": act["kind"],
                "occurred_from": act["occurred_from"],
                "occurred_to": act["occurred_to"],
                "party": party,
                "side": PARTY_SIDES.get(party, "unknown"),
                **figures,
                "disputed": is_disputed(now),
                "sources": [_source(claim, current_positions, now.claims) for claim in now.claims],
            }
        )
        for bucket, key in ((totals, party), (sides, PARTY_SIDES.get(party, "unknown"))):
            entry = bucket.setdefault(key, {which: dict(NO_FIGURE) for which in FIGURES})
            for which in FIGURES:
                _add(entry[which], figures[which])
    return {
        "cut": cut.as_dict() | {"policy": policy},
        "incidents": incidents,
        "totals": totals,
        "sides": sides,
    }


def _source(claim: dict[str, Any], current: set[int], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """One claim as listed under its incident; ``current`` says whether a later one replaced it."""
    is_current = claim["position"] in current
    if not is_current and not states(claim, "killed") and not states(claim, "injured"):
        # A "not assessed" claim stands until the same source says something later.
        is_current = not any(
            other["source_key"] == claim["source_key"]
            and other["position"] != claim["position"]
            and (other["reported"], other["position"]) > (claim["reported"], claim["position"])
            for other in claims
        )
    return {
        "source": claim["source"],
        "report": claim["report_id"],
        "reported": claim["reported"],
        "qualifier": claim["qualifier"],
        "killed": claim["killed"] if claim["killed"] is not None else claim["killed_word"],
        "injured": claim["injured"] if claim["injured"] is not None else claim["injured_word"],
        "current": is_current,
    }
