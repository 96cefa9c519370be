"""flashpoint chart: a real PNG of the timeline, or one clear line when matplotlib is missing."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from flashpoint.cli import main
from flashpoint.projections.cuts import Cut

from ..conftest import Analyst, WriteReports, casualty_report, claim, cut, drone_attack, retraction

if TYPE_CHECKING:
    from flashpoint.chart import Drawn
    from flashpoint.projections.timeline import Timeline

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def invoke(db: Path, *args: str) -> Any:
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


# -- what the chart draws (flashpoint.chart.draw's summary, and the pixels where it matters) --

MILITIA_RED = (0xC0, 0x39, 0x2B)


def us_strike(report_id: str, day: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": report_id,
        "kind": "airstrike",
        "occurred": day,
        "reported": day,
        "actor": {"name": "United States", "side": "us_coalition", "type": "state_forces"},
        "target": ["militia depot"],
        "target_actor": {"name": "Kata'ib Hezbollah", "side": "iran_aligned", "type": "militia"},
        "sources": [{"name": "US Central Command"}],
        **fields,
    }


def drawn_for(analyst: Analyst, out: Path, **cut_days: str) -> tuple[Drawn, Timeline]:
    from flashpoint.chart import draw
    from flashpoint.projections.timeline import timeline

    analyst.views.catch_up(analyst.app)
    story = timeline(analyst.views.db, cut(**cut_days))
    return draw(story, out, "test", None), story


def near(pixels: Any, colour: tuple[int, int, int]) -> int:
    """How many pixels are within a few levels of ``colour``."""
    rgb = (pixels[..., :3] * 255).round()
    return int((abs(rgb - colour).max(axis=-1) <= 6).sum())


def test_militia_killed_by_a_us_strike_are_drawn_in_the_militia_colour(analyst: Analyst, tmp_path: Path) -> None:
    image = pytest.importorskip("matplotlib.image")
    analyst.append(
        us_strike("strike-1", "2024-02-02"),
        casualty_report("toll-1", "strike-1", "2024-02-03", claim("militia", "SOHR", killed=16, qualifier="exact")),
    )
    out = tmp_path / "strike.png"

    drawn, _ = drawn_for(analyst, out)

    assert drawn.killed == {"militia": 16} and drawn.bars == {"militia": 1}
    assert near(image.imread(out), MILITIA_RED) > 50  # the bar; the strike itself is US blue


def test_each_party_hurt_has_its_own_bar_and_the_figures_are_the_best_estimates(
    analyst: Analyst, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    analyst.append(
        drone_attack("tower-22", occurred="2024-01-28", reported="2024-01-28"),
        casualty_report(
            "toll-tower",
            "tower-22",
            "2024-01-29",
            claim("us_military", "CENTCOM", killed=3, injured=109, qualifier="exact"),
            claim("contractor", "CENTCOM", injured=2, qualifier="at_least"),
        ),
        casualty_report(
            "toll-tower-2", "tower-22", "2024-01-30", claim("us_military", "AP", killed=4, qualifier="exact")
        ),
    )

    drawn, _ = drawn_for(analyst, tmp_path / "tower.png")

    assert drawn.killed == {"us_military": 3}  # the conservative best of 3 and 4
    assert drawn.injured == {"us_military": 109, "contractor": 2}
    assert drawn.bars == {"us_military": 2, "contractor": 1}


def test_the_level_line_ends_where_the_answer_puts_the_level(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from flashpoint.chart import draw
    from flashpoint.domain.ladder import Level
    from flashpoint.projections.engine import ReadModels
    from flashpoint.projections.timeline import timeline

    assert invoke(db_path, "demo").exit_code == 0
    answers = []
    with ReadModels(db_path.with_suffix(".views.db")) as views:
        for to in (None, date(2021, 3, 1), date(2021, 5, 1), date(2021, 6, 12)):
            story = timeline(views.db, Cut(to, None, 30))
            answers.append((story.escalation, draw(story, tmp_path / f"{to}.png", "test")))

    for answer, drawn in answers:
        assert drawn.level == Level(answer["level"]["rung"], answer["trend"]), answer["cut"]
    assert [drawn.level.rung for _, drawn in answers if drawn.level] == [5, 5, 0, 4]  # the lull of spring 2021


def test_the_seed_chart_labels_every_act_and_marks_every_statement(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from flashpoint.chart import draw
    from flashpoint.projections.engine import ReadModels
    from flashpoint.projections.timeline import timeline

    assert invoke(db_path, "demo").exit_code == 0
    with ReadModels(db_path.with_suffix(".views.db")) as views:
        story = timeline(views.db, Cut())

    drawn = draw(story, tmp_path / "seed.png", "test")

    assert set(drawn.labels) == {act["id"] for act in story.escalation["acts"]}
    assert drawn.statements == len(story.escalation["statements"]) > 0
    assert {"vow_revenge", "threat", "justification", "attribution"} <= set(drawn.statement_rows)
    assert drawn.killed["militia"] >= 4 and drawn.killed["contractor"] == 1  # militia dead in their own colour


def test_only_the_top_acts_are_labelled_highest_rung_first(analyst: Analyst, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from flashpoint.chart import LABELLED

    quiet = [
        drone_attack(f"drone-{n:02}", occurred=f"2024-03-{n:02}", reported=f"2024-03-{n:02}") for n in range(1, 25)
    ]
    analyst.append(
        *quiet,
        us_strike("strike-lethal", "2024-03-12"),
        casualty_report("toll", "strike-lethal", "2024-03-13", claim("militia", "SOHR", killed=2, qualifier="exact")),
    )

    drawn, _ = drawn_for(analyst, tmp_path / "many.png")

    assert 1 <= len(drawn.labels) <= LABELLED
    assert "strike-lethal" in drawn.labels


def test_a_lone_act_is_drawn_on_an_axis_of_at_least_a_month(analyst: Analyst, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    analyst.append(drone_attack("lone"))

    drawn, _ = drawn_for(analyst, tmp_path / "lone.png")

    assert drawn.shown is not None
    first, last = drawn.shown
    assert (last - first).days >= 30 and first <= date(2024, 1, 28) <= last


@pytest.mark.parametrize(
    ("acts", "every", "period"), [(12, 7, "act"), (200, 1, "day"), (200, 5, "week"), (200, 30, "month")]
)
def test_many_acts_are_counted_per_period_as_the_span_grows(
    analyst: Analyst, tmp_path: Path, acts: int, every: int, period: str
) -> None:
    pytest.importorskip("matplotlib")
    start = date(2020, 1, 1)
    days = [(start + timedelta(days=n * every // 2)).isoformat() for n in range(acts)]
    analyst.append(*(drone_attack(f"drone-{n}", occurred=day, reported=day) for n, day in enumerate(days)))

    drawn, _ = drawn_for(analyst, tmp_path / "period.png")

    assert (drawn.acts, drawn.period) == (acts, period)


def test_the_draw_reports_each_stage_in_order(analyst: Analyst, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from flashpoint.chart import STAGES, draw
    from flashpoint.projections.timeline import timeline

    analyst.append(drone_attack("one"))
    analyst.views.catch_up(analyst.app)
    heard: list[tuple[int, int, str]] = []

    draw(timeline(analyst.views.db, cut()), tmp_path / "p.png", "t", lambda *stage: heard.append(stage))

    assert [done for done, _, _ in heard] == list(range(len(STAGES) + 1))
    assert {total for _, total, _ in heard} == {len(STAGES)}
    assert [stage for _, _, stage in heard[: len(STAGES)]] == list(STAGES)


def test_the_title_gives_the_cut_in_words_never_today(db_path: Path) -> None:
    from flashpoint.chart import title_of

    assert invoke(db_path, "demo").exit_code == 0

    def answer(*args: str) -> dict[str, Any]:
        return json.loads(invoke(db_path, "escalation", "--json", *args).stdout)

    latest = title_of(answer())
    early = title_of(answer("--to", "2021-03-01", "--known-on", "2021-06-11"))

    assert latest.startswith("Escalation up to 28 June 2021, the latest day on record\n")
    assert early.startswith("Escalation up to 1 March 2021, as known on 11 June 2021\n")
    assert "today" not in latest + early
    assert "level 5 lethal attacks (escalating" in latest and "4 hostile act(s)" in latest
    assert "2 hostile act(s)" in early
