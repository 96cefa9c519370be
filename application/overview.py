"""A readable picture of what the log holds, straight from the filed reports.

Used by ``flashpoint demo``: every report in order of when it occurred, who did what
to whom, and each casualty claim with its source. (The escalation and casualty read
models answer the analytical questions; this is the plain record.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flashpoint.domain import CasualtyClaim, Report, parse_report
from flashpoint.domain.claims import claim_text

STANCE_WORDS = {"de_escalation": "de-escalation"}
"""Stances whose words are not their vocabulary with spaces for underscores."""


@dataclass(frozen=True)
class Entry:
    report: Report

    @property
    def sort_key(self) -> tuple[str, str, str]:
        occurred = self.report.occurred
        start = occurred.start.isoformat() if occurred else self.report.reported.isoformat()
        return (start, self.report.reported.isoformat(), self.report.id)

    def who(self) -> str:
        actor = self.report.actor.name if self.report.actor else "—"
        whom = "; ".join(self.report.target) or "; ".join(a.name for a in self.report.target_actor)
        return f"{actor} → {whom}" if whom else actor

    def what(self) -> str:
        """``airstrike damage: unknown responds to bdsc-drone-2021-06``, ``statement (de-escalation)``."""
        report = self.report
        parts = [report.kind.value.replace("_", " ")]
        if report.stance:
            parts.append(f"({STANCE_WORDS.get(report.stance.value, report.stance.value.replace('_', ' '))})")
        if report.damage:
            parts.append(f"damage: {report.damage.value}")
        if report.incident:
            parts.append(f"about {report.incident}")
        if report.responds_to:
            parts.append(f"responds to {', '.join(report.responds_to)}")
        return " ".join(parts)

    def claims(self) -> list[str]:
        return [describe_claim(claim) for claim in self.report.casualties]

    def as_dict(self) -> dict[str, Any]:
        report = self.report
        return {
            "id": report.id,
            "kind": report.kind.value,
            "occurred": report.occurred.text() if report.occurred else None,
            "reported": report.reported.isoformat(),
            "actor": report.actor.name if report.actor else None,
            "target": list(report.target),
            "stance": report.stance.value if report.stance else None,
            "damage": report.damage.value if report.damage else None,
            "incident": report.incident,
            "responds_to": list(report.responds_to),
            "claims": [claim.as_dict() for claim in report.casualties],
        }


def describe_claim(claim: CasualtyClaim) -> str:
    """``militia: 4 killed — two Iraqi militia officials via Associated Press``."""
    said = claim_text(claim.qualifier.value, claim.killed, claim.injured)
    return f"{claim.party.value}: {said} — {claim.source.label()}"


def entries(documents: Iterable[dict[str, Any]]) -> list[Entry]:
    """Parse filed documents; reports dated by their incident take the incident's date."""
    reports = {report.id: report for report in (parse_report(document, as_filed=True) for document in documents)}
    dated = []
    for report in reports.values():
        incident = reports.get(report.incident) if report.incident else None
        if report.occurred is None and incident is not None and incident.occurred is not None:
            report = report.dated(incident.occurred)
        dated.append(Entry(report))
    return sorted(dated, key=lambda entry: entry.sort_key)
