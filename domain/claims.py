"""Casualty claims: what one source said about the dead and wounded of one party.

A claim is never a fact. Figures keep the source's hedge (``at least 5``), a range when the
source gave one (``between 4 and 7``: ``{from: 4, to: 7}``) and, when a source gave only a word
("several", "a small number"), the word itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flashpoint.domain.contract import (
    Choice,
    Count,
    Nothing,
    Shape,
    Text,
    check_fields,
    mapping_schema,
    nullable,
    short,
)
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.sources import SOURCE, Source
from flashpoint.domain.vocabulary import Party, Qualifier

MAX_FIGURE = 10_000_000
"""Larger figures are typing errors (and would overflow SQLite's integers in the read models)."""

FIGURES = ("killed", "injured")


@dataclass(frozen=True, slots=True)
class FigureRange:
    """A figure a source gave as a range ("between 4 and 7"): ``start`` <= ``end``.

    ``{from: 4, to: 4}`` is kept as the source said it; every estimate treats it as exact 4
    (its lower bound, its best candidate and its high are all 4)."""

    start: int
    end: int

    def as_dict(self) -> dict[str, int]:
        """The contract's spelling, ``{"from": 4, "to": 7}`` (also how events store it)."""
        return {"from": self.start, "to": self.end}


Figure = int | str | FigureRange | None
"""A number, a range, the reported word for an unquantified figure, or absent."""

FigureJSON = int | str | dict[str, int] | None
"""A figure as JSON spells it: a range is ``{"from": 4, "to": 7}``."""


def figure_json(figure: Figure) -> FigureJSON:
    """A figure in its JSON spelling (events, ``log --json``, the casualties JSON)."""
    return figure.as_dict() if isinstance(figure, FigureRange) else figure


def figure_from_json(value: Figure | FigureJSON) -> Figure:
    """A figure from its JSON spelling (a stored event, the casualties JSON); the others pass."""
    return FigureRange(value["from"], value["to"]) if isinstance(value, Mapping) else value


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
            "killed": figure_json(self.killed),
            "injured": figure_json(self.injured),
            "qualifier": self.qualifier.value,
            "source": self.source.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CasualtyClaim:
        return cls(
            Party(data["party"]),
            Qualifier(data["qualifier"]),
            Source.from_dict(data["source"]),
            figure_from_json(data.get("killed")),
            figure_from_json(data.get("injured")),
        )


SIGNS = {"at_least": "≥", "at_most": "≤", "approximately": "~"}
"""How a hedged figure reads in tables and listings: ``≥34``, ``≤10``, ``~10``."""


RANGE_WORD = " to "
"""How a range reads: ``4 to 7``."""


def figure_text(qualifier: str, figure: Figure | FigureJSON) -> str:
    """One claimed figure as text: ``≥34`` (at least 34), ``4`` (exact), ``4 to 7`` (a range),
    ``several`` (a word). ``figure`` as the domain or its JSON spells it."""
    figure = figure_from_json(figure)
    if isinstance(figure, FigureRange):
        return f"{figure.start}{RANGE_WORD}{figure.end}"
    return f"{SIGNS.get(qualifier, '')}{figure}" if isinstance(figure, int) else str(figure)


WORDS = {"at_least": "at least ", "at_most": "at most ", "approximately": "about "}
"""How a hedged figure reads in a sentence: ``at least 5``, ``at most 10``, ``about 10``."""


def figure_words(qualifier: str, figure: Figure | FigureJSON) -> str:
    """One claimed figure as words, for a citation: ``at least 5``, ``4``, ``4 to 7``, ``several``."""
    figure = figure_from_json(figure)
    if isinstance(figure, FigureRange):
        return f"{figure.start}{RANGE_WORD}{figure.end}"
    return f"{WORDS.get(qualifier, '')}{figure}" if isinstance(figure, int) else str(figure)


def claim_text(qualifier: str, killed: Figure | FigureJSON, injured: Figure | FigureJSON) -> str:
    """What a claim says, as text: ``≥34 injured``, ``4 killed, ~10 injured``, ``4 to 7 killed``,
    ``not yet assessed``."""
    if qualifier == Qualifier.NOT_ASSESSED.value:
        return "not yet assessed"
    stated = [(which, figure) for which, figure in (("killed", killed), ("injured", injured)) if figure is not None]
    return ", ".join(f"{figure_text(qualifier, figure)} {which}" for which, figure in stated) or "unquantified"


class RangeShape(Shape):
    """A figure given as a range, ``{from: 4, to: 7}``: two counts, ``from`` not above ``to``
    (JSON Schema cannot compare them: :data:`~flashpoint.domain.contract.UNSCHEMATIC_RULES`)."""

    ENDS: ClassVar[dict[str, Shape]] = {"from": Count(MAX_FIGURE), "to": Count(MAX_FIGURE)}
    REQUIRED: ClassVar[dict[str, str]] = {
        "from": "required: the range's lower end",
        "to": "required: the range's upper end",
    }

    def check(self, value: object, field: str, *, as_filed: bool = False) -> FigureRange:
        if not isinstance(value, Mapping):
            raise InvalidValue(field, f"a between figure is a range {{from: 4, to: 7}}, got {short(value)}")
        ends = check_fields(value, field, self.ENDS, self.REQUIRED, as_filed=as_filed)
        if ends["from"] > ends["to"]:
            raise InvalidValue(f"{field}.from", f"{ends['from']} is above the range's to ({ends['to']})")
        return FigureRange(ends["from"], ends["to"])

    def json_schema(self) -> dict[str, Any]:
        return mapping_schema(self.ENDS, self.REQUIRED) | {"description": "a range: from <= to"}


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
    Qualifier.BETWEEN: RangeShape(),
}
"""What a figure is under each qualifier: a count, a range, the reported word, or nothing."""

