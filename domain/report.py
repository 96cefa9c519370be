"""A report: one reported act or statement, validated against the report contract.

:func:`parse_report` turns one decoded YAML/JSON mapping into a :class:`Report` or raises
:class:`InvalidValue` naming the field. Nothing here touches files or the log.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import orjson
from flashpoint.domain.actors import Actor, parse_actor
from flashpoint.domain.claims import CasualtyClaim, parse_claim
from flashpoint.domain.dates import Occurred, parse_day
from flashpoint.domain.errors import InvalidValue, unknown_key
from flashpoint.domain.external import parse_acled_record
from flashpoint.domain.sources import Source, parse_source
from flashpoint.domain.vocabulary import HOSTILE_ACTS, Damage, ReportKind, Stance, member

REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 100_000

LIST_OF_TEXT = ("target", "country", "aircraft", "munitions", "grounds")
TEXT = ("place", "ordered_by", "outcome", "notes", "weapon")
REPORT_KEYS = frozenset(
    {
        "id",
        "kind",
        "occurred",
        "reported",
        "actor",
        "target",
        "target_actor",
        "damage",
        "lat",
        "lon",
        "responds_to",
        "incident",
        "stance",
        "casualties",
        "sources",
        "acled",
        *LIST_OF_TEXT,
        *TEXT,
    }
)
CASUALTY_KINDS = HOSTILE_ACTS | {ReportKind.CASUALTY_REPORT}
SPOKEN = frozenset({ReportKind.STATEMENT, ReportKind.ATTRIBUTION})


@dataclass(frozen=True, slots=True)
class Envelope:
    """What every event of a report carries: which report, when, and according to whom."""

    report_id: str
    kind: str
    occurred: Occurred
    reported: date
    sources: tuple[Source, ...]
    place: str | None = None
    country: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    responds_to: tuple[str, ...] = ()
    notes: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "kind": self.kind,
            "occurred": self.occurred,
            "reported": self.reported,
            "sources": list(self.sources),
            "place": self.place,
            "country": list(self.country),
            "lat": self.lat,
            "lon": self.lon,
            "responds_to": list(self.responds_to),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Envelope:
        return cls(
            report_id=data["report_id"],
            kind=data["kind"],
            occurred=data["occurred"],
            reported=data["reported"],
            sources=tuple(data.get("sources") or ()),
            place=data.get("place"),
            country=tuple(data.get("country") or ()),
            lat=data.get("lat"),
            lon=data.get("lon"),
            responds_to=tuple(data.get("responds_to") or ()),
            notes=data.get("notes"),
        )


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    kind: ReportKind
    occurred: Occurred | None
    reported: date
    sources: tuple[Source, ...]
    actor: Actor | None = None
    target: tuple[str, ...] = ()
    target_actor: tuple[Actor, ...] = ()
    damage: Damage | None = None
    stance: Stance | None = None
    incident: str | None = None
    casualties: tuple[CasualtyClaim, ...] = ()
    place: str | None = None
    country: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    aircraft: tuple[str, ...] = ()
    munitions: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    ordered_by: str | None = None
    outcome: str | None = None
    weapon: str | None = None
    responds_to: tuple[str, ...] = ()
    notes: str | None = None
    digest: str = field(default="", compare=False)

    def envelope(self) -> Envelope:
        if self.occurred is None:
            raise InvalidValue("occurred", "unknown: give occurred or an incident that is in the log")
        return Envelope(
            self.id,
            self.kind.value,
            self.occurred,
            self.reported,
            self.sources,
            self.place,
            self.country,
            self.lat,
            self.lon,
            self.responds_to,
            self.notes,
        )

    def dated(self, occurred: Occurred) -> Report:
        """This report taking its occurrence from the incident it concerns."""
        report = replace(self, occurred=occurred)
        check_reported_after_occurred(report)
        return report


def canonical_json(document: Mapping[str, Any]) -> str:
    """One spelling of a document's content: sorted keys, no spaces, Unicode as is.

    This exact text is what digests are taken of, and digests are stored in logs: it must
    never change. It is ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))``.
    """
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# orjson spells some floats differently from json.dumps: tiny ones positionally (0.00001
# vs 1e-05), exponents without padding (1e-7 vs 1e-07), non-finite ones as null. A document
# whose orjson text holds anything of the kind (or merely looks so, inside a string) is
# re-encoded. Substring tests first: a regular expression over every report costs more
# than the encoding saved.
_EXPONENT = re.compile(rb"[0-9]e[-+]")


def _spelled_differently(encoded: bytes) -> bool:
    if b"null" in encoded or b"0.0000" in encoded:
        return True
    return (b"e-" in encoded or b"e+" in encoded) and _EXPONENT.search(encoded) is not None


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """:func:`canonical_json` as UTF-8, several times faster: orjson where it agrees byte for byte.

    Raises TypeError or ValueError for values that are not plain JSON data.
    """
    try:
        encoded = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # non-string keys, integers beyond 64 bits, lone surrogates
        encoded = b"null"
    if _spelled_differently(encoded):
        return canonical_json(document).encode("utf-8")
    return encoded


def digest_of_canonical(canonical: str | bytes) -> str:
    return hashlib.sha256(canonical.encode("utf-8") if isinstance(canonical, str) else canonical).hexdigest()


def digest_of(document: Mapping[str, Any]) -> str:
    """Content identity of a report document, independent of YAML/JSON spelling and key order."""
    return digest_of_canonical(canonical_bytes(document))


def parse_report_id(value: object, field: str = "id") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidValue(field, "required: a report id matching [a-z0-9][a-z0-9._-]*")
    if len(value) > MAX_ID_LENGTH:
        raise InvalidValue(field, f"longer than {MAX_ID_LENGTH} characters")
    if not REPORT_ID.match(value):
        raise InvalidValue(field, f"{_short(value)} does not match [a-z0-9][a-z0-9._-]*")
    return value


def parse_report(document: object, digest: str | None = None, *, as_filed: bool = False) -> Report:
    """Validate one report mapping against the contract (see ``flashpoint schema``).

    ``digest`` saves recomputing the content digest when the caller already has it.
    ``as_filed`` reads back a document from the log: the date range, which versions before
    it did not enforce, is not applied, so the log's own reports stay readable (``verify``
    still holds them to the whole contract).
    """
    if type(document) is not dict and not isinstance(document, Mapping):
        raise InvalidValue("", f"a report must be a mapping, got {type(document).__name__}")
    if not REPORT_KEYS.issuperset(document):
        for key in document:
            if key not in REPORT_KEYS:
                raise unknown_key(str(key), key, REPORT_KEYS)
    report_id = parse_report_id(document.get("id"))
    kind = _kind(document.get("kind"))
    parse_acled_record(document.get("acled"))  # kept in the document, for exports
    if "reported" not in document:
        raise InvalidValue("reported", "required: the day the information became public")
    in_range = not as_filed
    reported = parse_day(document["reported"], "reported", in_range=in_range)
    occurred = Occurred.parse(document["occurred"], in_range=in_range) if document.get("occurred") is not None else None
    if occurred is None and document.get("incident") is None and kind in SPOKEN:
        occurred = Occurred.on(reported)  # a statement about nothing earlier happens when it is made
    sources = _sources(document.get("sources"))
    report = Report(
        id=report_id,
        kind=kind,
        occurred=occurred,
        reported=reported,
        sources=sources,
        actor=parse_actor(document["actor"], "actor") if document.get("actor") is not None else None,
        target=_texts(document, "target"),
        target_actor=_actors(document.get("target_actor")),
        damage=_choice(Damage, document.get("damage"), "damage"),
        stance=_choice(Stance, document.get("stance"), "stance"),
        incident=(parse_report_id(document["incident"], "incident") if document.get("incident") is not None else None),
        casualties=_claims(document.get("casualties"), sources[0] if sources else None),
        place=_text(document, "place"),
        country=_texts(document, "country"),
        lat=_coordinate(document.get("lat"), "lat", 90),
        lon=_coordinate(document.get("lon"), "lon", 180),
        aircraft=_texts(document, "aircraft"),
        munitions=_texts(document, "munitions"),
        grounds=_texts(document, "grounds"),
        ordered_by=_text(document, "ordered_by"),
        outcome=_text(document, "outcome"),
        weapon=_text(document, "weapon"),
        responds_to=_responds_to(document.get("responds_to")),
        notes=_text(document, "notes"),
        digest=digest or digest_of(document),
    )
    check_kind_rules(report)
    check_reported_after_occurred(report)
    return report


def check_kind_rules(report: Report) -> None:
    """Fields that only make sense for some kinds, and fields some kinds cannot do without."""
    kind = report.kind
    if kind.is_hostile_act and report.occurred is None:
        raise InvalidValue("occurred", f"required for a {kind.value}")
    if kind.concerns_incident and report.incident is None:
        raise InvalidValue("incident", f"required for a {kind.value}: the report id of the act")
    if kind is ReportKind.CASUALTY_REPORT and not report.casualties:
        raise InvalidValue("casualties", "required for a casualty_report: at least one claim")
    if kind is ReportKind.DAMAGE_ASSESSMENT and report.damage is None:
        raise InvalidValue("damage", "required for a damage_assessment")
    if kind is ReportKind.STATEMENT and report.stance is None:
        raise InvalidValue("stance", "required for a statement")
    if kind is not ReportKind.STATEMENT and report.stance is not None:
        raise InvalidValue("stance", "only statements have a stance")
    if kind is ReportKind.ATTRIBUTION and report.actor is None:
        raise InvalidValue("actor", "required for an attribution: who is held responsible")
    if report.casualties and kind not in CASUALTY_KINDS and report.incident is None:
        raise InvalidValue(
            "casualties", f"a {kind.value} carries casualty claims only about an incident (give incident)"
        )
    if report.incident == report.id:
        raise InvalidValue("incident", "a report cannot concern itself")
    if report.id in report.responds_to:
        raise InvalidValue("responds_to", "a report cannot respond to itself")
    if (report.lat is None) != (report.lon is None):
        raise InvalidValue("lat" if report.lat is None else "lon", "lat and lon go together")


def check_reported_after_occurred(report: Report) -> None:
    if report.occurred is not None and report.reported < report.occurred.start:
        raise InvalidValue(
            "reported",
            f"{report.reported} is before the occurrence begins ({report.occurred.start})",
        )


def _kind(value: object) -> ReportKind:
    if value is None:
        raise InvalidValue("kind", "required")
    try:
        return member(ReportKind, value)
    except ValueError:
        allowed = " | ".join(kind.value for kind in ReportKind)
        raise InvalidValue("kind", f"{_short(value)} is not one of: {allowed}") from None


def _choice(enum: type[Damage] | type[Stance], value: object, field: str) -> Any:
    if value is None:
        return None
    try:
        return member(enum, value)
    except ValueError:
        allowed = ", ".join(item.value for item in enum)
        raise InvalidValue(field, f"{_short(value)} is not one of: {allowed}") from None


def _sources(value: object) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidValue("sources", "expected a list of sources")
    return tuple(parse_source(item, f"sources[{index}]") for index, item in enumerate(value))


def _claims(value: object, default_source: Source | None) -> tuple[CasualtyClaim, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidValue("casualties", "expected a list of claims")
    return tuple(parse_claim(item, f"casualties[{index}]", default_source) for index, item in enumerate(value))


def _actors(value: object) -> tuple[Actor, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(parse_actor(item, f"target_actor[{index}]") for index, item in enumerate(value))
    return (parse_actor(value, "target_actor"),)


def _text(document: Mapping[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(key, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidValue(key, f"longer than {MAX_TEXT_LENGTH} characters")
    return value.strip() or None


def _texts(document: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = document.get(key)
    if value is None:
        return ()
    items: Sequence[object] = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise InvalidValue(key, "expected text or a list of text")
    texts = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise InvalidValue(f"{key}[{index}]", "expected non-empty text")
        texts.append(" ".join(item.split()))
    return tuple(texts)


def _responds_to(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise InvalidValue("responds_to", "expected a list of report ids")
    return tuple(parse_report_id(item, f"responds_to[{index}]") for index, item in enumerate(items))


def _coordinate(value: object, field: str, bound: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(field, f"expected a number, got {_short(value)}")
    if not -bound <= value <= bound:
        raise InvalidValue(field, f"{value} is outside -{bound}..{bound}")
    return float(value)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
