"""``flashpoint serve``: the read models in Datasette (needs the ``datasette`` extra).

The read-model database is served under the name ``flashpoint``, alone on the home page (no
empty ``_memory``), as an analyst browses it: the bookkeeping and span tables hidden; facets
on side, kind, party and source; acts, claims, responses, damage and statements linked by
their foreign keys; a description of every column, with the unit of every number; and
canned queries that take the CLI's cuts, their SQL folded away: the escalation timeline,
the estimates per incident and party, disputed tolls, sources' track records and response
lags. Blank parameters mean "no cut"; a cut that is not a day is refused (400) before any
SQL runs, and the SQL refuses it too. With the ``map`` extra (datasette-cluster-map), the
acts with coordinates are mapped on the acts table and the timeline.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

from flashpoint.domain.dates import DAY_SHAPE, check_day_in_range
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.ladder import RUNGS
from flashpoint.domain.track_record import FIELDS
from flashpoint.domain.vocabulary import ActorType, Damage, Party, Qualifier, ReportKind, Side, Stance
from flashpoint.errors import MissingExtra
from flashpoint.projections.casualties import POLICIES, casualties, claim_text_sql, stands_sql
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import RUNG_AT_CUT
from flashpoint.projections.sources import sources
from flashpoint.projections.spans import counted_sql, in_span
from sqlite_utils import Database

DATABASE = "flashpoint"
SOURCE = "Reports appended to the flashpoint log; every figure is a claim attributed to its source"

DAY_FUNCTION = "flashpoint_day"
"""An SQL function of the served database: ``flashpoint_day(value, name)`` is the day ``value`` names as
the SQL compares it (a far-future day when blank: no cut), and an error when it names no day."""

# The cuts as the SQL compares them: a blank form field is no cut; an impossible day is an error.
TO = f"{DAY_FUNCTION}(:to, 'to')"
KNOWN = f"{DAY_FUNCTION}(:known_on, 'known_on')"
CUT_PARAMETERS = ("to", "known_on")

RUNG_NAMES = " ".join(f"WHEN {rung} THEN '{name}'" for rung, name in enumerate(RUNGS))

TIMELINE = f"""
SELECT occurred, report_id AS act, kind, side, actor, target, target_side, rung,
       CASE rung {RUNG_NAMES} END AS rung_name, reported, weapon, place, lat, lon, geo_precision
FROM (
  SELECT a.*, {RUNG_AT_CUT.replace(":known", KNOWN)} AS rung FROM acts a
  WHERE a.reported <= {KNOWN} AND a.occurred_from <= {TO} AND {counted_sql("a", KNOWN)}
)
ORDER BY occurred_from, occurred_to, position
"""

KILLED_NOW = stands_sql("killed", KNOWN)
INJURED_NOW = stands_sql("injured", KNOWN)


def _figures(which: str) -> str:
    """low, best (conservative) and high of one figure over the standing claims, as the CLI
    gives them (domain.estimates.estimate): words alone count as 1 and leave high open; a
    range gives its from (``{which}``) to low and best and its to to high; figures differ as
    (from, to) pairs."""
    now, number = f"{which}_now", f"CASE WHEN {which}_now THEN {which} END"
    top = f"CASE WHEN {which}_now THEN coalesce({which}_to, {which}) END"
    words_only = f"CASE WHEN max({now}) THEN 1 END"
    return (
        f"count(DISTINCT {number} || '/' || {top}) AS {which}_figures,\n"
        f"       coalesce(min(CASE WHEN {now} THEN (CASE WHEN qualifier = 'at_most' THEN 0 ELSE {which} END) END),"
        f" {words_only}) AS {which}_low,\n"
        f"       coalesce(min({number}), {words_only}) AS {which}_best,\n"
        f"       max({top}) AS {which}_high"
    )


COUNTED_FOR = f"(SELECT s.incident FROM claim_spans s WHERE s.position = c.position AND {in_span('s', KNOWN)} LIMIT 1)"
"""The act a claim counts for at the cut (after a merge, the act merged into), or NULL: it stands for no figure."""

DISPUTED = f"""
SELECT counted_for AS incident, party,
       {_figures("killed")},
       {_figures("injured")},
       group_concat(source || ': ' || said, ' | ') AS claims
