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
from flashpoint.domain.actors import ACTOR, Actor
from flashpoint.domain.claims import CLAIM, CasualtyClaim, parse_claim
from flashpoint.domain.contract import (
    ID_BODY,
    Choice,
    Code,
    Coordinate,
    Day,
    Many,
    ReportId,
    ReportIds,
    Shape,
    Text,
    Texts,
    When,
    check_fields,
)
from flashpoint.domain.dates import Occurred
from flashpoint.domain.errors import InvalidReport, InvalidValue
from flashpoint.domain.external import ACLED_RECORD, UCDP_RECORD
from flashpoint.domain.sources import SOURCE, Source
from flashpoint.domain.vocabulary import GEO_PRECISION, HOSTILE_ACTS, Damage, ReportKind, Stance

REPORT_FIELDS: dict[str, Shape] = {
    "id": ReportId("unique in the log; re-appending identical content is a no-op"),
    "kind": Choice(ReportKind),
    "occurred": When("valid time"),
    "reported": Day("the day it became public (knowledge time)"),
    "actor": ACTOR,
    "target": Texts("installation or group names (created on first use)"),
    "target_actor": Many(ACTOR, "whose people or assets were hit", one=True),
    "damage": Choice(Damage),
    "place": Text("where, in words"),
    "country": Texts("countries"),
    "lat": Coordinate(90),
    "lon": Coordinate(180),
    "geo_precision": Code(GEO_PRECISION, "how exactly lat/lon or place locate it: 1 exact, 2 near, 3 region only"),
    "aircraft": Texts("aircraft types (airstrikes)"),
    "munitions": Texts("munitions (airstrikes)"),
    "ordered_by": Text("who ordered the operation (airstrikes)"),
    "weapon": Text("the weapon as reported, e.g. one-way attack drone (attacks)"),
    "acled": ACLED_RECORD,
    "ucdp": UCDP_RECORD,
    "outcome": Text("how the operation ended, e.g. aircraft returned safely (airstrikes)"),
    "grounds": Texts("legal or political grounds (justification statements)"),
    "responds_to": ReportIds("report ids of acts this one answers, as a source stated"),
    "incident": ReportId("the act a casualty report, damage assessment or statement concerns"),
    "retracts": ReportIds("report ids this retraction withdraws from its reported day on (retractions)", named=True),
    "merges": ReportIds("act report ids that are one act with into from its reported day on (merges)", named=True),
    "into": ReportId("the act the merged acts become (merges)"),
    "stance": Choice(Stance),
    "casualties": Many(CLAIM, "claims"),
    "sources": Many(SOURCE, "sources"),
    "notes": Text("in your own words"),
}
"""Every field of a report and its shape: read by :func:`parse_report`, printed by ``flashpoint schema``."""
REPORT_KEYS = frozenset(REPORT_FIELDS)
REQUIRED_FIELDS = {
    "id": f"required: a report id matching {ID_BODY}",
    "kind": "required",
    "reported": "required: the day the information became public",
}
CASUALTY_KINDS = HOSTILE_ACTS | {ReportKind.CASUALTY_REPORT}
SPOKEN = frozenset({ReportKind.STATEMENT, ReportKind.ATTRIBUTION})


@dataclass(frozen=True)
class KindRule:
    """A field that the ``kinds`` must give (``required``), or that only they may give (not ``required``)."""

    field: str
    kinds: frozenset[ReportKind]
    required: bool
    message: str

    def broken_by(self, kind: ReportKind, given: bool) -> bool:
        return (kind in self.kinds and not given) if self.required else (kind not in self.kinds and given)


def _kinds(*kinds: ReportKind) -> frozenset[ReportKind]:
    return frozenset(kinds)


