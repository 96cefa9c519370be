"""How far the escalation has gone: hostile acts on a ladder of rungs, level, trend, cycles.

The rules are :mod:`flashpoint.domain.ladder`'s. The full listing applies them in Python to
the acts and statements at the cut; ``--summary`` answers the same in SQL from the indexed
tables (``RUNG_AT_CUT``, the window sums, the ``pairs`` table), and a property test holds
the two equal. A rung follows what is known at the knowledge cut: casualty claims and
damage assessments made later raise it later.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from flashpoint.domain import UNKNOWN_ACTOR
from flashpoint.domain.corrections import InForce
from flashpoint.domain.dates import days_between, shifted
from flashpoint.domain.estimates import reports_harm
from flashpoint.domain.ladder import (
    DAMAGING,
    RUNGS,
    Level,
    Rung,
    act_rung,
    confronts,
    crosses,
    level_at,
    statement_rung,
)
from flashpoint.projections.casualties import Current, claims_in_cut, current_claims
from flashpoint.projections.cuts import Cut
from flashpoint.projections.reading import Queries
from flashpoint.projections.spans import (
    IN_IDS,
    counted_sql,
    counting_for,
    damage_in_force,
    ids_json,
    in_force,
    in_span,
    stated_pairs,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLES = ("acts", "responses", "damage", "statements")

Rows = Iterator[tuple[str, dict[str, Any]]]


def create_tables(db: Database) -> None:
    # pragma: no mutate block (table DDL, not a rule: see docs/mutation.md)
    db.table("acts").create(
        {
            "report_id": str,
            "position": int,
            "kind": str,
            "occurred_from": str,
            "occurred_to": str,
            "occurred": str,
            "reported": str,
            "actor": str,
            "side": str,
            "actor_type": str,
            "target": str,
            "target_actor": str,
            "target_side": str,
            "target_type": str,
            "state_confrontation": int,
            "place": str,
            "country": str,
            "weapon": str,
            "lat": float,
            "lon": float,
            "geo_precision": int,
        },
        pk="report_id",
    )
    db.table("acts").add_column("span_days", int)
    db.table("acts").create_index(["occurred_from"])
    db.table("acts").create_index(["occurred_to"])
    db.table("acts").create_index(["span_days"])
    db.table("acts").create_index(["position"])
    db.table("acts").create_index(["reported"])
    db.table("responses").create(
        {"response": str, "act": str, "position": int},
        pk=("response", "act"),
        foreign_keys=[("response", "acts", "report_id"), ("act", "acts", "report_id")],
    )
    db.table("responses").create_index(["act"])
    db.table("responses").create_index(["position"])
    db.table("damage").create(
        {"position": int, "incident": str, "report_id": str, "damage": str, "reported": str},
        pk="position",
        foreign_keys=[("incident", "acts", "report_id")],
    )
    db.table("damage").create_index(["incident"])
    db.table("damage").create_index(["report_id"])
    db.table("damage").create_index(["reported"])
    db.table("statements").create(
        {
            "position": int,
            "report_id": str,
            "kind": str,
            "stance": str,
            "actor": str,
            "side": str,
            "occurred_from": str,
            "occurred_to": str,
            "reported": str,
            "incident": str,
            "rung": int,
        },
        pk="position",
        foreign_keys=[("incident", "acts", "report_id")],
    )
    db.table("statements").add_column("span_days", int)
    db.table("statements").create_index(["occurred_from"])
    db.table("statements").create_index(["occurred_to"])
    db.table("statements").create_index(["span_days"])
    db.table("statements").create_index(["report_id"])
    db.table("statements").create_index(["reported"])


# -- from events to rows ----------------------------------------------------------------------


def on_act(position: int, event: Any) -> Rows:
    """DroneAttack, RocketAttack, MissileAttack, ExplosiveAttack (at an installation) and AirstrikeConducted."""
    envelope = event.envelope
    actor = event.actor or UNKNOWN_ACTOR
    target_actors = list(event.target_actors)
    victim = target_actors[0] if target_actors else UNKNOWN_ACTOR
    state_on_state = confronts(actor, target_actors)
    yield (
        "acts",
        {
            "report_id": envelope.report_id,
            "position": position,
            "kind": envelope.kind,
            "occurred_from": envelope.occurred.start.isoformat(),
            "occurred_to": envelope.occurred.end.isoformat(),
            "occurred": envelope.occurred.text(),
            "reported": envelope.reported.isoformat(),
            "actor": actor.name,
            "side": actor.side.value,
            "actor_type": actor.type.value,
            "target": "; ".join(event.targets) or "; ".join(other.name for other in target_actors),
            "target_actor": "; ".join(other.name for other in target_actors),
            "target_side": victim.side.value,
            "target_type": victim.type.value,
            "state_confrontation": int(state_on_state),
            "place": envelope.place,
            "country": "; ".join(envelope.country),
            "weapon": getattr(event, "weapon", None),
            "lat": envelope.lat,
            "lon": envelope.lon,
            "geo_precision": envelope.geo_precision,
            "span_days": (envelope.occurred.end - envelope.occurred.start).days,
        },
    )
    for answered in envelope.responds_to:
        yield "responses", {"response": envelope.report_id, "act": answered, "position": position}
    if event.damage:
        yield "damage", _damage_row(position, envelope.report_id, envelope, event.damage)


def on_damage(position: int, event: Any) -> Rows:
    yield "damage", _damage_row(position, event.incident, event.envelope, event.damage)


def _damage_row(position: int, incident: str, envelope: Any, damage: str) -> dict[str, Any]:
    return {
        "position": position,
        "incident": incident,
        "report_id": envelope.report_id,
        "damage": damage,
        "reported": envelope.reported.isoformat(),
    }


STANCE_OF_EVENT = {
    "RevengeVowed": "vow_revenge",
    "ResponsibilityClaimed": "claim_of_responsibility",
    "JustificationStated": "justification",
    "AttackAttributed": None,
}


def on_statement(position: int, event: Any) -> Rows:
    envelope = event.envelope
    name = type(event).__name__
    stance = STANCE_OF_EVENT[name] if name in STANCE_OF_EVENT else getattr(event, "stance", None)
    actor = getattr(event, "actor", None) or UNKNOWN_ACTOR
    yield (
        "statements",
        {
            "position": position,
            "report_id": envelope.report_id,
            "kind": envelope.kind,
            "stance": stance,
            "actor": actor.name,
            "side": actor.side.value,
            "occurred_from": envelope.occurred.start.isoformat(),
            "occurred_to": envelope.occurred.end.isoformat(),
            "reported": envelope.reported.isoformat(),
            "incident": getattr(event, "incident", None),
            "rung": statement_rung(stance),
            "span_days": (envelope.occurred.end - envelope.occurred.start).days,
        },
    )


HANDLERS = {
    "DroneAttack": on_act,
    "RocketAttack": on_act,
    "MissileAttack": on_act,
    "ExplosiveAttack": on_act,
    "AirstrikeConducted": on_act,
    "DamageAssessed": on_damage,
    "StatementIssued": on_statement,
    "RevengeVowed": on_statement,
    "ResponsibilityClaimed": on_statement,
    "JustificationStated": on_statement,
    "AttackAttributed": on_statement,
}


# -- answering at a cut -----------------------------------------------------------------------


def logged_acts(db: Queries) -> list[str]:
    """Every act the log holds, at any cut: listed, withdrawn or merged, in log order."""
    return [row["report_id"] for row in db.query("SELECT report_id FROM acts ORDER BY position")]


def acts_in_cut(db: Queries, cut: Cut, state: InForce, ids: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The acts listed at the cut: published by the knowledge cut, begun by the valid cut, and
    neither withdrawn nor merged into another act (``ids``: only these)."""
    only = f"AND report_id IN {IN_IDS}" if ids is not None else ""
    rows = db.query(
        f"SELECT * FROM acts WHERE reported <= :known AND occurred_from <= :to {only} "
        "ORDER BY occurred_from, occurred_to, position",
        {"known": cut.known_text, "to": cut.to_text, "ids": ids_json(ids or ())},
    )
    return [row for row in rows if state.listed(row["report_id"])]