FROM (
  SELECT c.*, {COUNTED_FOR} AS counted_for,
         {KILLED_NOW} AS killed_now, {INJURED_NOW} AS injured_now, {claim_text_sql()} AS said
  FROM claims c
  ORDER BY c.reported, c.position
)
WHERE counted_for IN (SELECT report_id FROM acts WHERE occurred_from <= {TO} AND reported <= {KNOWN})
GROUP BY counted_for, party
HAVING killed_figures > 1 OR injured_figures > 1
ORDER BY (SELECT occurred_from FROM acts WHERE report_id = counted_for),
         (SELECT position FROM acts WHERE report_id = counted_for), party
"""
"""Disputed tolls with the CLI's figures (low, conservative best, high) and each standing claim as the CLI words it."""

LAGS = f"""
SELECT r.report_id AS response, r.side AS response_side, a.report_id AS answers, a.side AS act_side,
       CAST(julianday(r.occurred_from) - julianday(a.occurred_to) AS INTEGER) AS lag_min_days,
       CAST(julianday(r.occurred_to) - julianday(a.occurred_from) AS INTEGER) AS lag_max_days,
       p.crossing AS tit_for_tat
FROM pairs p
JOIN acts r ON r.report_id = p.response
JOIN acts a ON a.report_id = p.act
WHERE {in_span("p", KNOWN)} AND r.occurred_from <= {TO} AND a.occurred_from <= {TO}
ORDER BY r.occurred_from, r.position
"""

SOURCES_FUNCTION = "flashpoint_sources"
"""An SQL function of the served database: the track records at a cut (``to``, ``known_on``; blank
or NULL for none) as the JSON list ``flashpoint sources --json`` gives, worked out by
:func:`flashpoint.projections.sources.sources` itself rather than by a second copy of its rules in SQL."""

TRACK_RECORDS = f"""
SELECT {", ".join(f"json_extract(value, '$.{field}') AS {field}" for field in FIELDS)}
FROM json_each({SOURCES_FUNCTION}(:to, :known_on))
ORDER BY claims DESC, key
"""
"""Each source's track record at the cut, most claims first (as the CLI's table)."""

CASUALTIES_FUNCTION = "flashpoint_casualties"
"""An SQL function of the served database: the estimates per incident and party at a cut (``to``,
``known_on``, ``policy``; blank or NULL for none and the conservative best) as the JSON list
``flashpoint casualties --json`` gives under ``incidents``, worked out by
:func:`flashpoint.projections.casualties.casualties` itself."""

ESTIMATE_FIGURES = ", ".join(
    f"json_extract(row.value, '$.{which}.{bound}') AS {which}_{bound}"
    for which in ("killed", "injured")
    for bound in ("low", "best", "high")
)
ESTIMATES = f"""
SELECT json_extract(row.value, '$.incident') AS incident, json_extract(row.value, '$.occurred_from') AS occurred_from,
       json_extract(row.value, '$.kind') AS kind, json_extract(row.value, '$.party') AS party,
       json_extract(row.value, '$.side') AS side, {ESTIMATE_FIGURES},
       json_extract(row.value, '$.disputed') AS disputed,
       json_array_length(row.value, '$.sources') AS claims,
       (SELECT group_concat(source, '; ') FROM (
          SELECT DISTINCT json_extract(claim.value, '$.source') AS source
          FROM json_each(row.value, '$.sources') AS claim
          WHERE json_extract(claim.value, '$.current'))) AS standing_sources
FROM json_each({CASUALTIES_FUNCTION}(:to, :known_on, :policy)) AS row
ORDER BY row.key
"""
"""The estimates per incident and party at the cut, in the CLI's order (the incident's first day, then party)."""


def track_records(views: Path) -> Callable[[str | None, str | None], str]:
    """The Python function behind :data:`SOURCES_FUNCTION`, reading ``views`` on a connection of its own."""

    def answer(to: str | None, known_on: str | None) -> str:
        cut = Cut(_day("to", to), _day("known_on", known_on))
        return json.dumps(_reading(views, lambda db: sources(db, cut)["sources"]))

    return answer


