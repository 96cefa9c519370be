"""``flashpoint serve``: the read models in Datasette (needs the ``datasette`` extra).

The read-model database is served read-only under the name ``flashpoint``, with titles,
column descriptions, units and sources, and three canned queries that take the same
cuts as the CLI: the escalation timeline, disputed tolls and response lags. Blank
parameters mean "no cut".
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from flashpoint.domain.ladder import RUNGS
from flashpoint.domain.track_record import FIELDS
from flashpoint.errors import MissingExtra
from flashpoint.projections.casualties import claim_text_sql, stands_sql
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import RUNG_AT_CUT
from flashpoint.projections.sources import sources
from flashpoint.projections.spans import counted_sql, in_span
from sqlite_utils import Database

DATABASE = "flashpoint"
SOURCE = "Reports appended to the flashpoint log; every figure is a claim attributed to its source"

# Blank form fields mean no cut: every day, and everything known.
TO = "coalesce(nullif(:to, ''), '9999-12-31')"
KNOWN = "coalesce(nullif(:known_on, ''), '9999-12-31')"

RUNG_NAMES = " ".join(f"WHEN {rung} THEN '{name}'" for rung, name in enumerate(RUNGS))

TIMELINE = f"""
SELECT occurred, report_id AS act, kind, side, actor, target, target_side, rung,
       CASE rung {RUNG_NAMES} END AS rung_name, reported, weapon
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


