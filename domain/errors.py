"""One family of errors, so that callers can refuse bad input without catching everything."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class FlashpointError(Exception):
    """Base of every error flashpoint raises on purpose."""


class InvalidValue(FlashpointError, ValueError):
    """A value that the report contract refuses.

    ``field`` is the dotted path of the offending field inside one report (``casualties[0].killed``)
    so that the application layer can name file, report and field in a single line.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def under(self, prefix: str) -> InvalidValue:
        """The same error, located one level deeper (``sources[1]`` + ``name``)."""
        joined = (
            f"{prefix}.{self.field}" if self.field and not self.field.startswith("[") else (f"{prefix}{self.field}")
        )
        return InvalidValue(joined if self.field else prefix, self.message)


class InvalidReport(InvalidValue):
    """Every refusal of one report, in field order; it is (as an :class:`InvalidValue`) the first."""

    def __init__(self, errors: Sequence[InvalidValue]) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.errors = tuple(errors)


def unknown_key(field: str, key: object, allowed: Iterable[str]) -> InvalidValue:
    """Refuse an unknown key, suggesting the closest allowed one (typos must not drop data)."""
    close = difflib.get_close_matches(str(key), list(allowed), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else " (a typo would drop data silently)"
    return InvalidValue(field, f"unknown key{hint}")


class ReportConflict(InvalidValue):
    """A report id already in the log with different content: revise with a new report."""


class UnknownIncident(InvalidValue):
    """A report points at an incident neither in the log nor in the same append, or at a report that is no act."""