def estimates(views: Path) -> Callable[[str | None, str | None, str | None], str]:
    """The Python function behind :data:`CASUALTIES_FUNCTION`, reading ``views`` on a connection of its own."""

    def answer(to: str | None, known_on: str | None, policy: str | None) -> str:
        cut = Cut(_day("to", to), _day("known_on", known_on))
        chosen = _policy(policy)
        return json.dumps(_reading(views, lambda db: casualties(db, cut, chosen)["incidents"]))

    return answer


def _reading(views: Path, question: Callable[[Database], Any]) -> Any:
    connection = sqlite3.connect(f"{views.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return question(Database(connection))
    finally:
        connection.close()


def register_day(connection: sqlite3.Connection) -> None:
    """Give ``connection`` :data:`DAY_FUNCTION`, which the canned queries' SQL calls (run them elsewhere too)."""
    connection.create_function(DAY_FUNCTION, 2, cut_day, deterministic=True)


def cut_day(value: str | None, name: str) -> str:
    """The Python function behind :data:`DAY_FUNCTION`: the day as the SQL compares it."""
    return Cut(_day(name, value)).to_text


def _day(name: str, value: str | None) -> date | None:
    """The day of a cut parameter (blank: none), or a ValueError naming the parameter, as the CLI's ``--to``."""
    if value is None or not value.strip():
        return None
    shaped = DAY_SHAPE.fullmatch(value.strip())
    try:
        if not shaped:
            raise ValueError
        day = date(*map(int, shaped.groups()))
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a day (YYYY-MM-DD)") from None
    try:
        return check_day_in_range(day, name)
    except InvalidValue as error:
        raise ValueError(str(error)) from None


def _policy(value: str | None) -> str:
    chosen = (value or "").strip() or POLICIES[0]
    if chosen not in POLICIES:
        raise ValueError(f"policy: {value!r} is not one of {', '.join(POLICIES)}")
    return chosen


def refusal(arguments: dict[str, list[str]]) -> str | None:
    """What is wrong with a request's cut parameters (``to``, ``known_on``, ``policy``), or None."""
    try:
        for name in CUT_PARAMETERS:
            for value in arguments.get(name, []):
                _day(name, value)
        for value in arguments.get("policy", []):
            _policy(value)
    except ValueError as error:
        return str(error)
    return None


# -- what every column means ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """What a column holds; ``unit``: what its numbers count or measure (None: it holds no number)."""

    text: str
    unit: str | None = None

    def described(self) -> str:
        return f"{self.text} [{self.unit}]" if self.unit else self.text


def _listed(values: Iterable[Enum]) -> str:
    names = [str(value.value) for value in values]
    return ", ".join(names[:-1]) + " or " + names[-1]


DAY = "(YYYY-MM-DD)"
POSITION = Column("position of its event in the log (append order)", "log position")
FLAG = "flag: 1 yes, 0 no"
PEOPLE = "people"
SIDES = _listed(Side)
ACT_KINDS = _listed(kind for kind in ReportKind if kind.is_hostile_act)
REPORTED = Column(f"the day the report became public {DAY}; the knowledge cut (known_on) compares this")
FROM_KNOWN = Column(f"the first knowledge day this holds {DAY}")
UNTIL_KNOWN = Column(f"the knowledge day it stops holding {DAY}; empty: it still holds")
SPAN_DAYS = Column("length of the occurrence interval: occurred_to − occurred_from", "days")
RUNG = Column("the severity rung: " + ", ".join(f"{rung} {name}" for rung, name in enumerate(RUNGS)), "rung (0–6)")
FIGURE = {
    "killed": Column("killed, as a number or a range's from (empty when a word or not stated)", PEOPLE),
    "killed_to": Column("killed: a range's to (qualifier between; empty for a single number)", PEOPLE),
    "killed_word": Column("killed, as a word (several, dozens)"),
    "injured": Column("injured, as a number or a range's from (empty when a word or not stated)", PEOPLE),
    "injured_to": Column("injured: a range's to", PEOPLE),
    "injured_word": Column("injured, as a word"),
}
ESTIMATE = {
    f"{which}_{bound}": Column(text.format(which=which), PEOPLE)
    for which in ("killed", "injured")
    for bound, text in (
        ("low", "{which}: the smallest lower bound among the standing claims (words alone: 1)"),
        ("best", "{which}: the best estimate under the policy (conservative: the smallest figure stated)"),
        (
            "high",
            "{which}: the largest figure stated; empty when open above (only words such as 'several'), "
            "or when no claim speaks of {which} (low and best are empty then too)",
        ),
    )
}

TABLES: dict[str, dict[str, Column]] = {
    "acts": {
        "report_id": Column("the report id of the act (claims, responses, damage and statements link here)"),
        "position": POSITION,
        "kind": Column(ACT_KINDS),
        "occurred_from": Column(f"first day it may have happened {DAY}; the valid-time cut (to) compares this"),
        "occurred_to": Column(f"last day it may have happened {DAY}"),
        "occurred": Column("as reported: a day, a month or an interval"),
        "reported": REPORTED,
        "actor": Column("who acted, as reported (unknown when unattributed)"),
        "side": Column(f"the actor's side: {SIDES}"),
        "actor_type": Column(f"the actor's type: {_listed(ActorType)}"),
        "target": Column("installations or groups targeted"),
        "target_actor": Column("whose people or assets were hit"),
        "target_side": Column(f"the side of the target actor: {SIDES}"),
        "target_type": Column(f"the target actor's type: {_listed(ActorType)}"),
        "state_confrontation": Column("1 when state forces of opposing sides struck each other (rung 6)", FLAG),
        "place": Column("where it happened, as reported"),
        "country": Column("the country or countries, as reported"),
        "weapon": Column("the weapon as reported"),
        "span_days": SPAN_DAYS,
        "lat": Column("latitude of the place, WGS84 (north positive); empty when not reported", "degrees"),
        "lon": Column("longitude of the place, WGS84 (east positive); empty when not reported", "degrees"),
        "geo_precision": Column(
            "how near the coordinates are, as ACLED codes it: 1 the place itself, 2 near it, 3 only the region",
            "ACLED precision code (1–3)",
        ),
    },
    "claims": {
        "position": POSITION,
        "incident": Column("the act the claim is about"),
        "report_id": Column("the report carrying the claim"),
        "party": Column(f"whose people: {_listed(Party)}"),
        **FIGURE,
        "qualifier": Column(f"how the source hedged the figure: {_listed(Qualifier)}"),
        "source": Column("who made the claim, with role and outlet"),
        "source_key": Column("the source's name folded (case, accents, spacing): one source however spelt"),
        "source_name": Column("the claim's source, as its report spells it"),
        "source_via": Column("the relay it came through, if any (the source keeps the credit)"),
        "reported": Column(f"the day the claim became public {DAY}"),
        "source_url": Column("where the claim's source published it (an http(s) URL)"),
        "source_archived": Column("an archived copy of it: a URL or a path"),
        "source_sha256": Column("SHA-256 of the archived copy, 64 lower-case hex digits"),
        "source_title": Column("the title of what the source published"),
        "source_published": Column(f"the day the source published it {DAY}"),
        "source_language": Column("its language, a BCP 47 tag (en, ar, fa, en-US)"),
    },
    "responses": {
        "response": Column("the act that answers (its report names the act in responds_to)"),
        "act": Column("the earlier act it answers"),
        "position": Column("position of the response's event in the log", "log position"),
    },
    "damage": {
        "position": POSITION,
        "incident": Column("the act assessed"),
        "report_id": Column("the report carrying the assessment"),
        "damage": Column(_listed(Damage)),
        "reported": Column(f"the day the assessment became public {DAY}"),
    },
    "statements": {
        "position": POSITION,
        "report_id": Column("the report id of the statement"),
        "kind": Column("statement, or attribution (a source naming who was behind an act)"),
        "stance": Column(_listed(Stance)),
        "actor": Column("who spoke"),
        "side": Column(f"the speaker's side: {SIDES}"),
        "occurred_from": Column(f"first day it may have been said {DAY}"),
        "occurred_to": Column(f"last day it may have been said {DAY}"),
        "reported": REPORTED,
        "incident": Column("the act it concerns, if any"),
        "rung": Column("1 for a threat or a vow of revenge (they feed the level), else 0", "rung (0–6)"),
        "span_days": SPAN_DAYS,
    },
    "corrections": {
        "report_id": Column("the report id of the retraction or merge"),
        "position": POSITION,
        "kind": Column("retraction or merge"),
        "reported": Column(f"the day it became public {DAY}: it is in force from then on"),
        "names": Column("the reports it withdraws, or the acts it merges (a JSON list)"),
        "into": Column("a merge's act: the acts named count as this one (empty for a retraction)"),
    },
    "absent": {
        "report_id": Column("the act or statement published but not counted"),
        "into": Column("the act it was merged into (empty: withdrawn)"),
        "from_known": FROM_KNOWN,
        "until_known": UNTIL_KNOWN,
    },
    "claim_spans": {
        "position": Column("the claim (its position in claims)", "log position"),
        "which": Column("the figure it stands for: killed or injured"),
        "incident": Column("the act it counts for (after a merge, the act merged into)"),
        "harm": Column("1 when it reports at least one", FLAG),
        "from_known": FROM_KNOWN,
        "until_known": UNTIL_KNOWN,
    },
    "damage_spans": {
        "incident": Column("the act"),
        "damage": Column(f"the damage in force: {_listed(Damage)}"),
        "from_known": FROM_KNOWN,
        "until_known": UNTIL_KNOWN,
    },
    "pairs": {
        "response": Column("the act that answers (after merges, the act it counts for)"),
        "act": Column("the act it answers (after merges, the act it counts for)"),
        "pair_from": Column(f"the later of the two acts' first days {DAY}"),
        "crossing": Column("1 when the sides differ: a tit-for-tat cycle", FLAG),
        "from_known": FROM_KNOWN,
        "until_known": UNTIL_KNOWN,
    },
    "meta": {
        "key": Column("schema_version, the log's identity and store, the last event's fingerprint"),
        "value": Column("its value"),
    },
    "tracking": {
        "name": Column("the reader (views)"),
        "position": Column("the last log position applied", "log position"),
    },
    "_sqlite_migrations": {
        "id": Column("row id", "row number"),
        "migration_set": Column("sqlite-utils migration set"),
        "name": Column("migration applied"),
        "applied_at": Column("when it was applied (UTC, ISO 8601)"),
    },
}
"""Every column of every read-model table (lat, lon and geo_precision once the acts carry them)."""

LAG = "days from the act to its response"
TRACK_RECORD = {
    "source": Column("the source, as its claims name it (a relayed claim counts for its source)"),
    "claims": Column("its claims in the cut (words and 'not assessed' too)", "claims"),
    "incidents": Column("the incidents it made claims on", "incidents"),
    "figures": Column("incident × party × killed|injured on which it stated a number", "figures"),
    "revised": Column("its figures whose last number differs from its first", "figures"),
    "revised_up": Column("revised figures whose last number is above the first", "figures"),
    "revised_down": Column("revised figures whose last number is below the first", "figures"),
    "median_final_over_first": Column("over revised figures from a first number above 0: median last ÷ first", "ratio"),
    "median_days_to_final": Column("over revised figures: median days from its first to its last claim", "days"),
    "agreed": Column("figures where its latest number is the incident's best (a range holding it agrees)", "figures"),
    "above_best": Column("figures where its latest number is above the best", "figures"),
    "below_best": Column("figures where its latest number is below the best", "figures"),
    "withdrawn": Column("its claims a retraction in force withdrew", "claims"),
}
assert tuple(TRACK_RECORD) == FIELDS

QUERY_COLUMNS: dict[str, dict[str, Column]] = {
    "timeline": {
        "occurred": TABLES["acts"]["occurred"],
        "act": Column("the act (its report id)"),
        "kind": TABLES["acts"]["kind"],
        "side": TABLES["acts"]["side"],
        "actor": TABLES["acts"]["actor"],
        "target": TABLES["acts"]["target"],
        "target_side": TABLES["acts"]["target_side"],
        "rung": Column("its severity rung at the knowledge cut (later casualty claims raise it later)", "rung (0–6)"),
        "rung_name": Column("the rung's name"),
        "reported": REPORTED,
        "weapon": TABLES["acts"]["weapon"],
        "place": TABLES["acts"]["place"],
        "lat": TABLES["acts"]["lat"],
        "lon": TABLES["acts"]["lon"],
        "geo_precision": TABLES["acts"]["geo_precision"],
    },
    "estimates": {
        "incident": Column("the act"),
        "occurred_from": TABLES["acts"]["occurred_from"],
        "kind": TABLES["acts"]["kind"],
        "party": TABLES["claims"]["party"],
        "side": Column(f"the party's side: {SIDES}"),
        **ESTIMATE,
        "disputed": Column("1 when the standing figures of different sources differ", FLAG),
        "claims": Column("claims on this incident and party in the cut, standing or not", "claims"),
        "standing_sources": Column("the sources whose claims stand at the cut (not superseded or withdrawn)"),
    },
    "disputed_tolls": {
        "incident": Column("the act"),
        "party": TABLES["claims"]["party"],
        **{
            key: column
            for which in ("killed", "injured")
            for key, column in {
                f"{which}_figures": Column(f"distinct {which} figures among the standing claims", "figures"),
                **{name: ESTIMATE[name] for name in ESTIMATE if name.startswith(which)},
            }.items()
        },
        "claims": Column("each claim as its source made it, earliest first (source: figures)"),
    },
    "track_records": TRACK_RECORD,
    "response_lags": {
        "response": Column("the act that answers"),
        "response_side": Column(f"its actor's side: {SIDES}"),
        "answers": Column("the act it answers"),
        "act_side": Column(f"that act's actor's side: {SIDES}"),
        "lag_min_days": Column(f"fewest {LAG}: the response's first day − the act's last day", "days"),
        "lag_max_days": Column(f"most {LAG}: the response's last day − the act's first day", "days"),
        "tit_for_tat": Column("1 when the sides differ (a tit-for-tat cycle)", FLAG),
    },
}
"""Every column each canned query answers with."""


def _columns(columns: dict[str, Column]) -> dict[str, str]:
    return {name: column.described() for name, column in columns.items()}


CUT_HELP = "to: valid-time cut, known_on: knowledge cut (YYYY-MM-DD); leave blank for none."

ACT_LINKS = ("act", "incident", "response", "answers")
"""Columns of the canned queries that name an act: shown as links to its row."""

OPEN_ABOVE = '<em title="only words such as several: the range is open above">open</em>'
"""How an estimate's empty high shows when low is not empty: the range is open above (JSON: null)."""

MAP_PLUGIN = "datasette-cluster-map"
MAP = {"latitude_column": "lat", "longitude_column": "lon"}


def map_installed() -> bool:
    return find_spec("datasette_cluster_map") is not None


def _query(title: str, description: str, sql: str, columns: str, params: tuple[str, ...]) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "sql": sql,
        "params": list(params),
        "hide_sql": True,
        "columns": _columns(QUERY_COLUMNS[columns]),
    }


