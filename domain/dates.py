"""Dates as reports give them: a day, a month, or an interval of days.

Reports are imprecise ("earlier this month"), so an occurrence is always an interval
``[start, end]`` of whole days plus the precision the source gave. A day is the
degenerate interval. Knowledge time (``reported``) is always a day.

Every day the contract accepts lies in :data:`EARLIEST_DAY` .. :data:`LATEST_DAY` (whole
years, so that the JSON Schema can say it with a pattern): far wider than any report needs,
and narrow enough that a query's windows (two trailing windows and the longest interval
back from a cut) never leave the calendar Python can count in.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache

from flashpoint.domain.errors import InvalidValue

# ASCII digits only, matched whole: JSON Schema's patterns (ECMA 262) know no other digits.
DAY_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
"""A day's shape, ``YYYY-MM-DD``, for ``fullmatch`` (whether it is a real calendar day is checked after)."""
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2099, 12, 31)
RANGE_TEXT = f"{EARLIEST_DAY.isoformat()}..{LATEST_DAY.isoformat()}"


class Precision(str, Enum):
    """How precisely a source dated an occurrence (ACLED time_precision 1 and 3; UCDP 1, 4)."""

    DAY = "day"
    MONTH = "month"
    INTERVAL = "interval"


def parse_day(text: object, field: str, *, in_range: bool = True) -> date:
    """A calendar day from ``YYYY-MM-DD``; impossible days (2024-02-30) are refused.

    ``in_range=False`` skips the contract's date range, for documents read back as they
    were filed by a version that did not enforce it.
    """
    day = _remembered_day(text, field) if type(text) is str else _parse_day(text, field)
    if in_range and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidValue(field, _outside(repr(text)))
    return day


def _parse_day(text: object, field: str) -> date:
    if not isinstance(text, str):
        raise InvalidValue(field, f"expected a date YYYY-MM-DD, got {_show(text)}")
    match = DAY_SHAPE.fullmatch(text.strip())
    if not match:
        raise InvalidValue(field, f"expected a date YYYY-MM-DD, got {text!r}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(field, f"{text!r} is not a real calendar day") from None


def cut_day(value: object, field: str) -> date:
    """A day to cut at (``--to``, ``known_on=``): a date, or ``YYYY-MM-DD`` text naming a real
    day inside the range the contract accepts. Anything else is refused naming ``field``:
    ``--to: 2021-02-30 is not a day``, ``--to: 2021-13 is not a day (YYYY-MM-DD)``."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return check_day_in_range(value, field)
    text = str(value).strip()
    shaped = DAY_SHAPE.fullmatch(text)
    if not shaped:
        raise InvalidValue(field, f"{_visible(text)} is not a day (YYYY-MM-DD)")
    try:
        day = date(*map(int, shaped.groups()))
    except ValueError:
        raise InvalidValue(field, f"{text} is not a day") from None
    return check_day_in_range(day, field)


def _visible(text: str) -> str:
    """``text`` with its control characters written out, so that an error line cannot act on a terminal."""
    return "".join(
        character.encode("unicode_escape").decode("ascii") if unicodedata.category(character) == "Cc" else character
        for character in text
    )


def check_day_in_range(day: date, field: str) -> date:
    """Refuse a day outside the contract's range, e.g. a ``--to`` cut (``field`` names the option)."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidValue(field, _outside(day.isoformat()))
    return day


def _outside(shown: str) -> str:
    return f"{shown} is outside {RANGE_TEXT}, the days flashpoint accepts"


def days_between(earlier: str, later: str) -> int:
    """Days from one ISO day to another (negative when ``later`` comes first)."""
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def shifted(day: date, days: float) -> date:
    """``day`` moved by ``days``, held at ``date.min``/``date.max`` instead of overflowing.

    Queries move cuts by windows; a log written before the range was enforced may hold
    days near the ends of the calendar, and it must still answer rather than crash.
    """
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(frozen=True, slots=True)
class Occurred:
    """When something happened: the interval of days it lies in, and the precision given."""

    start: date
    end: date
    precision: Precision

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue("occurred", f"interval ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def on(cls, day: date) -> Occurred:
        return cls(day, day, Precision.DAY)

    @classmethod
    def parse(cls, text: object, field: str = "occurred", *, in_range: bool = True) -> Occurred:
        """Read ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY-MM-DD/YYYY-MM-DD`` (``in_range``: as :func:`parse_day`)."""
        occurred = (
            _remembered_occurrence(text, field) if type(text) is str and cls is Occurred else cls._parse(text, field)
        )
        if in_range:
            for day in (occurred.start, occurred.end):
                if not EARLIEST_DAY <= day <= LATEST_DAY:
                    shown = str(text).strip() if occurred.precision is Precision.MONTH else day.isoformat()
                    raise InvalidValue(field, _outside(repr(shown)))
        return occurred

    @classmethod
    def _parse(cls, text: object, field: str) -> Occurred:
        if not isinstance(text, str):
            raise InvalidValue(field, f"expected YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD, got {_show(text)}")
        text = text.strip()
        if "/" in text:
            first, _, last = text.partition("/")
            start, end = parse_day(first, field, in_range=False), parse_day(last, field, in_range=False)
            if end < start:
                raise InvalidValue(field, f"interval {text!r} ends before it starts")
            precision = Precision.DAY if start == end else Precision.INTERVAL
            return cls(start, end, precision)
        month = _MONTH.fullmatch(text)
        if month:
            year, number = int(month.group(1)), int(month.group(2))
            if not 1 <= number <= 12 or year < 1:
                raise InvalidValue(field, f"{text!r} is not a real month")
            last_day = calendar.monthrange(year, number)[1]
            return cls(date(year, number, 1), date(year, number, last_day), Precision.MONTH)
        return cls.on(parse_day(text, field, in_range=False))

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def text(self) -> str:
        """The contract spelling of this occurrence (round-trips through :meth:`parse`)."""
        if self.precision is Precision.MONTH:
            return self.start.strftime("%Y-%m")
        if self.is_day:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "precision": self.precision.value}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Occurred:
        return cls(date.fromisoformat(data["from"]), date.fromisoformat(data["to"]), Precision(data["precision"]))


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# A long campaign has a few thousand distinct days and a hundred thousand reports: each
# spelling is parsed once (days and occurrences are immutable; refusals are not remembered).
# The range is checked outside the cache, so a day read back unchecked is never remembered
# as accepted.
_remembered_day = lru_cache(maxsize=16_384)(_parse_day)
_remembered_occurrence = lru_cache(maxsize=16_384)(Occurred._parse)
