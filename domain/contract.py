"""The shapes of the report contract's values, each read by the validator and rendered as JSON Schema.

A field of a report, a source, a claim or an actor is declared once, in its module's
table of fields, as one of these shapes. The validator calls :meth:`Shape.check` (which
names the field in its refusal); ``flashpoint schema`` prints :meth:`Shape.json_schema`.
So the published JSON Schema and ``append`` are two readings of one description, and the
corpus test (``tests/unit/test_contract_corpus.py``) holds them to the same verdicts.

The few rules JSON Schema cannot say are listed, once, in :data:`UNSCHEMATIC_RULES`; the
schema's own description names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from flashpoint.domain.dates import RANGE_TEXT, Occurred, parse_day
from flashpoint.domain.errors import InvalidValue, unknown_key
from flashpoint.domain.vocabulary import member

MAX_TEXT_LENGTH = 100_000

CONTROL_CHARACTERS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
"""Unicode's control characters (category Cc) but tab, line feed and carriage return, which are
whitespace a YAML block of notes holds: as a regular-expression class body, in the syntax
Python and JSON Schema's ECMA 262 share."""
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")

UNSCHEMATIC_RULES = {
    "interval-order": "an occurred interval does not end before it starts",
    "reported-after-occurred": "reported is not before the day the occurrence begins",
    "not-itself": "a report's incident, responds_to, retracts, merges and into do not name the report itself",
    "into-not-merged": "a merge's into is not among its merges",
    "range-order": "a casualty range's from is not above its to",
    "unique-ids": "the ids of one file are distinct",
    "published-by-reported": "a source's published day is not after the report's reported day",
    "in-the-log": "incident, responds_to, retracts, merges and into name reports in the log or the same append"
    " (append's job, not validate's): no later than a retraction or merge naming them was reported;"
    " a merge names acts not merged elsewhere; retractions and merges form no cycle",
}
"""The contract's rules JSON Schema cannot state, by tag: they compare two values, or look
beyond one report."""


def whole(body: str) -> str:
    """A pattern matching the whole string: ``$`` is the end in JSON Schema's ECMA 262, but Python's
    ``re`` (which the ``jsonschema`` library uses) also lets it match before a final newline, so
    that ``tower-22\\n`` would pass for ``tower-22``; the lookahead closes that in both."""
    return f"^(?:{body})$(?!\\n)"


def checked_text(value: object, field: str, expected: str, max_length: int, *, as_filed: bool = False) -> str:
    """``value`` if it is text of at most ``max_length`` characters, without control characters
    (unless read back from the log, ``as_filed``); else the refusal, naming ``field``."""
    if not isinstance(value, str):
        raise InvalidValue(field, f"{expected}, got {type(value).__name__}")
    if len(value) > max_length:
        raise InvalidValue(field, f"longer than {max_length} characters")
    if not as_filed:
        refuse_control_characters(value, field)
    return value


def refuse_control_characters(text: str, field: str) -> None:
    """Text from a report is data: a control character (an escape sequence, a NUL, a backspace) is refused."""
    if not text.isprintable():
        found = _CONTROL.search(text)
        if found is not None:
            shown = found.group().encode("unicode_escape").decode("ascii")
            raise InvalidValue(field, f"holds a control character ({shown}), which no report text may hold")


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or null (the validator reads an optional field given as null as absent)."""
    return {"anyOf": [{"type": "null"}, schema]}


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Shape:
    """One kind of value of the contract: how the validator reads it, and how JSON Schema says it."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Shape):
    """Text without control characters. ``blank``: the refusal of blank text, or None when blank
    text means absent (it was always read so). ``fold`` joins runs of whitespace into one space;
    otherwise the text is only trimmed (notes keep their lines)."""

    description: str = ""
    blank: str | None = None
    fold: bool = False
    max_length: int = MAX_TEXT_LENGTH
    got: str = "expected text"

    def check(self, value: object, field: str, *, as_filed: bool = False) -> str | None:
        value = checked_text(value, field, self.got, self.max_length, as_filed=as_filed)
        text = " ".join(value.split()) if self.fold else value.strip()
        if text:
            return text
        if self.blank is not None:
            raise InvalidValue(field, self.blank)
        return None

    def json_schema(self) -> dict[str, Any]:
        allowed = f"[^{CONTROL_CHARACTERS}]"
        seen = f"[^\\s{CONTROL_CHARACTERS}]"
        pattern = f"^{allowed}*$" if self.blank is None else f"^{allowed}*{seen}{allowed}*$"
        schema = {"type": "string", "maxLength": self.max_length, "pattern": pattern}
        return schema | ({"description": self.description} if self.description else {})