def statements_in_cut(db: Queries, cut: Cut, state: InForce) -> list[dict[str, Any]]:
    """The statements that count at the cut (a statement about a withdrawn act still counts)."""
    return list(statements_read(db, cut, state))


def statements_read(db: Queries, cut: Cut, state: InForce) -> Iterator[dict[str, Any]]:
    """:func:`statements_in_cut`, one at a time."""
    rows = db.query(
        "SELECT * FROM statements WHERE reported <= :known AND occurred_from <= :to ORDER BY occurred_from, position",
        {"known": cut.known_text, "to": cut.to_text},
    )
    return (row for row in rows if state.counts(row["report_id"]))


def known_damage(db: Queries, cut: Cut, state: InForce, ids: Collection[str] | None = None) -> dict[str, str]:
    """The damage in force at the knowledge cut, per act: the latest assessment that counts for it
    (later assessments revise; after a merge, across the merged acts). ``ids``: only these acts."""
    only = f"AND incident IN {IN_IDS}" if ids is not None else ""
    rows = db.query(
        f"SELECT position, incident, report_id, damage, reported FROM damage WHERE reported <= :known {only}",
        {"known": cut.known_text, "ids": ids_json(counting_for(state, ids or ()))},
    )
    return damage_in_force(rows, state, cut.known_text)