def _table(title: str, description: str, name: str, **more: Any) -> dict[str, Any]:
    return {"title": title, "description": description, "columns": _columns(TABLES[name]), **more}


def metadata(log: str) -> dict[str, Any]:
    """Datasette metadata: what each table and column means, and the canned questions."""
    cut = ("to", "known_on")
    database: dict[str, Any] = {
        "tables": {
            "acts": _table(
                "Hostile acts",
                "One row per attack or airstrike report. Its rung at a cut, and the level: the timeline query.",
                "acts",
                units={"span_days": "day"},
                sort="occurred_from",
                facets=["side", "kind", "target_side"],
            ),
            "claims": _table(
                "Casualty claims",
                "Every claim of killed or injured, as its source made it; later claims by the same source "
                "supersede. The estimates per incident and party at a cut: the estimates query.",
                "claims",
                sort="incident",
                facets=["party", "qualifier", "source_name"],
            ),
            "responses": _table(
                "Stated responses",
                "An act that its report says answers an earlier act (responds_to). Lags at a cut: the "
                "response_lags query.",
                "responses",
            ),
            "damage": _table(
                "Damage assessments", "Later assessments revise earlier ones.", "damage", facets=["damage"]
            ),
            "statements": _table(
                "Statements",
                "Threats, vows, justifications, claims of responsibility, denials; threats and vows stand on rung 1.",
                "statements",
                sort="occurred_from",
                facets=["stance", "side"],
            ),
            "corrections": _table(
                "Retractions and merges",
                "From its reported day on, a retraction withdraws the reports it names; a merge makes the acts "
                "it names count as into.",
                "corrections",
                facets=["kind"],
            ),
            "pairs": _table(
                "Stated responses at each knowledge cut",
                "What the response_lags query reads: a response and the act it answers (after merges, the acts "
                "they count for), from_known until until_known.",
                "pairs",
                hidden=True,
            ),
            "absent": _table(
                "Withdrawn and merged acts and statements",
                "What the queries read: published but not counted from from_known until until_known.",
                "absent",
                hidden=True,
            ),
            "claim_spans": _table(
                "Standing claims",
                "What the queries read: a claim stands for one figure (which) of an act from from_known until "
                "until_known.",
                "claim_spans",
                hidden=True,
            ),
            "damage_spans": _table(
                "Damage in force",
                "What the queries read: the latest damage assessment that counts for an act, from from_known "
                "until until_known.",
                "damage_spans",
                hidden=True,
            ),
            "meta": _table(
                "Read-model identity", "Which log and schema these rows were built from.", "meta", hidden=True
            ),
            "tracking": _table("Position in the log", "The last event applied.", "tracking", hidden=True),
            "_sqlite_migrations": _table(
                "Schema migrations", "sqlite-utils' record of the schema.", "_sqlite_migrations", hidden=True
            ),
        },
        "queries": {
            "timeline": _query(
                "Escalation timeline at a cut",
                f"Every act that had occurred by the day to, as known on known_on, at its rung. {CUT_HELP}",
                TIMELINE,
                "timeline",
                cut,
            ),
            "estimates": _query(
                "Estimates per incident and party",
                "Killed and injured, low, best and high, per incident and party at the cut, as flashpoint "
                f"casualties gives them; policy picks the best (blank: conservative; {', '.join(POLICIES)}). "
                + CUT_HELP,
                ESTIMATES,
                "estimates",
                (*cut, "policy"),
            ),
            "disputed_tolls": _query(
                "Disputed tolls",
                "Incidents and parties whose standing figures differ between sources. " + CUT_HELP,
                DISPUTED,
                "disputed_tolls",
                cut,
            ),
            "track_records": _query(
                "Sources' track records",
                "Each source's figures, revisions (up, down), median final÷first and days to its final figure, "
                "agreement with the incident's best, withdrawn claims, counting only the claims reported by "
                "known_on (no hindsight); a relayed claim counts for its source. " + CUT_HELP,
                TRACK_RECORDS,
                "track_records",
                cut,
            ),
            "response_lags": _query(
                "Response lags",
                "How many days after an act its stated response came (a range when either is dated "
                "imprecisely); tit_for_tat is 1 when the sides differ. " + CUT_HELP,
                LAGS,
                "response_lags",
                cut,
            ),
        },
    }
    if map_installed():
        database["plugins"] = {MAP_PLUGIN: MAP}
    return {
        "title": "flashpoint read models",
        "description": (
            "The escalation between US/coalition forces and Iran-aligned militias in Iraq and Syria, "
            f"as recorded in {log}. Rows are rebuilt from the append-only log; nothing here is edited by hand."
        ),
        "source": SOURCE,
        "databases": {DATABASE: database},
    }


