"""The ACLED row kept verbatim inside a report (flashpoint.domain.external)."""

from __future__ import annotations

import pytest
from flashpoint.domain import InvalidValue
from flashpoint.domain.external import ACLED_COLUMNS, MAX_CELL, acled_cells, parse_acled_record


def test_an_acled_row_gives_back_every_column_empty_where_it_has_none() -> None:
    cells = acled_cells({"event_id_cnty": "IRQ1234", "fatalities": 3})

    assert list(cells) == list(ACLED_COLUMNS)
    assert (cells["event_id_cnty"], cells["fatalities"], cells["notes"]) == ("IRQ1234", "3", "")


def test_an_acled_record_is_kept_column_for_column() -> None:
    row = {"event_id_cnty": "IRQ1234", "notes": "x" * MAX_CELL}

    assert parse_acled_record(row) == row
    assert parse_acled_record(None) is None


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["IRQ1234"], "acled", "expected a mapping of ACLED columns to their text"),
        ({"event_id_cnty": "IRQ1234", "fatalities": 3}, "acled.fatalities", "expected text, got int"),
        ({"event_id_cnty": "IRQ1234", "notes": "x" * (MAX_CELL + 1)}, "acled.notes", "longer than 20000 characters"),
        ({"event_id_cnty": "  "}, "acled.event_id_cnty", "required: the ACLED event id"),
        ({"notes": "no id"}, "acled.event_id_cnty", "required: the ACLED event id"),
        ({"event_id_cnty": "IRQ1234", "actor_1": "x"}, "acled.actor_1", "unknown key (did you mean 'actor1'?)"),
    ],
)
def test_a_bad_acled_record_is_refused_naming_the_column(row: object, field: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_acled_record(row)

    assert (refused.value.field, refused.value.message) == (field, message)


def test_an_acled_record_is_refused_under_the_field_it_was_given() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_acled_record({"event_id_cnty": 1}, "reports[0].acled")

    assert refused.value.field == "reports[0].acled.event_id_cnty"


def test_a_control_character_in_a_cell_is_refused_but_read_back_from_the_log() -> None:
    from flashpoint.domain.external import ACLED_RECORD

    row = {"event_id_cnty": "IRQ1", "notes": "\x1b[2J"}
    with pytest.raises(InvalidValue) as refused:
        parse_acled_record(row)

    assert refused.value.field == "acled.notes"
    assert ACLED_RECORD.check(row, "acled", as_filed=True) == row
