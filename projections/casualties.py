"""Who was killed or hurt, according to whom: the ``claims`` table and the answer at a cut.

Every claim is a row. The rules — which claims stand at a knowledge cut, and the ``low`` /
``best`` / ``high`` and dispute they give — are :mod:`flashpoint.domain.estimates`; this
module reads the rows in the cut, applies the corrections in force there (a withdrawn claim
does not count; a merged act's claims count for the act it was merged into:
:mod:`flashpoint.projections.spans`) and then those rules. SQL (the rung at a cut,
Datasette, the ACLED export) asks which claims stand from ``claim_spans``
(:func:`stands_sql`); a property test holds it equal to the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flashpoint.domain import name_key
from flashpoint.domain.claims import RANGE_WORD, SIGNS, FigureJSON, FigureRange
from flashpoint.domain.corrections import InForce
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
from flashpoint.domain.sources import PROVENANCE_KEYS
from flashpoint.projections.cuts import Cut
from flashpoint.projections.reading import Queries
from flashpoint.projections.spans import (
    FIGURES,
    IN_IDS,
    counting_for,
    ids_json,
    in_force,
    in_force_about,
    in_span,
    stated,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLES = ("claims",)
PROVENANCE_COLUMNS = tuple(f"source_{key}" for key in PROVENANCE_KEYS)
"""The claims table's columns for the provenance of the claim's source: ``source_url``, ..."""
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
            "killed_to": int,
            "killed_word": str,
            "injured": int,
            "injured_to": int,
            "injured_word": str,
            "qualifier": str,
            "source": str,
            "source_key": str,
            "source_name": str,
            "source_via": str,
            "reported": str,
            **dict.fromkeys(PROVENANCE_COLUMNS, str),
        },
        pk="position",
        foreign_keys=[("incident", "acts", "report_id")],
    )
    db.table("claims").create_index(["incident", "party"])
    db.table("claims").create_index(["report_id"])
    db.table("claims").create_index(["reported"])


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
        "source_name": claim.source.name,
        "source_via": claim.source.via,
        "reported": envelope.reported.isoformat(),
        **{f"source_{key}": value for key, value in claim.source.provenance().items()},
    }
    for which in FIGURES:
        figure = claim.figure(which)
        if isinstance(figure, FigureRange):  # from in the number's column: low and best read it as they read one
            row[which], row[f"{which}_to"] = figure.start, figure.end
        else:
            row[which], row[f"{which}_to"] = (figure if isinstance(figure, int) else None), None
        row[f"{which}_word"] = figure if isinstance(figure, str) else None
    yield "claims", row


HANDLERS = {"CasualtiesReported": on_claim}


def stands_sql(which: str, known: str = ":known", claim: str = "c") -> str:
    """SQL: claim row ``claim`` stands for figure ``which`` at knowledge cut ``known`` (public by
    then, not superseded, not withdrawn), read from ``claim_spans``: the SQL twin of
    :func:`flashpoint.domain.estimates.standing` under the corrections in force."""
    return (
        f"EXISTS (SELECT 1 FROM claim_spans s WHERE s.position = {claim}.position AND s.which = '{which}'"
        f" AND {in_span('s', known)})"
    )


def claim_text_sql(claim: str = "c") -> str:
    """SQL twin of :func:`flashpoint.domain.claims.claim_text`: ``≥34 injured``, ``4 killed, ~10 injured``,
    ``4 to 7 killed``."""
    sign = "CASE {c}.qualifier " + " ".join(f"WHEN '{q}' THEN '{mark}'" for q, mark in SIGNS.items()) + " ELSE '' END"

    def figure(which: str) -> str:
        ranged = f"coalesce('{RANGE_WORD}' || {{c}}.{which}_to, '')"
        return f"coalesce(({sign}) || {{c}}.{which} || {ranged} || ' {which}', {{c}}.{which}_word || ' {which}')"

    both = (
        "CASE WHEN coalesce({c}.killed, {c}.killed_word) IS NOT NULL"
        " AND coalesce({c}.injured, {c}.injured_word) IS NOT NULL THEN ', ' ELSE '' END"
    )
    said = f"coalesce({figure('killed')}, '') || {both} || coalesce({figure('injured')}, '')"
    return (
        "CASE WHEN {c}.qualifier = 'not_assessed' THEN 'not yet assessed' "
        f"ELSE coalesce(nullif({said}, ''), 'unquantified') END"
    ).replace("{c}", claim)


# -- answering at a cut -----------------------------------------------------------------------


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


def claims_in_cut(
    db: Queries, cut: Cut, incidents: Collection[str] | None = None, state: InForce | None = None
) -> list[dict[str, Any]]:
    """Claims public by the knowledge cut that count there, about acts that occurred (at least
    possibly) by the valid cut; each under the act it counts for (``incident``: after a merge,
    the act merged into, whose dates then decide). ``incidents``: only the claims counting for
    these acts. ``state``: the corrections in force at the cut."""
    state = in_force(db, cut.known_text) if state is None else state
    rows = _public_claims(db, cut, incidents, state)
    if state.is_empty:
        return rows
    wanted = set(incidents or ())
    counted = []
    for row in rows:
        act = state.about(row["report_id"], row["incident"])
        if act is not None and (incidents is None or act in wanted):
            counted.append(row | {"incident": act})
    moved = {row["incident"] for row in counted if row["incident"] in state.parents.values()}
    if moved:  # claims moved to another act by a merge: that act's dates decide
        late = {
            row["report_id"]
            for row in db.query(
                f"SELECT report_id FROM acts WHERE report_id IN {IN_IDS} AND occurred_from > :to",
                {"ids": ids_json(moved), "to": cut.to_text},
            )
        }
        counted = [row for row in counted if row["incident"] not in late]
    return counted


def withdrawn_claims(
    db: Queries, cut: Cut, state: InForce, incidents: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Claims public by the knowledge cut, about acts that occurred by the valid cut, that a
    retraction in force withdrew (their own report's, or their act's); ``incidents``: only
    the claims about these acts (as stored, before any merge)."""
    if not state.withdrawn:
        return []
    stored = None if incidents is None else set(incidents)
    return [
        row
        for row in _public_claims(db, cut, incidents, state)
        # _public_claims also reads the claims of the acts merged into these: each page must count its own once
        if state.about(row["report_id"], row["incident"]) is None and (stored is None or row["incident"] in stored)
    ]


