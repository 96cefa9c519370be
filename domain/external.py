"""Records from other datasets kept verbatim inside a report (``acled``: the ACLED row).

flashpoint models what it needs of an ACLED event; the row itself travels with the
report so that an export gives back every column as ACLED wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flashpoint.domain.errors import InvalidValue, unknown_key

# ACLED's export columns, in order, since its March 2023 change.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
MAX_CELL = 20_000


def parse_acled_record(value: object, field: str = "acled") -> dict[str, str] | None:
    """The ACLED row a report was imported from: its columns, as text."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidValue(field, "expected a mapping of ACLED columns to their text")
    record: dict[str, str] = {}
    for key, cell in value.items():
        if key not in ACLED_COLUMNS:
            raise unknown_key(f"{field}.{key}", key, ACLED_COLUMNS)
        if not isinstance(cell, str):
            raise InvalidValue(f"{field}.{key}", f"expected text, got {type(cell).__name__}")
        if len(cell) > MAX_CELL:
            raise InvalidValue(f"{field}.{key}", f"longer than {MAX_CELL:,} characters")
        record[key] = cell
    if not record.get("event_id_cnty"):
        raise InvalidValue(f"{field}.event_id_cnty", "required: the ACLED event id")
    return record


def acled_cells(record: Mapping[str, Any]) -> dict[str, str]:
    """Every ACLED column, empty where the record has none."""
    return {column: str(record.get(column, "")) for column in ACLED_COLUMNS}