KIND_RULES = (
    KindRule("occurred", frozenset(HOSTILE_ACTS), True, "required for a {kind}"),
    KindRule(
        "incident",
        _kinds(ReportKind.CASUALTY_REPORT, ReportKind.DAMAGE_ASSESSMENT),
        True,
        "required for a {kind}: the report id of the act",
    ),
    KindRule("casualties", _kinds(ReportKind.CASUALTY_REPORT), True, "required for a {kind}: at least one claim"),
    KindRule("damage", _kinds(ReportKind.DAMAGE_ASSESSMENT), True, "required for a {kind}"),
    KindRule("stance", _kinds(ReportKind.STATEMENT), True, "required for a {kind}"),
    KindRule("stance", _kinds(ReportKind.STATEMENT), False, "only statements have a stance"),
    KindRule("actor", _kinds(ReportKind.ATTRIBUTION), True, "required for an {kind}: who is held responsible"),
    KindRule("retracts", _kinds(ReportKind.RETRACTION), True, "required for a {kind}: the report ids it withdraws"),
    KindRule("retracts", _kinds(ReportKind.RETRACTION), False, "only retractions retract reports"),
    KindRule("merges", _kinds(ReportKind.MERGE), True, "required for a {kind}: the acts that become one with into"),
    KindRule("merges", _kinds(ReportKind.MERGE), False, "only merges merge acts"),
    KindRule("into", _kinds(ReportKind.MERGE), True, "required for a {kind}: the act the merged acts become"),
    KindRule("into", _kinds(ReportKind.MERGE), False, "only merges have into"),
)
"""What each kind must give and may not give: read by :func:`kind_rule_errors` and the schema."""

CORRECTION_FIELDS = ("id", "kind", "reported", "retracts", "merges", "into", "sources", "notes")
"""Every field a retraction or merge may give (the kind rules then split retracts from merges and
into): a correction is about other reports, so a place, a date or a claim in one is a mistake."""


def correction_fields(kind: ReportKind) -> list[str]:
    """The fields a retraction or a merge may give, as its refusals list them."""
    forbidden = {rule.field for rule in KIND_RULES if not rule.required and rule.broken_by(kind, True)}
    return [key for key in CORRECTION_FIELDS if key not in forbidden]


TOGETHER = (("lat", "lon"),)
"""Fields given both or neither."""


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
    geo_precision: int | None = None

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
            "geo_precision": self.geo_precision,
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
            geo_precision=data.get("geo_precision"),
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
    geo_precision: int | None = None
    aircraft: tuple[str, ...] = ()
    munitions: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    ordered_by: str | None = None
    outcome: str | None = None
    weapon: str | None = None
    responds_to: tuple[str, ...] = ()
    notes: str | None = None
    retracts: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()
    into: str | None = None
    digest: str = field(default="", compare=False)

    @property
    def corrected(self) -> tuple[str, ...]:
        """The reports a retraction or merge names: what it retracts, or merges and into."""
        return (*self.retracts, *self.merges, *((self.into,) if self.into is not None else ()))

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
            self.geo_precision,
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


def parse_report(document: object, digest: str | None = None, *, as_filed: bool = False) -> Report:
    """Validate one report mapping against the contract (see ``flashpoint schema``).

    Every refusal is found, not only the first: an :class:`InvalidReport` holds them all,
    and names the first as its own field and message.

    ``digest`` saves recomputing the content digest when the caller already has it.
    ``as_filed`` reads back a document from the log: the date range and the ban on control
    characters, which versions before it did not enforce, are not applied, so the log's own
    reports stay readable (``verify`` still holds them to the whole contract).
    """
    if not isinstance(document, Mapping):
        raise InvalidValue("", f"a report must be a mapping, got {type(document).__name__}")
    errors: list[InvalidValue] = []
    read = check_fields(document, "", REPORT_FIELDS, REQUIRED_FIELDS, as_filed=as_filed, errors=errors)
    sources: tuple[Source, ...] = read["sources"] or ()
    claims = _claims(read["casualties"] or (), sources[0] if sources else None, as_filed, errors)
    if errors:
        raise InvalidReport(errors)
    kind, occurred, reported = read["kind"], read["occurred"], read["reported"]
    if occurred is None and read["incident"] is None and (kind in SPOKEN or kind.is_correction):
        occurred = Occurred.on(reported)  # a statement about nothing earlier, or a correction, happens when made
    report = Report(
        id=read["id"],
        kind=kind,
        occurred=occurred,
        reported=reported,
        sources=sources,
        actor=read["actor"],
        target=read["target"] or (),
        target_actor=read["target_actor"] or (),
        damage=read["damage"],
        stance=read["stance"],
        incident=read["incident"],
        casualties=claims,
        place=read["place"],
        country=read["country"] or (),
        lat=read["lat"],
        lon=read["lon"],
        geo_precision=read["geo_precision"],
        aircraft=read["aircraft"] or (),
        munitions=read["munitions"] or (),
        grounds=read["grounds"] or (),
        ordered_by=read["ordered_by"],
        outcome=read["outcome"],
        weapon=read["weapon"],
        responds_to=read["responds_to"] or (),
        notes=read["notes"],
        retracts=read["retracts"] or (),
        merges=read["merges"] or (),
        into=read["into"],
        digest=digest or digest_of(document),
    )
    broken = [
        *_beyond_correction_fields(kind, document),
        *kind_rule_errors(report),
        *_reported_before_occurred(report),
        *_published_after_reported(report, document),
    ]
    if broken:
        raise InvalidReport(broken)
    return report


