"""The escalation as a picture (``flashpoint chart``; needs the ``charts`` extra).

Four panels on one time axis, read top to bottom as the story goes:

- **the ladder**: the level on each day as a step line (the highest rung in the trailing
  window: :func:`flashpoint.domain.ladder.level_runs`, the rule's own sweep), over the acts at
  their rungs. Up to :data:`ONE_BY_ONE` acts each is a mark (colour: the side that acted;
  shape: its kind; an act known only to an interval is drawn across it; a stated response is
  an arrow from the act it answers); more, and each period × rung is a cell shaded by how many
  acts it holds. The top acts (highest rung, then most killed) are labelled where their
  labels do not overlap.
- **statements**: vows of revenge, threats, claims of responsibility, justifications,
  attributions and the rest, as marks on one row each.
- **killed** and **injured**: the best estimate per act (or per day, week or month), a bar per
  party hurt, side by side, in that party's colour. Both are on a log scale (0, then 1, 2, 5,
  10, … equally apart per tenfold), so a bar of 109 injured and one of 1 are both readable,
  and each bar reaches its own figure (stacked bars cannot be read on a log scale). Killed and
  injured have a panel each so that neither figure dwarfs the other. A whisker spans low to
  high across sources; the figures are written over the bars when there are few.

Periods grow with the span shown (:func:`period_of`) so that a log of 100,000 acts is about
as many bars and cells as one of a hundred.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flashpoint.domain.dates import shifted
from flashpoint.domain.ladder import RUNGS, Level, level_runs
from flashpoint.errors import MissingExtra
from flashpoint.projections.escalation import on_ladder
from flashpoint.projections.timeline import Timeline

SIDE_COLOURS = {
    "us_coalition": "#1f5aa6",
    "iran_aligned": "#c0392b",
    "host_nation": "#2e8b57",
    "other": "#8e44ad",
    "unknown": "#7f7f7f",
}
SIDE_LABELS = {
    "us_coalition": "US / coalition",
    "iran_aligned": "Iran-aligned",
    "host_nation": "host nation",
    "other": "other",
    "unknown": "unknown",
}
PARTY_COLOURS = {
    "us_military": "#0b2f6b",
    "coalition_military": "#2f6fbf",
    "contractor": "#6fa8dc",
    "us_civilian": "#a9cbe8",
    "militia": "#c0392b",
    "host_nation_forces": "#2e8b57",
    "civilian": "#f0a020",
    "unknown": "#8c8c8c",
}
"""One colour per party hurt, fixed whatever the log: the US and coalition parties in blues,
militia in the red of their side, host-nation forces green, civilians amber."""
PARTY_LABELS = {
    "us_military": "US military",
    "coalition_military": "coalition military",
    "contractor": "contractors",
    "us_civilian": "US civilians",
    "militia": "militia",
    "host_nation_forces": "host-nation forces",
    "civilian": "civilians",
    "unknown": "unknown party",
}
KIND_MARKERS = {
    "airstrike": "^",
    "drone_attack": "o",
    "rocket_attack": "s",
    "missile_attack": "D",
    "explosive_attack": "X",
}
STATEMENT_ROWS = (
    ("vow_revenge", "vow of revenge"),
    ("threat", "threat"),
    ("claim_of_responsibility", "claim of responsibility"),
    ("justification", "justification"),
    ("attribution", "attribution"),
    ("other", "other statement"),
)
"""The statements panel's rows, top to bottom; only the rows that hold a statement are drawn."""
ONE_BY_ONE = 150
"""Up to this many acts (and twice as many statements) each is drawn as a mark; more are counted per period."""
LABELLED = 6
"""At most this many acts are labelled."""
WRITTEN = 40
"""Up to this many bars in a panel, each bar's figure is written over it."""
TICKS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
PLACES = tuple(
    ((dx if align == "left" else -dx if align == "right" else 0, dy), align)
    for dy in (14, -16, 28, -30, 42, -44)
    for dx, align in ((0, "center"), (6, "left"), (6, "right"), (30, "left"), (30, "right"))
)
"""Where a label may go, nearest first: above or below its act, centred or to either side, in points."""
STAGES = ("the level, day by day", "the acts", "the statements", "the casualties", "the labels", "writing the PNG")

Progress = Callable[[int, int, str], None]


class ChartsUnavailable(MissingExtra):
    """matplotlib is not installed."""


