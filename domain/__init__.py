"""flashpoint's domain: aggregates, events and value objects. No I/O, no imports from above."""

from flashpoint.domain.actors import KNOWN_ACTORS, UNKNOWN_ACTOR, Actor, known_actor, name_key, parse_actor
from flashpoint.domain.claims import CasualtyClaim, parse_claim
from flashpoint.domain.dates import Occurred, Precision, parse_day
from flashpoint.domain.errors import FlashpointError, InvalidValue, ReportConflict, UnknownIncident
from flashpoint.domain.filing import ReportFiling
from flashpoint.domain.installation import Installation
from flashpoint.domain.militia_group import MilitiaGroup
from flashpoint.domain.operation import Operation
from flashpoint.domain.report import Envelope, Report, digest_of, parse_report
from flashpoint.domain.sources import Source, parse_source
from flashpoint.domain.vocabulary import (
    ActorType,
    Damage,
    Party,
    Qualifier,
    ReportKind,
    Side,
    Stance,
)

__all__ = [
    "KNOWN_ACTORS",
    "UNKNOWN_ACTOR",
    "Actor",
    "ActorType",
    "CasualtyClaim",
    "Damage",
    "Envelope",
    "FlashpointError",
    "Installation",
    "InvalidValue",
    "MilitiaGroup",
    "Occurred",
    "Operation",
    "Party",
    "Precision",
    "Qualifier",
    "Report",
    "ReportConflict",
    "ReportFiling",
    "ReportKind",
    "Side",
    "Source",
    "Stance",
    "UnknownIncident",
    "digest_of",
    "known_actor",
    "name_key",
    "parse_actor",
    "parse_claim",
    "parse_day",
    "parse_report",
    "parse_source",
]
