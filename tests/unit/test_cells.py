"""The CSV formula guard (flashpoint.reports.cells) and its inverse."""

from __future__ import annotations

import pytest
from flashpoint.reports.cells import as_written, inert


@pytest.mark.parametrize("text", ["=1+2", '=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "=-1"])
def test_a_cell_a_spreadsheet_would_run_is_prefixed_and_reads_back_as_written(text: str) -> None:
    assert inert(text) == f"'{text}"
    assert as_written(inert(text)) == text


@pytest.mark.parametrize("value", ["-44.3661", "+3", "-1e5", "-.5", "Tower 22", "", "'quoted", "a=b", 7, None, -3.5])
def test_numbers_and_ordinary_text_are_left_alone(value: object) -> None:
    assert inert(value) == value
    if isinstance(value, str):
        assert as_written(value) == value


def test_only_a_prefix_flashpoint_would_have_added_is_removed() -> None:
    assert as_written("'-44.1") == "'-44.1"  # a number is never prefixed, so this quote is data
    assert as_written("'hello") == "'hello"
