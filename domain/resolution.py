"""Resolution, as pure rules: which reports an append may store, and what each concerns.

The write path (``Flashpoint.append``) looks up what the log already holds and asks these
functions; they raise :class:`~flashpoint.domain.errors.ReportConflict`,
:class:`~flashpoint.domain.errors.UnknownIncident` and
:class:`~flashpoint.domain.errors.InvalidValue`, which name the field at fault.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping

from flashpoint.domain.corrections import RETRACTION, Correction, Corrections
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


def as_correction(report: Report, position: int) -> Correction | None:
    """A retraction or merge report as :mod:`flashpoint.domain.corrections` reads it (else None)."""
    if report.kind is ReportKind.RETRACTION:
        return Correction(report.id, report.reported.isoformat(), position, retracts=report.retracts)
    if report.kind is ReportKind.MERGE and report.into is not None:
        return Correction(report.id, report.reported.isoformat(), position, merges=report.merges, into=report.into)
    return None


def including(corrections: Corrections, reports: Iterable[Report]) -> Corrections:
    """The log's corrections and the retractions and merges among ``reports`` (an append's, after them)."""
    added = (as_correction(report, POSITION_UNKNOWN) for report in reports)
    return Corrections([*corrections.items, *(item for item in added if item is not None)])


POSITION_UNKNOWN = 2**62
"""A correction not yet recorded: after every recorded one of its day."""


def merged_elsewhere(corrections: Corrections, act: str, merge: str) -> str | None:
    """The merge other than ``merge``, not withdrawn at full knowledge, that already merges ``act``."""
    withdrawn = corrections.withdrawn(None)
    others = (item.report_id for item in corrections.merges_of(act) if item.report_id != merge)
    return next((other for other in others if other not in withdrawn), None)


def retraction_cycle(corrections: Corrections, retraction: Report) -> list[str] | None:
    """The retractions from ``retraction`` back to it, each retracting the next, if any."""
    edges = {item.report_id: item.retracts for item in corrections.items if item.kind == RETRACTION}
    path = _path(edges, retraction.retracts, {retraction.id})
    return None if path is None else [retraction.id, *path]


def merge_cycle(corrections: Corrections, merge: Report) -> list[str] | None:
    """The acts from one that ``merge`` merges, through its ``into`` and every merge recorded
    (retracted or not: no knowledge cut may see a cycle), back to that act, if any."""
    edges: dict[str, list[str]] = {}
    for item in corrections.items:
        for act in item.merges:
            edges.setdefault(act, []).append(item.into or act)
    path = _path(edges, [merge.into] if merge.into else [], set(merge.merges))
    return None if path is None else [path[-1], *path]


def check_correction(report: Report, named: Mapping[str, Report], corrections: Corrections) -> None:
    """Refuse a retraction or merge that names reports neither in the log nor anywhere in this
    append (``named`` holds both) or reported after it; a merge of anything but acts, or of an act
    already merged elsewhere; and retractions or merges that would form a cycle (``corrections``
    holds every one of the log and the append). Other reports pass."""
    if report.kind is ReportKind.RETRACTION:
        _check_named(report, "retracts", report.retracts, named)
        cycle = retraction_cycle(corrections, report)
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
        other = merged_elsewhere(corrections, act_id, report.id)
        if other is not None:
            raise InvalidValue("merges", f"{act_id!r} is already merged elsewhere, by {other!r} (retract that first)")
    cycle = merge_cycle(corrections, report)
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