FUNCTIONS_PLUGIN = "flashpoint-functions"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def functions(views: Path) -> ModuleType:
    """A Datasette plugin (a module, as Datasette lists its plugins by module name) giving the served
    database :data:`DAY_FUNCTION`, :data:`SOURCES_FUNCTION` and :data:`CASUALTIES_FUNCTION`, refusing
    requests whose cut is not a day, and linking the acts the canned queries name."""
    from datasette import hookimpl
    from markupsafe import Markup

    records, figures = track_records(views), estimates(views)

    @hookimpl  # type: ignore[untyped-decorator]
    def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
        if database == DATABASE:
            register_day(conn)
            conn.create_function(SOURCES_FUNCTION, 2, records)
            conn.create_function(CASUALTIES_FUNCTION, 3, figures)

    @hookimpl  # type: ignore[untyped-decorator]
    def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
        def wrap(app: ASGIApp) -> ASGIApp:
            async def refusing_what_is_not_a_day(scope: Scope, receive: Receive, send: Send) -> None:
                path = scope.get("path", "")
                if scope["type"] == "http" and path.split("/")[1].split(".")[0] == DATABASE:
                    arguments = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"), True)
                    problem = refusal(arguments)
                    if problem is not None:
                        await _refuse(datasette, send, path, problem)
                        return
                await app(scope, receive, send)

            return refusing_what_is_not_a_day

        return wrap

    @hookimpl  # type: ignore[untyped-decorator]
    def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
        if database != DATABASE or table is not None:
            return None
        if column in ACT_LINKS and isinstance(value, str):
            return Markup('<a href="{}">{}</a>').format(datasette.urls.row(DATABASE, "acts", _tilde(value)), value)
        low = column.removesuffix("_high") + "_low"
        named = row.keys()  # a Row's `in` looks at its values
        if value is None and column.endswith("_high") and low in named and row[low] is not None:
            return Markup(OPEN_ABOVE)
        return None

    plugin = ModuleType(FUNCTIONS_PLUGIN)
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    plugin.asgi_wrapper = asgi_wrapper  # type: ignore[attr-defined]
    plugin.render_cell = render_cell  # type: ignore[attr-defined]
    return plugin


