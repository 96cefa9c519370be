"""flashpoint export geojson: valid RFC 7946 points for the placed acts, the rest counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geojson
import pytest
from click.testing import CliRunner, Result
from flashpoint.cli import main
from flashpoint.reports.geojson import PROPERTIES

from ..conftest import WriteReports, casualty_report, claim, drone_attack, retraction


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def collection(db: Path, *args: str) -> tuple[dict[str, Any], str]:
    result = invoke(db, "export", "geojson", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_the_seed_exports_as_a_valid_feature_collection_of_points(db_path: Path, tmp_path: Path) -> None:
    assert invoke(db_path, "demo").exit_code == 0
    out = tmp_path / "seed.geojson"

    result = invoke(db_path, "export", "geojson", "--out", str(out))

    assert result.exit_code == 0, result.stderr
    parsed = geojson.loads(out.read_text(encoding="utf-8"))
    assert parsed.is_valid, parsed.errors()
    assert parsed["type"] == "FeatureCollection"
    acts = {act["id"]: act for act in json.loads(invoke(db_path, "escalation", "--json").stdout)["acts"]}
    assert [feature["id"] for feature in parsed["features"]] == list(acts)
    for feature in parsed["features"]:
        act = acts[feature["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [act["lon"], act["lat"]]}  # lon first
        assert list(feature["properties"]) == [*PROPERTIES, "killed", "injured"]
        assert {key: feature["properties"][key] for key in PROPERTIES} == {key: act[key] for key in PROPERTIES}
    erbil = next(feature for feature in parsed["features"] if feature["id"] == "erbil-rockets-2021-02-15")
    assert erbil["geometry"]["coordinates"] == [44.01, 36.19]
    assert erbil["properties"]["geo_precision"] == 2
    assert "exported 4 act(s) as GeoJSON points; 0 act(s) without coordinates left out" in result.stderr


def test_each_point_carries_its_best_killed_and_injured_summed_over_the_parties_hurt(
    db_path: Path, write_reports: WriteReports
) -> None:
    placed = {"lat": 32.2, "lon": 38.9, "geo_precision": 1}
    reports = [
        drone_attack("tower-22", **placed),
        casualty_report("toll-1", "tower-22", "2024-01-29", claim("us_military", "CENTCOM", killed=3, injured=25)),
        casualty_report("toll-2", "tower-22", "2024-01-30", claim("contractor", "CENTCOM", injured=4)),
        casualty_report("toll-3", "tower-22", "2024-02-02", claim("us_military", "CENTCOM", killed=3, injured=40)),
        drone_attack("unplaced", occurred="2024-01-29", reported="2024-01-29"),
        drone_attack("harmless", occurred="2024-01-30", reported="2024-01-30", lat=33.0, lon=40.0),
    ]
    assert invoke(db_path, "append", str(write_reports(reports))).exit_code == 0

    early, _ = collection(db_path, "--known-on", "2024-01-29")
    later, stderr = collection(db_path, "--known-on", "2024-02-01")
    latest, _ = collection(db_path)

    def figures(answer: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        shown = {item["id"]: item["properties"] for item in answer["features"]}
        return {act: (properties["killed"], properties["injured"]) for act, properties in shown.items()}

    assert figures(early) == {"tower-22": (3, 25)}  # harmless was not yet reported
    assert figures(later) == {"tower-22": (3, 29), "harmless": (None, None)}  # 25 + 4 across parties
    assert figures(latest) == {"tower-22": (3, 44), "harmless": (None, None)}  # the revision supersedes
    assert "exported 2 act(s) as GeoJSON points; 1 act(s) without coordinates left out" in stderr
    for answer in (early, later, latest):
        assert geojson.loads(json.dumps(answer)).is_valid


def test_a_withdrawn_act_is_not_on_the_map_and_the_valid_time_cut_applies(
    db_path: Path, write_reports: WriteReports
) -> None:
    reports = [
        drone_attack("first", lat=32.0, lon=38.0),
        drone_attack("second", occurred="2024-02-05", reported="2024-02-05", lat=33.0, lon=39.0),
        retraction("retract-first", "first", reported="2024-02-06"),
    ]
    assert invoke(db_path, "append", str(write_reports(reports))).exit_code == 0

    def ids(*args: str) -> list[str]:
        return [item["id"] for item in collection(db_path, *args)[0]["features"]]

    assert ids("--known-on", "2024-02-05") == ["first", "second"]
    assert ids("--known-on", "2024-02-05", "--to", "2024-02-01") == ["first"]
    assert ids() == ["second"]


def test_an_empty_cut_is_an_empty_collection_and_a_missing_log_is_66(db_path: Path, tmp_path: Path) -> None:
    assert invoke(db_path, "demo").exit_code == 0
    empty, stderr = collection(db_path, "--to", "2020-01-01")
    assert "exported 0 act(s) as GeoJSON points" in stderr
    assert empty == {"type": "FeatureCollection", "features": []}
    assert geojson.loads(json.dumps(empty)).is_valid

    missing = invoke(tmp_path / "nowhere.db", "export", "geojson")
    assert missing.exit_code == 66
    assert not (tmp_path / "nowhere.db").exists()


def test_the_export_never_writes_over_the_log(db_path: Path) -> None:
    assert invoke(db_path, "demo").exit_code == 0
    before = db_path.read_bytes()

    result = invoke(db_path, "export", "geojson", "--out", str(db_path))

    assert result.exit_code == 73, result.stderr
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("value", [0, 4, "exact", 1.5])
def test_a_geo_precision_outside_acleds_codes_is_refused_naming_report_and_field(
    db_path: Path, write_reports: WriteReports, value: object
) -> None:
    path = write_reports([drone_attack("tower-22", lat=32.2, lon=38.9, geo_precision=value)])

    result = invoke(db_path, "append", str(path))

    assert result.exit_code == 65
    assert "tower-22" in result.stderr and "geo_precision" in result.stderr
    assert "1 (the exact place)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