@dataclass(frozen=True)
class Texts(Shape):
    """One text or a list of them, each non-blank and folded: names of targets, countries, aircraft."""

    description: str

    ITEM = Text(blank="expected non-empty text", fold=True, got="expected non-empty text")

    def check(self, value: object, field: str, *, as_filed: bool = False) -> tuple[str, ...]:
        if isinstance(value, str):
            return (self._item(value, f"{field}[0]", as_filed),)
        if not isinstance(value, list):
            raise InvalidValue(field, "expected text or a list of text")
        return tuple(self._item(item, f"{field}[{index}]", as_filed) for index, item in enumerate(value))

    def _item(self, value: object, field: str, as_filed: bool) -> str:
        return self.ITEM.check(value, field, as_filed=as_filed) or ""  # never blank: ITEM refuses it

    def json_schema(self) -> dict[str, Any]:
        item = self.ITEM.json_schema()
        return {"description": self.description, "anyOf": [item, {"type": "array", "items": item}]}


@dataclass(frozen=True)
class Choice(Shape):
    """One word of a closed vocabulary."""

    enum: type[Enum]
    description: str = ""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Any:
        try:
            return member(self.enum, value)
        except ValueError:
            allowed = ", ".join(item.value for item in self.enum)
            raise InvalidValue(field, f"{short(value)} is not one of: {allowed}") from None

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"enum": [item.value for item in self.enum]}
        return schema | ({"description": self.description} if self.description else {})


ID_BODY = "[a-z0-9][a-z0-9._-]*"
REPORT_ID = re.compile(ID_BODY)
"""A report id, matched whole (``fullmatch``): ``tower-22\\n`` is not ``tower-22``."""
MAX_ID_LENGTH = 200


@dataclass(frozen=True)
class ReportId(Shape):
    description: str = ""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> str:
        if not isinstance(value, str) or not value:
            raise InvalidValue(field, f"required: a report id matching {ID_BODY}")
        if len(value) > MAX_ID_LENGTH:
            raise InvalidValue(field, f"longer than {MAX_ID_LENGTH} characters")
        if not REPORT_ID.fullmatch(value):
            raise InvalidValue(field, f"{short(value)} does not match {ID_BODY}")
        return value

    def json_schema(self) -> dict[str, Any]:
        schema = {"type": "string", "pattern": whole(ID_BODY), "maxLength": MAX_ID_LENGTH}
        return schema | ({"description": self.description} if self.description else {})


def is_report_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID_LENGTH and REPORT_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class ReportIds(Shape):
    """One report id or a list of them. ``named``: the reports a correction names, so at least one
    and none twice (a retraction of nothing, or of one report twice, is a slip to say, not to store)."""

    description: str
    named: bool = False

    def check(self, value: object, field: str, *, as_filed: bool = False) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise InvalidValue(field, "expected a list of report ids")
        if self.named and not items:
            raise InvalidValue(field, "expected at least one report id")
        ids = tuple(ReportId().check(item, f"{field}[{index}]") for index, item in enumerate(items))
        if self.named and len(set(ids)) < len(ids):
            index = next(index for index, one in enumerate(ids) if one in ids[:index])
            raise InvalidValue(f"{field}[{index}]", f"{ids[index]!r} is named twice")
        return ids

    def json_schema(self) -> dict[str, Any]:
        item = ReportId().json_schema()
        many: dict[str, Any] = {"type": "array", "items": item}
        if self.named:
            many |= {"minItems": 1, "uniqueItems": True}
        return {"description": self.description, "anyOf": [item, many]}


# Days of the contract's years (1900..2099, domain/dates.py; a unit test holds them equal),
# as patterns: whitespace around them is allowed, as the validator trims it.
YEAR = r"(19|20)[0-9]{2}"
_LEAP_YEAR = r"(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))"
_MONTH_DAY = r"((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
DAY_PATTERN = rf"({YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
MONTH_PATTERN = rf"{YEAR}-(0[1-9]|1[0-2])"


@dataclass(frozen=True)
class Day(Shape):
    """A calendar day, ``YYYY-MM-DD``, in the contract's range."""

    description: str

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Any:
        return parse_day(value, field, in_range=not as_filed)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": whole(rf"\s*{DAY_PATTERN}\s*"),
            "description": f"{self.description}, in {RANGE_TEXT}",
        }