PAGE = 1000
"""How many incidents a paged read takes at a time."""
PAGE_OF_INCIDENTS = "SELECT DISTINCT incident FROM claims WHERE incident > :after ORDER BY incident LIMIT :size"


def incident_pages(db: Queries, size: int = PAGE) -> Iterator[list[str]]:
    """The incidents the claims are about (as stored), a page at a time in id order (keyset on
    the claims' incident index): a read of every claim that never holds more than a page."""
    after = ""
    while True:
        page = [row[0] for row in db.execute(PAGE_OF_INCIDENTS, {"after": after, "size": size})]
        if not page:
            return
        yield page
        after = page[-1]


def counted_pages(db: Queries, state: InForce, size: int = PAGE) -> Iterator[tuple[list[str], list[str]]]:
    """Each page of :func:`incident_pages`, with the acts its claims count for at the cut: each
    act once over all pages, so that every figure is read whole (after a merge, with the act
    merged into, the first time a page holds one of its acts), and once."""
    merged_into = {state.root(act) for act in state.parents}
    seen: set[str] = set()  # acts merged into, already read
    for page in incident_pages(db, size):
        roots = []
        for incident in page:
            root = state.root(incident)
            if root in merged_into:
                if root in seen:
                    continue
                seen.add(root)
            roots.append(root)
        yield page, roots


