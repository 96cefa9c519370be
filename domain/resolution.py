"""Resolution, as pure rules: which reports an append may store, and what each concerns.

The write path (``Flashpoint.append``) looks up what the log already holds and asks these
functions; they raise :class:`~flashpoint.domain.errors.ReportConflict`,
:class:`~flashpoint.domain.errors.UnknownIncident` and
:class:`~flashpoint.domain.errors.InvalidValue`, which name the field at fault.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping

from flashpoint.domain.errors import InvalidValue, ReportConflict, UnknownIncident
from flashpoint.domain.report import SPOKEN, Report
from flashpoint.domain.vocabulary import ReportKind


def is_new(report: Report, filed_digest: str | None) -> bool:
    """Whether ``report`` is new to the log: identical content again is a no-op (False); the
    same id with other content is refused — revisions are new reports."""
    if filed_digest is None:
        return True
    if filed_digest == report.digest:
        return False
    raise ReportConflict(
        "id", f"{report.id!r} is already in the log with different content (revise it with a new report)"
    )


def concerning(report: Report, incident: Report | None) -> Report:
    """``report`` as it concerns its incident (``None``: neither in the log nor in the append).

    A report about an act takes the act's ``occurred`` when it has none. A dated statement
    may mention an act not yet reported, unless it makes claims about it: claims need their act.
    """
    if report.incident is None:
        return report
    if incident is None:
        if report.kind in SPOKEN and report.occurred is not None and not report.casualties:
            return report
        raise UnknownIncident("incident", f"{report.incident!r} is neither in the log nor in this append")
    if not incident.kind.is_hostile_act:
        raise UnknownIncident("incident", f"{report.incident!r} is a {incident.kind.value}, not an attack or airstrike")
    if report.occurred is None and incident.occurred is not None:
        return report.dated(incident.occurred)  # refused (``reported``) if published before it happened
    return report


def check_responses(report: Report, answerable: Mapping[str, Report]) -> None:
    """Refuse a ``responds_to`` naming a report that is neither in the log nor anywhere in this
    append (``answerable`` holds both), or an act that began after the response ended: a
    response cannot come before what it answers (a negative lag). Ending on the day the act
    begins is fine. A report with no ``occurred`` of its own yet (one taking it from its
    incident) is not dated here."""
    for answered in report.responds_to:
        act = answerable.get(answered)
        if act is None:
            raise UnknownIncident("responds_to", f"{answered!r} is neither in the log nor in this append")
        if report.occurred is not None and act.occurred is not None and report.occurred.end < act.occurred.start:
            raise InvalidValue(
                "responds_to",
                f"{answered!r} began on {act.occurred.start}, after this response ended ({report.occurred.end}):"
                " a response cannot come before the act it answers",
            )


class Corrections:
    """Every retraction and merge the log and the append hold, as the append-time rules see them.

    ``retractions`` maps each retraction's id to the ids it retracts; ``merges`` each merge's id
    to the acts it merges and the act they become. Merges are kept whether retracted or not:
    a cycle must be refused even if a knowledge cut would only see part of it.
    """

    def __init__(
        self,
        retractions: Mapping[str, Iterable[str]] | None = None,
        merges: Mapping[str, tuple[Iterable[str], str]] | None = None,
    ) -> None:
        self.retractions = {key: tuple(ids) for key, ids in (retractions or {}).items()}
        self.merges = {key: (tuple(merged), into) for key, (merged, into) in (merges or {}).items()}
        self._retracted_by = _inverted((key, ids) for key, ids in self.retractions.items())
        self._merged_by = _inverted((key, merged) for key, (merged, _) in self.merges.items())
        self._merged_into = {act: [self.merges[key][1] for key in keys] for act, keys in self._merged_by.items()}
        self._withdrawn: dict[str, bool] = {}

    def including(self, reports: Iterable[Report]) -> Corrections:
        """These corrections and the retractions and merges among ``reports`` (an append's)."""
        retractions: dict[str, Iterable[str]] = dict(self.retractions)
        merges: dict[str, tuple[Iterable[str], str]] = dict(self.merges)
        for report in reports:
            if report.kind is ReportKind.RETRACTION:
                retractions[report.id] = report.retracts
            elif report.kind is ReportKind.MERGE and report.into is not None:
                merges[report.id] = (report.merges, report.into)
        return Corrections(retractions, merges)

    def withdrawn(self, report_id: str) -> bool:
        """Whether a retraction in force at full knowledge names the report: one that is not
        itself withdrawn (retracting a retraction reinstates what it withdrew).

        Walked without recursion, so a long chain of retractions cannot overflow the stack; a
        cycle (refused, but judged before that refusal is raised) reads as in force.
        """
        known = self._withdrawn
        stack, entered = [report_id], set()
        while stack:
            current = stack[-1]
            retractions = self._retracted_by.get(current, ())
            waiting = [one for one in retractions if one not in known and one not in entered]
            if current not in known and current not in entered and waiting:
                entered.add(current)
                stack.extend(waiting)
                continue
            stack.pop()
            known.setdefault(current, any(not known.get(one, False) for one in retractions))
        return known[report_id]

    def merged_elsewhere(self, act: str, merge: str) -> str | None:
        """The merge other than ``merge``, not withdrawn at full knowledge, that already merges ``act``."""
        others = (other for other in self._merged_by.get(act, ()) if other != merge)
        return next((other for other in others if not self.withdrawn(other)), None)

    def retraction_cycle(self, retraction: Report) -> list[str] | None:
        """The retractions from ``retraction`` back to it, each retracting the next, if any."""
        path = _path(self.retractions, retraction.retracts, {retraction.id})
        return None if path is None else [retraction.id, *path]

    def merge_cycle(self, merge: Report) -> list[str] | None:
        """The acts from one that ``merge`` merges, through its ``into`` and the merges of every
        merge recorded, back to that act, if any."""
        path = _path(self._merged_into, [merge.into] if merge.into else [], set(merge.merges))
        return None if path is None else [path[-1], *path]


def _inverted(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    """For each id named, the keys naming it."""
    inverted: dict[str, list[str]] = {}
    for key, ids in pairs:
        for named in ids:
            inverted.setdefault(named, []).append(key)
    return inverted


def check_correction(report: Report, named: Mapping[str, Report], corrections: Corrections) -> None:
    """Refuse a retraction or merge that names reports neither in the log nor anywhere in this
    append (``named`` holds both) or reported after it; a merge of anything but acts, or of an act
    already merged elsewhere; and retractions or merges that would form a cycle (``corrections``
    holds every one of the log and the append). Other reports pass."""
    if report.kind is ReportKind.RETRACTION:
        _check_named(report, "retracts", report.retracts, named)
        cycle = corrections.retraction_cycle(report)
        if cycle is not None:
            raise InvalidValue("retracts", f"retractions would retract each other in a cycle: {' → '.join(cycle)}")
    elif report.kind is ReportKind.MERGE and report.into is not None:
        _check_merge(report, report.into, named, corrections)


def _check_merge(report: Report, into: str, named: Mapping[str, Report], corrections: Corrections) -> None:
    for field, ids in (("merges", report.merges), ("into", (into,))):
        _check_named(report, field, ids, named)
        for act_id in ids:
            act = named[act_id]
            if not act.kind.is_hostile_act:
                raise UnknownIncident(field, f"{act_id!r} is a {act.kind.value}, not an attack or airstrike")
    for act_id in report.merges:
        other = corrections.merged_elsewhere(act_id, report.id)
        if other is not None:
            raise InvalidValue("merges", f"{act_id!r} is already merged elsewhere, by {other!r} (retract that first)")
    cycle = corrections.merge_cycle(report)
    if cycle is not None:
        raise InvalidValue("into", f"merges would merge acts into each other in a cycle: {' → '.join(cycle)}")


def _check_named(report: Report, field: str, ids: Iterable[str], named: Mapping[str, Report]) -> None:
    """Each id names a report in the log or the append, reported no later than ``report``."""
    for report_id in ids:
        found = named.get(report_id)
        if found is None:
            raise UnknownIncident(field, f"{report_id!r} is neither in the log nor in this append")
        if found.reported > report.reported:
            raise InvalidValue(
                field,
                f"{report_id!r} was reported on {found.reported}, after this {report.kind.value}"
                f" ({report.reported}): a correction cannot come before what it corrects",
            )


def _path(edges: Mapping[str, Iterable[str]], starts: Iterable[str], goals: Collection[str]) -> list[str] | None:
    """The shortest path along ``edges`` from one of ``starts`` to one of ``goals``, or None."""
    came_from: dict[str, str | None] = dict.fromkeys(starts)
    queue = deque(came_from)
    while queue:
        node = queue.popleft()
        if node in goals:
            path = [node]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for following in edges.get(node, ()):
            if following not in came_from:
                came_from[following] = node
                queue.append(following)
    return None