@dataclass(frozen=True)
class When(Shape):
    """When something occurred: a day, a month, or an interval of days."""

    description: str

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Occurred:
        return Occurred.parse(value, field, in_range=not as_filed)

    def json_schema(self) -> dict[str, Any]:
        interval = rf"{DAY_PATTERN}\s*/\s*{DAY_PATTERN}"
        return {
            "type": "string",
            "pattern": whole(rf"\s*({interval}|{MONTH_PATTERN}|{DAY_PATTERN})\s*"),
            "description": f"{self.description}: YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD, days in {RANGE_TEXT}",
        }


@dataclass(frozen=True)
class Matching(Shape):
    """Text matching one regular expression whole, the same in the validator and the schema
    (written in the syntax Python's ``re`` and JSON Schema's ECMA 262 share). ``lower``: stored
    lower-case (for values compared case-insensitively, such as hex digests)."""

    body: str
    expected: str
    description: str = ""
    max_length: int = 2048
    lower: bool = False

    def check(self, value: object, field: str, *, as_filed: bool = False) -> str:
        value = checked_text(value, field, f"expected {self.expected}", self.max_length, as_filed=as_filed)
        self.refuse_near_misses(value, field)
        if re.fullmatch(self.body, value) is None:
            raise InvalidValue(field, f"{short(value)} is not {self.expected}")
        return value.lower() if self.lower else value

    def refuse_near_misses(self, value: str, field: str) -> None:
        """A more precise refusal than "is not ..." for the usual slips (none here)."""

    def json_schema(self) -> dict[str, Any]:
        schema = {"type": "string", "maxLength": self.max_length, "pattern": whole(self.body)}
        return schema | ({"description": self.description} if self.description else {})


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
URL_BODY = (
    r"[Hh][Tt][Tt][Pp][Ss]?://"
    rf"([^\s/?#@:\[\]{CONTROL_CHARACTERS}]+|\[[0-9A-Fa-f:.]+\])"  # a host name (any script) or [IPv6]
    r"(:[0-9]{1,5})?"  # a port
    rf"([/?#][^\s{CONTROL_CHARACTERS}]*)?"  # path, query and fragment: anything but spaces
)
"""An absolute http(s) URL with a host: no user info, no spaces (percent-encode them)."""


class Url(Matching):
    """An absolute http or https URL with a host, e.g. ``https://apnews.com``."""

    def __init__(self, description: str = "") -> None:
        super().__init__(URL_BODY, "an http(s) URL with a host, e.g. https://apnews.com", description)

    def refuse_near_misses(self, value: str, field: str) -> None:
        scheme = _SCHEME.match(value)
        if scheme is not None and scheme.group(1).lower() not in ("http", "https"):
            raise InvalidValue(field, f"only http and https URLs are taken, got a {scheme.group(1)} URL")
        if any(character.isspace() for character in value):
            raise InvalidValue(field, f"{short(value)} holds a space, which no URL may (percent-encode it: %20)")


_PATH = Text(blank="expected a URL or a path, got blank text")


@dataclass(frozen=True)
class UrlOrPath(Shape):
    """An http(s) URL (anything holding ``://`` is read as one) or, otherwise, a path."""

    description: str = ""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> str | None:
        if isinstance(value, str) and "://" in value:
            return Url().check(value, field, as_filed=as_filed)
        return _PATH.check(value, field, as_filed=as_filed)

    def json_schema(self) -> dict[str, Any]:
        path = _PATH.json_schema()
        path["pattern"] = "^(?![\\s\\S]*://)" + path["pattern"].removeprefix("^")
        schema = {"anyOf": [Url().json_schema(), path]}
        return schema | ({"description": self.description} if self.description else {})


SHA256 = Matching(
    "[0-9A-Fa-f]{64}", "64 hexadecimal digits (a SHA-256 digest)", "SHA-256 of the archived copy", lower=True
)

LANGUAGE_BODY = r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
"""A well-formed BCP 47 language tag, as far as sources need one: a primary language subtag of
two or three letters (ISO 639), then optionally a script (four letters, ``Hant``), a region (two
letters or three digits, ``US``, ``419``) and variants (five to eight letters or digits, or a digit
and three more). Case does not matter. Extended-language, extension and private-use subtags are
not taken; whether a subtag is registered is not checked."""
LANGUAGE = Matching(LANGUAGE_BODY, "a BCP 47 language tag, e.g. en, ar, fa, en-US, zh-Hant-TW", "BCP 47 language tag")


