"""Records from other datasets kept verbatim inside a report (``acled``: the ACLED row).

flashpoint models what it needs of an ACLED event; the row itself travels with the
report so that an export gives back every column as ACLED wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flashpoint.domain.contract import Shape, Text
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


ACLED_ID = "event_id_cnty"
_CELL = Text(max_length=MAX_CELL)


class AcledRecord(Shape):
    """The ACLED row a report was imported from: its columns, as text (the event id not blank)."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise InvalidValue(field, "expected a mapping of ACLED columns to their text")
        record: dict[str, str] = {}
        for key, cell in value.items():
            if key not in ACLED_COLUMNS:
                raise unknown_key(f"{field}.{key}", key, ACLED_COLUMNS)
            _CELL.check(cell, f"{field}.{key}", as_filed=as_filed)
            record[key] = cell
        if not record.get(ACLED_ID, "").strip():
            raise InvalidValue(f"{field}.{ACLED_ID}", "required: the ACLED event id")
        return record

    def json_schema(self) -> dict[str, Any]:
        cells = {column: _CELL.json_schema() for column in ACLED_COLUMNS}
        return {
            "type": "object",
            "description": "the ACLED row this report was imported from (flashpoint import acled), kept for export",
            "properties": cells | {ACLED_ID: Text(blank="required", max_length=MAX_CELL).json_schema()},
            "required": [ACLED_ID],
            "additionalProperties": False,
        }


ACLED_RECORD = AcledRecord()


def parse_acled_record(value: object, field: str = "acled") -> dict[str, str] | None:
    """The ACLED row a report was imported from: its columns, as text."""
    return None if value is None else ACLED_RECORD.check(value, field)


def acled_cells(record: Mapping[str, Any]) -> dict[str, str]:
    """Every ACLED column, empty where the record has none."""
    return {column: str(record.get(column, "")) for column in ACLED_COLUMNS}
