"""Casualty claims: what one source said about the dead and wounded of one party.

A claim is never a fact. Figures keep the source's hedge (``at least 5``) and, when a
source gave only a word ("several", "a small number"), the word itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flashpoint.domain.contract import Choice, Count, Nothing, Shape, Text, check_fields, mapping_schema, nullable
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.sources import SOURCE, Source
from flashpoint.domain.vocabulary import Party, Qualifier

MAX_FIGURE = 10_000_000
"""Larger figures are typing errors (and would overflow SQLite's integers in the read models)."""

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


FIGURE_SHAPES: dict[Qualifier, Shape] = {
    **dict.fromkeys(
        (Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.AT_MOST, Qualifier.APPROXIMATELY), Count(MAX_FIGURE)
    ),
    Qualifier.UNQUANTIFIED: Text(
        blank="an unquantified figure is the reported word (e.g. 'several')",
        fold=True,
        got="an unquantified figure is the reported word (e.g. 'several')",
    ),
    Qualifier.NOT_ASSESSED: Nothing("a not_assessed claim carries no figure"),
}
"""What a figure is under each qualifier: a count, the reported word, or nothing."""

NEEDS_A_FIGURE = frozenset(qualifier for qualifier, shape in FIGURE_SHAPES.items() if isinstance(shape, Count))
"""Qualifiers whose claims state killed or injured."""


class _AnyFigure(Shape):
    """A figure before its qualifier is known; :data:`FIGURE_SHAPES` reads it."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> object:
        return value

    def json_schema(self) -> dict[str, Any]:
        shapes = (FIGURE_SHAPES[Qualifier.EXACT], FIGURE_SHAPES[Qualifier.UNQUANTIFIED])
        return {"anyOf": [shape.json_schema() for shape in shapes]}


CLAIM_FIELDS: dict[str, Shape] = {
    "party": Choice(Party),
    "killed": _AnyFigure(),
    "injured": _AnyFigure(),
    "qualifier": Choice(Qualifier, "how the source hedged the figure; exact when absent"),
    "source": SOURCE,
}
CLAIM_KEYS = tuple(CLAIM_FIELDS)
CLAIM_REQUIRED = {"party": "required"}


def parse_claim(value: object, field: str, default_source: Source | None, *, as_filed: bool = False) -> CasualtyClaim:
    """Validate one ``casualties`` item; the report's first source speaks when none is named."""
    if not isinstance(value, Mapping):
        raise InvalidValue(field, "expected a mapping {party, killed, injured, qualifier, source}")
    read = check_fields(value, field, CLAIM_FIELDS, CLAIM_REQUIRED, as_filed=as_filed)
    qualifier = read["qualifier"] or Qualifier.EXACT
    source = read["source"] or default_source
    if source is None:
        raise InvalidValue(f"{field}.source", "required: who made this claim")
    figures = {
        which: None
        if read[which] is None
        else FIGURE_SHAPES[qualifier].check(read[which], f"{field}.{which}", as_filed=as_filed)
        for which in FIGURES
    }
    if figures["killed"] is None and figures["injured"] is None and qualifier in NEEDS_A_FIGURE:
        raise InvalidValue(f"{field}.killed", f"a {qualifier.value} claim needs killed or injured")
    return CasualtyClaim(read["party"], qualifier, source, figures["killed"], figures["injured"])


class ClaimShape(Shape):
    """One ``casualties`` item as the schema states it. The validator reads it with
    :func:`parse_claim` once the report's sources are known (the first speaks for a claim
    that names none), so here it is passed on as it is."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> object:
        return value

    def json_schema(self) -> dict[str, Any]:
        return mapping_schema(CLAIM_FIELDS, CLAIM_REQUIRED) | {"allOf": [_figures_under(q) for q in Qualifier]}


def _figures_under(qualifier: Qualifier) -> dict[str, Any]:
    """The figures a claim with this qualifier may (and, for counts, must) state."""
    figure = nullable(FIGURE_SHAPES[qualifier].json_schema())
    then: dict[str, Any] = {"properties": dict.fromkeys(FIGURES, figure)}
    if qualifier in NEEDS_A_FIGURE:
        then["anyOf"] = [{"required": [which], "properties": {which: {"not": {"type": "null"}}}} for which in FIGURES]
    if qualifier is Qualifier.EXACT:  # the default: absent or null
        condition: dict[str, Any] = {"properties": {"qualifier": {"enum": [None, qualifier.value]}}}
    else:
        condition = {"required": ["qualifier"], "properties": {"qualifier": {"const": qualifier.value}}}
    return {"if": condition, "then": then}


CLAIM = ClaimShape()