@dataclass(frozen=True)
class Coordinate(Shape):
    bound: int

    def check(self, value: object, field: str, *, as_filed: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidValue(field, f"expected a number, got {short(value)}")
        if not -self.bound <= value <= self.bound:
            raise InvalidValue(field, f"{value} is outside -{self.bound}..{self.bound}")
        return float(value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": -self.bound, "maximum": self.bound}


@dataclass(frozen=True)
class Code(Shape):
    """One whole number of a closed code list (``meanings``: each code and what it means)."""

    meanings: Mapping[int, str]
    description: str = ""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in self.meanings:
            codes = ", ".join(f"{code} ({meaning})" for code, meaning in self.meanings.items())
            raise InvalidValue(field, f"{short(value)} is not one of: {codes}")
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"enum": list(self.meanings)}
        return schema | ({"description": self.description} if self.description else {})


@dataclass(frozen=True)
class Flag(Shape):
    def check(self, value: object, field: str, *, as_filed: bool = False) -> bool:
        if not isinstance(value, bool):
            raise InvalidValue(field, "expected true or false")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Count(Shape):
    """A whole number of people, up to ``maximum``. ``3.0`` is 3: JSON does not tell them apart."""

    maximum: int

    def check(self, value: object, field: str, *, as_filed: bool = False) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(field, f"expected a whole number, got {value!r}")
        if value < 0:
            raise InvalidValue(field, f"must not be negative, got {value}")
        if value > self.maximum:
            raise InvalidValue(field, f"{value} is not a plausible figure (the limit is {self.maximum:,})")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 0, "maximum": self.maximum}


@dataclass(frozen=True)
class Nothing(Shape):
    """A field that must be absent (or null) here, with the reason."""

    reason: str

    def check(self, value: object, field: str, *, as_filed: bool = False) -> None:
        raise InvalidValue(field, self.reason)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "null"}


def check_fields(
    value: Mapping[str, Any],
    field: str,
    fields: Mapping[str, Shape],
    required: Mapping[str, str],
    *,
    as_filed: bool = False,
    errors: list[InvalidValue] | None = None,
) -> dict[str, Any]:
    """Each field of a mapping read by its shape (null and absent are both None).

    ``required`` maps the fields that must be given (not null) to their refusal. The first
    refusal raises, unless ``errors`` collects them (a refused field then reads as None).
    """
    found = errors if errors is not None else _Raising()
    if not fields.keys() >= value.keys():
        for key in value:
            if key not in fields:
                found.append(unknown_key(f"{field}.{key}" if field else str(key), key, fields))
    read: dict[str, Any] = {}
    for key, shape in fields.items():
        item = value.get(key)
        where = f"{field}.{key}" if field else key
        read[key] = None
        try:
            if item is not None:
                read[key] = shape.check(item, where, as_filed=as_filed)
            elif key in required:
                raise InvalidValue(where, required[key])
        except InvalidValue as error:
            found.append(error)
    return read


class _Raising(list[InvalidValue]):
    """An error list that raises the first error put in it."""

    def append(self, error: InvalidValue) -> None:
        raise error


def mapping_schema(fields: Mapping[str, Shape], required: Mapping[str, str]) -> dict[str, Any]:
    """The JSON Schema of a mapping read by :func:`check_fields`."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": {
            key: shape.json_schema() if key in required else nullable(shape.json_schema())
            for key, shape in fields.items()
        },
    }


@dataclass(frozen=True)
class Many(Shape):
    """A list of ``item``s (``one=True``: or a single one)."""

    item: Shape
    description: str = ""
    one: bool = False

    def check(self, value: object, field: str, *, as_filed: bool = False) -> tuple[Any, ...]:
        if self.one and not isinstance(value, list):
            return (self.item.check(value, field, as_filed=as_filed),)
        if not isinstance(value, list):
            raise InvalidValue(field, self.expected)
        return tuple(self.item.check(item, f"{field}[{index}]", as_filed=as_filed) for index, item in enumerate(value))

    @property
    def expected(self) -> str:
        return f"expected a list of {self.description or 'items'}"

    def json_schema(self) -> dict[str, Any]:
        many = {"type": "array", "items": self.item.json_schema()}
        schema = {"anyOf": [self.item.json_schema(), many]} if self.one else many
        return schema | ({"description": self.description} if self.description else {})
