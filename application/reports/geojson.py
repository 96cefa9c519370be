"""The acts at a cut as a GeoJSON FeatureCollection (RFC 7946), for any map (``flashpoint export geojson``).

Each act with coordinates is a Point feature (``[lon, lat]``, WGS 84, as RFC 7946 orders them)
whose properties are the act's fields as ``escalation --json`` gives them, its ``geo_precision``,
and its killed and injured best estimates summed over the parties hurt. Acts without
coordinates are counted, not drawn. The collection is written a feature at a time, so a
large log is never held as one document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import orjson

PROPERTIES = (
    "id",
    "kind",
    "occurred_from",
    "occurred_to",
    "certainty",
    "side",
    "actor",
    "target",
    "rung",
    "rung_name",
    "place",
    "geo_precision",
)
"""The act's own fields each feature carries, before ``killed`` and ``injured`` (best estimates)."""


@dataclass
class Mapped:
    """What an export wrote: the features, and the acts left out for want of coordinates."""

    features: int = 0
    unplaced: int = 0


def feature(act: Mapping[str, Any], totals: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One act (an ``escalation --json`` act with coordinates) as a GeoJSON Point feature."""
    figures = totals.get(act["id"], {})
    properties = {key: act[key] for key in PROPERTIES}
    for which in ("killed", "injured"):
        properties[which] = figures[which]["best"] if which in figures else None
    return {
        "type": "Feature",
        "id": act["id"],
        "geometry": {"type": "Point", "coordinates": [act["lon"], act["lat"]]},
        "properties": properties,
    }


def features(
    acts: Iterable[Mapping[str, Any]], totals: Mapping[str, Mapping[str, Any]], mapped: Mapped
) -> Iterator[dict[str, Any]]:
    """The features of the acts that have coordinates, counting in ``mapped`` what was left out."""
    for act in acts:
        if act["lat"] is None or act["lon"] is None:
            mapped.unplaced += 1
            continue
        mapped.features += 1
        yield feature(act, totals)


def collection(
    acts: Iterable[Mapping[str, Any]], totals: Mapping[str, Mapping[str, Any]], mapped: Mapped
) -> dict[str, Any]:
    """The FeatureCollection of ``acts`` as one document (for drawing it; exports stream it instead)."""
    return {"type": "FeatureCollection", "features": list(features(acts, totals, mapped))}


def write_collection(acts: Iterable[Mapping[str, Any]], totals: Mapping[str, Mapping[str, Any]], out: TextIO) -> Mapped:
    """Write the FeatureCollection of ``acts`` to ``out``, one feature per line."""
    mapped = Mapped()
    out.write('{"type": "FeatureCollection", "features": [')
    separator = "\n"
    for item in features(acts, totals, mapped):
        out.write(separator + orjson.dumps(item).decode())
        separator = ",\n"
    out.write("\n]}\n")
    return mapped
