"""How the domain's value objects are stored inside events (eventsourcing JSON transcodings).

Decoders tolerate missing optional keys so that older stored events keep reading.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

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


TRANSCODINGS = (
    ValueTranscoding(date, "date_iso", date.isoformat, date.fromisoformat),
    ValueTranscoding(Occurred, "occurred", Occurred.as_dict, Occurred.from_dict),
    ValueTranscoding(Source, "source", Source.as_dict, Source.from_dict),
    ValueTranscoding(Actor, "actor", Actor.as_dict, Actor.from_dict),
    ValueTranscoding(CasualtyClaim, "claim", CasualtyClaim.as_dict, CasualtyClaim.from_dict),
    ValueTranscoding(Envelope, "envelope", Envelope.as_dict, Envelope.from_dict),
)


def register(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)