@dataclass(frozen=True)
class Drawn:
    """What a chart shows, for the line on stderr and for tests that look past the pixels.

    ``killed`` and ``injured``: per party hurt, the best estimates drawn (summed) and the
    number of bars holding that party (``bars``, killed and injured together); ``labels``:
    the acts labelled, left to right; ``level``: on the level day, as the line draws it.
    """

    acts: int
    statements: int
    period: str  # "act" (each act's own day), "day", "week" or "month"
    level: Level | None  # on the last day of the level line (None: nothing to draw)
    level_changes: int
    shown: tuple[date, date] | None = None  # the first and last day on the time axis
    killed: dict[str, int] = field(default_factory=dict)
    injured: dict[str, int] = field(default_factory=dict)
    bars: dict[str, int] = field(default_factory=dict)
    labels: tuple[str, ...] = ()
    statement_rows: tuple[str, ...] = ()


def check_installed() -> None:
    """Raise :class:`ChartsUnavailable` unless matplotlib can be imported."""
    pyplot()


def pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(
            "charts need matplotlib, which is not installed: pip install 'flashpoint[charts]'"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def in_words(day: str) -> str:
    """``2021-06-28`` as ``28 June 2021``."""
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {parsed:%B} {parsed.year}"


def title_of(answer: dict[str, Any]) -> str:
    """The cut in words, and where the level stood there (``answer``: the escalation JSON)."""
    cut, level = answer["cut"], answer["level"]
    if cut["to"]:
        when = f"Escalation up to {in_words(cut['to'])}"
    elif cut["level_date"]:
        when = f"Escalation up to {in_words(cut['level_date'])}, the latest day on record"
    else:
        when = "Escalation: nothing on record"
    if cut["known_on"]:
        when += f", as known on {in_words(cut['known_on'])}"
    acts, statements = len(answer["acts"]), len(answer["statements"])
    return (
        f"{when}\nlevel {level['rung']} {level['name']} ({answer['trend']}, {cut['window']}-day window)"
        f" · {answer['cycles']} tit-for-tat cycle(s) · {acts:,} hostile act(s) · {statements:,} statement(s)"
    )


def period_of(first: date, last: date, acts: int) -> str:
    """How much time one bar or cell stands for: each act on its own day while there are few
    acts; otherwise a day, a week or a month, so that a span is never much more than a hundred
    of them (at 100,000 acts over four years: fifty months)."""
    span = (last - first).days
    if acts <= ONE_BY_ONE:
        return "act"
    if span <= 120:
        return "day"
    return "week" if span <= 730 else "month"


def period_start(day: date, period: str) -> date:
    """The first day of the period ``day`` falls in (weeks begin on Monday)."""
    if period == "week":
        return shifted(day, -day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def period_days(start: date, period: str) -> int:
    """How many days the period beginning on ``start`` lasts."""
    if period == "week":
        return 7
    if period == "month":
        if start.month == 12:
            return 31
        return (date(start.year, start.month + 1, 1) - start).days
    return 1


def _middle(item: dict[str, Any]) -> date:
    start, end = date.fromisoformat(item["occurred_from"]), date.fromisoformat(item["occurred_to"])
    return start + (end - start) / 2


def _shown_days(first: date, last: date) -> tuple[date, date]:
    """The days on the x axis: everything drawn with a margin, at least a month wide (so a lone
    act never puts the axis in hours), held inside the calendar (matplotlib's own margin would
    step outside it for a log that holds 0001-01-01, and fail)."""
    span = (last - first).days
    margin = max(3.0, span * 0.03, (30 - span) / 2)
    return shifted(first, -margin), shifted(last, margin)


def draw(timeline: Timeline, out: Path, title: str, progress: Progress | None = None) -> Drawn:
    """Draw ``timeline`` into a PNG at ``out``; ``progress(done, total, stage)`` hears of each stage."""
    plt = pyplot()

    def stage(done: int) -> None:
        if progress is not None:
            progress(done, len(STAGES), STAGES[min(done, len(STAGES) - 1)])

    answer = timeline.escalation
    acts, statements = answer["acts"], answer["statements"]
    figure, (ladder, said, killed_axes, injured_axes) = plt.subplots(
        4,
        1,
        figsize=(14, 9.5),
        sharex=True,
        gridspec_kw={"height_ratios": [3.2, 1.0, 1.25, 1.25], "hspace": 0.12},
    )
    ladder.set_title(title, loc="left", fontsize=10.5)
    items = [on_ladder(row) for row in (*acts, *statements)]
    if not items:
        return _draw_nothing(plt, figure, (ladder, said, killed_axes, injured_axes), out)

    stage(0)
    level_day = date.fromisoformat(answer["cut"]["level_date"])
    first = min(item.first for item in items)
    last = max(level_day, *(item.last for item in items))
    period = period_of(first, last, len(acts))
    slots = {act["id"]: period_start(_middle(act), "day" if period == "act" else period) for act in acts}
    runs = level_runs(items, first, level_day, answer["cut"]["window"])
    level_line = _draw_level(ladder, runs, level_day, answer["cut"]["window"])

    stage(1)
    if period == "act":
        _draw_acts(ladder, acts, answer["responses"], level_line)
    else:
        _draw_cells(ladder, acts, slots, period, level_line)
    _ladder_axis(ladder)

    stage(2)
    rows = _draw_statements(said, statements, period)

    stage(3)
    harm = [entry for entry in timeline.harm if entry["incident"] in slots]
    drawn: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for axes, which in ((killed_axes, "killed"), (injured_axes, "injured")):
        drawn[which] = _draw_harm(axes, which, harm, slots, period, (last - first).days)
    _harm_legend(killed_axes, {party for sums, _ in drawn.values() for party in sums})

    low, high = _shown_days(first, last)
    ladder.set_xlim(low, high)
    _date_axis(injured_axes)
    figure.align_ylabels()

    stage(4)
    labels = _label_top_acts(figure, ladder, acts, harm)

    stage(5)
    figure.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(figure)
    stage(6)
    bars: Counter[str] = Counter()
    for _, counts in drawn.values():
        bars.update(counts)
    return Drawn(
        acts=len(acts),
        statements=len(statements),
        period=period,
        level=runs[-1][1],
        level_changes=len(runs),
        shown=(low, high),
        killed=drawn["killed"][0],
        injured=drawn["injured"][0],
        bars=dict(bars),
        labels=labels,
        statement_rows=rows,
    )


def _draw_nothing(plt: Any, figure: Any, panels: tuple[Any, ...], out: Path) -> Drawn:
    """A chart of a cut at which nothing is on record: the panels, empty, saying so."""
    ladder = panels[0]
    _ladder_axis(ladder)
    ladder.text(0.5, 0.5, "nothing on record at this cut", transform=ladder.transAxes, ha="center", color="#555555")
    for axes, name in zip(panels[1:], ("statements", "killed", "injured"), strict=True):
        axes.set_ylabel(name, fontsize=8)
        axes.set_yticks([])
    panels[-1].set_xticks([])
    figure.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return Drawn(acts=0, statements=0, period="act", level=None, level_changes=0)


def _ladder_axis(ladder: Any) -> None:
    ladder.set_yticks(range(len(RUNGS)), [f"{rung} {name}" for rung, name in enumerate(RUNGS)], fontsize=8)
    ladder.set_ylim(-0.5, len(RUNGS) - 0.4)
    ladder.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    ladder.set_axisbelow(True)


def _draw_level(ladder: Any, runs: list[tuple[date, Level]], level_day: date, window: int) -> Any:
    """The level as a step line: each run holds from its day until the next (the last until the
    end of the level day); a white edge keeps it readable over the cells."""
    from matplotlib.patheffects import Normal, Stroke

    days = [day for day, _ in runs] + [shifted(level_day, 1)]
    rungs = [level.rung for _, level in runs]
    rungs.append(rungs[-1])
    ladder.fill_between(days, rungs, step="post", color="#34495e", alpha=0.10, linewidth=0, zorder=1)
    (line,) = ladder.step(
        days,
        rungs,
        where="post",
        color="#22313f",
        linewidth=1.6,
        zorder=4,
        path_effects=[Stroke(linewidth=3.6, foreground="white"), Normal()],
        label=f"level: highest rung in the trailing {window} days",
    )
    return line


def _draw_acts(ladder: Any, acts: list[dict[str, Any]], responses: list[dict[str, Any]], level_line: Any) -> None:
    """Each act a mark at its rung (colour: the side that acted; shape: its kind; a black edge
    when certain at the cut), an interval drawn across it; stated responses as arrows."""
    from matplotlib.lines import Line2D

    where = {act["id"]: (_middle(act), act["rung"]) for act in acts}
    for act in acts:
        start, end = date.fromisoformat(act["occurred_from"]), date.fromisoformat(act["occurred_to"])
        if end > start:
            ladder.plot([start, end], [act["rung"]] * 2, color=_side_colour(act["side"]), linewidth=5, alpha=0.3)
    for kind in {act["kind"] for act in acts}:
        marked = [act for act in acts if act["kind"] == kind]
        ladder.scatter(
            [_middle(act) for act in marked],
            [act["rung"] for act in marked],
            c=[_side_colour(act["side"]) for act in marked],
            marker=KIND_MARKERS.get(kind, "o"),
            s=60,
            edgecolors=["black" if act["certainty"] == "certain" else _side_colour(act["side"]) for act in marked],
            linewidths=0.6,
            zorder=5,
        )
    for response in responses:
        if response["act"] in where and response["response"] in where:
            ladder.annotate(
                "",
                xy=where[response["response"]],
                xytext=where[response["act"]],
                arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 0.9, "connectionstyle": "arc3,rad=-0.25"},
                zorder=3,
            )
    sides = sorted({act["side"] for act in acts}, key=_order(SIDE_COLOURS))
    kinds = sorted({act["kind"] for act in acts}, key=_order(KIND_MARKERS))
    handles = [level_line]
    handles += [
        Line2D([], [], marker="o", linestyle="", color=SIDE_COLOURS.get(side, "#7f7f7f"), label=f"acted: {label}")
        for side, label in ((side, SIDE_LABELS.get(side, side)) for side in sides)
    ]
    handles += [
        Line2D([], [], marker=KIND_MARKERS.get(kind, "o"), linestyle="", color="#333333", label=kind.replace("_", " "))
        for kind in kinds
    ]
    if responses:
        handles.append(Line2D([], [], color="#555555", label="stated response"))
    ladder.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _draw_cells(ladder: Any, acts: list[dict[str, Any]], slots: dict[str, date], period: str, level_line: Any) -> None:
    """Many acts: each period × rung a cell, its shade the number of acts (log), with a scale."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm

    counts: Counter[tuple[date, int]] = Counter((slots[act["id"]], act["rung"]) for act in acts)
    norm = LogNorm(vmin=1, vmax=max(2, *counts.values()))
    shades = colormaps["YlOrRd"]
    cells = sorted(counts)
    _rectangles(
        ladder,
        [(_day_number(start), period_days(start, period) * 0.92, rung - 0.4, 0.8) for start, rung in cells],
        [shades(0.15 + 0.85 * norm(counts[cell])) for cell in cells],
        zorder=2,
    )
    scale = ladder.inset_axes((1.012, 0.08, 0.012, 0.5))
    figure = ladder.get_figure()
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=shades), cax=scale)
    bar.set_label(f"acts per {period} and rung", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    ladder.legend(handles=[level_line], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _statement_row(statement: dict[str, Any]) -> str:
    if statement["kind"] == "attribution":
        return "attribution"
    stance = statement["stance"]
    return stance if stance in {key for key, _ in STATEMENT_ROWS} else "other"


def _draw_statements(said: Any, statements: list[dict[str, Any]], period: str) -> tuple[str, ...]:
    """Statements as marks, one row per kind of statement: each one (colour: the speaker's
    side) when few, else a cell per period shaded by how many were made."""
    from matplotlib.lines import Line2D

    present = {_statement_row(statement) for statement in statements}
    rows = [(key, label) for key, label in STATEMENT_ROWS if key in present]
    height = {key: len(rows) - 1 - index for index, (key, _) in enumerate(rows)}
    one_by_one = len(statements) <= 2 * ONE_BY_ONE
    if one_by_one:
        for statement in statements:
            start, end = date.fromisoformat(statement["occurred_from"]), date.fromisoformat(statement["occurred_to"])
            if end > start:
                row, colour = height[_statement_row(statement)], _side_colour(statement["side"])
                said.plot([start, end], [row, row], color=colour, linewidth=3, alpha=0.25, zorder=2)
        said.scatter(
            [_middle(statement) for statement in statements],
            [height[_statement_row(statement)] for statement in statements],
            marker="v",
            s=34,
            c=[_side_colour(statement["side"]) for statement in statements],
            edgecolors="black",
            linewidths=0.4,
            zorder=3,
        )
        note = "colour: who spoke"
    else:
        from matplotlib import colormaps
        from matplotlib.colors import LogNorm

        counts: Counter[tuple[date, str]] = Counter(
            (period_start(_middle(statement), period), _statement_row(statement)) for statement in statements
        )
        largest = max(counts.values())
        norm, shades = LogNorm(vmin=1, vmax=max(2, largest)), colormaps["Purples"]
        cells = sorted(counts)
        _rectangles(
            said,
            [(_day_number(start), period_days(start, period) * 0.92, height[key] - 0.35, 0.7) for start, key in cells],
            [shades(0.2 + 0.8 * norm(counts[cell])) for cell in cells],
            zorder=2,
        )
        note = f"shade: statements per {period}\n(log; darkest {largest:,})"
    said.set_yticks([height[key] for key, _ in rows], [label for _, label in rows], fontsize=7.5)
    said.set_ylim(-0.7, max(len(rows) - 0.3, 0.7))
    said.grid(axis="y", color="#eeeeee", linewidth=0.6)
    said.set_ylabel("statements", fontsize=8)
    said.legend(
        handles=[Line2D([], [], marker="v" if one_by_one else "s", linestyle="", color="#555555", label=note)],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
    )
    return tuple(key for key, _ in rows)


def _log1p_scale(axes: Any, top: float, headroom: float) -> None:
    """The log scale the casualty panels share: 0 at the bottom, then equal steps per tenfold."""
    from matplotlib.ticker import FixedLocator, NullLocator

    axes.set_yscale("function", functions=(lambda v: _log1p(v), lambda v: _expm1(v)))
    ceiling = float(_expm1(_log1p(max(top, 1)) * headroom))
    ticks = [tick for tick in TICKS if tick <= ceiling]
    if len(ticks) > 7:  # a wide range: the powers of ten alone (not 1 beside 0 over 1000), so labels stay apart
        ticks = [tick for tick in ticks if tick == 0 or (str(tick).rstrip("0") == "1" and (tick > 1 or ceiling < 1000))]
    axes.yaxis.set_major_locator(FixedLocator(ticks))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.set_ylim(0, ceiling)


def _log1p(values: Any) -> Any:
    import numpy

    return numpy.log10(1 + numpy.clip(values, 0, None))


def _expm1(values: Any) -> Any:
    import numpy

    return numpy.power(10.0, values) - 1


@dataclass
class Bar:
    """One party's killed (or injured) in one act or period: the best estimates summed, and the
    range across sources (``open``: some figure was only a word such as "several")."""

    best: int = 0
    low: int = 0
    high: int = 0
    open: bool = False


def _draw_harm(
    axes: Any, which: str, harm: list[dict[str, Any]], slots: dict[str, date], period: str, span: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Killed (or injured) per act or period, a bar for each party hurt side by side, each
    reaching its own figure; returns per party the best estimates drawn and its bars."""
    periods: dict[date, dict[str, Bar]] = defaultdict(dict)
    for entry in harm:
        figure = entry[which]
        if not figure["best"]:
            continue
        bar = periods[slots[entry["incident"]]].setdefault(entry["party"], Bar())
        bar.best += figure["best"]
        bar.low += figure["low"] or 0
        # Open above (only words like "several"): the whisker stops at its best, and "≥" says so.
        bar.high += figure["best"] if figure["high"] is None else figure["high"]
        bar.open = bar.open or figure["high"] is None
    top = max((max(bar.high, bar.best) for slot in periods.values() for bar in slot.values()), default=1)
    written = sum(len(slot) for slot in periods.values()) <= WRITTEN
    lines = max((len(slot) for slot in periods.values()), default=1) if written else 0
    _log1p_scale(axes, top, headroom=1.15 + 0.1 * lines)
    boxes: list[tuple[float, float, float, float]] = []
    colours: list[str] = []
    sums: Counter[str] = Counter()
    bars: Counter[str] = Counter()
    for start, slot in sorted(periods.items()):
        if period == "act":  # the act's day, widened: a day is too thin to see on a long axis
            room = max(0.8, span / 110)
            begin = _day_number(start) + 0.5 - room / 2
        else:
            room = period_days(start, period) * 0.9
            begin = _day_number(start) + period_days(start, period) * 0.05
        width = room / len(slot)
        parties = sorted(slot, key=_order(PARTY_COLOURS))
        for index, party in enumerate(parties):
            bar, x = slot[party], begin + width * (index + 0.5)
            boxes.append((x - width / 2, width, 0, bar.best))
            colours.append(_party_colour(party))
            sums[party] += bar.best
            bars[party] += 1
            if period == "act" and bar.high > bar.low:
                axes.vlines([x], bar.low, bar.high, color="black", linewidth=0.8, zorder=4)
        if written:  # the slot's figures above its tallest bar, one line per party, in its colour
            tallest = max(max(bar.high, bar.best) for bar in slot.values())
            for line, party in enumerate(reversed(parties)):
                bar = slot[party]
                label = str(bar.best) if bar.low == bar.high else f"{bar.low}–{bar.high}"
                axes.annotate(
                    f"≥{label}" if bar.open else label,
                    (begin + room / 2, tallest),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color=_party_colour(party) if len(slot) > 1 else "black",
                    xytext=(0, 2 + 8 * line),
                    textcoords="offset points",
                )
    _rectangles(axes, boxes, colours)
    unit = "per act" if period == "act" else f"per {period}"
    axes.set_ylabel(f"{which}\n{unit}, log", fontsize=8)
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    axes.set_axisbelow(True)
    if not periods:
        axes.text(0.5, 0.5, f"no {which} reported", transform=axes.transAxes, ha="center", fontsize=8, color="#777777")
    return dict(sums), dict(bars)


def _rectangles(
    axes: Any, boxes: list[tuple[float, float, float, float]], colours: list[Any], zorder: float = 2
) -> None:
    """Rectangles (left edge as a day number, width in days, bottom, height) as one collection:
    thousands of bars or cells cost one artist, not one patch each, to add and to draw."""
    from matplotlib.collections import PolyCollection

    shapes = [
        [(x, bottom), (x + width, bottom), (x + width, bottom + height), (x, bottom + height)]
        for x, width, bottom, height in boxes
    ]
    axes.add_collection(PolyCollection(shapes, facecolors=colours, linewidths=0, zorder=zorder), autolim=False)


def _day_number(day: date) -> float:
    """``day`` as matplotlib's number of it, for positions within a day."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]


def _side_colour(side: str) -> str:
    return SIDE_COLOURS.get(side, SIDE_COLOURS["unknown"])


def _party_colour(party: str) -> str:
    return PARTY_COLOURS.get(party, PARTY_COLOURS["unknown"])


def _harm_legend(axes: Any, parties: set[str]) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(color=_party_colour(party), label=PARTY_LABELS.get(party, party))
        for party in sorted(parties, key=_order(PARTY_COLOURS))
    ]
    if handles:
        axes.legend(
            handles=handles,
            title="who was hurt (best estimate;\nwhisker: low–high)",
            title_fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=8,
            frameon=False,
        )


def _order(palette: dict[str, Any]) -> Callable[[str], int]:
    keys = list(palette)
    return lambda key: keys.index(key) if key in keys else len(keys)


def _date_axis(axes: Any) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _label_top_acts(
    figure: Any, ladder: Any, acts: list[dict[str, Any]], harm: list[dict[str, Any]]
) -> tuple[str, ...]:
    """Label the top acts — highest rung first, then most killed, then most injured — each
    where its label overlaps neither another label nor the edge of the panel; an act whose
    label fits nowhere is left unlabelled rather than written over another."""
    from matplotlib.text import Text

    killed: Counter[str] = Counter()
    injured: Counter[str] = Counter()
    for entry in harm:
        killed[entry["incident"]] += entry["killed"]["best"] or 0
        injured[entry["incident"]] += entry["injured"]["best"] or 0
    ranked = heapq.nsmallest(
        LABELLED * 4,
        acts,
        key=lambda act: (-act["rung"], -killed[act["id"]], -injured[act["id"]], act["occurred_from"]),
    )
    renderer = figure.canvas.get_renderer()
    frame = ladder.get_window_extent(renderer)
    placed: list[Any] = []
    labelled: list[tuple[date, str]] = []
    for act in ranked:
        if len(labelled) == LABELLED:
            break
        text = act["id"]
        if killed[act["id"]]:
            text += f" · {killed[act['id']]:,} killed"
        elif injured[act["id"]]:
            text += f" · {injured[act['id']]:,} injured"
        for offset, align in PLACES:
            label = ladder.annotate(
                text,
                (_middle(act), act["rung"]),
                xytext=offset,
                textcoords="offset points",
                ha=align,
                va="center",
                fontsize=7.5,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#999999", "alpha": 0.9},
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6, "shrinkA": 0, "shrinkB": 3},
                zorder=6,
            )
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer).expanded(1.06, 1.3)  # the text, not its line
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                labelled.append((_middle(act), act["id"]))
                break
            label.remove()
    return tuple(act_id for _, act_id in sorted(labelled))
