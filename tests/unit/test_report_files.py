"""Decoding report files: the traps PyYAML and json leave open are closed."""

import io
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from flashpoint.reports import files as report_files
from flashpoint.reports.files import BadReport, MissingFile, NoInput, decode, distinct, load, validate

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
        "- {id: a, occurred: 2024-02-30, none: ~, x: 0x1F, f: .inf}\n- [1, {b: 2}]\n",
        "id: a\nlist: [2024-01-01, 'quoted', \"double\"]\n",
        "!!seq [{id: a}]\n",
        "- 1\n- text\n- [nested, [list]]\n",
        "[]",
    ],
)
def test_both_loaders_read_what_yaml_safe_load_reads_where_yaml_1_1_and_1_2_agree(yaml_loader: Any, text: str) -> None:
    class Expected(yaml.SafeLoader):
        yaml_implicit_resolvers = report_files._ReportResolver.yaml_implicit_resolvers

    expected = yaml.load(text, Loader=Expected)

    assert decode(text, "f.yaml", as_json=False) == expected


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("010", 10),
        ("0o17", 15),
        ("0x1F", 31),
        ("-7", -7),
        ("1:30", "1:30"),
        ("12:30:00", "12:30:00"),
        ("1_000", "1_000"),
        ("yes", "yes"),
        ("NO", "NO"),
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("true", True),
        ("FALSE", False),
        ("1e3", 1000.0),
        ("3.0", 3.0),
        ("null", None),
        ("~", None),
        ("2024-02-30", "2024-02-30"),
    ],
)
def test_yaml_is_read_with_the_yaml_1_2_core_schema(yaml_loader: Any, scalar: str, value: object) -> None:
    decoded = decode(f"a: {scalar}\nb: [{scalar}]\n", "f.yaml", as_json=False)

    assert decoded == {"a": value, "b": [value]}
    assert type(decoded["a"]) is type(value)


@pytest.mark.parametrize("text", ["a: !!bool yes\n", "a: !!int 1:30\n"])
def test_explicit_yaml_1_1_spellings_are_refused_not_converted(yaml_loader: Any, text: str) -> None:
    with pytest.raises(BadReport, match="not valid YAML"):
        decode(text, "f.yaml", as_json=False)


def test_yaml_1_1_spellings_are_stored_as_written(write_reports: WriteReports, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: drone-1\nkind: drone_attack\noccurred: 2024-01-28\nreported: 2024-01-28\n"
        "country: [NO]\nsources: [{name: CENTCOM, anonymous: false}]\n"
        "casualties: [{party: us_military, killed: 010}]\n",
        encoding="utf-8",
    )

    (submitted,) = load(str(path))

    assert submitted.report.country == ("NO",)
    assert submitted.report.casualties[0].killed == 10


@pytest.mark.parametrize(("field", "scalar"), [("killed", "1:30"), ("killed", "1_000")])
def test_sexagesimal_and_underscored_figures_are_refused_not_converted(field: str, scalar: str) -> None:
    text = (
        "id: drone-1\nkind: drone_attack\noccurred: 2024-01-28\nreported: 2024-01-28\n"
        f"casualties: [{{party: us_military, {field}: {scalar}, source: CENTCOM}}]\n"
    )

    with pytest.raises(BadReport, match=rf"casualties\[0\]\.{field}: expected a whole number"):
        validate(decode(text, "f.yaml", as_json=False), "f.yaml")


def test_a_yes_in_a_boolean_field_is_refused_not_read_as_true() -> None:
    text = "id: s-1\nkind: statement\nstance: threat\nreported: 2024-01-28\nsources: [{name: KH, anonymous: yes}]\n"

    with pytest.raises(BadReport, match=r"sources\[0\]\.anonymous: expected true or false"):
        validate(decode(text, "f.yaml", as_json=False), "f.yaml")


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


# -- bounded reading --------------------------------------------------------------------------------


class Endless(io.RawIOBase):
    """A stream of ``fill`` that never ends (up to ``most`` bytes), counting what is read of it."""

    def __init__(self, fill: bytes, most: int) -> None:
        self.fill, self.left, self.served = fill, most, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self.left)
        buffer[:size] = (self.fill * (size // len(self.fill) + 1))[:size]
        self.left -= size
        self.served += size
        return size


def standard_input(monkeypatch: pytest.MonkeyPatch, stream: io.RawIOBase) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream)))


def test_standard_input_is_refused_once_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_files, "MAX_FILE_BYTES", 10 * report_files.READ_CHUNK)
    endless = Endless(b"- id: drone-1\n", 1000 * report_files.READ_CHUNK)
    standard_input(monkeypatch, endless)

    with pytest.raises(BadReport) as refused:
        load("-")

    assert str(refused.value).startswith("<stdin>: over the limit of 10,485,760 bytes")
    assert endless.served <= 12 * report_files.READ_CHUNK


def test_a_nul_byte_in_standard_input_is_refused_at_its_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    zeros = Endless(b"\x00", 1000 * report_files.READ_CHUNK)
    standard_input(monkeypatch, zeros)

    with pytest.raises(BadReport, match="binary data") as refused:
        load("-")

    assert refused.value.source == "<stdin>"
    assert zeros.served <= 2 * report_files.READ_CHUNK


def test_a_file_over_the_limit_is_refused_by_its_size(
    monkeypatch: pytest.MonkeyPatch, write_reports: WriteReports
) -> None:
    path = write_reports([drone_attack(f"drone-{n}") for n in range(10)])
    monkeypatch.setattr(report_files, "MAX_FILE_BYTES", path.stat().st_size - 1)

    with pytest.raises(BadReport) as refused:
        load(str(path))

    assert str(refused.value) == (
        f"{path}: {path.stat().st_size:,} bytes, over the limit of {path.stat().st_size - 1:,} bytes (256 MiB) "
        "for one file: split it into smaller files"
    )


def test_a_file_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch, write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1")])
    monkeypatch.setattr(report_files, "MAX_FILE_BYTES", path.stat().st_size)

    assert [item.report.id for item in load(str(path))] == ["drone-1"]


def test_a_directory_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(NoInput) as refused:
        load(str(tmp_path))

    assert str(refused.value) == f"{tmp_path}: is a directory, not a file"


def test_a_file_the_system_will_not_open_cannot_be_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("id: a\n")

    def refuse(*_: Any, **__: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(report_files, "open", refuse, raising=False)  # as root, chmod 0 would still be read

    with pytest.raises(NoInput) as refused:
        load(str(path))

    assert str(refused.value) == f"{path}: cannot read: Permission denied"


def test_a_closed_standard_input_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)

    with pytest.raises(NoInput) as refused:
        load("-")

    assert str(refused.value) == "<stdin>: standard input is closed"


def test_a_missing_file_is_one_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(NoInput) as refused:
        load(str(tmp_path / "nope.yaml"))

    assert isinstance(refused.value, MissingFile)
    assert str(refused.value) == f"{tmp_path / 'nope.yaml'}: no such file"


# -- each input once --------------------------------------------------------------------------------


def test_an_input_named_twice_is_read_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\n")
    (tmp_path / "b.yaml").write_text("id: b\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    monkeypatch.chdir(tmp_path)

    kept = distinct(["a.yaml", "-", "./a.yaml", "b.yaml", str(tmp_path / "a.yaml"), "link.yaml", "-", "gone", "gone"])

    assert kept == ["a.yaml", "-", "b.yaml", "gone"]
