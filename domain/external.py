"""Records from other datasets kept verbatim inside a report (``acled``: the ACLED row;
``ucdp``: the UCDP GED row).

flashpoint models what it needs of an ACLED or UCDP event; the row itself travels with the
report so that an export gives back every column as the dataset wrote it.
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


class DatasetRecord(Shape):
    """A row of another dataset a report was imported from: its ``columns``, as text, the one
    that identifies the event (``id_column``) not blank."""

    def __init__(self, dataset: str, columns: tuple[str, ...], id_column: str, id_name: str, command: str) -> None:
        self.dataset, self.columns, self.id_column = dataset, columns, id_column
        self.id_name, self.command = id_name, command

    def check(self, value: object, field: str, *, as_filed: bool = False) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise InvalidValue(field, f"expected a mapping of {self.dataset} columns to their text")
        record: dict[str, str] = {}
        for key, cell in value.items():
            if key not in self.columns:
                raise unknown_key(f"{field}.{key}", key, self.columns)
            _CELL.check(cell, f"{field}.{key}", as_filed=as_filed)
            record[key] = cell
        if not record.get(self.id_column, "").strip():
            raise InvalidValue(f"{field}.{self.id_column}", f"required: the {self.id_name}")
        return record

    def json_schema(self) -> dict[str, Any]:
        cells = {column: _CELL.json_schema() for column in self.columns}
        return {
            "type": "object",
            "description": f"the {self.dataset} row this report was imported from ({self.command}), kept for export",
            "properties": cells | {self.id_column: Text(blank="required", max_length=MAX_CELL).json_schema()},
            "required": [self.id_column],
            "additionalProperties": False,
        }


class AcledRecord(DatasetRecord):
    """The ACLED row a report was imported from: its columns, as text (the event id not blank)."""

    def __init__(self) -> None:
        super().__init__("ACLED", ACLED_COLUMNS, ACLED_ID, "ACLED event id", "flashpoint import acled")


ACLED_RECORD = AcledRecord()


def parse_acled_record(value: object, field: str = "acled") -> dict[str, str] | None:
    """The ACLED row a report was imported from: its columns, as text."""
    return None if value is None else ACLED_RECORD.check(value, field)


def acled_cells(record: Mapping[str, Any]) -> dict[str, str]:
    """Every ACLED column, empty where the record has none."""
    return {column: str(record.get(column, "")) for column in ACLED_COLUMNS}


# UCDP GED's CSV columns, in order (the 49 of its global releases since 20.1).
UCDP_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
UCDP_ID = "relid"


class UcdpRecord(DatasetRecord):
    """The UCDP GED row a report was imported from: its columns, as text (``relid`` not blank)."""

    def __init__(self) -> None:
        super().__init__("UCDP GED", UCDP_COLUMNS, UCDP_ID, "UCDP event id (relid)", "flashpoint import ucdp")


UCDP_RECORD = UcdpRecord()


def parse_ucdp_record(value: object, field: str = "ucdp") -> dict[str, str] | None:
    """The UCDP GED row a report was imported from: its columns, as text."""
    return None if value is None else UCDP_RECORD.check(value, field)


def ucdp_cells(record: Mapping[str, Any]) -> dict[str, str]:
    """Every UCDP GED column, empty where the record has none."""
    return {column: str(record.get(column, "")) for column in UCDP_COLUMNS}
