"""Decoding report files: the traps PyYAML and json leave open are closed."""

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from flashpoint import report_files
from flashpoint.report_files import BadReport, MissingFile, decode, load, validate

from ..conftest import WriteReports, drone_attack


def test_yaml_dates_stay_text_so_impossible_ones_name_the_report() -> None:
    text = "- {id: drone-1, kind: drone_attack, occurred: 2024-02-30, reported: 2024-03-01}\n"

    with pytest.raises(BadReport) as refused:
        validate(decode(text, "f.yaml", as_json=False), "f.yaml")

    assert str(refused.value) == "f.yaml: report drone-1: occurred: '2024-02-30' is not a real calendar day"


def test_yaml_aliases_are_refused_before_they_can_expand() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'

    with pytest.raises(BadReport) as refused:
        decode(bomb, "bomb.yaml", as_json=False)

    assert "anchors" in str(refused.value) or "aliases" in str(refused.value)


def test_yaml_python_tags_construct_nothing() -> None:
    with pytest.raises(BadReport) as refused:
        decode("!!python/object/apply:os.system ['echo hacked']", "evil.yaml", as_json=False)

    assert refused.value.source == "evil.yaml"
    assert "not valid YAML" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "as_json"),
    [("id: a\nid: b\n", False), ('{"id": "a", "id": "b"}', True)],
)
def test_duplicate_keys_are_refused_not_silently_dropped(text: str, as_json: bool) -> None:
    with pytest.raises(BadReport) as refused:
        decode(text, "dup", as_json=as_json)

    assert "duplicate key 'id'" in str(refused.value)


@pytest.mark.parametrize("text", ['{"id": NaN}', '[{"id": "a"', "", "   \n", '{"id": "a"} trailing'])
def test_broken_json_is_one_line(text: str) -> None:
    with pytest.raises(BadReport) as refused:
        decode(text, "broken.json", as_json=True)

    assert "\n" not in str(refused.value)
    assert str(refused.value).startswith("broken.json: ")


def test_binary_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    binary, latin = tmp_path / "x.yaml", tmp_path / "y.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    latin.write_bytes("id: caf\xe9\n".encode("latin-1"))

    with pytest.raises(BadReport, match="binary"):
        load(str(binary))
    with pytest.raises(BadReport, match="not UTF-8"):
        load(str(latin))


def test_a_missing_file_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(MissingFile):
        load(str(tmp_path / "nope.yaml"))


def test_one_report_or_a_list(write_reports: WriteReports) -> None:
    single = load(str(write_reports(drone_attack("drone-1"))))
    several = load(str(write_reports([drone_attack("drone-1"), drone_attack("drone-2")], as_json=True)))

    assert [item.report.id for item in single] == ["drone-1"]
    assert [item.report.id for item in several] == ["drone-1", "drone-2"]


def test_a_report_without_a_usable_id_is_named_by_position(write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("BAD ID")])

    with pytest.raises(BadReport) as refused:
        load(str(path))

    assert refused.value.report == "#2"
    assert refused.value.field == "id"


def test_duplicate_ids_inside_one_file_are_refused(write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("drone-1", damage="minor")])

    with pytest.raises(BadReport) as refused:
        load(str(path))

    assert "appears twice" in str(refused.value)


def test_reports_over_one_megabyte_are_refused(write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("drone-2", notes="x" * 1_000_001)], as_json=True)

    with pytest.raises(BadReport) as refused:
        load(str(path))

    assert refused.value.report == "drone-2"
    assert "limit is 1,000,000" in str(refused.value)


@pytest.mark.parametrize("content", ["42", "just text", "[1, 2]", "[]"])
def test_files_that_hold_no_reports_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(content)

    with pytest.raises(BadReport) as refused:
        load(str(path))

    assert refused.value.source == str(path)


# -- YAML, one report at a time ---------------------------------------------------------------------

LOADERS = [report_files._ReportLoader, getattr(report_files, "_FastReportLoader", None)]


@pytest.fixture(params=[loader for loader in LOADERS if loader is not None], ids=lambda loader: loader.__name__)
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Each YAML loader in turn: PyYAML's pure-Python parser, then LibYAML's (where PyYAML has it)."""
    monkeypatch.setattr(report_files, "_Loader", request.param)
    return request.param


def test_libyaml_reads_report_files_where_pyyaml_has_it() -> None:
    assert report_files._Loader is (
        report_files._FastReportLoader if yaml.__with_libyaml__ else report_files._ReportLoader
    )


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("- {id: a}\n- &x {id: b}\n", "(line 2, column 3): YAML anchors (&name) are not allowed in report files"),
        ("- {id: a, notes: &n x}\n- {id: b, notes: *n}\n", "YAML anchors (&name) are not allowed"),
        ("- {id: a}\n- *n\n", "(line 2, column 3): YAML aliases (*name) are not allowed in report files"),
        ("&all\n- {id: a}\n", "(line 1, column 1): YAML anchors (&name) are not allowed"),
        ("- {id: a}\n- {id: b, id: c}\n", "(line 2, column 11): duplicate key 'id'"),
        ("- {id: a}\n--- \n- {id: b}\n", "(line 2, column 1): but found another document"),
        ("- {id: a}\n- !!python/object/apply:os.system ['echo hacked']\n", "could not determine a constructor"),
    ],
)
def test_every_yaml_refusal_holds_for_both_loaders(yaml_loader: Any, text: str, refusal: str) -> None:
    with pytest.raises(BadReport) as refused:
        decode(text, "f.yaml", as_json=False)

    assert str(refused.value).startswith("f.yaml: not valid YAML")
    assert refusal in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "- {id: a, occurred: 2024-02-30, n: 010, flag: yes, none: ~, x: 0x1F, t: 12:30:00, f: .inf}\n- [1, {b: 2}]\n",
        "id: a\nlist: [2024-01-01, 'quoted', \"double\"]\n",
        "!!seq [{id: a}]\n",
        "- 1\n- text\n- [nested, [list]]\n",
        "[]",
    ],
)
def test_both_loaders_read_what_yaml_safe_load_reads_but_timestamps(yaml_loader: Any, text: str) -> None:
    class Expected(yaml.SafeLoader):
        yaml_implicit_resolvers = report_files._ReportResolver.yaml_implicit_resolvers

    expected = yaml.load(text, Loader=Expected)

    assert decode(text, "f.yaml", as_json=False) == expected


def test_a_yaml_list_is_built_one_report_at_a_time(yaml_loader: Any) -> None:
    text = yaml.safe_dump([drone_attack(f"drone-{n}", notes=f"attack {n}") for n in range(300)], sort_keys=False)
    tracemalloc.start()
    try:
        decoded = decode(text, "f.yaml", as_json=False)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(decoded) == 300
    assert peak < 2 * kept, f"decoding took {peak:,} bytes at its peak to build {kept:,}: a whole-file node graph"
