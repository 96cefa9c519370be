"""flashpoint chart: a real PNG of the timeline, or one clear line when matplotlib is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flashpoint.cli import main

from ..conftest import WriteReports, retraction

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def invoke(db: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def test_chart_draws_the_seed_timeline_into_a_real_png(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    image = pytest.importorskip("matplotlib.image")
    assert invoke(db_path, "demo").exit_code == 0
    out = tmp_path / "timeline.png"

    result = invoke(db_path, "chart", "--out", str(out))

    assert result.exit_code == 0, result.stderr
    assert "drew 4 act(s)" in result.stderr
    assert out.read_bytes()[:8] == PNG_MAGIC
    pixels = image.imread(out)
    height, width = pixels.shape[:2]
    assert width > 1000 and height > 500
    colours = {tuple(pixel) for pixel in pixels.reshape(-1, pixels.shape[2])[::7]}
    assert len(colours) > 50  # marks, arrows, bars and text, not a blank canvas


def test_chart_honours_the_cuts(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    assert invoke(db_path, "demo").exit_code == 0

    early = invoke(db_path, "chart", "--to", "2021-03-01", "--out", str(tmp_path / "early.png"))
    unknown_yet = invoke(db_path, "chart", "--known-on", "2021-01-01", "--out", str(tmp_path / "none.png"))

    assert "drew 2 act(s)" in early.stderr
    assert "drew 0 act(s)" in unknown_yet.stderr and (tmp_path / "none.png").read_bytes()[:8] == PNG_MAGIC


def test_chart_draws_a_log_holding_days_before_the_range(log_from_before_the_date_range: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "ancient.png"

    result = invoke(log_from_before_the_date_range, "chart", "--out", str(out))

    assert result.exit_code == 0, result.stderr
    assert "drew 2 act(s)" in result.stderr and out.read_bytes()[:8] == PNG_MAGIC


def test_without_matplotlib_chart_says_how_to_install_it(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    result = invoke(db_path, "chart", "--out", str(tmp_path / "x.png"))

    assert result.exit_code == 69
    assert result.stderr.strip() == (
        "error: charts need matplotlib, which is not installed: pip install 'flashpoint[charts]'"
    )
    assert not (tmp_path / "x.png").exists()


def test_chart_leaves_out_an_act_a_retraction_withdrew_from_its_day_on(
    db_path: Path, tmp_path: Path, write_reports: WriteReports
) -> None:
    pytest.importorskip("matplotlib")
    assert invoke(db_path, "demo").exit_code == 0
    retracted = retraction("retract-june-strikes", "us-strikes-2021-06-27", reported="2021-06-30")
    assert invoke(db_path, "append", str(write_reports([retracted]))).exit_code == 0

    before = invoke(db_path, "chart", "--known-on", "2021-06-29", "--out", str(tmp_path / "before.png"))
    after = invoke(db_path, "chart", "--out", str(tmp_path / "after.png"))

    assert "drew 4 act(s)" in before.stderr
    assert "drew 3 act(s)" in after.stderr