def rung_of(act: dict[str, Any], harm: dict[str, tuple[bool, bool]], damage: dict[str, str]) -> int:
    killed, injured = harm.get(act["report_id"], (False, False))
    return act_rung(
        state_confrontation=bool(act["state_confrontation"]),
        deaths=killed,
        injuries=injured,
        damage=damage.get(act["report_id"]),
    )


def harm_known(
    db: Queries,
    cut: Cut,
    state: InForce,
    ids: Collection[str] | None = None,
    current: Mapping[tuple[str, str], Current] | None = None,
) -> dict[str, tuple[bool, bool]]:
    """Per incident (``ids``: only these): does any current claim report deaths, injuries?
    ``current``: the current claims at the cut, when the caller has read them already."""
    if current is None:
        current = current_claims(claims_in_cut(db, cut, ids, state))
    harm: dict[str, tuple[bool, bool]] = {}
    for (incident, _party), now in current.items():
        killed, injured = harm.get(incident, (False, False))
        harm[incident] = (
            killed or reports_harm(now.stated["killed"]),
            injured or reports_harm(now.stated["injured"]),
        )
    return harm


def escalation(db: Queries, cut: Cut) -> dict[str, Any]:
    """The escalation at a cut, in the JSON shape of the CLI contract.

    All tables are read in one transaction, so a catch-up committing meanwhile in another
    process cannot mix two states of the read models into one answer.
    """
    with db.atomic():
        return escalation_in(db, cut, in_force(db, cut.known_text))


def rated_acts(
    db: Queries,
    cut: Cut,
    state: InForce,
    ids: Collection[str] | None = None,
    current: Mapping[tuple[str, str], Current] | None = None,
) -> list[dict[str, Any]]:
    """The acts listed at the cut (``ids``: only these), each with its rung and certainty there
    (``current``: the current claims at the cut, when the caller has read them already)."""
    acts = acts_in_cut(db, cut, state, ids)
    harm, damage = harm_known(db, cut, state, ids, current), known_damage(db, cut, state, ids)
    for act in acts:
        act["rung"] = rung_of(act, harm, damage)
        act["certainty"] = certainty_at(act, cut)
    return acts


def certainty_at(act: Mapping[str, Any], cut: Cut) -> str:
    """``possible`` for an act whose interval runs past the valid cut (it may have occurred after it)."""
    straddles = cut.to is not None and act["occurred_to"] > cut.to.isoformat()
    return "possible" if straddles else "certain"