NEEDS_A_FIGURE = frozenset(
    qualifier for qualifier, shape in FIGURE_SHAPES.items() if isinstance(shape, Count | RangeShape)
)
"""Qualifiers whose claims state killed or injured."""

UNSTATED = (Qualifier.EXACT, Qualifier.BETWEEN)
"""What an absent qualifier means: exact for numbers, between for ranges."""


class _AnyFigure(Shape):
    """A figure before its qualifier is known; :data:`FIGURE_SHAPES` reads it."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> object:
        return value

    def json_schema(self) -> dict[str, Any]:
        shapes = (FIGURE_SHAPES[q] for q in (Qualifier.EXACT, Qualifier.BETWEEN, Qualifier.UNQUANTIFIED))
        return {"anyOf": [shape.json_schema() for shape in shapes]}


CLAIM_FIELDS: dict[str, Shape] = {
    "party": Choice(Party),
    "killed": _AnyFigure(),
    "injured": _AnyFigure(),
    "qualifier": Choice(Qualifier, "how the source hedged the figure; when absent, exact (between for a range)"),
    "source": SOURCE,
}
CLAIM_KEYS = tuple(CLAIM_FIELDS)
CLAIM_REQUIRED = {"party": "required"}


def parse_claim(value: object, field: str, default_source: Source | None, *, as_filed: bool = False) -> CasualtyClaim:
    """Validate one ``casualties`` item; the report's first source speaks when none is named."""
    if not isinstance(value, Mapping):
        raise InvalidValue(field, "expected a mapping {party, killed, injured, qualifier, source}")
    read = check_fields(value, field, CLAIM_FIELDS, CLAIM_REQUIRED, as_filed=as_filed)
    ranged = any(isinstance(read[which], Mapping) for which in FIGURES)
    qualifier = read["qualifier"] or (Qualifier.BETWEEN if ranged else Qualifier.EXACT)
    source = read["source"] or default_source
    if source is None:
        raise InvalidValue(f"{field}.source", "required: who made this claim")
    figures = {
        which: None if read[which] is None else _figure(read[which], qualifier, f"{field}.{which}", as_filed)
        for which in FIGURES
    }
    if figures["killed"] is None and figures["injured"] is None and qualifier in NEEDS_A_FIGURE:
        raise InvalidValue(f"{field}.killed", f"a {qualifier.value} claim needs killed or injured")
    return CasualtyClaim(read["party"], qualifier, source, figures["killed"], figures["injured"])


def _figure(value: object, qualifier: Qualifier, field: str, as_filed: bool) -> Figure:
    """One figure read under its claim's qualifier; a range needs ``between``."""
    if isinstance(value, Mapping) and qualifier is not Qualifier.BETWEEN:
        raise InvalidValue(field, f"a range {{from, to}} is a between figure, not {qualifier.value}")
    figure: Figure = FIGURE_SHAPES[qualifier].check(value, field, as_filed=as_filed)
    return figure


class ClaimShape(Shape):
    """One ``casualties`` item as the schema states it. The validator reads it with
    :func:`parse_claim` once the report's sources are known (the first speaks for a claim
    that names none), so here it is passed on as it is."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> object:
        return value

    def json_schema(self) -> dict[str, Any]:
        stated = [
            {
                "if": {"required": ["qualifier"], "properties": {"qualifier": {"const": q.value}}},
                "then": _figures_under(q),
            }
            for q in Qualifier
        ]
        unstated = {
            "if": {"properties": {"qualifier": {"type": "null"}}},
            "then": {"anyOf": [_figures_under(q) for q in UNSTATED]},
        }
        return mapping_schema(CLAIM_FIELDS, CLAIM_REQUIRED) | {"allOf": [*stated, unstated]}


def _figures_under(qualifier: Qualifier) -> dict[str, Any]:
    """The figures a claim with this qualifier may (and, for counts and ranges, must) state."""
    figure = nullable(FIGURE_SHAPES[qualifier].json_schema())
    then: dict[str, Any] = {"properties": dict.fromkeys(FIGURES, figure)}
    if qualifier in NEEDS_A_FIGURE:
        then["anyOf"] = [{"required": [which], "properties": {which: {"not": {"type": "null"}}}} for which in FIGURES]
    return then


CLAIM = ClaimShape()