def _tilde(value: str) -> str:
    from datasette.utils import tilde_encode

    return str(tilde_encode(value))


async def _refuse(datasette: Any, send: Send, path: str, problem: str) -> None:
    """Answer 400 with ``problem``: Datasette's JSON error for a ``.json`` path, its error page otherwise."""
    if path.endswith(".json"):
        body = json.dumps({"ok": False, "error": problem, "status": 400, "title": "Not a cut"}).encode()
        kind = "application/json; charset=utf-8"
    else:
        page = await datasette.render_template(
            "error.html", {"ok": False, "error": problem, "status": 400, "title": "Not a cut"}
        )
        body, kind = page.encode(), "text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 400, "headers": [(b"content-type", kind.encode())]})
    await send({"type": "http.response.body", "body": body})


class BrowsingUnavailable(MissingExtra):
    """Datasette is not installed."""


def check_installed() -> None:
    """Raise :class:`BrowsingUnavailable` unless Datasette and uvicorn can be imported."""
    try:
        import datasette.app  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise BrowsingUnavailable(
            "serve needs Datasette, which is not installed: pip install 'flashpoint[datasette]'"
        ) from None


TEMPLATES = Path(__file__).with_name("templates")
"""Datasette's table and query pages with the column descriptions folded under a summary."""

