"""Where it happened, as a picture (``flashpoint map``; needs the ``charts`` extra).

The acts with coordinates at the cut — the features ``export geojson`` writes — drawn over
Natural Earth's country outlines (public domain, shipped with flashpoint: no tile server, no
network). The acts of one side at one point are one dot, coloured by that side and sized by
their killed (best, summed over the parties hurt); how exactly it is placed shows as ACLED's precision does: a
solid dot for the exact place, a ring around it for "near it", and a wide pale disc for "the
region only", so that a point set on a region is not read as a site. The acts with the most
killed are labelled.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from flashpoint.chart import SIDE_COLOURS, SIDE_LABELS, pyplot
from flashpoint.domain.vocabulary import GEO_PRECISION

LABELLED = 6
"""The marks named on the map: those with the most killed (then the most acts)."""
MARGIN_DEGREES = 1.5
SMALLEST_SPAN_DEGREES = 10.0
"""A map of one place still shows the country around it."""
REGION_RADIUS_DEGREES = 0.6
"""The pale disc drawn for an act placed on a region only (geo_precision 3)."""


@dataclass
class Mapped:
    """What :func:`draw` put on the map (for its caller's message and for tests)."""

    points: int = 0
    spots: int = 0
    """Marks drawn: acts of one side at one point and precision share one."""
    by_precision: dict[int | None, int] = field(default_factory=dict)
    labelled: list[str] = field(default_factory=list)
    extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """west, east, south, north, in degrees."""


@dataclass(frozen=True)
class Country:
    name: str
    rings: list[list[list[float]]]
    """Its outline as rings of [lon, lat] (polygons and multipolygons flattened)."""

    @property
    def middle(self) -> tuple[float, float]:
        """Where its name goes: the mean of the vertices of its largest ring."""
        largest = max(self.rings, key=len)
        return sum(point[0] for point in largest) / len(largest), sum(point[1] for point in largest) / len(largest)


def countries() -> list[Country]:
    """The country outlines shipped with flashpoint (``outlines/``)."""
    text = resources.files("flashpoint").joinpath("outlines/countries-110m.geojson").read_text(encoding="utf-8")
    found = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        found.append(Country(feature["properties"]["name"], [ring for polygon in polygons for ring in polygon]))
    return found


def extent(features: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """West, east, south and north of the points with a margin, at least :data:`SMALLEST_SPAN_DEGREES` wide."""
    lons = [feature["geometry"]["coordinates"][0] for feature in features]
    lats = [feature["geometry"]["coordinates"][1] for feature in features]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    widen_lon = max(0.0, SMALLEST_SPAN_DEGREES - (east - west)) / 2 + MARGIN_DEGREES
    widen_lat = max(0.0, SMALLEST_SPAN_DEGREES * 0.75 - (north - south)) / 2 + MARGIN_DEGREES
    return (
        max(-180.0, west - widen_lon),
        min(180.0, east + widen_lon),
        max(-90.0, south - widen_lat),
        min(90.0, north + widen_lat),
    )


@dataclass
class Spot:
    """The acts of one side at one point with one precision: one mark on the map."""

    lon: float
    lat: float
    precision: int | None
    side: str
    acts: list[str] = field(default_factory=list)
    killed: int = 0
    place: str | None = None

    @property
    def label(self) -> str:
        what = self.acts[0] if len(self.acts) == 1 else f"{self.place or self.acts[0]}: {len(self.acts):,} acts"
        return f"{what}\n{self.killed:,} killed"


def spots(features: list[dict[str, Any]]) -> list[Spot]:
    """The features grouped by point, precision and side (a site attacked a thousand times is one
    mark, its killed summed), the largest first so that smaller marks are drawn over them."""
    found: dict[tuple[float, float, int | None, str], Spot] = {}
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        properties = feature["properties"]
        key = (lon, lat, properties["geo_precision"], properties["side"])
        spot = found.get(key)
        if spot is None:
            place = properties["place"] or properties["target"]  # a site named only as the target
            spot = found[key] = Spot(lon, lat, properties["geo_precision"], properties["side"], place=place)
        spot.acts.append(properties["id"])
        spot.killed += properties["killed"] or 0
    return sorted(found.values(), key=lambda spot: (-spot.killed, -len(spot.acts)))


def _size(killed: int) -> float:
    """Marker area in points²: grows with the square root of the killed, so one place of 1,000 does not hide the map."""
    return 30.0 + 30.0 * math.sqrt(killed)


def draw(collection: dict[str, Any], out: Path, title: str) -> Mapped:
    """Draw the Point features of ``collection`` (``export geojson``'s FeatureCollection) into a PNG."""
    plt = pyplot()
    from matplotlib.lines import Line2D

    features = collection["features"]
    mapped = Mapped(points=len(features))
    figure, axes = plt.subplots(figsize=(11, 8.5))
    axes.set_facecolor("#eaf2f8")  # the sea
    mapped.extent = extent(features) if features else (20.0, 65.0, 10.0, 45.0)
    west, east, south, north = mapped.extent
    for country in countries():
        for ring in country.rings:
            axes.fill(
                [point[0] for point in ring],
                [point[1] for point in ring],
                facecolor="#fbfaf6",
                edgecolor="#9a9a9a",
                linewidth=0.6,
                zorder=1,
            )
        x, y = country.middle
        if west < x < east and south < y < north:
            axes.text(x, y, country.name.upper(), fontsize=8, color="#a0a0a0", ha="center", va="center", zorder=1.5)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))  # degrees of longitude shrink northward
    marks = spots(features)
    mapped.spots = len(marks)
    for feature in features:
        precision = feature["properties"]["geo_precision"]
        mapped.by_precision[precision] = mapped.by_precision.get(precision, 0) + 1
    for spot in marks:
        colour = SIDE_COLOURS.get(spot.side, SIDE_COLOURS["unknown"])
        size = _size(spot.killed)
        if spot.precision == 3:
            _region_disc(axes, spot.lon, spot.lat, colour)
        axes.scatter(
            [spot.lon], [spot.lat], s=[size], c=[colour], alpha=0.85, edgecolors="white", linewidths=0.6, zorder=3
        )
        if spot.precision == 2:
            axes.scatter(
                [spot.lon], [spot.lat], s=[size * 3.0], facecolors="none", edgecolors=[colour], linewidths=1.0, zorder=3
            )
    placed: list[tuple[float, float]] = []
    for spot in [spot for spot in marks if spot.killed > 0][:LABELLED]:
        crowded = sum(1 for x, y in placed if abs(x - spot.lon) < 2.5 and abs(y - spot.lat) < 1.0)  # stacked
        placed.append((spot.lon, spot.lat))
        axes.annotate(
            spot.label,
            (spot.lon, spot.lat),
            xytext=(8, 6 - 26 * crowded),
            textcoords="offset points",
            fontsize=7.5,
            color="#222222",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        )
        mapped.labelled.append(spot.acts[0])
    sides = sorted({feature["properties"]["side"] for feature in features}, key=list(SIDE_COLOURS).index)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=SIDE_COLOURS[side], label=f"acted: {SIDE_LABELS[side]}")
        for side in sides
    ]
    shapes = {
        1: {"marker": "o", "color": "#555555"},
        2: {"marker": "o", "color": "#555555", "markerfacecolor": "none", "markersize": 10},
        3: {"marker": "o", "color": "#555555", "markersize": 14, "alpha": 0.25},
    }
    for precision in (1, 2, 3):
        if precision in mapped.by_precision:
            label = f"{precision}: {GEO_PRECISION[precision]}"
            handles.append(Line2D([], [], linestyle="", label=label, **shapes[precision]))  # type: ignore[arg-type]
    if None in mapped.by_precision:
        handles.append(Line2D([], [], linestyle="", marker="o", color="#555555", label="precision not given"))
    if handles:
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    axes.set_xlabel("longitude (°E)")
    axes.set_ylabel("latitude (°N)")
    axes.set_title(title, loc="left", fontsize=11)
    if not features:
        axes.text(0.5, 0.5, "no act with coordinates at this cut", transform=axes.transAxes, ha="center")
    figure.text(
        0.01,
        0.01,
        "one dot per place and side · dot area: killed there (best, all parties) · outlines: Natural Earth 1:110m",
        fontsize=7,
        color="#666666",
    )
    figure.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return mapped


def _region_disc(axes: Any, lon: float, lat: float, colour: str) -> None:
    """A pale disc of :data:`REGION_RADIUS_DEGREES` around an act placed on a region only (round on the map)."""
    from matplotlib.patches import Ellipse

    stretch = 1 / max(0.2, math.cos(math.radians(lat)))
    disc = Ellipse(
        (lon, lat),
        2 * REGION_RADIUS_DEGREES * stretch,
        2 * REGION_RADIUS_DEGREES,
        facecolor=colour,
        alpha=0.12,
        edgecolor="none",
        zorder=2,
    )
    axes.add_patch(disc)
