"""Casualty claims: what one source said about the dead and wounded of one party.

A claim is never a fact. Figures keep the source's hedge (``at least 5``) and, when a
source gave only a word ("several", "a small number"), the word itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flashpoint.domain.errors import InvalidValue, unknown_key
from flashpoint.domain.sources import Source, parse_source
from flashpoint.domain.vocabulary import Party, Qualifier, member

_E = TypeVar("_E", Party, Qualifier)

MAX_FIGURE = 10_000_000
"""Larger figures are typing errors (and would overflow SQLite's integers in the read models)."""

CLAIM_KEYS = ("party", "killed", "injured", "qualifier", "source")
_CLAIM_KEY_SET = frozenset(CLAIM_KEYS)
FIGURES = ("killed", "injured")

Figure = int | str | None
"""A number, the reported word for an unquantified figure, or absent."""


@dataclass(frozen=True, slots=True)
class CasualtyClaim:
    party: Party
    qualifier: Qualifier
    source: Source
    killed: Figure = None
    injured: Figure = None

    def figure(self, which: str) -> Figure:
        value: Figure = getattr(self, which)
        return value

    def states(self, which: str) -> bool:
        """Whether this claim says anything about ``killed`` or ``injured``."""
        return self.figure(which) is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party.value,
            "killed": self.killed,
            "injured": self.injured,
            "qualifier": self.qualifier.value,
            "source": self.source.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CasualtyClaim:
        return cls(
            Party(data["party"]),
            Qualifier(data["qualifier"]),
            Source.from_dict(data["source"]),
            data.get("killed"),
            data.get("injured"),
        )


SIGNS = {"at_least": "≥", "at_most": "≤", "approximately": "~"}
"""How a hedged figure reads in tables and listings: ``≥34``, ``≤10``, ``~10``."""


def figure_text(qualifier: str, figure: Figure) -> str:
    """One claimed figure as text: ``≥34`` (at least 34), ``4`` (exact), ``several`` (a word)."""
    return f"{SIGNS.get(qualifier, '')}{figure}" if isinstance(figure, int) else str(figure)


def claim_text(qualifier: str, killed: Figure, injured: Figure) -> str:
    """What a claim says, as text: ``≥34 injured``, ``4 killed, ~10 injured``, ``not yet assessed``."""
    if qualifier == Qualifier.NOT_ASSESSED.value:
        return "not yet assessed"
    stated = [(which, figure) for which, figure in (("killed", killed), ("injured", injured)) if figure is not None]
    return ", ".join(f"{figure_text(qualifier, figure)} {which}" for which, figure in stated) or "unquantified"


def parse_claim(value: object, field: str, default_source: Source | None) -> CasualtyClaim:
    """Validate one ``casualties`` item; the report's first source speaks when none is named."""
    if type(value) is not dict and not isinstance(value, Mapping):
        raise InvalidValue(field, "expected a mapping {party, killed, injured, qualifier, source}")
    if not _CLAIM_KEY_SET.issuperset(value):
        for key in value:
            if key not in CLAIM_KEYS:
                raise unknown_key(f"{field}.{key}", key, CLAIM_KEYS)
    party = _enum(Party, value.get("party"), f"{field}.party", required=True)
    qualifier = _enum(Qualifier, value.get("qualifier", "exact"), f"{field}.qualifier", required=True)
    if "source" in value:
        source = parse_source(value["source"], f"{field}.source")
    elif default_source is not None:
        source = default_source
    else:
        raise InvalidValue(f"{field}.source", "required: who made this claim")
    killed = _figure(value.get("killed"), qualifier, f"{field}.killed")
    injured = _figure(value.get("injured"), qualifier, f"{field}.injured")
    if killed is None and injured is None and qualifier not in (Qualifier.UNQUANTIFIED, Qualifier.NOT_ASSESSED):
        raise InvalidValue(f"{field}.killed", f"a {qualifier.value} claim needs killed or injured")
    return CasualtyClaim(party, qualifier, source, killed, injured)


def _figure(value: object, qualifier: Qualifier, field: str) -> Figure:
    if value is None:
        return None
    if qualifier is Qualifier.NOT_ASSESSED:
        raise InvalidValue(field, "a not_assessed claim carries no figure")
    if qualifier is Qualifier.UNQUANTIFIED:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        raise InvalidValue(field, "an unquantified figure is the reported word (e.g. 'several')")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, f"expected a whole number, got {value!r}")
    if value < 0:
        raise InvalidValue(field, f"must not be negative, got {value}")
    if value > MAX_FIGURE:
        raise InvalidValue(field, f"{value} is not a plausible figure (the limit is {MAX_FIGURE:,})")
    return value


def _enum(enum: type[_E], value: object, field: str, *, required: bool) -> _E:
    if value is None and required:
        raise InvalidValue(field, "required")
    try:
        return member(enum, value)
    except ValueError:
        allowed = ", ".join(item.value for item in enum)
        raise InvalidValue(field, f"{value!r} is not one of: {allowed}") from None
