"""Who was killed or hurt, according to whom: the ``claims`` table and the answer at a cut.

Every claim is a row. The rules — which claims stand at a knowledge cut, and the ``low`` /
``best`` / ``high`` and dispute they give — are :mod:`flashpoint.domain.estimates`; this
module reads the rows in the cut and applies them. Its one SQL twin, ``SUPERSESSION``,
keeps on each claim the day the same source's next claim on the same figure was published
(``killed_until``, ``injured_until``), so that SQL (the rung at a cut, Datasette, the ACLED
export) can ask which claims stand; a property test holds it equal to the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flashpoint.domain import name_key
from flashpoint.domain.claims import SIGNS
from flashpoint.domain.estimates import (
    POLICIES,
    Estimate,
    Stated,
    check_policy,
    disputed,
    estimate,
    standing,
    total,
)
from flashpoint.projections.cuts import Cut
from sqlite_utils import Database

TABLES = ("claims",)
FIGURES = ("killed", "injured")
__all__ = ["FIGURES", "POLICIES", "casualties", "current_claims"]

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
    # pragma: no mutate block (table DDL, not a rule: see docs/mutation.md)
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


def stands_sql(which: str, known: str = ":known", claim: str = "c") -> str:
    """SQL twin of :func:`flashpoint.domain.estimates.standing`: claim row ``claim`` states
    ``which`` and stands at knowledge cut ``known`` (public by then, not yet superseded)."""
    return (
        f"(({claim}.{which} IS NOT NULL OR {claim}.{which}_word IS NOT NULL) AND {claim}.reported <= {known}"
        f" AND ({claim}.{which}_until IS NULL OR {claim}.{which}_until > {known}))"
    )


def harm_sql(which: str, claim: str = "c") -> str:
    """SQL twin of :attr:`flashpoint.domain.estimates.Stated.reports_harm`: a number above 0, or a word."""
    return f"({claim}.{which} > 0 OR {claim}.{which}_word IS NOT NULL)"


def claim_text_sql(claim: str = "c") -> str:
    """SQL twin of :func:`flashpoint.domain.claims.claim_text`: ``≥34 injured``, ``4 killed, ~10 injured``."""
    sign = "CASE {c}.qualifier " + " ".join(f"WHEN '{q}' THEN '{mark}'" for q, mark in SIGNS.items()) + " ELSE '' END"

    def figure(which: str) -> str:
        return f"coalesce(({sign}) || {{c}}.{which} || ' {which}', {{c}}.{which}_word || ' {which}')"

    both = (
        "CASE WHEN coalesce({c}.killed, {c}.killed_word) IS NOT NULL"
        " AND coalesce({c}.injured, {c}.injured_word) IS NOT NULL THEN ', ' ELSE '' END"
    )
    said = f"coalesce({figure('killed')}, '') || {both} || coalesce({figure('injured')}, '')"
    return (
        "CASE WHEN {c}.qualifier = 'not_assessed' THEN 'not yet assessed' "
        f"ELSE coalesce(nullif({said}, ''), 'unquantified') END"
    ).replace("{c}", claim)


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


def stated(claim: dict[str, Any], which: str) -> Stated | None:
    """What a claim row says about one figure, or None when it says nothing about it."""
    number, word = claim[which], claim[f"{which}_word"]
    if number is None and word is None:
        return None
    return Stated(claim["source_key"], claim["reported"], claim["position"], claim["qualifier"], number, word)


@dataclass
class Current:
    """The claims on one incident × party at a cut: all of them, and what stands per figure."""

    claims: list[dict[str, Any]]
    by_figure: dict[str, list[dict[str, Any]]]
    stated: dict[str, list[Stated]]


def current_claims(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Current]:
    """Group the claims in a cut by incident and party, and apply supersession to each figure."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["incident"], row["party"])].append(row)
    result = {}
    for key, claims in grouped.items():
        claims.sort(key=lambda claim: (claim["reported"], claim["position"]))
        by_position = {claim["position"]: claim for claim in claims}
        by_figure: dict[str, list[dict[str, Any]]] = {}
        now: dict[str, list[Stated]] = {}
        for which in FIGURES:
            now[which] = standing(item for claim in claims if (item := stated(claim, which)) is not None)
            by_figure[which] = [by_position[item.position] for item in now[which]]
        result[key] = Current(claims, by_figure, now)
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


def casualties(db: Database, cut: Cut, policy: str = "conservative", incident: str | None = None) -> dict[str, Any]:
    """The casualty picture at a cut, in the JSON shape of the CLI contract (read in one transaction).

    With ``incident``, only that act's claims (an indexed lookup, whatever the size of the log).
    """
    check_policy(policy)
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
    parts: dict[str, dict[str, dict[str, list[Estimate]]]] = {"totals": {}, "sides": {}}
    ordered = sorted(
        current.items(),
        key=lambda item: (acts[item[0][0]]["occurred_from"], acts[item[0][0]]["position"], item[0][1]),
    )
    for (incident, party), now in ordered:
        act = acts[incident]
        figures = {which: estimate(now.stated[which], policy) for which in FIGURES}
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
                "disputed": any(disputed(now.stated[which]) for which in FIGURES),
                "sources": [_source(claim, current_positions, now.claims) for claim in now.claims],
            }
        )
        for bucket, key in (("totals", party), ("sides", PARTY_SIDES.get(party, "unknown"))):
            entry = parts[bucket].setdefault(key, {which: [] for which in FIGURES})
            for which in FIGURES:
                entry[which].append(figures[which])
    summed = {
        bucket: {key: {which: total(entry[which]) for which in FIGURES} for key, entry in keyed.items()}
        for bucket, keyed in parts.items()
    }
    return {"cut": cut.as_dict() | {"policy": policy}, "incidents": incidents, **summed}


def _source(claim: dict[str, Any], current: set[int], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """One claim as listed under its incident; ``current`` says whether a later one replaced it."""
    is_current = claim["position"] in current
    if not is_current and stated(claim, "killed") is None and stated(claim, "injured") is None:
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
