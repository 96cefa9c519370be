"""The answers as the cut moves forward one publication day at a time (``flashpoint watch``).

``watch`` judges standing scenarios at ``--to K --known-on K`` for every day K on which a
report was published. Asking the whole picture again each day would cost thousands of full
answers; instead the level, trend and cycles come from the summary (whose cost does not grow
with the log), questions about one act from indexed lookups, and the casualty totals from
:class:`MovingTotals`, which after each move asks again only about the incidents whose
figures could have changed: those a report published since the last cut touches (as
``changes`` finds them, with the acts merged with them) and those that began since.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flashpoint.domain.dates import shifted
from flashpoint.domain.estimates import Estimate, RunningTotal
from flashpoint.projections.casualties import FIGURES, casualties
from flashpoint.projections.changes import Because, reports_between
from flashpoint.projections.cuts import Cut
from flashpoint.projections.sources import LATEST_REPORT
from flashpoint.projections.spans import corrections
from sqlite_utils import Database

FIRST_DAY = "0000-12-31"
"""Sorts below every stored day: "published after it" means every report."""


def publication_days(db: Database, since: date | None = None) -> list[tuple[str, list[str]]]:
    """Each day on which a report was published (from ``since``, inclusive), in order, with the
    ids of the reports published on it in log order (retractions and merges included)."""
    after = FIRST_DAY if since is None or since == date.min else shifted(since, -1).isoformat()
    days: dict[str, list[str]] = {}
    for report in reports_between(db, after, "9999-12-31"):
        days.setdefault(report["reported"], []).append(report["id"])
    return list(days.items())


def last_publication_before(db: Database, day: date) -> str | None:
    """The latest day before ``day`` on which a report was published (None: none was)."""
    if day == date.min:
        return None
    found: str | None = db.execute(LATEST_REPORT, {"known": shifted(day, -1).isoformat()}).fetchone()[0]
    return found


def entering(db: Database, before: Cut, after: Cut) -> set[str]:
    """The acts that begin after ``before.to`` and by ``after.to`` and are known at ``after``."""
    rows = db.execute(
        "SELECT report_id FROM acts WHERE occurred_from > :from_day AND occurred_from <= :to AND reported <= :known",
        {"from_day": before.to_text, "to": after.to_text, "known": after.known_text},
    )
    return {row[0] for row in rows}


def touched_between(db: Database, before: Cut, after: Cut) -> set[str]:
    """The acts whose casualty figures or rungs can differ between the two cuts (``after`` no
    earlier than ``before`` on either axis), with every act merged with them."""
    everything = corrections(db)
    acts = entering(db, before, after)
    if after.known_text > before.known_text:
        acts |= Because(db, before.known_text, after.known_text, everything).touched()
    return {member for act in acts for member in everything.members(everything.group_of(act))}


class MovingTotals:
    """The casualty totals per party (``casualties(...)["totals"]``) at a cut that only moves
    forward, kept up to date by asking again about the touched incidents alone."""

    def __init__(self, db: Database, policy: str = "conservative") -> None:
        self.db, self.policy = db, policy
        self.cut: Cut | None = None
        self.rows: dict[str, list[dict[str, Any]]] = {}  # incident → its rows at the cut
        self.sums: dict[str, dict[str, RunningTotal]] = defaultdict(
            lambda: {which: RunningTotal() for which in FIGURES}
        )
        self.parties: dict[str, int] = defaultdict(int)  # party → rows at the cut

    def move(self, cut: Cut) -> None:
        """Move to ``cut``; a cut earlier than the current one on either axis starts afresh."""
        previous = self.cut
        if previous is None or cut.to_text < previous.to_text or cut.known_text < previous.known_text:
            self.rows.clear()
            self.sums.clear()
            self.parties.clear()
            self._take(casualties(self.db, cut, self.policy)["incidents"])
        else:
            touched = touched_between(self.db, previous, cut)
            if touched:
                for incident in touched:
                    for row in self.rows.pop(incident, ()):
                        self._count(row, -1)
                self._take(casualties(self.db, cut, self.policy, incidents=touched)["incidents"])
        self.cut = cut

    def _take(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.rows.setdefault(row["incident"], []).append(row)
            self._count(row, 1)

    def _count(self, row: dict[str, Any], sign: int) -> None:
        self.parties[row["party"]] += sign
        for which in FIGURES:
            self.sums[row["party"]][which].add(row[which], sign)

    def totals(self) -> dict[str, dict[str, Estimate]]:
        """As ``casualties(...)["totals"]`` at the cut: every party with a row, each figure summed."""
        return {
            party: {which: self.sums[party][which].value() for which in FIGURES}
            for party, count in sorted(self.parties.items())
            if count
        }
