"""flashpoint serve: the read models over HTTP in Datasette, with metadata and canned queries."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flashpoint.cli import main


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def cli_json(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", str(db), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def served(db_path: Path) -> Iterator[str]:
    pytest.importorskip("datasette")
    assert CliRunner().invoke(main, ["--db", str(db_path), "demo"]).exit_code == 0
    dispute = db_path.parent / "dispute.yaml"
    dispute.write_text(
        "- id: erbil-toll-kurdish\n  kind: casualty_report\n  incident: erbil-rockets-2021-02-15\n"
        "  reported: 2021-02-20\n  sources: [Kurdish officials]\n"
        "  casualties: [{party: contractor, killed: 2, qualifier: exact}]\n"
        "- id: erbil-toll-kurdish-revised\n  kind: casualty_report\n  incident: erbil-rockets-2021-02-15\n"
        "  reported: 2021-02-23\n  sources: [Kurdish officials]\n"
        "  casualties: [{party: contractor, killed: 3, qualifier: exact}]\n",
        encoding="utf-8",
    )
    assert CliRunner().invoke(main, ["--db", str(db_path), "append", str(dispute)]).exit_code == 0
    port = free_port()
    env = {**os.environ, "FLASHPOINT_DB": str(db_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "flashpoint", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {server.communicate()[1]}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_answers_the_read_model_tables_over_http(served: str) -> None:
    acts = get(f"{served}/flashpoint/acts.json?_shape=array")

    assert {act["report_id"] for act in acts} >= {"us-strikes-2021-02-25", "us-strikes-2021-06-27"}


def test_serve_describes_tables_and_columns(served: str) -> None:
    metadata = get(f"{served}/-/metadata.json")

    acts = metadata["databases"]["flashpoint"]["tables"]["acts"]
    assert acts["title"] == "Hostile acts" and "knowledge cut" in acts["columns"]["reported"]
    assert acts["units"] == {"span_days": "day"}
    assert metadata["source"].startswith("Reports appended to the flashpoint log")


def test_the_timeline_query_gives_the_rungs_the_cli_gives_at_the_same_cut(served: str, db_path: Path) -> None:
    timeline = get(f"{served}/flashpoint/timeline.json?_shape=array&to=2021-06-30&known_on=2021-06-28")
    picture = cli_json(db_path, "escalation", "--to", "2021-06-30", "--known-on", "2021-06-28")

    assert [(row["act"], row["rung"]) for row in timeline] == [(act["id"], act["rung"]) for act in picture["acts"]]


def test_response_lags_and_disputed_tolls_match_the_cli(served: str, db_path: Path) -> None:
    lags = get(f"{served}/flashpoint/response_lags.json?_shape=array")
    disputed = get(f"{served}/flashpoint/disputed_tolls.json?_shape=array")
    picture = cli_json(db_path, "escalation")
    toll = cli_json(db_path, "casualties")

    assert [(row["response"], row["answers"], row["lag_min_days"], row["lag_max_days"]) for row in lags] == [
        (row["response"], row["act"], row["lag_min"], row["lag_max"]) for row in picture["responses"]
    ]
    expected = [(entry["incident"], entry["party"]) for entry in toll["incidents"] if entry["disputed"]]
    assert [(row["incident"], row["party"]) for row in disputed] == expected
    assert len(expected) == 2
    before = get(f"{served}/flashpoint/disputed_tolls.json?_shape=array&known_on=2021-02-19")
    assert before == []


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("", []),
        ("&known_on=2021-02-21", ["--known-on", "2021-02-21"]),
        ("&to=2021-02-28&known_on=", ["--to", "2021-02-28"]),
    ],
)
def test_the_track_records_query_gives_the_cli_sources_at_the_same_cut(
    served: str, db_path: Path, query: str, options: list[str]
) -> None:
    rows = get(f"{served}/flashpoint/track_records.json?_shape=array{query}")
    records = cli_json(db_path, "sources", *options)["sources"]

    assert rows == sorted(records, key=lambda record: -record["claims"])
    kurdish = next(row for row in rows if row["source"] == "Kurdish officials")
    assert kurdish["claims"] == (1 if options[:1] == ["--known-on"] else 2)


def test_the_track_records_query_refuses_a_day_that_is_not_one(served: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{served}/flashpoint/track_records.json?_shape=array&known_on=2021-02-31")

    assert refused.value.code == 400  # SQLite words it "user-defined function raised exception"
    assert json.loads(refused.value.read())["ok"] is False


def test_the_track_records_function_names_the_parameter_that_is_not_a_day(db_path: Path) -> None:
    pytest.importorskip("datasette")
    from flashpoint.browse import track_records

    assert CliRunner().invoke(main, ["--db", str(db_path), "demo"]).exit_code == 0
    views = db_path.with_name(db_path.stem + ".views.db")
    answer = track_records(views)

    with pytest.raises(ValueError, match=r"^known_on: '2021-02-31' is not a day \(YYYY-MM-DD\)$"):
        answer("", "2021-02-31")
    assert json.loads(answer(None, " ")) == cli_json(db_path, "sources")["sources"]


def test_without_datasette_serve_says_how_to_install_it(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)
    monkeypatch.setitem(sys.modules, "datasette.app", None)

    result = CliRunner().invoke(main, ["--db", str(db_path), "serve"], catch_exceptions=False)

    assert result.exit_code == 69
    assert result.stderr.strip() == (
        "error: serve needs Datasette, which is not installed: pip install 'flashpoint[datasette]'"
    )
