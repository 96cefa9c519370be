"""How the domain's value objects are stored inside events (eventsourcing JSON transcodings).

Decoders tolerate missing optional keys so that older stored events keep reading.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding
from flashpoint.domain import Actor, CasualtyClaim, Envelope, Occurred, Source


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


def _encode_envelope(envelope: Envelope) -> dict[str, Any]:
    """The envelope as plain JSON values in one go (nested transcodings cost a callback each)."""
    data = envelope.as_dict()
    data["occurred"] = envelope.occurred.as_dict()
    data["reported"] = envelope.reported.isoformat()
    data["sources"] = [source.as_dict() for source in envelope.sources]
    return data


def _decode_envelope(data: dict[str, Any]) -> Envelope:
    """Read both spellings: plain values (current) and nested transcoded objects (older events)."""
    occurred, reported = data["occurred"], data["reported"]
    return Envelope.from_dict(
        data
        | {
            "occurred": occurred if isinstance(occurred, Occurred) else Occurred.from_dict(occurred),
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
    ValueTranscoding(Occurred, "occurred", Occurred.as_dict, Occurred.from_dict),
    ValueTranscoding(Source, "source", Source.as_dict, Source.from_dict),
    ValueTranscoding(Actor, "actor", Actor.as_dict, Actor.from_dict),
    ValueTranscoding(CasualtyClaim, "claim", CasualtyClaim.as_dict, CasualtyClaim.from_dict),
    ValueTranscoding(Envelope, "envelope", _encode_envelope, _decode_envelope),
)


MAX_REMEMBERED_ACTORS = 10_000


class FastJSONTranscoder(JSONTranscoder):
    """eventsourcing's JSON transcoder, encoding with orjson (the same JSON, several times faster).

    Datetimes, dataclasses and str subclasses are passed back to the registered transcodings,
    so the stored format is exactly that of ``JSONTranscoder``; decoding is unchanged.
    """

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS

    def __init__(self) -> None:
        super().__init__()
        self._last: tuple[Any, dict[str, Any]] | None = None
        self._actors: dict[Actor, dict[str, Any]] = {}

    def encode(self, obj: Any) -> bytes:
        # orjson 3.13 hands back its whole output buffer (4-8 KiB for a 600-byte event); a
        # big append keeps every encoded event until its insert, so keep an exact-size copy.
        return memoryview(orjson.dumps(obj, default=self._encode_obj, option=self.OPTIONS)).tobytes()

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        # Every event has a timestamp: spell it as DatetimeAsISO does, without the lookup.
        if type(o) is datetime:
            return {"_type_": "datetime_iso", "_data_": o.isoformat()}
        # The events of one report share one envelope object: encode it once.
        if type(o) is Envelope:
            if self._last is None or self._last[0] is not o:
                self._last = (o, super()._encode_obj(o))
            return self._last[1]
        # Actors recur in nearly every event (the same few groups and states): encode each once.
        if type(o) is Actor:
            encoded = self._actors.get(o)
            if encoded is None:
                if len(self._actors) >= MAX_REMEMBERED_ACTORS:
                    self._actors.clear()
                encoded = self._actors[o] = super()._encode_obj(o)
            return encoded
        return super()._encode_obj(o)


def register(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)
