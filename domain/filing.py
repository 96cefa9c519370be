"""The filing of a report in the log: its id, its content digest and the document itself.

One aggregate per report id makes the id unique in the log (a second filing is a
version clash the store refuses), lets a re-append be recognised as a no-op, and keeps
the original document so that the log can be re-validated against a newer contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic
from flashpoint.domain.actors import Actor
from flashpoint.domain.ids import fresh_natural_id
from flashpoint.domain.report import Envelope


class ReportFiling(Aggregate):
    if TYPE_CHECKING:
        # Made at run time by @event("ReportFiled") from __init__'s signature (a frozen
        # dataclass, as every event is); declared here so that type checkers see its fields.
        @dataclass(frozen=True)
        class ReportFiled(Aggregate.Created):
            report_id: str
            kind: str
            digest: str
            document: dict[str, Any]
            homes: list[str]

        @dataclass(frozen=True)
        class ReportsRetracted(Aggregate.Event):
            envelope: Envelope
            retracts: tuple[str, ...]

        @dataclass(frozen=True)
        class ActsMerged(Aggregate.Event):
            envelope: Envelope
            merges: tuple[str, ...]
            into: str

    @staticmethod
    def create_id(report_id: str) -> UUID:
        return fresh_natural_id("reports", report_id)

    @event("ReportFiled")
    def __init__(self, report_id: str, kind: str, digest: str, document: dict[str, Any], homes: list[str]) -> None:
        self.report_id = report_id
        self.kind = kind
        self.digest = digest
        self.document = document
        self.homes = homes

    @classmethod
    def filed(
        cls,
        report_id: str,
        kind: str,
        digest: str,
        document: dict[str, Any],
        homes: list[str],
        filing_id: UUID | None = None,
    ) -> ReportFiling.ReportFiled:
        """The ``ReportFiled`` event of a new filing, without building the aggregate.

        Appending 100,000 reports files 100,000 reports, and nothing reads the aggregate
        objects back in the same append: this is the same event ``ReportFiling(...)`` triggers.
        ``filing_id``, when given, is ``create_id(report_id)`` computed already.
        """
        return cls.ReportFiled(
            originator_id=filing_id or cls.create_id(report_id),
            originator_version=cls.INITIAL_VERSION,
            timestamp=cls.ReportFiled.create_timestamp(),
            originator_topic=TOPIC,
            report_id=report_id,
            kind=kind,
            digest=digest,
            document=document,
            homes=homes,
        )

    @event("StatementIssued")
    def issue_statement(
        self, envelope: Envelope, actor: Actor | None, stance: str | None, incident: str | None
    ) -> None:
        """A statement with no incident and no militia group to file it under lives with its report."""

    @event("ReportsRetracted")
    def retract(self, envelope: Envelope, retracts: tuple[str, ...]) -> None:
        """A retraction: from ``envelope.reported`` on, the reports ``retracts`` names are withdrawn.

        It lives with its own filing, as it is about reports, not about any act's installation or
        operation; the read side finds it by its topic. Stored lists read back as lists.
        """

    @event("ActsMerged")
    def merge(self, envelope: Envelope, merges: tuple[str, ...], into: str) -> None:
        """A merge: from ``envelope.reported`` on, the acts ``merges`` names are the act ``into``."""


TOPIC = get_topic(ReportFiling)
