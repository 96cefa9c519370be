"""Aggregate ids from natural keys: exactly the stdlib's uuid5, computed faster."""

from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from flashpoint.domain.ids import fresh_natural_id, natural_id
from hypothesis import given
from hypothesis import strategies as st


@given(st.sampled_from(["reports", "installations", "groups", "operations"]), st.text(max_size=300))
def test_natural_ids_are_uuid5_of_the_name(kind: str, key: str) -> None:
    expected = uuid5(NAMESPACE_URL, f"/{kind}/{key}")
    made = fresh_natural_id(kind, key)
    assert made == expected
    assert (made.version, made.variant, made.hex, str(made)) == (
        expected.version,
        expected.variant,
        expected.hex,
        str(expected),
    )
    assert natural_id(kind, key) == expected


def test_ids_of_the_seed_names_are_the_ones_logs_already_hold() -> None:
    # Stored in every log written so far (tests/fixtures/log-v1.db): they may never change.
    assert str(fresh_natural_id("reports", "tower-22-drone")) == str(uuid5(NAMESPACE_URL, "/reports/tower-22-drone"))
