"""Retractions and merges, as pure rules: what counts, and for which act, at a knowledge cut.

Nothing in the log is ever rewritten. A *retraction* withdraws the reports it names from
its ``reported`` day on: their acts, claims, statements and damage assessments no longer
count at that knowledge cut or later (they still count before it). Retracting a
retraction reinstates what it withdrew; a withdrawn report is one named by a retraction in
force at the cut, recursively. A *merge* makes the acts it ``merges`` one with ``into``
from its ``reported`` day on: only ``into`` is listed, and what was said about the others
(claims, damage, stated responses) counts for it. Merges chain (a into b, b into c: a
counts for c); a merge is suspended while it, or its ``into``, is withdrawn.

Both act on the knowledge cut only: the valid-time cut (``--to``) never hides them. The
append refuses the corrections that would make these rules ambiguous (unknown ids, cycles,
an act merged twice, a correction published before what it names): see
:mod:`flashpoint.domain.resolution`. The rules here still terminate on any input.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

RETRACTION, MERGE = "retraction", "merge"


@dataclass(frozen=True, slots=True)
class Correction:
    """A retraction (``retracts``) or a merge (``merges`` into ``into``), as the log holds it."""

    report_id: str
    reported: str  # ISO day: it takes effect at this knowledge cut
    position: int  # its place in the log, the tie-break between corrections of one day
    retracts: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()
    into: str | None = None

    @property
    def kind(self) -> str:
        return MERGE if self.into is not None else RETRACTION

    @property
    def names(self) -> tuple[str, ...]:
        """Every report id it names: the retracted reports, or the merged acts and ``into``."""
        if self.into is not None:
            return (*self.merges, self.into)
        return self.retracts


@dataclass(frozen=True)
class InForce:
    """What the corrections in force at one knowledge cut decide.

    ``withdrawn``: the report ids that no longer count. ``parents``: each act an in-force
    merge names, and the act it counts for (follow them to the root with :meth:`root`).
    """

    withdrawn: frozenset[str] = frozenset()
    parents: Mapping[str, str] = field(default_factory=dict)

    def counts(self, report_id: str) -> bool:
        """Whether a report counts at this cut (it is not withdrawn)."""
        return report_id not in self.withdrawn

    def root(self, act: str) -> str:
        """The act that ``act`` counts for: itself, or the end of its chain of merges."""
        seen = {act}
        while act in self.parents:
            act = self.parents[act]
            if act in seen:  # a cycle the append refuses; stop rather than loop
                break
            seen.add(act)
        return act

    def listed(self, act: str) -> bool:
        """Whether an act is on the timeline: not withdrawn, and not merged into another."""
        return self.counts(act) and act not in self.parents

    def about(self, report_id: str, incident: str) -> str | None:
        """The act that something ``report_id`` said about ``incident`` counts for, or None.

        A claim, damage assessment or stated response counts while its own report and the act
        it concerns both count (a withdrawn act suspends what was said about it), and then
        for the act that one counts for.
        """
        if not (self.counts(report_id) and self.counts(incident)):
            return None
        return self.root(incident)

    @property
    def is_empty(self) -> bool:
        return not self.withdrawn and not self.parents


NOTHING = InForce()


REMEMBERED_CUTS = 64
"""How many knowledge cuts :meth:`Corrections.in_force` remembers (the oldest is forgotten first)."""


class Corrections:
    """Every retraction and merge in the log, asked what holds at a knowledge cut."""

    def __init__(self, corrections: Iterable[Correction] = ()) -> None:
        self.items = sorted(corrections, key=lambda item: (item.reported, item.position))
        self.by_id = {item.report_id: item for item in self.items}
        self._retracted_by: dict[str, list[Correction]] = defaultdict(list)
        self._merged_by: dict[str, list[Correction]] = defaultdict(list)
        self._decided: dict[int, InForce] = {}  # by how many corrections are public
        self._days = [item.reported for item in self.items]
        for item in self.items:
            for name in item.retracts:
                self._retracted_by[name].append(item)
            for name in item.names if item.into is not None else ():
                self._merged_by[name].append(item)

    def __bool__(self) -> bool:
        return bool(self.items)

    def in_force(self, known: str | None) -> InForce:
        """What the corrections published by ``known`` (None: all of them) decide (remembered per cut)."""
        if not self.items:
            return NOTHING
        # What holds depends only on which corrections are public: remembered by how many are,
        # so that two cuts with no correction published between them share one answer.
        public = len(self.items) if known is None else bisect_right(self._days, known)
        if public not in self._decided:
            if len(self._decided) >= REMEMBERED_CUTS:  # watch asks at every publication day: stay flat
                del self._decided[next(iter(self._decided))]
            self._decided[public] = self._in_force(known)
        return self._decided[public]

    def _in_force(self, known: str | None) -> InForce:
        public = [item for item in self.items if known is None or item.reported <= known]
        withdrawn = self.withdrawn(known)
        parents: dict[str, str] = {}
        for item in public:  # in (reported, position) order: of two merges of one act, the later holds
            if item.into is None or item.report_id in withdrawn or item.into in withdrawn:
                continue
            for act in item.merges:
                parents[act] = item.into
        return InForce(frozenset(withdrawn), parents)

    def withdrawn(self, known: str | None) -> set[str]:
        """The reports that a retraction in force at ``known`` names (None: at full knowledge).

        A retraction is in force when it is published by then and not itself withdrawn. Walked
        without recursion, so that a long chain of retractions of retractions cannot overflow the
        stack; in a cycle (which the append refuses) the retraction met again reads as in force.
        """
        verdicts: dict[str, bool] = {}

        def public(report_id: str) -> list[str]:
            return [
                item.report_id
                for item in self._retracted_by.get(report_id, ())
                if known is None or item.reported <= known
            ]

        for start in self._retracted_by:
            stack, entered = [start], set()
            while stack:
                current = stack[-1]
                if current in verdicts:
                    stack.pop()
                    continue
                waiting = [other for other in public(current) if other not in verdicts and other not in entered]
                if waiting and current not in entered:
                    entered.add(current)
                    stack.extend(waiting)
                    continue
                stack.pop()
                verdicts[current] = any(not verdicts.get(other, False) for other in public(current))
        return {report_id for report_id, withdrawn in verdicts.items() if withdrawn}

    def published_between(self, since: str, known: str) -> list[Correction]:
        """The corrections published after ``since`` and by ``known`` (ISO days), in order."""
        return self.items[bisect_right(self._days, since) : bisect_right(self._days, known)]

    def merges_of(self, act: str) -> list[Correction]:
        """The merges (in force or not) that name ``act`` among the acts they merge."""
        return [item for item in self._merged_by.get(act, ()) if act in item.merges]

    @cached_property
    def named(self) -> frozenset[str]:
        """Every report some correction names (only these, and what they concern, can be corrected)."""
        return frozenset(self._retracted_by) | frozenset(self._merged_by)

    def touching(self, report_ids: Iterable[str]) -> list[Correction]:
        """The corrections that can change whether or for what these reports count: those naming
        them, and, recursively, those naming such a correction."""
        found: dict[str, Correction] = {}
        pending = list(report_ids)
        while pending:
            name = pending.pop()
            for item in (*self._retracted_by.get(name, ()), *self._merged_by.get(name, ())):
                if item.report_id not in found:
                    found[item.report_id] = item
                    pending.append(item.report_id)
        return sorted(found.values(), key=lambda item: (item.reported, item.position))

    def named_by(self, report_ids: Iterable[str]) -> set[str]:
        """The reports these corrections name, and, recursively, what the named corrections name."""
        named: set[str] = set()
        pending = list(report_ids)
        while pending:
            item = self.by_id.get(pending.pop())
            for name in item.names if item is not None else ():
                if name not in named:
                    named.add(name)
                    pending.append(name)
        return named

    @cached_property
    def groups(self) -> dict[str, str]:
        """Each act named by any merge (in force at some cut or not), and one member of its group:
        the acts a chain of merges could ever make one. Other acts are groups of their own."""
        parent: dict[str, str] = {}

        def find(act: str) -> str:
            while parent.setdefault(act, act) != act:
                parent[act] = parent[parent[act]]
                act = parent[act]
            return act

        for item in self.items:
            if item.into is not None:
                for act in item.merges:
                    parent[find(act)] = find(item.into)
        return {act: find(act) for act in list(parent)}

    def group_of(self, act: str) -> str:
        return self.groups.get(act, act)

    @cached_property
    def _members(self) -> dict[str, set[str]]:
        members: dict[str, set[str]] = defaultdict(set)
        for act, key in self.groups.items():
            members[key].add(act)
        return members

    def members(self, key: str) -> set[str]:
        """Every act of the group ``key`` names (:meth:`group_of`): the acts merges could make one."""
        return self._members.get(key) or {key}
