"""flashpoint's domain: aggregates, events and value objects. No I/O, no imports from above.

Names load on first use (PEP 562): the aggregates bring eventsourcing, which a question answered
from the read models never needs, and ``from flashpoint.domain import name_key`` must not pay
for it. ``from flashpoint.domain.actors import name_key`` and this are the same object.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing's: importing typing alone costs a few ms of start-up
if TYPE_CHECKING:
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

_HOMES = {
    "KNOWN_ACTORS": "actors",
    "UNKNOWN_ACTOR": "actors",
    "Actor": "actors",
    "known_actor": "actors",
    "name_key": "actors",
    "parse_actor": "actors",
    "CasualtyClaim": "claims",
    "parse_claim": "claims",
    "Occurred": "dates",
    "Precision": "dates",
    "parse_day": "dates",
    "FlashpointError": "errors",
    "InvalidValue": "errors",
    "ReportConflict": "errors",
    "UnknownIncident": "errors",
    "ReportFiling": "filing",
    "Installation": "installation",
    "MilitiaGroup": "militia_group",
    "Operation": "operation",
    "Envelope": "report",
    "Report": "report",
    "digest_of": "report",
    "parse_report": "report",
    "Source": "sources",
    "parse_source": "sources",
    "ActorType": "vocabulary",
    "Damage": "vocabulary",
    "Party": "vocabulary",
    "Qualifier": "vocabulary",
    "ReportKind": "vocabulary",
    "Side": "vocabulary",
    "Stance": "vocabulary",
}
"""Where each exported name is defined."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'flashpoint.domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"flashpoint.domain.{home}"), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