def track_records(views: Path) -> Callable[[str | None, str | None], str]:
    """The Python function behind :data:`SOURCES_FUNCTION`, reading ``views`` on a connection of its own."""

    def answer(to: str | None, known_on: str | None) -> str:
        cut = Cut(_day("to", to), _day("known_on", known_on))
        connection = sqlite3.connect(f"{views.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return json.dumps(sources(Database(connection), cut)["sources"])
        finally:
            connection.close()

    return answer


def _day(name: str, value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a day (YYYY-MM-DD)") from None


CUT_HELP = "to: valid-time cut (YYYY-MM-DD), known_on: knowledge cut (YYYY-MM-DD); leave blank for none."


def metadata(log: str) -> dict[str, Any]:
    """Datasette metadata: what each table and column means, and the canned questions."""
    return {
        "title": "flashpoint read models",
        "description": (
            "The escalation between US/coalition forces and Iran-aligned militias in Iraq and Syria, "
            f"as recorded in {log}. Rows are rebuilt from the append-only log; nothing here is edited by hand."
        ),
        "source": SOURCE,
        "databases": {
            DATABASE: {
                "tables": {
                    "acts": {
                        "title": "Hostile acts",
                        "description": "One row per attack or airstrike report; its rung at a cut: the timeline query.",
                        "columns": {
                            "report_id": "the report id of the act",
                            "position": "position of its event in the log (append order)",
                            "kind": "drone_attack, rocket_attack, missile_attack, explosive_attack or airstrike",
                            "occurred_from": "first day it may have happened",
                            "occurred_to": "last day it may have happened",
                            "occurred": "as reported: a day, a month or an interval",
                            "reported": "the day the report became public (the knowledge cut compares this)",
                            "actor": "who acted, as reported (unknown when unattributed)",
                            "side": "us_coalition, iran_aligned, host_nation, other or unknown",
                            "target": "installations or groups targeted",
                            "target_side": "side of the first target actor",
                            "state_confrontation": "1 when state forces of opposing sides struck each other",
                            "span_days": "length of the occurrence interval, in days",
                            "weapon": "the weapon as reported",
                        },
                        "units": {"span_days": "day"},
                        "sort": "occurred_from",
                    },
                    "claims": {
                        "title": "Casualty claims",
                        "description": "Every claim of killed or injured, as its source made it; later claims by the "
                        "same source supersede (claim_spans says which stand when).",
                        "columns": {
                            "incident": "the act the claim is about",
                            "report_id": "the report carrying the claim",
                            "party": "whose people: us_military, contractor, militia, civilian, …",
                            "killed": "killed, as a number or a range's from (empty when a word or not stated)",
                            "killed_to": "killed: a range's to (qualifier between; empty for a single number)",
                            "killed_word": "killed, as a word (several, dozens)",
                            "injured": "injured, as a number or a range's from",
                            "injured_to": "injured: a range's to",
                            "injured_word": "injured, as a word",
                            "qualifier": "exact, at_least, at_most, approximately, unquantified, not_assessed, between",
                            "source": "who made the claim",
                            "source_name": "the claim's source, as its report spells it (folded: source_key)",
                            "source_via": "the relay it came through, if any (the source keeps the credit)",
                            "reported": "the day the claim became public",
                            "source_url": "where the claim's source published it (an http(s) URL)",
                            "source_archived": "an archived copy of it: a URL or a path",
                            "source_sha256": "SHA-256 of the archived copy, 64 lower-case hex digits",
                            "source_title": "the title of what the source published",
                            "source_published": "the day the source published it (YYYY-MM-DD)",
                            "source_language": "its language, a BCP 47 tag (en, ar, fa, en-US)",
                        },
                        "sort": "incident",
                    },
                    "responses": {
                        "title": "Stated responses",
                        "description": "An act that its report says answers an earlier act (responds_to).",
                    },
                    "damage": {"title": "Damage assessments", "description": "Later assessments revise earlier ones."},
                    "statements": {
                        "title": "Statements",
                        "description": "Threats, vows, justifications, claims of responsibility, denials; "
                        "threats and vows stand on rung 1.",
                    },
                    "pairs": {
                        "title": "Stated responses at each knowledge cut",
                        "description": "A response and the act it answers (after merges, the acts they count for), "
                        "from_known until until_known; crossing is 1 when the sides differ (a tit-for-tat cycle).",
                    },
                    "corrections": {
                        "title": "Retractions and merges",
                        "description": "From its reported day on, a retraction withdraws the reports it names; "
                        "a merge makes the acts it names count as into.",
                    },
                    "absent": {
                        "title": "Withdrawn and merged acts and statements",
                        "description": "Published but not counted from from_known until until_known (empty: still); "
                        "into: the act it was merged into.",
                    },
                    "claim_spans": {
                        "title": "Standing claims",
                        "description": "A claim stands for one figure (which) of an act (incident; after a merge, the "
                        "act merged into) from from_known until until_known; harm is 1 when it reports at least one.",
                    },
                    "damage_spans": {
                        "title": "Damage in force",
                        "description": "The latest damage assessment that counts for an act, from from_known until "
                        "until_known.",
                    },
                    "meta": {"hidden": True},
                    "tracking": {"title": "Position in the log", "hidden": True},
                },
                "queries": {
                    "timeline": {
                        "title": "Escalation timeline at a cut",
                        "description": "Every act that had occurred by :to, as known on :known_on, at its rung "
                        f"({', '.join(f'{rung} {name}' for rung, name in enumerate(RUNGS))}). {CUT_HELP}",
                        "sql": TIMELINE,
                    },
                    "disputed_tolls": {
                        "title": "Disputed tolls",
                        "description": "Incidents and parties whose current figures differ between sources. "
                        + CUT_HELP,
                        "sql": DISPUTED,
                    },
                    "track_records": {
                        "title": "Sources' track records",
                        "description": "Each source's figures, revisions (up, down), median final÷first and days "
                        "to its final figure, agreement with the incident's best, withdrawn claims, counting only "
                        "the claims reported by :known_on (no hindsight); a relayed claim counts for its source. "
                        + CUT_HELP,
                        "sql": TRACK_RECORDS,
                    },
                    "response_lags": {
                        "title": "Response lags",
                        "description": "How many days after an act its stated response came (a range when either "
                        "is dated imprecisely); tit_for_tat is 1 when the sides differ. " + CUT_HELP,
                        "sql": LAGS,
                    },
                },
            }
        },
    }


FUNCTIONS_PLUGIN = "flashpoint-functions"


def functions(views: Path) -> ModuleType:
    """A Datasette plugin giving the served database :data:`SOURCES_FUNCTION` (a module, as
    Datasette lists its plugins by module name)."""
    from datasette import hookimpl

    answer = track_records(views)

    @hookimpl  # type: ignore[untyped-decorator]
    def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
        if database == DATABASE:
            conn.create_function(SOURCES_FUNCTION, 2, answer)

    plugin = ModuleType(FUNCTIONS_PLUGIN)
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    return plugin


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
    datasette = Datasette([], metadata=metadata(log), settings={"sql_time_limit_ms": 5000})
    datasette.add_database(Database(datasette, path=str(views), is_mutable=True), name=DATABASE)
    asyncio.run(datasette.invoke_startup())
    server = uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on"))
    server.run(sockets=[listener])
