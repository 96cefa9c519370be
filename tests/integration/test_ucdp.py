"""UCDP GED in and out: a hand-written GED sample imports, re-imports as a no-op, revises, and round-trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flashpoint.domain.external import UCDP_COLUMNS

from .test_acled import Cli

SAMPLE = Path(__file__).parent.parent / "fixtures" / "ucdp-sample.csv"
OUT_OF_SCOPE = "SYR-2022-2-1120-15"  # IS against the SDF at Hasakah: neither camp


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


SAMPLE_ROWS = rows_of(SAMPLE.read_text(encoding="utf-8"))
IN_SCOPE = [item for item in SAMPLE_ROWS if item["relid"] != OUT_OF_SCOPE]


def write_rows(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = UCDP_COLUMNS, delimiter: str = ","
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(relid: str, /, **changes: str) -> dict[str, str]:
    return next(item for item in SAMPLE_ROWS if item["relid"] == relid) | changes


def report_id(relid: str) -> str:
    return f"ucdp-{relid.lower()}"


@pytest.fixture
def cli(store: str, tmp_path: Path) -> Cli:
    return Cli(store, tmp_path / "views.db")


def test_a_ged_file_imports_its_acts_with_sides_dates_and_places_and_skips_what_is_outside_the_scope(cli: Cli) -> None:
    summary = cli.json("import", "ucdp", str(SAMPLE))

    assert summary["appended"] == [report_id(item["relid"]) for item in IN_SCOPE]
    assert summary["skipped"] == {"neither side US/coalition nor Iran-aligned": 1}
    acts = {act["id"]: act for act in cli.json("escalation")["acts"]}
    seen = {
        act_id: (act["kind"], act["actor"], act["occurred_from"], act["occurred_to"], act["geo_precision"])
        for act_id, act in acts.items()
    }
    assert seen == {
        "ucdp-irq-2019-1-420-3": ("rocket_attack", "Kata'ib Hezbollah", "2019-12-27", "2019-12-27", 1),
        "ucdp-irq-2019-1-420-4": ("airstrike", "United States", "2019-12-29", "2019-12-29", 2),
        "ucdp-irq-2020-1-420-1": ("airstrike", "United States", "2020-01-03", "2020-01-03", 1),
        "ucdp-irq-2020-1-420-2": ("rocket_attack", "Kata'ib Hezbollah", "2020-03-11", "2020-03-11", 1),
        "ucdp-irq-2020-1-420-5": ("airstrike", "United States", "2020-03-12", "2020-03-13", 3),
        "ucdp-syr-2021-1-420-2": ("airstrike", "United States", "2021-06-27", "2021-06-27", 3),
        "ucdp-syr-2023-1-420-7": ("drone_attack", "Islamic Resistance in Iraq", "2023-11-01", "2023-11-30", 3),
        "ucdp-jor-2024-1-420-1": ("drone_attack", "Islamic Resistance in Iraq", "2024-01-28", "2024-01-28", 1),
    }
    assert {act["actor"]: act["side"] for act in acts.values()} == {
        "Kata'ib Hezbollah": "iran_aligned",
        "United States": "us_coalition",
        "Islamic Resistance in Iraq": "iran_aligned",
    }
    taji = acts["ucdp-irq-2020-1-420-2"]
    assert (taji["place"], taji["lat"], taji["lon"], taji["target"]) == ("Camp Taji", 33.5264, 44.2567, "Camp Taji")
    assert acts["ucdp-jor-2024-1-420-1"]["target"] == "United States"  # the drone hit the side that lost soldiers
    assert acts["ucdp-irq-2019-1-420-4"]["reported"] == "2019-12-30"  # the latest source_date


def test_the_month_of_a_month_precise_row_is_its_occurrence(cli: Cli, store: str) -> None:
    from flashpoint.app import Flashpoint

    cli("import", "ucdp", str(SAMPLE))

    with Flashpoint(store, create=False) as app:
        documents = app.filed_documents([report_id("SYR-2023-1-420-7"), report_id("IRQ-2020-1-420-5")])
    assert documents[report_id("SYR-2023-1-420-7")]["occurred"] == "2023-11"
    assert documents[report_id("IRQ-2020-1-420-5")]["occurred"] == "2020-03-12/2020-03-13"
    assert documents[report_id("IRQ-2020-1-420-5")]["sources"][:2] == [
        {"name": "UCDP GED", "via": "Associated Press; Shafaq News"},
        {
            "name": "Associated Press",
            "published": "2020-03-13",
            "title": "US warplanes strike Kataib Hezbollah weapons depots after Taji attack",
        },
    ]


def test_deaths_per_side_become_claims_from_ucdp_and_what_high_allows_above_best_goes_on_unknown(cli: Cli) -> None:
    cli("import", "ucdp", str(SAMPLE))

    toll = cli.json("casualties", "--incident", "ucdp-irq-2020-1-420-5")

    by_party = {entry["party"]: entry["killed"] for entry in toll["incidents"]}
    assert by_party == {
        "us_military": {"low": 0, "best": 0, "high": 0},  # deaths_a: the US side
        "militia": {"low": 3, "best": 3, "high": 3},  # deaths_b: Kata'ib Hizbullah
        "civilian": {"low": 1, "best": 1, "high": 1},
        "unknown": {"low": 2, "best": 2, "high": 5},  # deaths_unknown 2, and high 9 - best 6 more
    }
    sources = {source["source"] for entry in toll["incidents"] for source in entry["sources"]}
    assert sources == {"UCDP GED via Associated Press; Shafaq News"}
    totals = {which: sum(figures[which] for figures in by_party.values()) for which in ("low", "best", "high")}
    assert (totals["best"], totals["high"]) == (6, 9)  # UCDP's best and high for the event


def test_reimporting_the_same_file_is_a_no_op(cli: Cli) -> None:
    cli("import", "ucdp", str(SAMPLE))
    events = cli.events()

    again = cli.json("import", "ucdp", str(SAMPLE))

    assert again["appended"] == [] and len(again["unchanged"]) == len(IN_SCOPE) and again["events"] == 0
    assert cli.events() == events


def test_the_export_gives_back_every_imported_row_as_ucdp_wrote_it(cli: Cli, tmp_path: Path) -> None:
    cli("import", "ucdp", str(SAMPLE))

    result = cli("export", "ucdp", "--out", str(tmp_path / "out.csv"))

    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(UCDP_COLUMNS)
    exported = {item["relid"]: item for item in rows_of(text)}
    assert set(exported) == {item["relid"] for item in IN_SCOPE}
    for original in IN_SCOPE:
        for column in ("id", "relid", "date_start", "date_end", "date_prec", "where_prec", "low", "best", "high"):
            assert exported[original["relid"]][column] == original[column], (original["relid"], column)
        assert exported[original["relid"]] == original  # and every other column too


def revised(path: Path, **changes: str) -> Path:
    """The al-Qaim strike as a later GED version codes it: 27 dead, no spread, a later source."""
    changes = {"deaths_b": "27", "best": "27", "high": "27", "low": "25"} | changes
    return write_rows(path, [row("IRQ-2019-1-420-4", **changes), row("IRQ-2019-1-420-3")])


def test_a_later_ged_version_with_other_deaths_supersedes_the_first_figures_from_its_day(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "ucdp", str(SAMPLE))
    later = revised(tmp_path / "v2.csv", source_date="2019-12-29;2019-12-30;2020-01-15")

    first = cli.json("import", "ucdp", str(later))
    second = cli.json("import", "ucdp", str(later))

    [revision] = first["revisions"]
    assert revision.startswith("ucdp-irq-2019-1-420-4.r") and first["appended"] == [revision]
    assert second["appended"] == []
    now = {e["party"]: e["killed"] for e in cli.json("casualties", "--incident", "ucdp-irq-2019-1-420-4")["incidents"]}
    then = {
        e["party"]: e["killed"]
        for e in cli.json("casualties", "--incident", "ucdp-irq-2019-1-420-4", "--known-on", "2020-01-02")["incidents"]
    }
    assert now["militia"]["best"] == 27 and now["unknown"] == {"low": 0, "best": 0, "high": 0}
    assert then["militia"]["best"] == 25 and then["unknown"]["high"] == 2
    exported_now = {item["relid"]: item for item in rows_of(cli("export", "ucdp").stdout)}
    exported_then = {item["relid"]: item for item in rows_of(cli("export", "ucdp", "--known-on", "2020-01-02").stdout)}
    assert exported_now["IRQ-2019-1-420-4"] == row("IRQ-2019-1-420-4", **{
        "deaths_b": "27", "best": "27", "high": "27", "low": "25",
        "source_date": "2019-12-29;2019-12-30;2020-01-15",
    })  # fmt: skip
    assert exported_then["IRQ-2019-1-420-4"] == row("IRQ-2019-1-420-4")
    assert set(exported_then) == {"IRQ-2019-1-420-3", "IRQ-2019-1-420-4"}  # the later rows were not yet public


def test_a_later_version_changing_what_flashpoint_models_keeps_the_first_and_says_so(cli: Cli, tmp_path: Path) -> None:
    cli("import", "ucdp", str(SAMPLE))
    moved = write_rows(tmp_path / "moved.csv", [row("IRQ-2020-1-420-2", where_coordinates="Taji town")])

    result = cli("import", "ucdp", str(moved))

    assert result.exit_code == 0, result.stderr
    assert "UCDP changed" in result.stderr and "ucdp-irq-2020-1-420-2" in result.stderr and "place" in result.stderr


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"date_start": "2020-02-30"}, "date_start", "is not a date"),
        ({"date_end": "2020-03-10"}, "date_end", "is before date_start"),
        ({"date_prec": "6"}, "date_prec", "is not a UCDP date_prec (1-5)"),
        ({"date_prec": ""}, "date_prec", "required"),
        ({"where_prec": "8"}, "where_prec", "is not a UCDP where_prec (1-7)"),
        ({"type_of_violence": "4"}, "type_of_violence", "is not a UCDP type_of_violence (1-3)"),
        ({"deaths_a": "several"}, "deaths_a", "is not a number"),
        ({"deaths_a": "-1"}, "deaths_a", "whole number"),
        ({"deaths_unknown": ""}, "deaths_unknown", "required"),
        ({"best": "4"}, "best", "is not the sum of the deaths columns (3)"),
        ({"low": "4"}, "low", "is above best (3)"),
        ({"high": "2"}, "high", "is below best (3)"),
        ({"latitude": "north"}, "latitude", "is not a number"),
        ({"latitude": "133.5"}, "latitude", ""),
        ({"year": "2019"}, "year", "is not the year of date_start"),
        ({"source_date": "2020-03-12;12 March"}, "source_date", "is not a date"),
        ({"source_date": "2020-03-01;2020-03-02"}, "source_date", "before the occurrence begins"),
        ({"relid": "IRQ 2020 1"}, "relid", "not a UCDP event id"),
        ({"date_start": "1899-12-31", "date_end": "1899-12-31", "year": "1899"}, "date_start", "outside 1900-01-01"),
    ],
)
def test_a_row_that_does_not_fit_refuses_the_file_naming_row_and_column(
    cli: Cli, tmp_path: Path, changes: dict[str, str], column: str, fragment: str
) -> None:
    path = write_rows(tmp_path / "bad.csv", [row("IRQ-2019-1-420-4"), row("IRQ-2020-1-420-2", **changes)])

    result = cli("import", "ucdp", str(path))

    assert result.exit_code == 65
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(path) in message and "(row 3)" in message and f": {column}: " in message and fragment in message
    assert cli.events() == 0


def test_a_refused_file_leaves_the_log_file_as_it_was(db_path: Path, tmp_path: Path) -> None:
    cli = Cli(db_path, tmp_path / "views.db")
    cli("import", "ucdp", str(SAMPLE))
    cli("log")
    files = [db_path, Path(f"{db_path}-wal")]
    before = [path.read_bytes() if path.exists() else None for path in files]
    bad = write_rows(tmp_path / "bad.csv", [row("JOR-2024-1-420-1", relid="JOR-2024-1-420-9", best="9")])

    result = cli("import", "ucdp", str(bad))

    assert result.exit_code == 65 and ": best: " in result.stderr
    assert [path.read_bytes() if path.exists() else None for path in files] == before


def test_files_that_are_not_ged_files_are_refused(cli: Cli, tmp_path: Path) -> None:
    not_ged = tmp_path / "other.csv"
    not_ged.write_text("event_id_cnty,event_date\nIRQ1,2020-01-01\n", encoding="utf-8")
    twice = write_rows(tmp_path / "twice.csv", [row("IRQ-2019-1-420-4"), row("IRQ-2019-1-420-4")])
    elsewhere = write_rows(tmp_path / "elsewhere.csv", [row(OUT_OF_SCOPE)])

    missing_columns = cli("import", "ucdp", str(not_ged))
    duplicate = cli("import", "ucdp", str(twice))
    strict = cli("import", "ucdp", "--strict", str(elsewhere))
    absent = cli("import", "ucdp", str(tmp_path / "absent.csv"))

    assert missing_columns.exit_code == 65
    assert "not a UCDP GED file: missing column(s) id, relid" in missing_columns.stderr
    assert duplicate.exit_code == 65 and "appears twice in this file (first on row 2)" in duplicate.stderr
    assert duplicate.stderr.count(": relid: ") == 1
    assert strict.exit_code == 65 and "(row 2): side_a: neither side US/coalition nor Iran-aligned" in strict.stderr
    assert absent.exit_code == 66
    assert cli.events() == 0


def test_rows_flashpoint_cannot_place_are_skipped_and_counted_by_reason(cli: Cli, tmp_path: Path) -> None:
    clash = row("IRQ-2020-1-420-2", relid="IRQ-2020-1-420-9", source_headline="Gunfight at a checkpoint near Taji")
    against_is = row("IRQ-2019-1-420-4", relid="IRQ-2019-1-420-8", side_b="IS")
    path = write_rows(tmp_path / "mixed.csv", [clash, against_is, row("IRQ-2020-1-420-2")])

    strict = cli("import", "ucdp", "--strict", str(path))
    result = cli("import", "ucdp", str(path))
    summary = cli.json("import", "ucdp", str(path))

    assert strict.exit_code == 65 and "(row 2): source_headline: no strike or attack named" in strict.stderr
    assert result.exit_code == 0, result.stderr
    assert summary["skipped"] == {
        "no strike or attack named in source_headline": 1,
        "not US/coalition against Iran-aligned": 1,
    }
    assert "skipped (outside flashpoint's scope): no strike or attack named in source_headline ×1" in result.stderr
    assert [act["id"] for act in cli.json("escalation")["acts"]] == ["ucdp-irq-2020-1-420-2"]


def test_older_releases_with_fewer_columns_a_byte_order_mark_or_semicolons_import(cli: Cli, tmp_path: Path) -> None:
    columns = tuple(column for column in UCDP_COLUMNS if not column.endswith("_dset_id"))
    old = write_rows(tmp_path / "old.csv", [row("IRQ-2019-1-420-4", date_start="2019-12-29 00:00:00.000")], columns)
    old.write_bytes(b"\xef\xbb\xbf" + old.read_bytes())
    semicolons = write_rows(tmp_path / "semicolons.csv", [row("IRQ-2020-1-420-2")], delimiter="\t")

    assert cli.json("import", "ucdp", str(old))["appended"] == ["ucdp-irq-2019-1-420-4"]
    assert cli.json("import", "ucdp", str(semicolons))["appended"] == ["ucdp-irq-2020-1-420-2"]


def test_ucdps_spellings_of_known_actors_fold_onto_flashpoints_actors(cli: Cli, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "spellings.csv",
        [
            row("IRQ-2020-1-420-2", side_b="Asa'ib Ahl al-Haqq"),
            row("IRQ-2019-1-420-4", side_b="Harakat Hizbullah al-Nujaba"),
            row("JOR-2024-1-420-1", side_a="Government of United Kingdom", side_b="Unidentified militia"),
        ],
    )

    cli("import", "ucdp", str(path))

    acts = {act["id"]: act for act in cli.json("escalation")["acts"]}
    assert (acts["ucdp-irq-2020-1-420-2"]["actor"], acts["ucdp-irq-2020-1-420-2"]["side"]) == (
        "Asa'ib Ahl al-Haq",
        "iran_aligned",
    )
    assert acts["ucdp-irq-2019-1-420-4"]["target"] == "Harakat Hezbollah al-Nujaba"
    assert (acts["ucdp-jor-2024-1-420-1"]["actor"], acts["ucdp-jor-2024-1-420-1"]["target"]) == (
        "unknown",
        "United Kingdom",
    )
    toll = cli.json("casualties", "--incident", "ucdp-jor-2024-1-420-1")["incidents"]
    assert {entry["party"]: entry["killed"]["best"] for entry in toll} == {"coalition_military": 3, "unknown": 0}


def test_acts_reported_natively_export_in_geds_terms_and_import_back_as_the_same_kinds(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("demo").exit_code == 0
    exported = cli("export", "ucdp", "--out", str(tmp_path / "seed.csv"))
    assert exported.exit_code == 0, exported.stderr
    rows = {item["relid"]: item for item in rows_of((tmp_path / "seed.csv").read_text(encoding="utf-8"))}
    native = {act["id"]: act for act in cli.json("escalation")["acts"]}

    assert set(rows) == set(native)
    strike = rows["us-strikes-2021-06-27"]
    toll = {e["party"]: e["killed"] for e in cli.json("casualties", "--incident", "us-strikes-2021-06-27")["incidents"]}
    assert (strike["side_a"], strike["side_b"], strike["date_prec"], strike["where_prec"]) == (
        "Government of United States of America",
        "Kata'ib Hezbollah",
        "1",
        "4",  # geo_precision 3, the region only
    )
    assert (strike["deaths_b"], strike["best"]) == (str(toll["militia"]["best"]), str(toll["militia"]["best"]))
    assert (strike["low"], strike["high"]) == (str(toll["militia"]["low"]), str(toll["militia"]["high"]))
    erbil = rows["erbil-rockets-2021-02-15"]
    assert (erbil["deaths_civilians"], erbil["deaths_a"], erbil["best"]) == ("1", "0", "1")  # the contractor
    assert rows["bdsc-drone-2021-06"]["date_prec"] == "4"  # eleven days: the month

    elsewhere = Cli(tmp_path / "elsewhere.db")
    imported = elsewhere.json("import", "ucdp", str(tmp_path / "seed.csv"))
    assert imported["skipped"] == {}
    acts = {act["id"].removeprefix("ucdp-"): act for act in elsewhere.json("escalation")["acts"]}
    assert {act_id: act["kind"] for act_id, act in acts.items()} == {
        act_id: act["kind"] for act_id, act in native.items()
    }
    assert {act_id: act["side"] for act_id, act in acts.items()} == {
        act_id: act["side"] for act_id, act in native.items()
    }


def test_the_export_neutralises_formula_cells_and_imports_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    risky = row("IRQ-2019-1-420-4", where_description='=HYPERLINK("https://example.org","x")', longitude="-41.0946")
    cli("import", "ucdp", str(write_rows(tmp_path / "formula.csv", [risky])))
    events = cli.events()

    assert cli("export", "ucdp", "--out", str(tmp_path / "out.csv")).exit_code == 0
    (written,) = rows_of((tmp_path / "out.csv").read_text(encoding="utf-8"))

    assert written["where_description"].startswith("'=") and written["longitude"] == "-41.0946"
    again = cli.json("import", "ucdp", str(tmp_path / "out.csv"))
    assert again["appended"] == [] and again["unchanged"] == ["ucdp-irq-2019-1-420-4"]
    assert cli.events() == events
