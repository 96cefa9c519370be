"""Who acted, and the natural keys that make the same name the same aggregate.

Analysts spell names many ways (``Kata'ib Hezbollah``, ``Kataib Hezbollah``, ``KH``).
:func:`name_key` folds spelling; :data:`KNOWN_ACTORS` folds aliases and supplies the
side and actor type an analyst would otherwise have to repeat in every report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flashpoint.domain.contract import Choice, Shape, Text, check_fields, mapping_schema
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.vocabulary import ActorType, Side

_APOSTROPHES = re.compile(r"['’‘`ʼ.]")
_SEPARATORS = re.compile(r"[\W_]+")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """A spelling-insensitive key, the one names are matched by: NFKD, combining marks dropped
    (accents), lower-case, apostrophes and periods deleted, every other run of characters that
    are not letters or digits (in any script) one separator. ``Kata'ib Ḥizbullāh`` and
    ``kataib hizbullah`` are one name; two names in Arabic stay two."""
    text = "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char))
    text = _APOSTROPHES.sub("", text.lower())
    return _SEPARATORS.sub("-", text).strip("-")


def id_key(name: str) -> str:
    """The key aggregate ids were derived from when logs began, kept as it was for good (stored
    events name their aggregates by it): like :func:`name_key`, but every letter outside ASCII
    dropped. Never change it; match names with :func:`name_key`."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower())
    return _ASCII_SEPARATORS.sub("-", text).strip("-")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    side: Side
    type: ActorType

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def is_militia(self) -> bool:
        return self.type is ActorType.MILITIA

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "side": self.side.value, "type": self.type.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Actor:
        return cls(data["name"], Side(data["side"]), ActorType(data["type"]))


UNKNOWN_ACTOR = Actor("unknown", Side.UNKNOWN, ActorType.UNKNOWN)

_S, _M = ActorType.STATE_FORCES, ActorType.MILITIA
_KNOWN: list[tuple[str, Side, ActorType, tuple[str, ...]]] = [
    (
        "United States",
        Side.US_COALITION,
        _S,
        (
            "US",
            "U.S.",
            "USA",
            "United States of America",
            "US military",
            "U.S. military",
            "US forces",
            "U.S. forces",
            "United States military",
            "Pentagon",
            "CENTCOM",
            "US Central Command",
            "U.S. Central Command",
        ),
    ),
    (
        "Global Coalition",
        Side.US_COALITION,
        _S,
        (
            "Coalition",
            "US-led coalition",
            "CJTF-OIR",
            "Operation Inherent Resolve",
            "Combined Joint Task Force-Operation Inherent Resolve",
        ),
    ),
    ("United Kingdom", Side.US_COALITION, _S, ("UK", "U.K.", "Britain")),
    ("Iran", Side.IRAN_ALIGNED, _S, ("Islamic Republic of Iran", "Iranian government")),
    ("Islamic Revolutionary Guard Corps", Side.IRAN_ALIGNED, _S, ("IRGC", "Quds Force", "IRGC-QF")),
    (
        "Iraq",
        Side.HOST_NATION,
        _S,
        ("Iraqi government", "Government of Iraq", "Iraqi Security Forces", "ISF"),
    ),
    ("Syria", Side.OTHER, _S, ("Syrian government", "Syrian Arab Army")),
    (
        "Kata'ib Hezbollah",
        Side.IRAN_ALIGNED,
        _M,
        ("Kataib Hezbollah", "Kata'ib Hizballah", "Kataib Hizballah", "Kataeb Hezbollah", "KH"),
    ),
    (
        "Kata'ib Sayyid al-Shuhada",
        Side.IRAN_ALIGNED,
        _M,
        ("Kataib Sayyid al-Shuhada", "Kata'ib Sayyid al-Shuhadaa", "KSS"),
    ),
    (
        "Harakat Hezbollah al-Nujaba",
        Side.IRAN_ALIGNED,
        _M,
        ("Harakat al-Nujaba", "al-Nujaba", "Nujaba", "HHN"),
    ),
    ("Asa'ib Ahl al-Haq", Side.IRAN_ALIGNED, _M, ("Asaib Ahl al-Haq", "AAH")),
    ("Islamic Resistance in Iraq", Side.IRAN_ALIGNED, _M, ("IRI",)),
    (
        "Iran-backed militias",
        Side.IRAN_ALIGNED,
        _M,
        (
            "Iran-backed militia groups",
            "Iranian-backed militias",
            "Iran-backed militia",
            "Iran-backed groups",
            "Iran-backed Iraqi factions",
            "Iraqi militias",
        ),
    ),
    (
        "Popular Mobilization Forces",
        Side.HOST_NATION,
        _M,
        ("PMF", "Hashd al-Shaabi", "Popular Mobilisation Forces"),
    ),
]

KNOWN_ACTORS: dict[str, Actor] = {}
for _name, _side, _type, _aliases in _KNOWN:
    _actor = Actor(_name, _side, _type)
    for _alias in (_name, *_aliases):
        KNOWN_ACTORS[name_key(_alias)] = _actor


def known_actor(name: str) -> Actor | None:
    """The canonical actor for any of its spellings or aliases, if flashpoint knows it."""
    return KNOWN_ACTORS.get(name_key(name))


def canonical_name(name: str) -> str:
    """Known actors by their canonical name; anything else as written (trimmed)."""
    known = known_actor(name)
    return known.name if known else " ".join(name.split())


ACTOR_FIELDS: dict[str, Shape] = {
    "name": Text(blank="required: a non-empty actor name"),
    "side": Choice(Side),
    "type": Choice(ActorType),
}
_REQUIRED = {"name": "required: a non-empty actor name"}
_BARE_NAME = Text(blank="an actor name must not be empty")


class ActorShape(Shape):
    """An actor: a known name (aliases accepted), ``unknown``, or a mapping of :data:`ACTOR_FIELDS`."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Actor:
        if isinstance(value, str):
            name = _BARE_NAME.check(value, field, as_filed=as_filed) or ""
            if name_key(name) == "unknown":
                return UNKNOWN_ACTOR
            return known_actor(name) or Actor(" ".join(name.split()), Side.UNKNOWN, ActorType.UNKNOWN)
        if not isinstance(value, Mapping):
            raise InvalidValue(field, "expected a name or a mapping {name, side, type}")
        read = check_fields(value, field, ACTOR_FIELDS, _REQUIRED, as_filed=as_filed)
        name = read["name"]
        base = UNKNOWN_ACTOR if name_key(name) == "unknown" else known_actor(name)
        side = read["side"] or (base.side if base else Side.UNKNOWN)
        kind = read["type"] or (base.type if base else ActorType.UNKNOWN)
        return Actor(base.name if base else " ".join(name.split()), side, kind)

    def json_schema(self) -> dict[str, Any]:
        return {
            "description": "A known name (aliases accepted), 'unknown', or {name, side, type}.",
            "anyOf": [_BARE_NAME.json_schema(), mapping_schema(ACTOR_FIELDS, _REQUIRED)],
        }


ACTOR = ActorShape()


def parse_actor(value: object, field: str, *, as_filed: bool = False) -> Actor:
    """An actor from a known name, ``unknown``, or ``{name, side, type}`` (known defaults fill gaps)."""
    return ACTOR.check(value, field, as_filed=as_filed)
