"""Resolution, as pure rules: which reports an append may store, and what each concerns.

The write path (``Flashpoint.append``) looks up what the log already holds and asks these
functions; they raise :class:`~flashpoint.domain.errors.ReportConflict` and
:class:`~flashpoint.domain.errors.UnknownIncident`, which name the field at fault.
"""

from __future__ import annotations

from flashpoint.domain.errors import ReportConflict, UnknownIncident
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
