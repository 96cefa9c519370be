"""The stored form of events: the same JSON as eventsourcing's own transcoder, kept compactly."""

from __future__ import annotations

import gc
import json
import tracemalloc
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, UUIDAsHex
from flashpoint.domain import Actor, CasualtyClaim, Envelope, Occurred, Precision, Source
from flashpoint.domain.actors import ActorType
from flashpoint.domain.claims import FigureRange
from flashpoint.domain.vocabulary import Party, Qualifier, Side
from flashpoint.storage import transcodings
from flashpoint.storage.gcpause import paused_gc
from hypothesis import given
from hypothesis import strategies as st


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
        "envelope": envelopes()[1],
        "actor": Actor("Kata'ib Hezbollah", Side.IRAN_ALIGNED, ActorType.MILITIA),
        "claim": claims()[1],
    }


def test_fast_encoding_decodes_to_what_the_stock_transcoder_writes(fast, stock):
    for _ in range(2):  # the second time, the envelope and actor come from the encoder's memory
        encoded = fast.encode(state())
        assert json.loads(encoded) == json.loads(stock.encode(state()))
        assert stock.decode(encoded) == stock.decode(stock.encode(state()))


def envelopes() -> list[Envelope]:
    bare = Envelope("act-1", "drone_attack", Occurred.on(date(2024, 1, 28)), date(2024, 1, 29), ())
    full = Envelope(
        "act-2",
        "rocket_attack",
        Occurred(date(2024, 1, 1), date(2024, 1, 31), Precision.MONTH),
        date(2024, 2, 2),
        (Source("Reuters"), Source("a US official", role="defense", outlet="AP", via="Reuters", anonymous=True)),
        place="Tower 22",
        country=("Jordan", "Syria"),
        lat=0.0,
        lon=38.8,
        responds_to=("act-1",),
        notes="",
    )
    return [bare, full]


def claims() -> list[CasualtyClaim]:
    return [
        CasualtyClaim(Party.US_MILITARY, Qualifier.EXACT, Source("Pentagon"), killed=3, injured=None),
        CasualtyClaim(Party.MILITIA, Qualifier.AT_LEAST, Source("SOHR", anonymous=True), killed=0, injured="several"),
        CasualtyClaim(Party.CIVILIAN, Qualifier.APPROXIMATELY, Source("medics", via="AFP"), killed=None, injured=40),
        CasualtyClaim(Party.MILITIA, Qualifier.BETWEEN, Source("officials"), killed=FigureRange(4, 7), injured=None),
        CasualtyClaim(Party.MILITIA, Qualifier.EXACT, PROVENANCED, killed=4),
    ]


PROVENANCED = Source(
    "Syrian Observatory for Human Rights",
    via="Associated Press",
    url="https://www.syriahr.com",
    archived="archive/sohr-2021-06-27.html",
    sha256="0" * 64,
    title="Iraqi militiamen killed",
    published=date(2021, 6, 27),
    language="ar",
)


@pytest.mark.parametrize("value", [*envelopes(), *claims()], ids=lambda value: type(value).__name__)
def test_compact_values_decode_to_what_was_encoded(fast, value):
    encoded = fast.encode({"value": value})
    assert fast.decode(encoded)["value"] == value


def test_unset_fields_are_not_stored(fast):
    bare = fast.encode({"envelope": envelopes()[0], "claim": claims()[0]})
    assert b"null" not in bare and b"[]" not in bare and b"false" not in bare
    assert b'"to"' not in bare  # a single day is stored once
    full = json.loads(fast.encode({"envelope": envelopes()[1]}))["envelope"]["_data_"]
    assert set(full) == {"report_id", "kind", "occurred", "reported", "sources", "place", "country", "lat", "lon"} | {
        "responds_to",
        "notes",
    }
    assert full["occurred"]["to"] == "2024-01-31"


@pytest.mark.parametrize("value", [*envelopes(), *claims()], ids=lambda value: type(value).__name__)
def test_events_stored_with_every_field_spelled_out_still_decode(fast, value):
    # How flashpoint stored value objects before the compact form (logs written then keep reading).
    if isinstance(value, Envelope):
        data = value.as_dict() | {
            "occurred": value.occurred.as_dict(),
            "reported": value.reported.isoformat(),
            "sources": [source.as_dict() for source in value.sources],
        }
        spelled = {"_type_": "envelope", "_data_": data}
    else:
        spelled = {"_type_": "claim", "_data_": value.as_dict()}
    assert fast.decode(json.dumps({"value": spelled}).encode())["value"] == value


