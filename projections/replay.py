"""A standalone read-model database as of a cut, browsable with any SQLite tool.

The answers at the cut (acts with their certainty and rung, responses, statements,
casualty estimates, every claim with whether it is current) are written to a new file,
marked as a replay (SQLite ``application_id``) so that a later replay may replace it and
nothing else is ever taken for one. The CLI writes it under a temporary name and renames
it into place (``flashpoint.storage.outputs``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flashpoint.projections.casualties import casualties
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import PLACE_TYPES, escalation
from flashpoint.projections.sqlite_files import REPLAY_APPLICATION_ID
from sqlite_utils import Database


def _flatten(estimates: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{which}_{bound}": estimates[which][bound]
        for which in ("killed", "injured")
        for bound in ("low", "best", "high")
    }


def write_replay(views: Database, cut: Cut, out: str | Path, policy: str = "conservative") -> dict[str, int]:
    """Write the read models as of ``cut`` into ``out``; return the row count per table."""
    with views.atomic():  # both answers from one state of the read models
        picture = escalation(views, cut)
        toll = casualties(views, cut, policy)
    counts: dict[str, int] = {}
    replay = Database(out, recreate=True)
    try:
        replay.execute(f"PRAGMA application_id = {REPLAY_APPLICATION_ID}")
        with replay.atomic():
            tables: dict[str, list[dict[str, Any]]] = {
                "cut": [
                    {
                        **picture["cut"],
                        "policy": policy,
                        "level_rung": picture["level"]["rung"],
                        "level_name": picture["level"]["name"],
                        "trend": picture["trend"],
                        "cycles": picture["cycles"],
                    }
                ],
                "acts": picture["acts"],
                "responses": picture["responses"],
                "statements": picture["statements"],
                "casualties": [
                    {key: value for key, value in row.items() if key not in ("killed", "injured", "sources")}
                    | _flatten(row)
                    for row in toll["incidents"]
                ],
                "claims": [
                    {"incident": row["incident"], "party": row["party"], **source}
                    for row in toll["incidents"]
                    for source in row["sources"]
                ],
                "totals": [{"party": party} | _flatten(figures) for party, figures in toll["totals"].items()],
                "side_totals": [{"side": side} | _flatten(figures) for side, figures in toll["sides"].items()],
            }
            keys = {"acts": "id", "statements": "id"}
            types = {"acts": PLACE_TYPES}
            for name, rows in tables.items():
                replay.table(name).insert_all(rows, pk=keys.get(name), alter=True, columns=types.get(name))
                counts[name] = len(rows)
            replay.table("acts").create_index(["occurred_from"], if_not_exists=True) if tables["acts"] else None
    finally:
        replay.close()
    return counts
