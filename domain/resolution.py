"""Resolution, as pure rules: which reports an append may store, and what each concerns.

The write path (``Flashpoint.append``) looks up what the log already holds and asks these
functions; they raise :class:`~flashpoint.domain.errors.ReportConflict`,
:class:`~flashpoint.domain.errors.UnknownIncident` and
:class:`~flashpoint.domain.errors.InvalidValue`, which name the field at fault.
"""

from __future__ import annotations

from collections.abc import Mapping

from flashpoint.domain.errors import InvalidValue, ReportConflict, UnknownIncident
from flashpoint.domain.report import SPOKEN, Report


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
