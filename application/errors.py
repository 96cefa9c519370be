"""Errors of the application layer that no single module owns."""

from __future__ import annotations

from flashpoint.domain.errors import FlashpointError


class MissingExtra(FlashpointError):
    """An optional extra (charts, datasette, postgres) that is not installed (exit 69)."""
