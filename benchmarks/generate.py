"""Synthetic report files in the contract format, shaped like a long militia campaign.

About 40 installations attacked again and again over several years; each attack with
casualty claims from one to three sources, some revised later (casualty reports), some
dated only to a month or an interval and published days later; US strikes answering
attacks; threats and vows. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

START = date(2019, 10, 1)
SITES = [f"Coalition site {n:02d}" for n in range(34)] + [f"Militia depot {n}" for n in range(6)]
GROUPS = ["Kata'ib Hezbollah", "Kata'ib Sayyid al-Shuhada", "Harakat Hezbollah al-Nujaba", "Islamic Resistance in Iraq"]
SOURCES = [
    "US Central Command",
    "Pentagon",
    "Syrian Observatory for Human Rights",
    "Iraqi security officials",
    "militia officials",
    "Associated Press",
    "Reuters",
]


def place_of(site: str) -> dict[str, Any]:
    """Where a site is: fixed per site (its own generator, so the reports drawn stay the same)."""
    spot = random.Random(site)
    return {
        "lat": round(31.0 + spot.random() * 6.0, 4),
        "lon": round(39.0 + spot.random() * 7.0, 4),
        "geo_precision": spot.choice([1, 1, 2, 3]),
    }


def _day(rng: random.Random, span_days: int) -> date:
    return START + timedelta(days=rng.randrange(span_days))


def reports(count: int, seed: int = 2021) -> list[dict[str, Any]]:
    """``count`` reports: roughly 70% attacks and strikes, 20% casualty revisions, 10% statements,
    and a few corrections: 0.5% retractions (of a casualty report), 0.2% merges (of two acts)."""
    rng = random.Random(seed)
    span = max(365, count // 60)  # about 60 reports a day at 1M, spread over decades of days
    out: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    tolls: list[dict[str, Any]] = []
    merged: set[str] = set()
    n = 0
    while len(out) < count:
        n += 1
        roll = rng.random()
        if roll < 0.7 or not acts:
            day = _day(rng, span)
            precision = rng.random()
            if precision < 0.8:
                occurred, first, last = day.isoformat(), day, day
            elif precision < 0.9:
                first, last = day.replace(day=1), (day.replace(day=28))
                occurred = first.strftime("%Y-%m")
                last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            else:
                last = day + timedelta(days=rng.randrange(2, 10))
                first = day
                occurred = f"{first.isoformat()}/{last.isoformat()}"
            reported = last + timedelta(days=rng.choice([0, 0, 0, 1, 2, 7]))
            us_strike = rng.random() < 0.12
            report: dict[str, Any] = {
                "id": f"act-{n}",
                "kind": "airstrike"
                if us_strike
                else rng.choice(["drone_attack", "rocket_attack", "rocket_attack", "missile_attack"]),
                "occurred": occurred,
                "reported": reported.isoformat(),
                "actor": "United States" if us_strike else rng.choice(GROUPS),
                "target": [rng.choice(SITES[34:] if us_strike else SITES[:34])],
                "target_actor": rng.choice(GROUPS) if us_strike else "United States",
                "damage": rng.choice(["none", "none", "minor", "moderate", "heavy", "unknown"]),
                "country": ["Iraq"] if rng.random() < 0.8 else ["Syria"],
                "sources": [{"name": rng.choice(SOURCES), "outlet": "wire"}],
                "casualties": [
                    {
                        "party": "militia" if us_strike else rng.choice(["us_military", "contractor", "civilian"]),
                        "killed" if rng.random() < 0.3 else "injured": rng.randrange(0, 12),
                        "qualifier": rng.choice(["exact", "exact", "at_least", "approximately"]),
                        "source": rng.choice(SOURCES),
                    }
                    for _ in range(rng.randrange(0, 3))
                ],
            }
            report |= place_of(report["target"][0])
            if acts and rng.random() < 0.1:
                # A response answers an act that had begun by the time it ended (append refuses a negative lag).
                answerable = [act for act in acts[-50:] if act["first"] <= last]
                if answerable:
                    report["responds_to"] = [rng.choice(answerable)["id"]]
            acts.append({"id": report["id"], "reported": reported, "first": first})
            out.append(report)
        elif roll < 0.9:
            act = rng.choice(acts[-2000:])
            tolls.append({"id": f"toll-{n}", "reported": act["reported"]})
            out.append(
                {
                    "id": f"toll-{n}",
                    "kind": "casualty_report",
                    "incident": act["id"],
                    "reported": (act["reported"] + timedelta(days=rng.randrange(0, 20))).isoformat(),
                    "casualties": [
                        {
                            "party": rng.choice(["us_military", "militia", "civilian"]),
                            "killed": rng.randrange(0, 15),
                            "qualifier": rng.choice(["exact", "at_least"]),
                            "source": rng.choice(SOURCES),
                        }
                    ],
                }
            )
        elif roll < 0.905:
            named = rng.choice(tolls[-2000:] or acts[-2000:])
            out.append(
                {
                    "id": f"retraction-{n}",
                    "kind": "retraction",
                    "reported": (named["reported"] + timedelta(days=rng.randrange(20, 40))).isoformat(),
                    "retracts": [named["id"]],
                    "sources": [{"name": "analyst desk"}],
                }
            )
        elif roll < 0.907:
            # A later act merged into an earlier one, each merged once: never a cycle.
            first, later = sorted(rng.sample(range(max(0, len(acts) - 200), len(acts)), 2)) if len(acts) > 1 else (0, 0)
            into, act = acts[first], acts[later]
            if first != later and act["id"] not in merged:
                merged.add(act["id"])
                latest = max(into["reported"], act["reported"])
                out.append(
                    {
                        "id": f"merge-{n}",
                        "kind": "merge",
                        "reported": (latest + timedelta(days=rng.randrange(1, 10))).isoformat(),
                        "merges": [act["id"]],
                        "into": into["id"],
                        "sources": [{"name": "analyst desk"}],
                    }
                )
        else:
            day = _day(rng, span).isoformat()
            out.append(
                {
                    "id": f"said-{n}",
                    "kind": "statement",
                    "stance": rng.choice(["threat", "vow_revenge", "assessment"]),
                    "occurred": day,
                    "reported": day,
                    "actor": rng.choice(GROUPS),
                }
            )
    return out


def write_files(directory: Path, count: int, per_file: int = 100_000, seed: int = 2021) -> list[Path]:
    """The reports in JSON files of ``per_file`` reports each (analysts append file by file)."""
    directory.mkdir(parents=True, exist_ok=True)
    everything = reports(count, seed)
    paths = []
    for start in range(0, count, per_file):
        path = directory / f"reports-{start // per_file:03d}.json"
        path.write_text(json.dumps(everything[start : start + per_file]))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """``python benchmarks/generate.py --reports N --out DIR``: write the files, say where on stderr."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Append them with: flashpoint --db bench.db append DIR/*.json",
    )
    parser.add_argument("--reports", type=int, default=10_000, metavar="N", help="how many reports (default 10000)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("generated"),
        metavar="DIR",
        help="the folder to write into (default ./generated)",
    )
    parser.add_argument(
        "--per-file", type=int, default=100_000, metavar="N", help="reports per JSON file (default 100000)"
    )
    parser.add_argument(
        "--seed", type=int, default=2021, help="the random seed: the same seed gives the same reports (default 2021)"
    )
    options = parser.parse_args(argv)
    if options.reports < 1 or options.per_file < 1:
        parser.error("--reports and --per-file must be at least 1")
    paths = write_files(options.out, options.reports, options.per_file, options.seed)
    print(f"wrote {options.reports} reports into {len(paths)} file(s) in {options.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
