"""flashpoint serve: the read models over HTTP in Datasette, with metadata and canned queries."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
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


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def refused(url: str) -> tuple[int, str]:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=10)
    return error.value.code, error.value.read().decode("utf-8")


def views_of(db: Path) -> Path:
    return db.with_name(db.stem + ".views.db")


def test_the_home_page_shows_the_read_models_alone(served: str) -> None:
    assert [database["name"] for database in get(f"{served}/-/databases.json")] == ["flashpoint"]
    assert "_memory" not in page(f"{served}/")


def test_bookkeeping_and_span_tables_are_hidden_and_the_analysts_tables_shown(served: str) -> None:
    tables = {table["name"]: table["hidden"] for table in get(f"{served}/flashpoint.json")["tables"]}

    assert {name for name, hidden in tables.items() if hidden} == {
        "_sqlite_migrations",
        "meta",
        "tracking",
        "pairs",
        "absent",
        "claim_spans",
        "damage_spans",
    }
    assert {name for name, hidden in tables.items() if not hidden} == {
        "acts",
        "claims",
        "responses",
        "damage",
        "statements",
        "corrections",
    }


def test_every_column_of_every_table_is_described_and_every_number_has_a_unit(served: str, db_path: Path) -> None:
    from flashpoint.browse import TABLES

    described = get(f"{served}/-/metadata.json")["databases"]["flashpoint"]["tables"]
    connection = sqlite3.connect(views_of(db_path))
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {name: connection.execute(f"PRAGMA table_info('{name}')").fetchall() for name in names}
    finally:
        connection.close()

    undescribed = [
        f"{table}.{column[1]}"
        for table in names
        for column in columns[table]
        if column[1] not in described[table]["columns"]
    ]
    unitless = [
        f"{table}.{column[1]}"
        for table in names
        for column in columns[table]
        if column[2] in ("INTEGER", "REAL", "FLOAT") and not TABLES[table][column[1]].unit
    ]
    stale = [
        f"{table}.{column}"
        for table in names
        for column in TABLES[table]
        if column not in {c[1] for c in columns[table]}
    ]
    assert (undescribed, unitless, stale) == ([], [], [])
    assert described["acts"]["columns"]["lat"].endswith("[degrees]")


def test_every_canned_query_describes_each_column_it_answers_with(served: str) -> None:
    queries = get(f"{served}/-/metadata.json")["databases"]["flashpoint"]["queries"]

    for name, query in queries.items():
        answered = get(f"{served}/flashpoint/{name}.json")["columns"]
        assert answered and set(answered) <= set(query["columns"]), name
        assert query["columns"] == {column: query["columns"][column] for column in answered}, name


def test_canned_queries_hide_their_sql_and_ask_to_before_known_on(served: str) -> None:
    for name in ("timeline", "estimates", "disputed_tolls", "track_records", "response_lags"):
        html = page(f"{served}/flashpoint/{name}")
        assert '<pre id="sql-query"' not in html and "FROM acts" not in html, name
        assert html.index('name="to"') < html.index('name="known_on"'), name
        assert "What each column means" in html, name
    assert '<pre id="sql-query"' in page(f"{served}/flashpoint/timeline?_show_sql=1")


def test_tables_have_facets_on_side_kind_and_party(served: str) -> None:
    acts = get(f"{served}/flashpoint/acts.json")["facet_results"]
    claims = get(f"{served}/flashpoint/claims.json")["facet_results"]

    assert {"side", "kind"} <= set(acts) and {"party", "source_name"} <= set(claims)
    assert {(value["value"], value["count"]) for value in acts["kind"]["results"]} >= {("airstrike", 2)}


def test_claims_responses_damage_link_to_their_acts_and_acts_list_them(served: str) -> None:
    claims = page(f"{served}/flashpoint/claims")
    responses = page(f"{served}/flashpoint/responses")
    act = get(f"{served}/flashpoint/acts/erbil-rockets-2021-02-15.json?_extras=foreign_key_tables")

    assert 'href="/flashpoint/acts/erbil-rockets-2021-02-15"' in claims
    assert 'href="/flashpoint/acts/us-strikes-2021-02-25"' in responses
    linked = {(table["other_table"], table["other_column"]): table["count"] for table in act["foreign_key_tables"]}
    assert linked[("claims", "incident")] == 5 and linked[("responses", "act")] == 1


def test_canned_queries_link_the_acts_they_name(served: str) -> None:
    assert 'href="/flashpoint/acts/us-strikes-2021-06-27"' in page(f"{served}/flashpoint/timeline")
    assert 'href="/flashpoint/acts/erbil-rockets-2021-02-15"' in page(f"{served}/flashpoint/estimates")


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("", []),
        ("known_on=2021-02-21", ["--known-on", "2021-02-21"]),
        ("to=2021-03-01&known_on=2021-02-23", ["--to", "2021-03-01", "--known-on", "2021-02-23"]),
        ("to=2021-06-30&policy=high", ["--to", "2021-06-30", "--best", "high"]),
    ],
)
def test_the_estimates_query_gives_the_cli_casualties_at_the_same_cut(
    served: str, db_path: Path, query: str, options: list[str]
) -> None:
    rows = get(f"{served}/flashpoint/estimates.json?_shape=array&{query}")
    incidents = cli_json(db_path, "casualties", *options)["incidents"]

    assert [
        (
            row["incident"],
            row["party"],
            {bound: row[f"killed_{bound}"] for bound in ("low", "best", "high")},
            {bound: row[f"injured_{bound}"] for bound in ("low", "best", "high")},
            bool(row["disputed"]),
            row["claims"],
        )
        for row in rows
    ] == [
        (entry["incident"], entry["party"], entry["killed"], entry["injured"], entry["disputed"], len(entry["sources"]))
        for entry in incidents
    ]
    assert rows


def test_an_open_high_shows_as_open_and_stays_null_in_json(served: str) -> None:
    rows = get(f"{served}/flashpoint/estimates.json?_shape=array")
    opened = next(row for row in rows if row["injured_low"] is not None and row["injured_high"] is None)

    assert opened["injured_high"] is None
    assert ">open</em>" in page(f"{served}/flashpoint/estimates")


@pytest.mark.parametrize("query", ["timeline", "disputed_tolls", "response_lags", "estimates", "track_records"])
@pytest.mark.parametrize(
    ("cut", "message"),
    [
        ("to=2021-02-31", "to: '2021-02-31' is not a day (YYYY-MM-DD)"),
        ("known_on=2021-13-01", "known_on: '2021-13-01' is not a day (YYYY-MM-DD)"),
        ("to=21-02-01", "to: '21-02-01' is not a day (YYYY-MM-DD)"),
    ],
)
def test_every_canned_query_refuses_a_cut_that_is_not_a_day(served: str, query: str, cut: str, message: str) -> None:
    status, body = refused(f"{served}/flashpoint/{query}.json?{cut}")
    html_status, html = refused(f"{served}/flashpoint/{query}?{cut}")

    assert (status, json.loads(body)["error"], json.loads(body)["ok"]) == (400, message, False)
    assert html_status == 400 and message.replace("'", "&#39;") in html


def test_the_sql_refuses_an_impossible_day_too_even_outside_the_canned_queries(served: str) -> None:
    from urllib.parse import urlencode

    status, body = refused(
        f"{served}/flashpoint.json?" + urlencode({"sql": "SELECT flashpoint_day('2021-02-31', 'to')"})
    )

    assert status == 400 and json.loads(body)["ok"] is False


def test_the_day_function_gives_the_bound_the_sql_compares() -> None:
    pytest.importorskip("datasette")
    from flashpoint.browse import cut_day

    assert (cut_day("2021-02-28", "to"), cut_day(" ", "to"), cut_day(None, "to")) == (
        "2021-02-28",
        "9999-12-31",
        "9999-12-31",
    )
    with pytest.raises(ValueError, match=r"^to: '2021-02-31' is not a day \(YYYY-MM-DD\)$"):
        cut_day("2021-02-31", "to")
    with pytest.raises(ValueError, match=r"^known_on: "):
        cut_day("20210228", "known_on")


def test_with_the_map_extra_the_acts_are_mapped_on_their_coordinates(served: str) -> None:
    pytest.importorskip("datasette_cluster_map")
    plugins = get(f"{served}/-/metadata.json")["databases"]["flashpoint"]["plugins"]

    assert plugins["datasette-cluster-map"] == {"latitude_column": "lat", "longitude_column": "lon"}
    for path in ("acts", "timeline"):
        html = page(f"{served}/flashpoint/{path}")
        assert "datasette-cluster-map.js" in html and 'DATASETTE_CLUSTER_MAP_LATITUDE_COLUMN = "lat"' in html, path
    assert "datasette-cluster-map.js" not in page(f"{served}/flashpoint/claims")
