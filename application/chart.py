"""The escalation timeline as a picture (``flashpoint chart``; needs the ``charts`` extra).

Top: every hostile act in the cut at its rung, coloured by the side that acted, shaped
by its kind; an act dated only to an interval is drawn across it; a stated response is
an arrow from the act it answers. Bottom: the killed (and injured) per act, the bar at
the best estimate and a whisker from the low to the high figure across sources.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flashpoint.domain.dates import shifted
from flashpoint.domain.ladder import RUNGS
from flashpoint.errors import MissingExtra

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
DENSE = 120  # more acts than this: smaller, fainter marks
LABELLED = 40  # more casualty bars than this: no figures written over them
KIND_MARKERS = {
    "airstrike": "^",
    "drone_attack": "o",
    "rocket_attack": "s",
    "missile_attack": "D",
    "explosive_attack": "X",
}


class ChartsUnavailable(MissingExtra):
    """matplotlib is not installed."""


def check_installed() -> None:
    """Raise :class:`ChartsUnavailable` unless matplotlib can be imported."""
    _pyplot()


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(
            "charts need matplotlib, which is not installed: pip install 'flashpoint[charts]'"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _middle(act: dict[str, Any]) -> date:
    start, end = date.fromisoformat(act["occurred_from"]), date.fromisoformat(act["occurred_to"])
    return start + (end - start) / 2


def _shown_days(acts: list[dict[str, Any]]) -> tuple[date, date]:
    """The days on the x axis: every act with a margin, held inside the calendar.

    matplotlib's own margin would step outside it for a log written before the date range
    was enforced that holds 0001-01-01, and fail.
    """
    first = min(date.fromisoformat(act["occurred_from"]) for act in acts)
    last = max(date.fromisoformat(act["occurred_to"]) for act in acts)
    margin = max(1.0, (last - first).days * 0.05)
    return shifted(first, -margin), shifted(last, margin)


def draw(picture: dict[str, Any], toll: dict[str, Any], out: Path, title: str) -> int:
    """Draw the timeline of ``picture`` (escalation JSON) and ``toll`` (casualties JSON) into a PNG."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    acts = picture["acts"]
    figure, (ladder, harm) = plt.subplots(
        2, 1, figsize=(13, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.4], "hspace": 0.08}
    )
    where = {act["id"]: (_middle(act), act["rung"]) for act in acts}
    dense = len(acts) > DENSE
    for act in acts:
        colour = SIDE_COLOURS.get(act["side"], SIDE_COLOURS["unknown"])
        start, end = date.fromisoformat(act["occurred_from"]), date.fromisoformat(act["occurred_to"])
        if end > start:
            ladder.plot([start, end], [act["rung"], act["rung"]], color=colour, linewidth=2 if dense else 5, alpha=0.3)
        ladder.scatter(
            [_middle(act)],
            [act["rung"]],
            color=colour,
            marker=KIND_MARKERS.get(act["kind"], "o"),
            s=22 if dense else 70,
            alpha=0.7 if dense else 1.0,
            edgecolors="black" if act["certainty"] == "certain" else colour,
            linewidths=0.3 if dense else 0.6,
            zorder=3,
        )
    for response in picture["responses"]:
        if response["act"] in where and response["response"] in where:
            ladder.annotate(
                "",
                xy=where[response["response"]],
                xytext=where[response["act"]],
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#444444",
                    "lw": 0.5 if dense else 1.1,
                    "alpha": 0.45 if dense else 1.0,
                    "connectionstyle": "arc3,rad=-0.25",
                },
                zorder=2,
            )
    ladder.set_yticks(range(len(RUNGS)), [f"{rung} {name}" for rung, name in enumerate(RUNGS)])
    ladder.set_ylim(-0.5, len(RUNGS) - 0.5)
    ladder.grid(axis="y", color="#dddddd", linewidth=0.6)
    ladder.set_title(title, loc="left", fontsize=11)
    sides = sorted({act["side"] for act in acts}, key=list(SIDE_COLOURS).index)
    kinds = sorted({act["kind"] for act in acts}, key=list(KIND_MARKERS).index)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=SIDE_COLOURS[side], label=SIDE_LABELS[side]) for side in sides
    ] + [
        Line2D([], [], marker=KIND_MARKERS[kind], linestyle="", color="#333333", label=kind.replace("_", " "))
        for kind in kinds
    ]
    if picture["responses"]:
        handles.append(Line2D([], [], color="#444444", label="stated response"))
    if handles:
        ladder.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

    _draw_harm(harm, acts, toll)
    if acts:
        ladder.set_xlim(*_shown_days(acts))
    figure.autofmt_xdate()
    figure.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return len(acts)


