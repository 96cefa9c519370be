"""The stored form of events: the same JSON as eventsourcing's own transcoder, kept compactly."""

from __future__ import annotations

import gc
import json
import tracemalloc
from datetime import UTC, date, datetime

import pytest
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, UUIDAsHex
from flashpoint import transcodings
from flashpoint.domain import Occurred, Source
from flashpoint.gcpause import paused_gc


def register(transcoder: JSONTranscoder) -> None:
    """What ``Flashpoint.register_transcodings`` registers: eventsourcing's, then flashpoint's."""
    transcoder.register(UUIDAsHex())
    transcoder.register(DatetimeAsISO())
    transcodings.register(transcoder)


@pytest.fixture()
def fast() -> transcodings.FastJSONTranscoder:
    transcoder = transcodings.FastJSONTranscoder()
    register(transcoder)
    return transcoder


@pytest.fixture()
def stock() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    register(transcoder)
    return transcoder


def state() -> dict[str, object]:
    return {
        "timestamp": datetime(2024, 1, 28, 6, 0, tzinfo=UTC),
        "occurred": Occurred.on(date(2024, 1, 28)),
        "source": Source("US Central Command"),
        "ids": {"b", "a"},
        "notes": "Tower 22 — drone " * 40,
    }


def test_fast_encoding_decodes_to_what_the_stock_transcoder_writes(fast, stock):
    encoded = fast.encode(state())
    assert json.loads(encoded) == json.loads(stock.encode(state()))
    assert stock.decode(encoded) == stock.decode(stock.encode(state()))


def test_encoded_events_are_exact_size_not_the_encoders_whole_buffer(fast):
    # orjson 3.13 returned its 4-8 KiB output buffer for every event: 1.5 GB for a 100k append.
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [fast.encode(state()) for _ in range(200)]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < sum(len(encoded) + 100 for encoded in kept)


def test_paused_gc_restores_the_collector_as_it_was():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paused_gc_resumes_after_an_error():
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("bad report")
    assert gc.isenabled()