def test_a_source_stored_before_the_provenance_fields_reads_back_without_them(fast):
    stored = {"name": "SOHR", "role": "monitor", "outlet": None, "via": "AP", "anonymous": False}
    spelled = {"_type_": "claim", "_data_": {"party": "militia", "qualifier": "exact", "killed": 5, "source": stored}}

    claim = fast.decode(json.dumps({"value": spelled}).encode())["value"]

    assert claim.source == Source("SOHR", role="monitor", via="AP")
    assert claim.source.provenance() == dict.fromkeys(("url", "archived", "sha256", "title", "published", "language"))


def test_a_sources_provenance_is_stored_as_plain_json(fast):
    stored = json.loads(fast.encode({"claim": claims()[-1]}))["claim"]["_data_"]["source"]

    assert stored["published"] == "2021-06-27"
    assert stored["url"] == "https://www.syriahr.com"
    assert "role" not in stored


@given(st.datetimes(timezones=st.just(UTC)))
def test_utc_timestamps_are_stored_as_the_stock_transcoder_stores_them(moment: datetime) -> None:
    fast, stock = transcodings.FastJSONTranscoder(), JSONTranscoder()
    register(fast)
    register(stock)
    state = {"timestamp": moment, "n": 1}
    assert fast.encode(state) == json.dumps(json.loads(stock.encode(state)), separators=(",", ":")).encode()
    assert fast.decode(fast.encode(state))["timestamp"] == moment


def test_timestamps_in_other_zones_keep_their_exact_offset(fast):
    # orjson rounds a seconds offset to minutes; such timestamps go through the transcoding.
    moment = datetime(1922, 1, 1, tzinfo=zoneinfo.ZoneInfo("America/Cancun"))
    encoded = fast.encode({"timestamp": moment})
    assert b"-05:47:04" in encoded
    assert fast.decode(encoded)["timestamp"].isoformat() == moment.isoformat()


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


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_long_lived_load_leaves_its_objects_out_of_later_collections(unfrozen):
    with paused_gc() as pause:
        kept = [{"report": n} for n in range(1000)]
        pause.long_lived()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()


def test_short_lived_and_failed_loads_freeze_nothing(unfrozen):
    with paused_gc() as pause:
        kept = [{"report": n} for n in range(1000)]
        pause.long_lived(len(kept) >= 2000)
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError), paused_gc() as pause:
        pause.long_lived()
        raise ValueError("bad report")
    assert gc.get_freeze_count() == 0


def test_loading_a_big_file_marks_its_reports_long_lived(unfrozen, tmp_path):
    from flashpoint.reports.files import LONG_LIVED_BATCH, load

    reports = [
        {"id": f"said-{n}", "kind": "statement", "stance": "threat", "reported": "2024-01-01", "actor": "KH"}
        for n in range(LONG_LIVED_BATCH)
    ]
    (tmp_path / "big.json").write_text(json.dumps(reports))
    (tmp_path / "small.json").write_text(json.dumps(reports[:10]))
    load(str(tmp_path / "small.json"))
    assert gc.get_freeze_count() == 0
    batch = load(str(tmp_path / "big.json"))
    assert gc.get_freeze_count() > len(batch)


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_while_encoding_stays_an_interrupt(fast, monkeypatch, interruption):
    # Ctrl-C landing in orjson's callback came out as "Type is not JSON serializable" (exit 70).
    def interrupted(o):
        raise interruption()

    monkeypatch.setattr(fast, "_encode_obj", interrupted)
    with pytest.raises(interruption):
        fast.encode(state())
    monkeypatch.undo()
    with pytest.raises(TypeError, match="not JSON serializable"):
        fast.encode({"thing": object()})


def test_a_range_is_stored_as_from_and_to_and_a_claim_stored_before_ranges_reads_as_it_did(fast):
    ranged = json.loads(fast.encode({"claim": claims()[3]}))["claim"]["_data_"]
    older = {"party": "militia", "qualifier": "exact", "killed": 4, "injured": "several", "source": {"name": "AP"}}

    decoded = fast.decode(json.dumps({"claim": {"_type_": "claim", "_data_": older}}).encode())["claim"]

    assert ranged["killed"] == {"from": 4, "to": 7} and "injured" not in ranged
    assert (decoded.killed, decoded.injured, decoded.qualifier) == (4, "several", Qualifier.EXACT)