def _public_claims(db: Queries, cut: Cut, incidents: Collection[str] | None, state: InForce) -> list[dict[str, Any]]:
    """Claims public by the knowledge cut about acts public by then that began by the valid cut,
    or that a merge in force may move to such an act (``incidents``: about these acts)."""
    merged = sorted(state.parents)
    only = f"AND claims.incident IN {IN_IDS}" if incidents is not None else ""
    return list(
        db.query(
            f"""
            SELECT claims.* FROM claims JOIN acts ON acts.report_id = claims.incident
            WHERE claims.reported <= :known AND acts.reported <= :known
              AND (acts.occurred_from <= :to OR claims.incident IN (SELECT value FROM json_each(:merged))) {only}
            """,
            {
                "known": cut.known_text,
                "to": cut.to_text,
                "ids": ids_json(counting_for(state, incidents or ())),
                "merged": ids_json(merged),
            },
        )
    )


def casualties(
    db: Queries,
    cut: Cut,
    policy: str = "conservative",
    incident: str | None = None,
    *,
    incidents: Collection[str] | None = None,
    state: InForce | None = None,
) -> dict[str, Any]:
    """The casualty picture at a cut, in the JSON shape of the CLI contract (read in one transaction).

    With ``incident`` (or ``incidents``), only those acts' claims: indexed lookups, whatever the
    size of the log. ``state``: the corrections in force at the cut, when the caller has them.
    """
    check_policy(policy)
    only = incidents if incident is None else {incident, *(incidents or ())}
    with db.atomic():
        if state is None:
            state = in_force(db, cut.known_text) if only is None else in_force_about(db, cut.known_text, only)
        return _casualties(db, cut, policy, only, state)


def _casualties(
    db: Queries, cut: Cut, policy: str, incidents: Collection[str] | None, state: InForce
) -> dict[str, Any]:
    only = f"AND report_id IN {IN_IDS}" if incidents is not None else ""
    acts = {
        row["report_id"]: row
        for row in db.query(
            "SELECT report_id, kind, occurred_from, occurred_to, position FROM acts "
            f"WHERE reported <= :known AND occurred_from <= :to {only}",
            {"known": cut.known_text, "to": cut.to_text, "ids": ids_json(incidents or ())},
        )
        if state.listed(row["report_id"])
    }
    current = current_claims(claims_in_cut(db, cut, incidents, state))
    rows = []
    parts: dict[str, dict[str, dict[str, list[Estimate]]]] = {"totals": {}, "sides": {}}
    ordered = sorted(
        current.items(),
        key=lambda item: (acts[item[0][0]]["occurred_from"], acts[item[0][0]]["position"], item[0][1]),
    )
    for (incident, party), now in ordered:
        act = acts[incident]
        figures = {which: estimate(now.stated[which], policy) for which in FIGURES}
        current_positions = {claim["position"] for which in FIGURES for claim in now.by_figure[which]}
        rows.append(
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
    return {"cut": cut.as_dict() | {"policy": policy}, "incidents": rows, **summed}


def act_totals(toll: dict[str, Any]) -> dict[str, dict[str, Estimate]]:
    """Per act of a :func:`casualties` answer, its killed and injured summed over the parties hurt
    (:func:`flashpoint.domain.estimates.total`): the one figure per act a map or ACLED shows."""
    parts: dict[str, dict[str, list[Estimate]]] = {}
    for entry in toll["incidents"]:
        figures = parts.setdefault(entry["incident"], {which: [] for which in FIGURES})
        for which in FIGURES:
            figures[which].append(entry[which])
    return {incident: {which: total(figures[which]) for which in FIGURES} for incident, figures in parts.items()}


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
        **{which: _figure_json(claim, which) for which in FIGURES},
        "current": is_current,
        **{key: claim[f"source_{key}"] for key in PROVENANCE_KEYS},
    }


def _figure_json(claim: dict[str, Any], which: str) -> FigureJSON:
    """A claim row's figure as the casualties JSON gives it: a number, ``{"from", "to"}`` or a word."""
    item = stated(claim, which)
    if item is None or item.number is None:
        return None if item is None else item.word
    return item.number if item.to is None else FigureRange(item.number, item.to).as_dict()
