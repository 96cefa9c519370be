"""The listing's fast JSON writer writes what ``json.dumps(row, indent=2)`` writes."""

from __future__ import annotations

import json
from typing import Any

from flashpoint.cli.commands import dumped
from hypothesis import given
from hypothesis import strategies as st

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)


@given(st.dictionaries(st.text(), SCALARS, max_size=8))
def test_a_row_of_scalars_is_written_as_json_writes_it(row: dict[str, Any]) -> None:
    assert dumped(row) == json.dumps(row, indent=2)


def test_the_cases_orjson_writes_otherwise_are_json_s() -> None:
    for row in ({"lat": 1e-05}, {"big": 1e16}, {"name": "Kata'ib Ḥizballāh"}, {"n": 2**64}, {"x": float("nan")}):
        assert dumped(row) == json.dumps(row, indent=2)
    assert dumped({"lat": 33.3152, "place": "Erbil"}) == '{\n  "lat": 33.3152,\n  "place": "Erbil"\n}'
