"""flashpoint map: where the acts happened, drawn offline over the shipped country outlines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flashpoint.cli import main

from ..conftest import WriteReports, drone_attack

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def test_the_seed_map_draws_every_placed_act_with_its_precision(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from flashpoint import atlas

    assert invoke(db_path, "demo").exit_code == 0
    collection = json.loads(invoke(db_path, "export", "geojson").stdout)
    out = tmp_path / "seed-map.png"

    mapped = atlas.draw(collection, out, "seed")

    assert out.read_bytes()[:8] == PNG_MAGIC
    assert mapped.points == 4 and mapped.spots == 4  # four places
    assert mapped.by_precision == {2: 2, 3: 2}  # Erbil and Baghdad near; the two strikes on a region
    killed = {item["id"]: item["properties"]["killed"] or 0 for item in collection["features"]}
    named = sorted((act for act in killed if killed[act]), key=lambda act: -killed[act])
    assert mapped.labelled[0] == "us-strikes-2021-06-27" and sorted(mapped.labelled) == sorted(named)
    west, east, south, north = mapped.extent
    for item in collection["features"]:
        lon, lat = item["geometry"]["coordinates"]
        assert west < lon < east and south < lat < north


def test_acts_of_one_side_at_one_place_are_one_mark_with_their_killed_summed() -> None:
    from flashpoint.atlas import spots

    def point(
        act: str, lon: float, side: str, killed: int | None, precision: int | None = 1, place: str | None = "K-1"
    ) -> dict[str, object]:
        properties = {"id": act, "side": side, "killed": killed, "geo_precision": precision}
        return {"geometry": {"coordinates": [lon, 35.0]}, "properties": properties | {"place": place, "target": "T-22"}}

    marks = spots(
        [
            point("a", 44.0, "iran_aligned", 2),
            point("b", 44.0, "iran_aligned", None),
            point("c", 44.0, "iran_aligned", 5),
            point("d", 44.0, "us_coalition", 1),  # the other side at the same place: its own mark
            point("e", 44.0, "iran_aligned", 1, precision=3),  # placed on the region only: its own mark
            point("f", 41.0, "iran_aligned", 0),
            point("g", 40.0, "iran_aligned", 0, place=None),
            point("h", 40.0, "iran_aligned", 0, place=None),
        ]
    )

    assert [(mark.acts, mark.killed, mark.side, mark.precision) for mark in marks] == [
        (["a", "b", "c"], 7, "iran_aligned", 1),
        (["d"], 1, "us_coalition", 1),
        (["e"], 1, "iran_aligned", 3),
        (["g", "h"], 0, "iran_aligned", 1),  # most killed first, then most acts
        (["f"], 0, "iran_aligned", 1),
    ]
    assert marks[0].label == "K-1: 3 acts\n7 killed" and marks[1].label == "d\n1 killed"
    assert marks[3].label == "T-22: 2 acts\n0 killed"  # no place given: the target names the site


def test_the_map_command_writes_a_png_and_counts_the_unplaced(
    db_path: Path, tmp_path: Path, write_reports: WriteReports
) -> None:
    pytest.importorskip("matplotlib")
    image = pytest.importorskip("matplotlib.image")
    reports = [drone_attack("tower-22", lat=33.32, lon=38.7, geo_precision=1), drone_attack("unplaced")]
    assert invoke(db_path, "append", str(write_reports(reports))).exit_code == 0
    out = tmp_path / "map.png"

    result = invoke(db_path, "map", "--out", str(out))

    assert result.exit_code == 0, result.stderr
    assert "drew 1 act(s) into" in result.stderr and "1 act(s) without coordinates left out" in result.stderr
    pixels = image.imread(out)
    assert pixels.shape[1] > 800
    assert len({tuple(pixel) for pixel in pixels.reshape(-1, pixels.shape[2])[::5]}) > 30  # outlines, a dot, text


def test_an_empty_cut_still_draws_the_region_and_says_so(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    assert invoke(db_path, "demo").exit_code == 0

    result = invoke(db_path, "map", "--to", "2020-01-01", "--out", str(tmp_path / "empty.png"))

    assert result.exit_code == 0, result.stderr
    assert "drew 0 act(s)" in result.stderr
    assert (tmp_path / "empty.png").read_bytes()[:8] == PNG_MAGIC


def test_the_map_never_writes_over_the_log_and_needs_the_charts_extra(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke(db_path, "demo").exit_code == 0
    before = db_path.read_bytes()
    if "matplotlib" in sys.modules or _installed("matplotlib"):
        refused = invoke(db_path, "map", "--out", str(db_path))
        assert refused.exit_code == 73, refused.stderr
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    missing = invoke(db_path, "map", "--out", str(tmp_path / "x.png"))
    assert missing.exit_code == 69
    assert "pip install 'flashpoint[charts]'" in missing.stderr
    assert db_path.read_bytes() == before


def _installed(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_the_outlines_ship_with_the_package_and_cover_the_theatre() -> None:
    from flashpoint.atlas import countries

    names = {country.name for country in countries()}
    assert {"Iraq", "Syria", "Jordan", "Iran", "Saudi Arabia", "Kuwait", "Yemen", "Lebanon", "Turkey"} <= names
    iraq = next(country for country in countries() if country.name == "Iraq")
    lon, lat = iraq.middle
    assert 40 < lon < 48 and 29 < lat < 37
