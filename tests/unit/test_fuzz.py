"""Generated junk through the parser and validator: a refusal, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flashpoint.domain.report import REPORT_KEYS
from flashpoint.reports.files import MAX_SHOWN, BadFile, BadReport, decode, load, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2024-02-30",
            "2021-06",
            "2021-06-01/2021-05-01",
            "drone_attack",
            "militia",
            "exact",
            "unquantified",
            "several",
            "us_coalition",
            "-1",
            "KH",
            "",
        ]
    ),
)
keys = st.one_of(
    st.sampled_from(sorted(REPORT_KEYS | {"party", "killed", "name", "side", "qualifier"})), st.text(max_size=8)
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6), max_leaves=30
)
reportish = st.dictionaries(keys, values, max_size=12)


def refused_or_valid(action: Any) -> None:
    try:
        action()
    except BadReport as refusal:
        lines = refusal.lines() if isinstance(refusal, BadFile) else [str(refusal)]
        assert len(lines) <= MAX_SHOWN + 1
        assert all("\n" not in line for line in lines)
        assert str(refusal) == "\n".join(lines)


@FAST
@given(st.text(max_size=400), st.booleans())
def test_any_text_is_decoded_or_refused(text: str, as_json: bool) -> None:
    refused_or_valid(lambda: validate(decode(text, "fuzz", as_json=as_json), "fuzz"))


@FAST
@given(st.one_of(reportish, st.lists(reportish, max_size=4), values))
def test_any_structure_is_validated_or_refused(document: Any) -> None:
    refused_or_valid(lambda: validate(document, "fuzz"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".yaml", ".json", ".txt"]))
def test_any_bytes_on_disk_are_read_or_refused(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"junk{suffix}"
        path.write_bytes(data)

        refused_or_valid(lambda: load(str(path)))


def test_deep_nesting_is_refused_not_a_crash() -> None:
    for text, as_json in (("[" * 100_000 + "]" * 100_000, True), ("- " * 5_000 + "x", False)):
        try:
            validate(decode(text, "deep", as_json=as_json), "deep")
        except BadReport as refusal:
            assert refusal.source == "deep"
        else:
            raise AssertionError("deeply nested junk was accepted")