SOCKET_BACKLOG = 2048  # uvicorn's default


def listening(host: str, port: int) -> socket.socket:
    """A socket bound to ``host`` and ``port`` (0: any free port; ``getsockname()`` tells which).

    Bound here rather than by uvicorn, so that the port announced is the one really bound, and a
    port already in use is one line (an I/O error, 74) rather than uvicorn's log and exit 1.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(SOCKET_BACKLOG)  # from here a browser's request waits for the server, never refused
    except OSError as error:
        listener.close()
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def serve(views: Path, log: str, listener: socket.socket) -> None:
    """Serve ``views`` read-only with Datasette on ``listener`` until interrupted."""
    check_installed()
    import uvicorn
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    if not pm.has_plugin(FUNCTIONS_PLUGIN):
        pm.register(functions(views), name=FUNCTIONS_PLUGIN)
    datasette = Datasette(
        [],
        metadata=metadata(log),
        template_dir=str(TEMPLATES),
        settings={"sql_time_limit_ms": 5000, "suggest_facets": False},
    )
    datasette.add_database(Database(datasette, path=str(views), is_mutable=True), name=DATABASE)
    datasette.remove_database("_memory")  # Datasette adds an empty one when given no files
    asyncio.run(datasette.invoke_startup())
    server = uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on"))
    server.run(sockets=[listener])
