"""ACLED in and out: a real-format export imports, re-imports as a no-op, revises, and round-trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flashpoint.app import Flashpoint
from flashpoint.cli import main
from flashpoint.domain.external import ACLED_COLUMNS
from flashpoint.reports.acled import DELETION_COLUMNS

SAMPLE = Path(__file__).parent.parent / "fixtures" / "acled-sample.csv"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


SAMPLE_ROWS = rows_of(SAMPLE.read_text(encoding="utf-8"))


def write_rows(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ACLED_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(event_id: str, **changes: str) -> dict[str, str]:
    return next(item for item in SAMPLE_ROWS if item["event_id_cnty"] == event_id) | changes


class Cli:
    """The CLI on one log (a SQLite path or a PostgreSQL URL), with its read models in ``views``."""

    def __init__(self, store: str | Path, views: Path | None = None) -> None:
        self.store = str(store)
        self.views = views or Path(f"{store}.views.db")
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Any:
        return self.runner.invoke(
            main, ["--store", self.store, "--views", str(self.views), *args], catch_exceptions=False
        )

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def events(self) -> int:
        return len(self.json("log"))


@pytest.fixture
def cli(store: str, tmp_path: Path) -> Cli:
    return Cli(store, tmp_path / "views.db")


def test_an_acled_export_imports_its_acts_and_skips_what_is_outside_the_scope(cli: Cli) -> None:
    summary = cli.json("import", "acled", str(SAMPLE))

    assert summary["appended"] == [
        "acled-irq41873",
        "acled-irq41901",
        "acled-irq58210",
        "acled-irq60011",
        "acled-irq60150",
    ]
    assert summary["skipped"] == {"Peaceful protest": 1}
    acts = {act["id"]: act for act in cli.json("escalation")["acts"]}
    assert {act_id: act["kind"] for act_id, act in acts.items()} == {
        "acled-irq41873": "rocket_attack",
        "acled-irq41901": "airstrike",
        "acled-irq58210": "drone_attack",
        "acled-irq60011": "explosive_attack",
        "acled-irq60150": "drone_attack",  # disrupted: the drone was actor2's
    }
    assert acts["acled-irq41873"]["actor"] == "Kata'ib Hezbollah"
    assert acts["acled-irq41873"]["side"] == "iran_aligned"
    assert acts["acled-irq41901"]["actor"] == "United States"
    assert acts["acled-irq41901"]["side"] == "us_coalition"
    assert acts["acled-irq60150"]["side"] == "unknown"
    assert (acts["acled-irq58210"]["occurred_from"], acts["acled-irq58210"]["occurred_to"]) == (
        "2021-04-11",
        "2021-04-17",
    )
    assert (acts["acled-irq60011"]["occurred_from"], acts["acled-irq60011"]["occurred_to"]) == (
        "2021-05-01",
        "2021-05-31",
    )
    k1 = acts["acled-irq41873"]
    assert (k1["place"], k1["lat"], k1["lon"], k1["geo_precision"]) == ("K-1 Air Base", 35.5156, 44.2839, 1)


def test_fatalities_become_acled_claims_in_the_casualty_picture(cli: Cli) -> None:
    cli("import", "acled", str(SAMPLE))

    toll = cli.json("casualties")
    killed = {entry["incident"]: entry["killed"]["best"] for entry in toll["incidents"]}
    assert killed["acled-irq41901"] == 25 and killed["acled-irq41873"] == 1 and killed["acled-irq58210"] == 0
    entry = next(entry for entry in toll["incidents"] if entry["incident"] == "acled-irq41901")
    assert entry["party"] == "unknown"
    assert entry["sources"][0]["source"] == "ACLED via Al Sumaria News; New York Times"
    assert entry["sources"][0]["qualifier"] == "exact"


def test_reimporting_the_same_export_is_a_no_op(cli: Cli) -> None:
    cli("import", "acled", str(SAMPLE))
    events = cli.events()

    again = cli.json("import", "acled", str(SAMPLE))

    assert again["appended"] == [] and len(again["unchanged"]) == 5 and again["events"] == 0
    assert cli.events() == events


def test_the_export_gives_back_every_imported_row_as_acled_wrote_it(cli: Cli) -> None:
    cli("import", "acled", str(SAMPLE))

    result = cli("export", "acled")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(ACLED_COLUMNS)
    exported = {item["event_id_cnty"]: item for item in rows_of(result.stdout)}
    imported = [item for item in SAMPLE_ROWS if item["sub_event_type"] != "Peaceful protest"]
    assert set(exported) == {item["event_id_cnty"] for item in imported}
    for original in imported:
        assert exported[original["event_id_cnty"]] == original


def test_revised_fatalities_supersede_the_first_figure_from_the_day_acled_revised_them(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "acled", str(SAMPLE))
    revised = write_rows(
        tmp_path / "revised.csv",
        [row("IRQ41901", fatalities="27", timestamp="1579046400"), row("IRQ41873")],  # revised on 2020-01-15
    )

    first = cli.json("import", "acled", str(revised))
    second = cli.json("import", "acled", str(revised))

    assert first["revisions"] == ["acled-irq41901.r1579046400"] and first["appended"] == first["revisions"]
    assert second["appended"] == []
    now = cli.json("casualties", "--incident", "acled-irq41901")
    before = cli.json("casualties", "--incident", "acled-irq41901", "--known-on", "2020-01-10")
    assert now["incidents"][0]["killed"]["best"] == 27 and not now["incidents"][0]["disputed"]
    assert before["incidents"][0]["killed"]["best"] == 25
    exported_now = {item["event_id_cnty"]: item for item in rows_of(cli("export", "acled").stdout)}
    exported_then = {
        item["event_id_cnty"]: item for item in rows_of(cli("export", "acled", "--known-on", "2020-01-10").stdout)
    }
    assert (exported_now["IRQ41901"]["fatalities"], exported_now["IRQ41901"]["timestamp"]) == ("27", "1579046400")
    assert (exported_then["IRQ41901"]["fatalities"], exported_then["IRQ41901"]["timestamp"]) == ("25", "1578331421")
    assert set(exported_then) == {"IRQ41873", "IRQ41901"}  # the 2021 rows were not yet public


def test_acled_changing_what_flashpoint_models_keeps_the_first_version_and_says_so(cli: Cli, tmp_path: Path) -> None:
    cli("import", "acled", str(SAMPLE))
    moved = write_rows(tmp_path / "moved.csv", [row("IRQ41873", location="Kirkuk", timestamp="1579046400")])

    result = cli("import", "acled", str(moved))

    assert result.exit_code == 0, result.stderr
    assert "ACLED changed" in result.stderr and "acled-irq41873" in result.stderr and "place" in result.stderr


def test_acled_dates_in_both_spellings_and_actor_codes_by_name(cli: Cli, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "text-codes.csv",
        [row("IRQ41901", event_id_cnty="IRQ1", event_date="29-December-2019", inter1="External/Other forces")],
    )

    assert cli("import", "acled", str(path)).exit_code == 0

    act = cli.json("escalation")["acts"][0]
    assert (act["id"], act["occurred_from"], act["kind"], act["side"]) == (
        "acled-irq1",
        "2019-12-29",
        "airstrike",
        "us_coalition",
    )


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"event_date": "31 February 2020"}, "event_date", "is not a date"),
        ({"time_precision": "4"}, "time_precision", "not an ACLED precision"),
        ({"fatalities": "dozens"}, "fatalities", "is not a number"),
        ({"fatalities": "-3"}, "fatalities", "whole number"),
        ({"latitude": "north"}, "latitude", "is not a number"),
        ({"latitude": "135.5"}, "latitude", ""),
        ({"geo_precision": "4"}, "geo_precision", "is not one of: 1 (the exact place)"),
        ({"geo_precision": "near"}, "geo_precision", "is not a number"),
        ({"inter1": "9"}, "inter1", "actor code"),
        ({"year": "2018"}, "year", "is not the year"),
        ({"timestamp": "1500000000"}, "timestamp", "before the event"),
        ({"event_id_cnty": "IRQ 41873"}, "event_id_cnty", "not an ACLED event id"),
        ({"event_date": "1899-12-31", "year": "1899"}, "event_date", "outside 1900-01-01..2099-12-31"),
        ({"event_date": "0001-01-02", "year": "1", "time_precision": "2"}, "event_date", "outside 1900-01-01"),
        ({"event_date": "1900-01-02", "year": "1900", "time_precision": "2"}, "event_date", "'1899-12-30' is outside"),
    ],
)
def test_a_row_that_does_not_fit_refuses_the_file_naming_row_and_column(
    cli: Cli, tmp_path: Path, changes: dict[str, str], column: str, fragment: str
) -> None:
    path = write_rows(tmp_path / "bad.csv", [row("IRQ41901"), row("IRQ41873", **changes)])

    result = cli("import", "acled", str(path))

    assert result.exit_code == 65
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(path) in message and "(row 3)" in message and f": {column}: " in message and fragment in message
    assert cli.events() == 0


def test_files_that_are_not_acled_exports_are_refused(cli: Cli, tmp_path: Path) -> None:
    not_acled = tmp_path / "other.csv"
    not_acled.write_text("id,date\n1,2020-01-01\n", encoding="utf-8")
    twice = write_rows(tmp_path / "twice.csv", [row("IRQ41901"), row("IRQ41901")])
    protest = write_rows(tmp_path / "protest.csv", [row("IRQ60100")])

    missing_columns = cli("import", "acled", str(not_acled))
    duplicate = cli("import", "acled", str(twice))
    strict = cli("import", "acled", "--strict", str(protest))
    absent = cli("import", "acled", str(tmp_path / "absent.csv"))

    assert missing_columns.exit_code == 65 and "missing column(s) event_id_cnty" in missing_columns.stderr
    assert duplicate.exit_code == 65 and "appears twice" in duplicate.stderr
    assert strict.exit_code == 65 and "Peaceful protest" in strict.stderr
    assert absent.exit_code == 66


def test_older_exports_with_extra_columns_and_a_byte_order_mark_import(cli: Cli, tmp_path: Path) -> None:
    columns = ("data_id", "iso3", *ACLED_COLUMNS)
    path = write_rows(tmp_path / "old.csv", [row("IRQ41901") | {"data_id": "7", "iso3": "IRQ"}], columns)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert cli.json("import", "acled", str(path))["appended"] == ["acled-irq41901"]


def test_acts_reported_natively_export_in_acleds_terms_and_import_back_as_the_same_kinds(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("demo").exit_code == 0
    exported = cli("export", "acled", "--out", str(tmp_path / "seed.csv"))
    assert exported.exit_code == 0, exported.stderr
    rows = rows_of((tmp_path / "seed.csv").read_text(encoding="utf-8"))
    native = {act["id"]: act for act in cli.json("escalation")["acts"]}

    by_id = {item["event_id_cnty"]: item for item in rows}
    assert set(by_id) == set(native)
    strike = by_id["us-strikes-2021-06-27"]
    assert (strike["sub_event_type"], strike["actor1"], strike["inter1"], strike["event_date"]) == (
        "Air/drone strike",
        "United States",
        "8",
        "2021-06-27",
    )
    toll = cli.json("casualties", "--incident", "us-strikes-2021-06-27")
    assert strike["fatalities"] == str(sum(entry["killed"]["best"] or 0 for entry in toll["incidents"]))

    elsewhere = Cli(tmp_path / "elsewhere.db")
    assert elsewhere("import", "acled", str(tmp_path / "seed.csv")).exit_code == 0
    imported = {act["id"].removeprefix("acled-"): act["kind"] for act in elsewhere.json("escalation")["acts"]}
    assert imported == {act_id: act["kind"] for act_id, act in native.items()}


def test_importing_onto_a_log_copied_elsewhere_is_still_a_no_op(cli: Cli, tmp_path: Path) -> None:
    cli("import", "acled", str(SAMPLE))
    copy = tmp_path / "copy.db"
    assert cli("copy", cli.store, str(copy)).exit_code == 0

    assert Cli(copy).json("import", "acled", str(SAMPLE))["appended"] == []


def test_semicolon_separated_exports_and_iso_timestamps_import(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "semicolons.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerow(row("IRQ41901", timestamp="2020-01-06 09:30:00"))

    assert cli.json("import", "acled", str(path))["appended"] == ["acled-irq41901"]
    assert cli.json("escalation")["acts"][0]["reported"] == "2020-01-06"


def test_an_imported_row_exports_acleds_own_figure_even_when_other_sources_disagree(cli: Cli, tmp_path: Path) -> None:
    cli("import", "acled", str(SAMPLE))
    other = tmp_path / "pentagon.yaml"
    other.write_text(
        "id: al-qaim-toll-pentagon\nkind: casualty_report\nincident: acled-irq41901\nreported: 2020-01-02\n"
        "sources: [Pentagon]\ncasualties: [{party: militia, killed: 19, qualifier: at_least}]\n",
        encoding="utf-8",
    )
    assert cli("append", str(other)).exit_code == 0

    exported = {item["event_id_cnty"]: item for item in rows_of(cli("export", "acled").stdout)}

    assert exported["IRQ41901"]["fatalities"] == "25"


def test_the_export_neutralises_formula_cells_and_imports_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    """A spreadsheet would run ``=HYPERLINK(…)``; a negative longitude is a number, not a formula."""
    row = dict(SAMPLE_ROWS[0]) | {
        "notes": '=HYPERLINK("https://example.org","click")',
        "actor2": "@SUM(A1)",
        "longitude": "-44.3661",
    }
    cli("import", "acled", str(write_rows(tmp_path / "formula.csv", [row])))
    events = cli.events()

    exported = cli("export", "acled", "--out", str(tmp_path / "out.csv"))
    assert exported.exit_code == 0, exported.stderr
    (written,) = rows_of((tmp_path / "out.csv").read_text(encoding="utf-8"))

    assert written["notes"] == '\'=HYPERLINK("https://example.org","click")'
    assert written["actor2"] == "'@SUM(A1)" and written["longitude"] == "-44.3661"
    again = cli.json("import", "acled", str(tmp_path / "out.csv"))
    assert again["appended"] == [] and again["unchanged"] == [f"acled-{row['event_id_cnty'].lower()}"]
    assert cli.events() == events


DELETED_ON_2024_01_30 = "1706616000"  # 2024-01-30 12:00 UTC


def write_deletions(path: Path, *rows: tuple[str, str], columns: tuple[str, ...] = DELETION_COLUMNS) -> Path:
    return write_rows(path, [dict(zip(columns, cells, strict=False)) for cells in rows], columns)


def test_acleds_deleted_events_become_retractions_from_acled_and_unknown_ones_are_counted(
    cli: Cli, store: str, tmp_path: Path
) -> None:
    cli.json("import", "acled", str(SAMPLE))
    deletions = write_deletions(
        tmp_path / "deleted.csv", ("IRQ41873", DELETED_ON_2024_01_30), ("IRQ99999", DELETED_ON_2024_01_30)
    )

    result = cli("import", "acled", "--deletions", str(deletions))

    assert result.exit_code == 0, result.stderr
    assert f"{deletions}: 2 deleted event(s); appended 1 retraction(s); 1 not in the log, skipped" in result.stderr
    with Flashpoint(store, create=False) as app:
        document = app.filed_documents(["acled-irq41873-deleted"])["acled-irq41873-deleted"]
    assert document == {
        "id": "acled-irq41873-deleted",
        "kind": "retraction",
        "reported": "2024-01-30",
        "retracts": ["acled-irq41873"],
        "sources": [{"name": "ACLED"}],
        "notes": "ACLED deleted event IRQ41873 from its dataset on 2024-01-30.",
    }


def test_reimporting_the_same_deletions_is_a_no_op(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", "acled", str(SAMPLE))
    deletions = write_deletions(tmp_path / "deleted.csv", ("IRQ41873", DELETED_ON_2024_01_30))
    cli.json("import", "acled", "--deletions", str(deletions))
    events = cli.events()

    again = cli.json("import", "acled", "--deletions", str(deletions))

    assert (again["appended"], again["unchanged"]) == ([], ["acled-irq41873-deleted"])
    assert cli.events() == events


def test_an_export_and_its_deletions_import_together_the_deleted_event_retracted(cli: Cli, tmp_path: Path) -> None:
    deletions = write_deletions(tmp_path / "deleted.csv", ("IRQ41901", DELETED_ON_2024_01_30))

    summary = cli.json("import", "acled", str(SAMPLE), "--deletions", str(deletions))

    assert "acled-irq41901" in summary["appended"] and "acled-irq41901-deleted" in summary["appended"]
    assert summary["deletions"] == {
        "file": str(deletions),
        "rows": 1,
        "retractions": ["acled-irq41901-deleted"],
        "not_in_log": 0,
    }


@pytest.mark.parametrize(
    ("rows", "columns", "where", "fragment"),
    [
        ([("IRQ41873", "")], DELETION_COLUMNS, "IRQ41873 (row 2): deleted_timestamp", "required"),
        ([("IRQ41873", "yesterday")], DELETION_COLUMNS, "(row 2): deleted_timestamp", "'yesterday' is not a number"),
        ([("IRQ41873", "1500000000")], DELETION_COLUMNS, "(row 2): deleted_timestamp", "2017-07-14 is before"),
        ([("IRQ 1", DELETED_ON_2024_01_30)], DELETION_COLUMNS, "(row 2): event_id_cnty", "not an ACLED event id"),
        (
            [("IRQ41873", DELETED_ON_2024_01_30), ("IRQ41873", DELETED_ON_2024_01_30)],
            DELETION_COLUMNS,
            "(row 3): event_id_cnty",
            "appears twice in this file (first on row 2)",
        ),
        ([("IRQ41873",)], ("event_id_cnty",), "header", "missing column(s) deleted_timestamp"),
    ],
)
def test_a_deletion_row_that_does_not_fit_refuses_the_file_naming_row_and_column(
    cli: Cli, tmp_path: Path, rows: list[tuple[str, ...]], columns: tuple[str, ...], where: str, fragment: str
) -> None:
    cli.json("import", "acled", str(SAMPLE))
    events = cli.events()
    deletions = write_deletions(tmp_path / "deleted.csv", *rows, columns=columns)

    result = cli("import", "acled", "--deletions", str(deletions))

    assert result.exit_code == 65
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and f"{deletions}: " in message, message
    assert where in message and fragment in message, message
    assert cli.events() == events


def test_import_acled_needs_an_export_or_deletions_and_its_help_says_what_deletions_do(cli: Cli) -> None:
    bare = cli("import", "acled")
    described = cli("import", "acled", "--help")

    assert bare.exit_code == 64 and "--deletions" in bare.stderr
    assert "deleted_timestamp" in described.stdout and "retraction" in described.stdout


def test_a_range_exports_as_its_best_the_conservative_from(tmp_path: Path) -> None:
    from flashpoint.reports.acled import export_acled

    from ..conftest import Analyst, claim, cut, drone_attack

    analyst = Analyst(tmp_path)
    try:
        analyst.append(
            drone_attack(
                "a",
                casualties=[
                    claim("militia", "officials", killed={"from": 4, "to": 7}),
                    claim("civilian", "AP", killed={"from": 0, "to": 2}),
                ],
            )
        )
        analyst.views.catch_up(analyst.app)
        [exported] = export_acled(analyst.app, analyst.views.db, cut())
    finally:
        analyst.close()

    assert exported["fatalities"] == "4"


def test_a_native_act_exports_the_outlets_of_its_sources_with_their_home_pages(cli: Cli) -> None:
    assert cli("demo").exit_code == 0

    exported = {item["event_id_cnty"]: item for item in rows_of(cli("export", "acled").stdout)}

    assert exported["us-strikes-2021-06-27"]["source"] == (
        "John Kirby; Military Times (https://www.militarytimes.com); Associated Press (https://apnews.com); "
        "Syrian Observatory for Human Rights (https://www.syriahr.com)"
    )
    assert exported["erbil-rockets-2021-02-15"]["source"] == "Military Times (https://www.militarytimes.com)"
