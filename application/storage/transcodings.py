"""How the domain's value objects are stored inside events (eventsourcing JSON transcodings).

Decoders tolerate missing optional keys so that older stored events keep reading. A casualty
range is stored as ``{"from": 4, "to": 7}`` where a number or a word is stored otherwise: events
written before ranges existed hold only numbers and words, and read as they always did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding
from flashpoint.domain import Actor, CasualtyClaim, Envelope, Occurred, Precision, Source
from flashpoint.domain.claims import figure_json


class ValueTranscoding(Transcoding):
    """A transcoding from a pair of functions, one per value-object type."""

    def __init__(self, kind: type, name: str, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> None:
        self.type = kind
        self.name = name
        self._encode = encode
        self._decode = decode

    def encode(self, obj: Any) -> Any:
        return self._encode(obj)

    def decode(self, data: Any) -> Any:
        return self._decode(data)


def _encode_source(source: Source) -> dict[str, Any]:
    """A source with only the fields it has; the decoder defaults the rest (unset fields were 15% of the bytes)."""
    data: dict[str, Any] = {"name": source.name}
    for key in _SOURCE_TEXTS:
        value = getattr(source, key)
        if value is not None:
            data[key] = value
    if source.anonymous:
        data["anonymous"] = True
    if source.published is not None:
        data["published"] = source.published.isoformat()
    return data


_SOURCE_TEXTS = ("role", "outlet", "via", "url", "archived", "sha256", "title", "language")
"""The text fields of a source, stored when given; a source stored before the provenance fields
(``url`` on) reads back with them unset."""


def _encode_occurred(occurred: Occurred) -> dict[str, str]:
    """``to`` is left out when it is ``from`` (a single day, most acts)."""
    data = {"from": occurred.start.isoformat(), "precision": occurred.precision.value}
    if occurred.end != occurred.start:
        data["to"] = occurred.end.isoformat()
    return data


def _decode_occurred(data: dict[str, str]) -> Occurred:
    start = date.fromisoformat(data["from"])
    end = data.get("to")
    return Occurred(start, start if end is None else date.fromisoformat(end), Precision(data["precision"]))


def _encode_claim(claim: CasualtyClaim) -> dict[str, Any]:
    data: dict[str, Any] = {"party": claim.party.value, "qualifier": claim.qualifier.value}
    if claim.killed is not None:
        data["killed"] = figure_json(claim.killed)
    if claim.injured is not None:
        data["injured"] = figure_json(claim.injured)
    data["source"] = _encode_source(claim.source)
    return data


def _encode_envelope(envelope: Envelope) -> dict[str, Any]:
    """The envelope as plain JSON values in one go (nested transcodings cost a callback each),
    its unset optional fields left out (``Envelope.from_dict`` defaults them)."""
    data: dict[str, Any] = {
        "report_id": envelope.report_id,
        "kind": envelope.kind,
        "occurred": _encode_occurred(envelope.occurred),
        "reported": envelope.reported.isoformat(),
    }
    if envelope.sources:
        data["sources"] = [_encode_source(source) for source in envelope.sources]
    for key in ("place", "lat", "lon", "notes", "geo_precision"):
        value = getattr(envelope, key)
        if value is not None:
            data[key] = value
    if envelope.country:
        data["country"] = list(envelope.country)
    if envelope.responds_to:
        data["responds_to"] = list(envelope.responds_to)
    return data


def _decode_envelope(data: dict[str, Any]) -> Envelope:
    """Read every spelling: compact plain values (current), plain values with every field
    (older events) and nested transcoded objects (oldest events)."""
    occurred, reported = data["occurred"], data["reported"]
    return Envelope.from_dict(
        data
        | {
            "occurred": occurred if isinstance(occurred, Occurred) else _decode_occurred(occurred),
            "reported": reported if isinstance(reported, date) else date.fromisoformat(reported),
            "sources": [
                source if isinstance(source, Source) else Source.from_dict(source)
                for source in data.get("sources") or ()
            ],
        }
    )


def _sorted_list(values: set[Any]) -> list[Any]:
    return sorted(values)


TRANSCODINGS = (
    ValueTranscoding(set, "set", _sorted_list, set),
    ValueTranscoding(date, "date_iso", date.isoformat, date.fromisoformat),
    ValueTranscoding(Occurred, "occurred", _encode_occurred, _decode_occurred),
    ValueTranscoding(Source, "source", _encode_source, Source.from_dict),
    ValueTranscoding(Actor, "actor", Actor.as_dict, Actor.from_dict),
    ValueTranscoding(CasualtyClaim, "claim", _encode_claim, CasualtyClaim.from_dict),
    ValueTranscoding(Envelope, "envelope", _encode_envelope, _decode_envelope),
)


MAX_REMEMBERED_ACTORS = 10_000


def _timestamp(moment: datetime) -> orjson.Fragment:
    """An event's UTC timestamp as ``DatetimeAsISO`` stores it, spelled by orjson (``isoformat``
    of an aware datetime is slow). Equal for every UTC datetime; other zones may differ (a
    test checks both), so they go through the transcoding."""
    return orjson.Fragment(b'{"_type_":"datetime_iso","_data_":' + orjson.dumps(moment) + b"}")


class FastJSONTranscoder(JSONTranscoder):
    """eventsourcing's JSON transcoder, encoding with orjson (the same JSON, several times faster).

    Datetimes, dataclasses and str subclasses are passed back to the registered transcodings,
    so the stored format is exactly that of ``JSONTranscoder``; decoding is unchanged.
    """

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS

    def __init__(self) -> None:
        super().__init__()
        self._last: tuple[Any, orjson.Fragment] | None = None
        self._actors: dict[Actor, orjson.Fragment] = {}

    def encode(self, obj: Any) -> bytes:
        if type(obj) is dict:
            timestamp = obj.get("timestamp")
            if type(timestamp) is datetime and timestamp.tzinfo is UTC:
                obj = obj | {"timestamp": _timestamp(timestamp)}
        # orjson 3.13 hands back its whole output buffer (4-8 KiB for a 600-byte event); a
        # big append keeps every encoded event until its insert, so keep an exact-size copy.
        return memoryview(self._dumps(obj)).tobytes()

    def _dumps(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self._encode_obj, option=self.OPTIONS)
        except orjson.JSONEncodeError as error:
            # orjson turns whatever the default callback raised into a TypeError, a Ctrl-C
            # arriving in the callback too: an interrupt must stay an interrupt.
            if isinstance(error.__cause__, KeyboardInterrupt | SystemExit):
                raise error.__cause__ from None
            raise

    def _encode_obj(self, o: Any) -> Any:
        # Every event has a timestamp: spell it as DatetimeAsISO does, without the lookup.
        if type(o) is datetime:
            return {"_type_": "datetime_iso", "_data_": o.isoformat()}
        # The events of one report share one envelope object: encode it once, to JSON bytes.
        if type(o) is Envelope:
            if self._last is None or self._last[0] is not o:
                self._last = (o, self._fragment(o))
            return self._last[1]
        # Actors recur in nearly every event (the same few groups and states): encode each once.
        if type(o) is Actor:
            encoded = self._actors.get(o)
            if encoded is None:
                if len(self._actors) >= MAX_REMEMBERED_ACTORS:
                    self._actors.clear()
                encoded = self._actors[o] = self._fragment(o)
            return encoded
        return super()._encode_obj(o)

    def _fragment(self, o: Any) -> orjson.Fragment:
        """``o`` transcoded and encoded, for orjson to copy into every event that holds it."""
        return orjson.Fragment(memoryview(self._dumps(super()._encode_obj(o))).tobytes())  # exact size: see encode()


def register(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)
