"""The two cuts every question is asked at: valid time (``--to``) and knowledge time (``--known-on``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

DEFAULT_WINDOW = 30
MAX_WINDOW = 3660
"""The longest trailing window asked about, in days (ten years)."""


@dataclass(frozen=True)
class Cut:
    """``to``: only what had occurred by then. ``known_on``: only reports public by then.

    ``None`` means "everything". ``window`` is the trailing window, in days, that the
    escalation level and trend look at.
    """

    to: date | None = None
    known_on: date | None = None
    window: int = DEFAULT_WINDOW

    def __post_init__(self) -> None:
        if isinstance(self.window, bool) or not isinstance(self.window, int) or not 1 <= self.window <= MAX_WINDOW:
            raise ValueError(f"window: {self.window!r} is not a whole number of days in 1..{MAX_WINDOW}")

    @property
    def to_text(self) -> str:
        """Upper bound for SQL comparisons on ISO dates: a far-future day when uncut."""
        return self.to.isoformat() if self.to else "9999-12-31"

    @property
    def known_text(self) -> str:
        return self.known_on.isoformat() if self.known_on else "9999-12-31"

    def as_dict(self) -> dict[str, Any]:
        return {
            "to": self.to.isoformat() if self.to else None,
            "known_on": self.known_on.isoformat() if self.known_on else None,
            "window": self.window,
        }