def _draw_harm(harm: Any, acts: list[dict[str, Any]], toll: dict[str, Any]) -> None:
    """Killed and injured, per act (or, when there are many, per period), stacked by the acting side."""
    from matplotlib.patches import Patch

    by_act = {act["id"]: act for act in acts}
    harmful = {entry["incident"] for entry in toll["incidents"] if entry["incident"] in by_act}
    first = min((date.fromisoformat(act["occurred_from"]) for act in acts), default=date.today())
    last = max((date.fromisoformat(act["occurred_to"]) for act in acts), default=date.today())
    span = max(1, (last - first).days)
    binned = len(harmful) > LABELLED
    period = max(1, span // 60) if binned else 0
    width_days = period * 0.45 if binned else max(0.8, min(span / 90, span / 40))
    width = timedelta(days=width_days)

    def slot(act: dict[str, Any]) -> date:
        if not binned:
            return _middle(act)
        index = (_middle(act) - first).days // period
        return first + timedelta(days=index * period + period / 2)

    bars: dict[tuple[date, str], dict[str, Any]] = {}
    for entry in toll["incidents"]:
        act = by_act.get(entry["incident"])
        if act is None:
            continue
        for which in ("killed", "injured"):
            figure = entry[which]
            if figure["best"] is None:
                continue
            bar = bars.setdefault((slot(act), which), {"low": 0, "high": 0, "open": False, "sides": {}})
            bar["low"] += figure["low"] or 0
            # Open above (only words like "several"): drawn to its best, labelled "≥".
            bar["high"] += figure["best"] if figure["high"] is None else figure["high"]
            bar["open"] = bar["open"] or figure["high"] is None
            bar["sides"][act["side"]] = bar["sides"].get(act["side"], 0) + (figure["best"] or 0)
    for (x_day, which), bar in bars.items():
        if bar["high"] == 0:
            continue
        x = shifted(x_day, (-0.5 if which == "killed" else 0.5) * width_days)
        bottom = 0
        for side in SIDE_COLOURS:
            height = bar["sides"].get(side, 0)
            if height:
                colour = SIDE_COLOURS[side]
                harm.bar(
                    [x], [height], width=width, bottom=bottom, color=colour, alpha=0.9 if which == "killed" else 0.35
                )
                bottom += height
        if bar["high"] > bar["low"]:
            harm.vlines([x], bar["low"], bar["high"], color="black", linewidth=0.8)
        if len(bars) <= 2 * LABELLED:
            label = str(bottom) if bar["low"] == bar["high"] else f"{bar['low']}–{bar['high']}"
            label = f"≥{label}" if bar["open"] else label
            harm.annotate(
                label, (x, bar["high"]), ha="center", va="bottom", fontsize=7, xytext=(0, 2), textcoords="offset points"
            )
    unit = f"per {period} days" if binned else "per act"
    harm.set_ylabel(f"killed · injured\n{unit} (best, low–high)", fontsize=8)
    harm.grid(axis="y", color="#dddddd", linewidth=0.6)
    harm.set_ylim(bottom=0, top=max(harm.get_ylim()[1] * 1.15, 1))
    harm.legend(
        handles=[
            Patch(color="#555555", alpha=0.9, label="killed"),
            Patch(color="#555555", alpha=0.35, label="injured"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
    )
