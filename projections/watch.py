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
from dataclasses import dataclass
from datetime import date
from typing import Any

from flashpoint.domain.dates import shifted
from flashpoint.domain.estimates import Estimate, RunningTotal
from flashpoint.domain.ladder import Rung, level_at
from flashpoint.projections.casualties import FIGURES, casualties, counted_pages
from flashpoint.projections.changes import Because, reports_between
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import RUNG_AT_CUT, cycles_at, lowest_start, summary_json
from flashpoint.projections.reading import Queries
from flashpoint.projections.sources import LATEST_REPORT
from flashpoint.projections.spans import IN_IDS, NAMED_STATEMENTS, corrections, counted_sql, ids_json, in_force

FIRST_DAY = "0000-12-31"
"""Sorts below every stored day: "published after it" means every report."""


def publication_days(db: Queries, since: date | None = None) -> list[str]:
    """Each day on which a report was published (from ``since``, inclusive), in order;
    retractions and merges included."""
    after = FIRST_DAY if since is None or since == date.min else shifted(since, -1).isoformat()
    return [row[0] for row in db.execute(PUBLICATION_DAYS, {"after": after})]


PUBLICATION_DAYS = (
    " UNION ".join(
        f"SELECT DISTINCT reported FROM {table} WHERE reported > :after"
        for table in ("acts", "statements", "claims", "damage", "corrections")
    )
    + " ORDER BY 1"
)
"""The days reports were published on (each table indexed on ``reported``)."""


REPORTS_PUBLISHED = (
    "SELECT count(DISTINCT report_id) FROM ("
    + " UNION ALL ".join(
        f"SELECT report_id FROM {table} WHERE reported <= :known"
        for table in ("acts", "statements", "claims", "damage", "corrections")
    )
    + ")"
)


def reports_published(db: Queries, known: date) -> int:
    """How many reports were published by ``known`` (retractions and merges included)."""
    count: int = db.execute(REPORTS_PUBLISHED, {"known": known.isoformat()}).fetchone()[0]
    return count


def reports_on(db: Queries, day: str) -> list[str]:
    """The ids of the reports published on ``day``, in log order."""
    return [report["id"] for report in reports_between(db, shifted(date.fromisoformat(day), -1).isoformat(), day)]


def last_publication_before(db: Queries, day: date) -> str | None:
    """The latest day before ``day`` on which a report was published (None: none was)."""
    if day == date.min:
        return None
    found: str | None = db.execute(LATEST_REPORT, {"known": shifted(day, -1).isoformat()}).fetchone()[0]
    return found


def entering(db: Queries, before: Cut, after: Cut) -> set[str]:
    """The acts that begin after ``before.to`` and by ``after.to`` and are known at ``after``."""
    rows = db.execute(
        "SELECT report_id FROM acts WHERE occurred_from > :from_day AND occurred_from <= :to AND reported <= :known",
        {"from_day": before.to_text, "to": after.to_text, "known": after.known_text},
    )
    return {row[0] for row in rows}


def touched_between(db: Queries, before: Cut, after: Cut) -> set[str]:
    """The acts whose casualty figures or rungs can differ between the two cuts (``after`` no
    earlier than ``before`` on either axis), with every act merged with them."""
    everything = corrections(db)
    acts = entering(db, before, after)
    if after.known_text > before.known_text:
        acts |= Because(db, before.known_text, after.known_text, everything).touched()
    return {member for act in acts for member in everything.members(everything.group_of(act))}


ACT_RUNGS = f"""
    SELECT a.report_id AS id, a.occurred_from, a.occurred_to, {RUNG_AT_CUT} AS rung FROM acts a
    WHERE a.reported <= :known AND a.occurred_from <= :to AND {counted_sql("a")} AND {{which}}
"""
STATEMENT_RUNGS = f"""
    SELECT a.position AS id, a.occurred_from, a.occurred_to, a.rung FROM statements a
    WHERE a.reported <= :known AND a.occurred_from <= :to AND {counted_sql("a")} AND {{which}}
"""
"""The rungs, as the summary reads them, of the counted acts and statements at the cut that ``which`` selects."""
IN_WINDOWS = "a.occurred_from BETWEEN :lowest AND :to AND a.occurred_to >= :previous_first"
"""An item overlapping the two trailing windows the level and trend compare (``:lowest``: the
earliest start such an item can have, for the index)."""
NAMED = f"a.report_id IN {IN_IDS}"
STATEMENTS_BETWEEN = """
    SELECT report_id FROM statements WHERE reported > :since AND reported <= :known
    UNION SELECT report_id FROM statements WHERE occurred_from > :from_day AND occurred_from <= :to
"""
"""Statements published in (K1, K2], or begun after the earlier valid-time cut and by the later one."""


@dataclass
class Move:
    """What may differ between two cuts: the acts (:func:`touched_between`) and the statements."""

    acts: set[str]
    statements: set[str]


def move_between(db: Queries, before: Cut, after: Cut) -> Move:
    everything = corrections(db)
    window = {"since": before.known_text, "known": after.known_text, "from_day": before.to_text, "to": after.to_text}
    statements = {row[0] for row in db.execute(STATEMENTS_BETWEEN, window)}
    fresh = [item.report_id for item in everything.published_between(before.known_text, after.known_text)]
    if fresh:  # a statement a correction published meanwhile withdraws or reinstates
        named = {"ids": ids_json(everything.named_by(fresh))}
        statements.update(row["report_id"] for row in db.query(NAMED_STATEMENTS, named))
    return Move(touched_between(db, before, after), statements)