def kind_rule_errors(report: Report) -> list[InvalidValue]:
    """Fields that only make sense for some kinds, fields some kinds cannot do without, and the
    rules between fields of one report."""
    kind = report.kind
    errors = [
        InvalidValue(rule.field, rule.message.format(kind=kind.value))
        for rule in KIND_RULES
        if rule.broken_by(kind, _given(getattr(report, rule.field)))
    ]
    if report.casualties and kind not in CASUALTY_KINDS and report.incident is None:
        errors.append(
            InvalidValue("casualties", f"a {kind.value} carries casualty claims only about an incident (give incident)")
        )
    if report.incident == report.id:
        errors.append(InvalidValue("incident", "a report cannot concern itself"))
    if report.id in report.responds_to:
        errors.append(InvalidValue("responds_to", "a report cannot respond to itself"))
    if report.id in report.retracts:
        errors.append(InvalidValue("retracts", "a retraction cannot retract itself"))
    if report.id in report.merges:
        errors.append(InvalidValue("merges", "a merge cannot merge itself"))
    if report.into == report.id:
        errors.append(InvalidValue("into", "a merge cannot merge into itself"))
    elif report.into in report.merges:
        errors.append(InvalidValue("into", f"{report.into!r} is among merges: an act cannot be merged into itself"))
    for pair in TOGETHER:
        given = [getattr(report, key) is not None for key in pair]
        if any(given) and not all(given):
            errors.append(InvalidValue(pair[given.index(False)], f"{' and '.join(pair)} go together"))
    return errors


def _beyond_correction_fields(kind: ReportKind, document: Mapping[str, Any]) -> list[InvalidValue]:
    """Each field a retraction or merge gives (not null) that it may not: see :data:`CORRECTION_FIELDS`."""
    if not kind.is_correction:
        return []
    allowed = correction_fields(kind)
    return [
        InvalidValue(key, f"a {kind.value} accepts only {', '.join(allowed)}")
        for key, value in document.items()
        if key not in CORRECTION_FIELDS and value is not None
    ]


def _given(value: object) -> bool:
    return value is not None and value != ()


def check_reported_after_occurred(report: Report) -> None:
    errors = _reported_before_occurred(report)
    if errors:
        raise errors[0]


def _reported_before_occurred(report: Report) -> list[InvalidValue]:
    if report.occurred is not None and report.reported < report.occurred.start:
        return [
            InvalidValue("reported", f"{report.reported} is before the occurrence begins ({report.occurred.start})")
        ]
    return []


def _published_after_reported(report: Report, document: Mapping[str, Any]) -> list[InvalidValue]:
    """Each source (of the report, or a claim's own) published after the report was: the report
    cannot have made public on its ``reported`` day what appeared only later."""
    named = [(f"sources[{index}]", source) for index, source in enumerate(report.sources)]
    items = document.get("casualties") or ()
    for index, (item, claim) in enumerate(zip(items, report.casualties, strict=True)):
        if isinstance(item, Mapping) and item.get("source") is not None:
            named.append((f"casualties[{index}].source", claim.source))
    return [
        InvalidValue(f"{field}.published", f"{source.published} is after the report's reported day ({report.reported})")
        for field, source in named
        if source.published is not None and source.published > report.reported
    ]


def _claims(
    items: Sequence[object], default_source: Source | None, as_filed: bool, errors: list[InvalidValue]
) -> tuple[CasualtyClaim, ...]:
    claims = []
    for index, item in enumerate(items):
        try:
            claims.append(parse_claim(item, f"casualties[{index}]", default_source, as_filed=as_filed))
        except InvalidValue as error:
            errors.append(error)
    return tuple(claims)