def stated_responses(
    db: Queries, state: InForce, acts: list[dict[str, Any]], ids: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """The stated responses between listed ``acts`` (``ids``: only those touching these acts),
    with their lags and whether they cross sides."""
    by_id = {act["report_id"]: act for act in acts}
    return list(responses_among(response_pairs(db, state, ids), by_id.get))


def response_pairs(db: Queries, state: InForce, ids: Collection[str] | None = None) -> Iterator[tuple[str, str]]:
    """``(response, act)`` of every stated response that counts, in the order they were stated
    (``ids``: only those touching these acts)."""
    only = f"WHERE response IN {IN_IDS} OR act IN {IN_IDS}" if ids is not None else ""
    links = db.query(
        f"SELECT response, act FROM responses {only} ORDER BY position, act",
        {"ids": ids_json(counting_for(state, ids or ()))},
    )
    return stated_pairs(links, state)


def responses_among(
    pairs: Iterable[tuple[str, str]], listed: Callable[[str], Mapping[str, Any] | None]
) -> Iterator[dict[str, Any]]:
    """The stated responses whose two acts are both listed (``listed(id)``: the act, or None),
    with their lags and whether they cross sides."""
    for response_id, act_id in pairs:
        response, answered = listed(response_id), listed(act_id)
        if response is None or answered is None:
            continue
        yield (
            {
                "act": answered["report_id"],
                "response": response["report_id"],
                "lag_min": days_between(answered["occurred_to"], response["occurred_from"]),
                "lag_max": days_between(answered["occurred_from"], response["occurred_to"]),
                "act_side": answered["side"],
                "response_side": response["side"],
                "tit_for_tat": crosses(answered["side"], response["side"]),
            }
        )


def escalation_in(
    db: Queries, cut: Cut, state: InForce, current: Mapping[tuple[str, str], Current] | None = None
) -> dict[str, Any]:
    """:func:`escalation` inside a transaction the caller holds, with the corrections in force
    at the cut (and the current claims there, when the caller has read them already)."""
    acts = rated_acts(db, cut, state, current=current)
    statements = statements_in_cut(db, cut, state)
    responses = stated_responses(db, state, acts)
    items = [on_ladder(row) for row in (*acts, *statements)]
    level_day = cut.to or max((item.last for item in items), default=None)
    level = level_at(items, level_day, cut.window) if level_day is not None else Level(0, "stable")
    return {
        "cut": cut.as_dict() | {"level_date": level_day.isoformat() if level_day else None},
        "level": {"rung": level.rung, "name": RUNGS[level.rung]},
        "trend": level.trend,
        "cycles": sum(1 for response in responses if response["tit_for_tat"]),
        "acts": [act_json(act) for act in acts],
        "responses": responses,
        "statements": [_statement_json(row) for row in statements],
    }


def listing(db: Queries, cut: Cut) -> Iterator[tuple[str, Any]]:
    """:func:`escalation`'s answer read as it is written, so that memory stays flat however long
    the log: ``("head", summary)`` (the cut, level, trend and cycles: :func:`escalation_summary`),
    then ``("act", act)`` for each listed act, ``("response", response)`` for each, and
    ``("statement", statement)``. The caller consumes it inside one transaction (``db.atomic()``).

    Each act's rung comes from SQL (:data:`RUNG_AT_CUT`, the twin of the domain's ``act_rung``)
    where :func:`escalation` judges every claim in Python; a response's two acts are looked up
    by id. Nothing is kept per act: ``test_every_sql_answer_equals_the_python_rule_at_any_cut``
    holds the stream equal to :func:`escalation`'s answer at any cut.
    """
    state = in_force(db, cut.known_text)
    yield "head", _summary(db, cut)
    cursor = db.execute(LISTED_ACTS, {"known": cut.known_text, "to": cut.to_text})
    columns = [column[0] for column in cursor.description]
    for values in cursor:
        act = dict(zip(columns, values, strict=True))
        if not state.listed(act["report_id"]):
            continue
        act["certainty"] = certainty_at(act, cut)
        yield "act", act_json(act)

    def listed(act_id: str) -> dict[str, Any] | None:
        found = next(db.query(LISTED_ACT, {"id": act_id, "known": cut.known_text, "to": cut.to_text}), None)
        return found if found is not None and state.listed(act_id) else None

    for response in responses_among(response_pairs(db, state), listed):
        yield "response", response
    for row in statements_read(db, cut, state):
        yield "statement", _statement_json(row)


def on_ladder(row: dict[str, Any]) -> Rung:
    return Rung(date.fromisoformat(row["occurred_from"]), date.fromisoformat(row["occurred_to"]), row["rung"])


def escalation_summary(db: Queries, cut: Cut) -> dict[str, Any]:
    """Level, trend and cycles at a cut, from the indexed tables only (no listing).

    Reads only the acts and statements of the two trailing windows, and counts cycles in
    the ``pairs`` table, so its cost does not grow with the length of the log.
    """
    with db.atomic():
        return _summary(db, cut)


RUNG_AT_CUT = f"""
    CASE
      WHEN a.state_confrontation THEN 6
      WHEN EXISTS (
        SELECT 1 FROM claim_spans s WHERE s.incident = a.report_id AND s.which = 'killed' AND s.harm AND {in_span("s")}
      ) THEN 5
      WHEN EXISTS (
        SELECT 1 FROM claim_spans s WHERE s.incident = a.report_id AND s.which = 'injured' AND s.harm AND {in_span("s")}
      ) THEN 4
      WHEN EXISTS (
        SELECT 1 FROM damage_spans d WHERE d.incident = a.report_id AND {in_span("d")}
          AND d.damage IN ({", ".join(f"'{damage}'" for damage in sorted(DAMAGING))})
      ) THEN 3
      ELSE 2
    END
"""
"""The rung of act ``a`` at knowledge cut ``:known``, in SQL: :func:`flashpoint.domain.ladder.act_rung`'s
twin, held equal to it by ``test_the_summary_agrees_with_the_full_listing_at_any_cut``."""

LISTED_ACTS = f"""
    SELECT a.*, {RUNG_AT_CUT} AS rung FROM acts a
    WHERE a.reported <= :known AND a.occurred_from <= :to
    ORDER BY a.occurred_from, a.occurred_to, a.position
"""
"""The acts that may be listed at the cut, in the listing's order, each with its rung there."""

LISTED_ACT = """
    SELECT report_id, occurred_from, occurred_to, side FROM acts
    WHERE report_id = :id AND reported <= :known AND occurred_from <= :to
"""
"""One act, if it may be listed at the cut (:func:`acts_in_cut`'s conditions), for a response's lags."""


def _summary(db: Queries, cut: Cut) -> dict[str, Any]:
    level_day = cut.to or _latest_known_day(db, cut)
    level, trend = 0, "stable"
    if level_day is not None:
        # Saturating arithmetic: a log from before the date range was enforced may hold days
        # near date.min, and must still answer. No day precedes date.min, so a previous window
        # that would end before it is empty: "0000-12-31" sorts below every stored day.
        current_first = shifted(level_day, 1 - cut.window)
        previous_first = shifted(current_first, -cut.window)
        previous_last = "0000-12-31" if current_first == date.min else shifted(current_first, -1).isoformat()
        parameters = {
            "known": cut.known_text,
            "to": cut.to_text,
            "last": level_day.isoformat(),
            "current_first": current_first.isoformat(),
            "previous_first": previous_first.isoformat(),
            "previous_last": previous_last,
        }
        current_max = current_sum = previous_sum = 0
        for table, rung in (("acts", RUNG_AT_CUT), ("statements", "a.rung")):  # both keyed by report_id
            row = next(
                iter(
                    db.query(
                        f"""
                SELECT max(CASE WHEN occurred_to >= :current_first THEN rung END) AS level,
                       total(CASE WHEN occurred_to >= :current_first THEN rung END) AS current_sum,
                       total(CASE WHEN occurred_from <= :previous_last THEN rung END) AS previous_sum
                FROM (
                    SELECT a.occurred_from, a.occurred_to, {rung} AS rung FROM {table} a
                    WHERE a.occurred_from BETWEEN :lowest AND :last AND a.occurred_to >= :previous_first
                      AND a.reported <= :known AND a.occurred_from <= :to AND {counted_sql("a")}
                )
                """,
                        parameters | {"lowest": lowest_start(db, table, previous_first)},
                    )
                )
            )
            current_max = max(current_max, row["level"] or 0)
            current_sum += int(row["current_sum"])
            previous_sum += int(row["previous_sum"])
        level = current_max
        if current_sum != previous_sum:
            trend = "escalating" if current_sum > previous_sum else "de-escalating"
    return summary_json(cut, level_day, Level(level, trend), cycles_at(db, cut))


CYCLES = f"SELECT count(*) FROM pairs p WHERE crossing = 1 AND pair_from <= :to AND {in_span('p')}"
"""The tit-for-tat cycles at the cut: stated responses across sides, both acts counted (indexed)."""


def cycles_at(db: Queries, cut: Cut) -> int:
    found: int = db.execute(CYCLES, {"to": cut.to_text, "known": cut.known_text}).fetchone()[0]
    return found


def summary_json(cut: Cut, level_day: date | None, level: Level, cycles: int) -> dict[str, Any]:
    """``escalation --summary --json``: the level and trend on ``level_day``, and the cycles."""
    return {
        "cut": cut.as_dict() | {"level_date": level_day.isoformat() if level_day else None},
        "level": {"rung": level.rung, "name": RUNGS[level.rung]},
        "trend": level.trend,
        "cycles": cycles,
    }


def lowest_start(db: Queries, table: str, first: date) -> str:
    """The earliest start an item overlapping a window from ``first`` can have (longest interval back)."""
    longest = next(iter(db.query(f"SELECT max(span_days) AS days FROM {table}")))["days"] or 0
    return shifted(first, -longest).isoformat()


def _latest_known_day(db: Queries, cut: Cut) -> date | None:
    """The latest day on which anything known at the knowledge cut occurred."""
    days = []
    # Without a knowledge cut every row is known: walking the occurred_to index down from the
    # latest stops at once, where the reported index read every row and sorted them (0.2 s at
    # 100k reports). With one, the rows reported by then are the fewer to read (``+`` keeps
    # SQLite from choosing the other index, nothing else).
    known = "a.reported" if cut.known_on is not None else "+a.reported"
    for table in ("acts", "statements"):
        row = next(
            iter(
                db.query(
                    f"SELECT occurred_to FROM {table} a WHERE {known} <= :known AND {counted_sql('a')} "
                    "ORDER BY occurred_to DESC LIMIT 1",
                    {"known": cut.known_text},
                )
            ),
            None,
        )
        if row:
            days.append(row["occurred_to"])
    return date.fromisoformat(max(days)) if days else None


ACT_FIELDS = (
    "id",
    "kind",
    "occurred",
    "occurred_from",
    "occurred_to",
    "reported",
    "certainty",
    "side",
    "actor",
    "actor_type",
    "target",
    "target_side",
    "rung",
    "rung_name",
    "weapon",
    "place",
    "lat",
    "lon",
    "geo_precision",
)
"""The keys of an act in ``escalation --json``, in order: the columns of ``--csv`` too."""
PLACE_TYPES = {"lat": float, "lon": float, "geo_precision": int}
"""The column types of an act's place, for tables built from its JSON (all null is still REAL)."""


def act_json(act: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": act["report_id"],
        "kind": act["kind"],
        "occurred": act["occurred"],
        "occurred_from": act["occurred_from"],
        "occurred_to": act["occurred_to"],
        "reported": act["reported"],
        "certainty": act["certainty"],
        "side": act["side"],
        "actor": act["actor"],
        "actor_type": act["actor_type"],
        "target": act["target"],
        "target_side": act["target_side"],
        "rung": act["rung"],
        "rung_name": RUNGS[act["rung"]],
        "weapon": act["weapon"],
        "place": act["place"],
        "lat": act["lat"],
        "lon": act["lon"],
        "geo_precision": act["geo_precision"],
    }


def _statement_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["report_id"],
        "kind": row["kind"],
        "stance": row["stance"],
        "actor": row["actor"],
        "side": row["side"],
        "occurred_from": row["occurred_from"],
        "occurred_to": row["occurred_to"],
        "reported": row["reported"],
        "incident": row["incident"],
        "rung": row["rung"],
    }