class MovingLevel:
    """The summary (``escalation_summary``: level, trend, cycles) at a cut that only moves forward.

    Keeps the rung of every counted act and statement overlapping the two trailing windows; on
    each move it asks again, in SQL, only about the acts and statements the move touched, drops
    what the windows left behind, and applies :func:`flashpoint.domain.ladder.level_at` (which
    the summary's SQL is held equal to) to what is left.
    """

    def __init__(self, db: Queries, cut: Cut) -> None:
        self.db, self.cut = db, cut
        self.items: dict[tuple[str, object], Rung] = {}
        self._summary: dict[str, Any] | None = None  # at self.cut, once asked
        self._read(cut, IN_WINDOWS, {})

    def move(self, cut: Cut, moved: Move) -> None:
        for act in moved.acts:
            self.items.pop(("acts", act), None)
        if moved.statements:
            ids = {"ids": ids_json(moved.statements)}
            for row in self.db.execute(f"SELECT position FROM statements WHERE report_id IN {IN_IDS}", ids):
                self.items.pop(("statements", row[0]), None)
        self.cut, self._summary = cut, None
        first = self._first(cut)
        for key in [key for key, item in self.items.items() if item.last < first]:
            del self.items[key]
        self._read(cut, NAMED, {"acts": moved.acts, "statements": moved.statements})

    def _first(self, cut: Cut) -> date:
        """The first day of the earlier of the two windows."""
        assert cut.to is not None
        return shifted(shifted(cut.to, 1 - cut.window), -cut.window)

    def _read(self, cut: Cut, which: str, ids: dict[str, set[str]]) -> None:
        first = self._first(cut)
        for table, sql in (("acts", ACT_RUNGS), ("statements", STATEMENT_RUNGS)):
            if which == NAMED and not ids[table]:
                continue
            parameters = {
                "known": cut.known_text,
                "to": cut.to_text,
                "previous_first": first.isoformat(),
                "lowest": lowest_start(self.db, table, first),
                "ids": ids_json(ids.get(table, ())),
            }
            for row in self.db.execute(sql.format(which=which), parameters):
                item = Rung(date.fromisoformat(row[1]), date.fromisoformat(row[2]), row[3])
                if item.last >= first:
                    self.items[(table, row[0])] = item

    def summary(self) -> dict[str, Any]:
        if self._summary is None:
            assert self.cut.to is not None
            level = level_at(self.items.values(), self.cut.to, self.cut.window)
            self._summary = summary_json(self.cut, self.cut.to, level, cycles_at(self.db, self.cut))
        return self._summary


class MovingTotals:
    """The casualty totals per party (``casualties(...)["totals"]``) at a cut that only moves
    forward: on each move, the touched incidents' figures at the cut before are taken out and
    their figures at the new cut put in, so nothing per incident is kept (memory stays flat)."""

    def __init__(self, db: Queries, cut: Cut, policy: str = "conservative") -> None:
        self.db, self.policy, self.cut = db, policy, cut
        self.sums: dict[str, dict[str, RunningTotal]] = defaultdict(_running)
        self.parties: dict[str, int] = defaultdict(int)  # party → incidents with a row at the cut
        state = in_force(db, cut.known_text)
        for _page, roots in counted_pages(db, state):  # a page at a time: memory stays flat
            self._count(casualties(db, cut, policy, incidents=roots, state=state)["incidents"], 1)

    def move(self, cut: Cut, moved: Move) -> None:
        if moved.acts:
            for at, sign in ((self.cut, -1), (cut, 1)):
                state = in_force(self.db, at.known_text)  # remembered while no correction is published
                self._count(casualties(self.db, at, self.policy, incidents=moved.acts, state=state)["incidents"], sign)
        self.cut = cut

    def _count(self, rows: list[dict[str, Any]], sign: int) -> None:
        for row in rows:
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


def _running() -> dict[str, RunningTotal]:
    return {which: RunningTotal() for which in FIGURES}


class Moving:
    """The answers a standing scenario reads, at a cut that moves forward one publication day at
    a time: the summary and the totals, each kept up to date from the first time it is asked."""

    def __init__(self, db: Queries, policy: str = "conservative") -> None:
        self.db, self.policy = db, policy
        self.cut: Cut | None = None
        self.level: MovingLevel | None = None
        self.tolls: MovingTotals | None = None

    def at(self, cut: Cut) -> None:
        """Move to ``cut``; one earlier than the current one on either axis starts afresh."""
        if cut.to is None:  # a question of the whole picture is not a moving one
            raise ValueError("a moving cut is at a day: give it --to")
        previous = self.cut
        if previous == cut:
            return
        if previous is None or cut.to_text < previous.to_text or cut.known_text < previous.known_text:
            self.level = self.tolls = None
        elif cut.window != previous.window:  # the level's two windows are of another length: afresh
            self.level = None
        if previous is not None and (self.level is not None or self.tolls is not None):
            moved = move_between(self.db, previous, cut)
            for part in (self.level, self.tolls):
                if part is not None:
                    part.move(cut, moved)
        self.cut = cut

    def summary(self) -> dict[str, Any]:
        assert self.cut is not None
        if self.level is None:
            self.level = MovingLevel(self.db, self.cut)
        return self.level.summary()

    def totals(self) -> dict[str, dict[str, Estimate]]:
        assert self.cut is not None
        if self.tolls is None:
            self.tolls = MovingTotals(self.db, self.cut, self.policy)
        return self.tolls.totals()
