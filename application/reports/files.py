"""Reading report files: YAML (safe loader only) or JSON, one report or a list.

Every refusal is a :class:`BadReport` that renders as one line naming the file, the
report (its id, or its position when it has no usable id) and the field. An input that
cannot be read at all (missing, a directory, unreadable, a closed standard input) is a
:class:`NoInput` instead.

Input is bounded before it can exhaust memory: a file over :data:`MAX_FILE_BYTES` is
refused from its size alone, standard input, pipes and devices are read in chunks and
refused once past it or at the first NUL byte, and a YAML list is composed and
constructed one report at a time (LibYAML's parser when PyYAML has it), never as one
node graph of the whole file.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

import yaml
from flashpoint.domain import InvalidValue, Report, parse_report
from flashpoint.domain.contract import is_report_id
from flashpoint.domain.errors import FlashpointError, InvalidReport
from flashpoint.domain.report import canonical_bytes, digest_of_canonical
from flashpoint.storage.gcpause import paused_gc
from yaml.events import SequenceEndEvent, SequenceStartEvent, StreamEndEvent

LONG_LIVED_BATCH = 2000
"""A file of this many reports is kept until appended: the collector is told so (``flashpoint.storage.gcpause``)."""

MAX_REPORT_BYTES = 1_000_000
"""A single report larger than this (as canonical JSON) is refused: no real report is that big."""

MAX_FILE_BYTES = 256 * 1024 * 1024
"""A report file (or standard input) larger than this, 256 MiB, is refused before it is read.

About 760,000 reports of ~350 bytes: seven times the 100,000 a file that the benchmarks
append, and more than anyone writes by hand or exports at once. Its reports stay in memory
until the append commits: appending a file this size peaks at 2.5 GB (JSON) to 2.7 GB
(YAML), so the limit keeps one file under 3 GB; /dev/zero or a wrong file is refused long
before that. Split a bigger file: several files in one append are still all or nothing.
"""

READ_CHUNK = 1024 * 1024
"""Standard input, pipes and devices are read this much at a time, each chunk checked for size and NUL bytes."""

STDIN = "<stdin>"


class BadReport(FlashpointError):
    """A file or a report in it that the contract refuses. ``str()`` is the one-line message."""

    def __init__(self, source: str, report: str | None, field: str | None, message: str) -> None:
        self.source, self.report, self.field, self.message = source, report, field, message
        parts = [_printable(source)]
        if report:
            parts.append(f"report {_printable(report)}")
        if field:
            parts.append(_printable(field))
        super().__init__(": ".join([*parts, " ".join(message.split())]))


def _printable(text: str) -> str:
    """Keep the error on one line even when a key or a path holds control characters."""
    return text if text.isprintable() else repr(text)[1:-1]


class NoInput(FlashpointError):
    """An input that cannot be read at all: a directory, an unreadable file, a closed stdin (exit 66, EX_NOINPUT).

    ``str()`` is the one-line message, naming the input.
    """

    def __init__(self, source: str, message: str) -> None:
        self.source, self.message = source, message
        super().__init__(f"{_printable(source)}: {message}")


class MissingFile(NoInput):
    """A named input file that does not exist."""


@dataclass(frozen=True)
class Submitted:
    """One validated report, the document it came from, and where it came from."""

    report: Report
    document: dict[str, Any]
    source: str
    label: str

    def refuse(self, field: str | None, message: str) -> BadReport:
        return BadReport(self.source, self.label, field, message)

    def note(self, field: str | None, message: str, level: str = "note") -> str:
        """A one-line remark about this report for stderr, located as a refusal would be."""
        return f"{level}: {self.refuse(field, message)}"


# The YAML 1.2 core schema's implicit types (https://yaml.org/spec/1.2.2/#1032-tag-resolution),
# as PyYAML's resolver table: first character -> [(tag, pattern)], ints before floats.
_CORE_SCHEMA = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
)


def _core_schema_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {"": []}
    for tag, pattern, firsts in _CORE_SCHEMA:
        compiled = re.compile(pattern)
        for first in firsts:
            table.setdefault(first, []).append((tag, compiled))
    table[""].append(("tag:yaml.org,2002:null", re.compile(r"^$")))  # an empty plain scalar
    return table


class _ReportResolver(yaml.resolver.Resolver):
    """The YAML schema of report files, decided here and nowhere else: the YAML 1.2 core schema.

    YAML 1.1's implicit types (PyYAML's default) change data silently: ``010`` is 8,
    ``1:30`` is 90, ``yes``/``NO``/``on`` are booleans, and ``2024-02-30`` fails inside
    PyYAML before any report is known. Under the core schema these are 10 and words, and
    dates stay text that the validator reads, naming the report.
    """

    # A class attribute, as in PyYAML itself; unannotated, because types-PyYAML declares it
    # an instance attribute (dict[Any, Any]) and a ClassVar annotation would clash with that.
    yaml_implicit_resolvers = _core_schema_resolvers()


class _ReportComposer(yaml.composer.Composer):
    """PyYAML's composer (in Python, over either parser's events), refusing aliases and anchors.

    Aliases: a "billion laughs" document expands exponentially once serialised. Anchors
    are refused with them: a report file has no use for either.
    """

    peek_event: Callable[[], Any]  # the parser's, Python's or LibYAML's

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # an alias, a scalar or a collection's start: each has an anchor (or None)
        if event.anchor is not None:
            what = "aliases (*name)" if isinstance(event, yaml.AliasEvent) else "anchors (&name)"
            raise yaml.composer.ComposerError(
                None, None, f"YAML {what} are not allowed in report files", event.start_mark
            )
        return super().compose_node(parent, index)


class _ReportConstructor(yaml.constructor.SafeConstructor):
    """The safe constructor, refusing duplicate keys (PyYAML keeps the last one silently, dropping data).

    Equal keys share one string, as ``json.loads`` does: a file of 300,000 reports spells
    ``id`` and ``kind`` 300,000 times, and separate copies were a fifth of the memory its
    append took.
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, str] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str):  # the base class takes the key from this cache
                key = self.constructed_objects[key_node] = self.keys.setdefault(key, key)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key) if isinstance(key, str | int | float | bool) else None
        return super().construct_mapping(node, deep=deep)


def _core_int(constructor: Any, node: Any) -> int:
    """An int as YAML 1.2 spells it: decimal (``010`` is ten), ``0o17`` or ``0x1F``; no ``1:30``, no ``1_000``."""
    text = str(constructor.construct_scalar(node))
    if text[:2] in ("0o", "0x"):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _core_bool(constructor: Any, node: Any) -> bool:
    """A bool as YAML 1.2 spells it: true or false (``!!bool yes`` is refused, not read as true)."""
    text = str(constructor.construct_scalar(node))
    if text.lower() not in ("true", "false"):
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not true or false", node.start_mark)
    return text.lower() == "true"


_ReportConstructor.add_constructor("tag:yaml.org,2002:int", _core_int)
_ReportConstructor.add_constructor("tag:yaml.org,2002:bool", _core_bool)


class _ReportLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _ReportComposer,
    _ReportConstructor,
    _ReportResolver,
):
    """PyYAML's pure-Python parser with the report composer, constructor and resolver."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _ReportComposer.__init__(self)
        _ReportConstructor.__init__(self)
        _ReportResolver.__init__(self)


_Loader: Callable[[str], Any] = _ReportLoader

if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _FastReportLoader(_ReportComposer, CParser, _ReportConstructor, _ReportResolver):
        """LibYAML's parser (C, seven times faster on benchmark reports) with the same composer,
        constructor and resolver.

        The composer comes first so that its ``get_node`` and ``compose_node`` are used,
        not the C parser's own composition, which would build the whole file's nodes at once
        and accept aliases.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _ReportComposer.__init__(self)
            _ReportConstructor.__init__(self)
            _ReportResolver.__init__(self)

    _Loader = _FastReportLoader


def _load_yaml(text: str) -> Any:
    """``yaml.load`` of a single document, except that a top-level list is composed and
    constructed one item (one report) at a time: only that item's nodes exist at once.
    """
    loader = _Loader(text)
    try:
        loader.get_event()  # the stream starts
        if loader.check_event(StreamEndEvent):
            return None
        document = loader.get_event()
        if loader.check_event(SequenceStartEvent) and _untagged(loader.peek_event()):
            loader.get_event()
            data: Any = []
            while not loader.check_event(SequenceEndEvent):
                data.append(loader.construct_document(loader.compose_node(None, None)))
            loader.get_event()
        else:
            data = loader.construct_document(loader.compose_node(None, None))
        loader.get_event()  # the document ends
        if not loader.check_event(StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document.start_mark,
                "but found another document",
                loader.peek_event().start_mark,
            )
        return data
    finally:
        loader.dispose()


def _untagged(event: Any) -> bool:
    """A plain list: no anchor (the composer refuses it) and no tag (the constructor decides it)."""
    return event.anchor is None and event.tag in (None, "!")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # only then look for the key, in Python
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a report may hold")


def decode(text: str, source: str, *, as_json: bool) -> Any:
    """Parse the text of one report file; syntax errors become a one-line :class:`BadReport`."""
    if not text.strip():
        raise BadReport(source, None, None, "empty file: no reports in it")
    if as_json:
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise BadReport(
                source, None, None, f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from None
        except (ValueError, RecursionError) as error:
            raise BadReport(source, None, None, f"not valid JSON: {error}") from None
    try:
        return _load_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise BadReport(source, None, None, f"not valid YAML{where}: {error.problem}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise BadReport(source, None, None, f"not valid YAML: {error}") from None


def read_bytes(path: str) -> tuple[bytes | bytearray, str]:
    """The bytes and display name of an input (``-`` is standard input), bounded and free of NUL bytes."""
    if path == "-":
        return read_stdin(), STDIN
    return read_file(path), path


def read_file(path: str) -> bytes | bytearray:
    """A named input's bytes; one that cannot be opened is a :class:`NoInput` (66)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; open() itself is what can fail here
    except FileNotFoundError:
        raise MissingFile(path, "no such file") from None
    except IsADirectoryError:
        raise NoInput(path, "is a directory, not a file") from None
    except OSError as error:
        raise NoInput(path, f"cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL in the name
        raise MissingFile(path, "no such file") from None
    with handle:
        return _bounded(handle, path)


def read_stdin() -> bytes | bytearray:
    """Standard input's bytes; a closed one (``<&-``) is a :class:`NoInput` (66)."""
    if sys.stdin is None:  # Python leaves it None when file descriptor 0 was closed
        raise NoInput(STDIN, "standard input is closed")
    return _bounded(sys.stdin.buffer, STDIN)


def _bounded(handle: IO[bytes], source: str) -> bytes | bytearray:
    """Read ``handle`` up to :data:`MAX_FILE_BYTES`: a regular file is judged by its size before it
    is read; anything else (a pipe, a terminal, ``/dev/zero``) chunk by chunk, stopping at the
    first chunk past the limit or holding a NUL byte.
    """
    try:
        try:
            status: os.stat_result | None = os.fstat(handle.fileno())
        except (OSError, ValueError):  # no descriptor (a test's in-memory stdin): read it as a stream
            status = None
        if status is not None and stat.S_ISREG(status.st_mode):
            if status.st_size > MAX_FILE_BYTES:
                raise _too_big(source, status.st_size)
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since
            if len(data) > MAX_FILE_BYTES:
                raise _too_big(source)
            _refuse_nul(data, source, 0)
            return data
        buffer = bytearray()
        while chunk := handle.read(READ_CHUNK):
            _refuse_nul(chunk, source, len(buffer))
            buffer += chunk
            if len(buffer) > MAX_FILE_BYTES:
                raise _too_big(source)
        return buffer
    except OSError as error:
        raise NoInput(source, f"cannot read: {error.strerror or error}") from None
    except ValueError:  # the stream was closed under us
        raise NoInput(source, "cannot read: the input is closed") from None


def _too_big(source: str, size: int | None = None) -> BadReport:
    over = f"over the limit of {MAX_FILE_BYTES:,} bytes (256 MiB) for one file: split it into smaller files"
    return BadReport(source, None, None, f"{size:,} bytes, {over}" if size is not None else over)


def _refuse_nul(data: bytes, source: str, offset: int) -> None:
    where = data.find(b"\x00")
    if where >= 0:
        raise BadReport(source, None, None, f"binary data (a NUL byte at byte {offset + where:,}), not a text file")


def read_text(path: str) -> tuple[str, str]:
    """The text and display name of a report file (``-`` is standard input)."""
    data, source = read_bytes(path)
    try:
        return data.decode("utf-8-sig"), source
    except UnicodeDecodeError as error:
        raise BadReport(source, None, None, f"not UTF-8 text (byte {error.start}: {data[error.start]:#04x})") from None


def looks_like_json(path: str, text: str) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    return text.lstrip()[:1] in ("[", "{")


def documents(decoded: Any, source: str) -> list[Any]:
    if isinstance(decoded, dict):
        return [decoded]
    if isinstance(decoded, list):
        if not decoded:
            raise BadReport(source, None, None, "empty list: no reports in it")
        return decoded
    raise BadReport(
        source, None, None, f"expected a report (mapping) or a list of reports, got {type(decoded).__name__}"
    )


def label_of(document: Any, index: int) -> str:
    """Name a report by its id when it has a usable one, else by its position (1-based)."""
    if isinstance(document, dict):
        report_id = document.get("id")
        if is_report_id(report_id):
            return str(report_id)
    return f"#{index + 1}"


MAX_SHOWN = 20
"""A refused file names this many of its errors, one line each, then how many more there are."""


class BadFile(BadReport):
    """Every refusal found in the files of one command (as a :class:`BadReport`, the first of them).

    ``str()`` is one line per refusal, :data:`MAX_SHOWN` at most, then "… and N more".
    """

    def __init__(self, refusals: Sequence[BadReport]) -> None:
        first = refusals[0]
        super().__init__(first.source, first.report, first.field, first.message)
        self.refusals = tuple(refusals)
        self.args = ("\n".join(self.lines()),)

    def lines(self) -> list[str]:
        shown = [str(refusal) for refusal in self.refusals[:MAX_SHOWN]]
        more = len(self.refusals) - MAX_SHOWN
        return [*shown, f"… and {more} more"] if more > 0 else shown

    @classmethod
    def of(cls, refusals: Sequence[BadReport]) -> BadFile:
        """One error for all of ``refusals`` (each a BadReport, or a BadFile of several)."""
        return cls([single for refusal in refusals for single in _each(refusal)])


def _each(refusal: BadReport) -> tuple[BadReport, ...]:
    return refusal.refusals if isinstance(refusal, BadFile) else (refusal,)


def validate(decoded: Any, source: str, progress: Callable[[int, int], None] | None = None) -> list[Submitted]:
    """Validate every report of one decoded file; any refusal refuses the file, naming every refusal found."""
    submitted: list[Submitted] = []
    refusals: list[BadReport] = []
    first_seen: dict[str, str] = {}
    items = documents(decoded, source)
    for index, document in enumerate(items):
        if progress is not None and index % 1000 == 0:
            progress(index, len(items))
        label = label_of(document, index)
        try:
            report = _validated(document, source, label)
        except BadReport as refused:
            refusals.extend(_each(refused))
            continue
        if report.id in first_seen:
            refusals.append(
                BadReport(
                    source,
                    label,
                    "id",
                    f"{report.id!r} appears twice in this file (first as report {first_seen[report.id]})",
                )
            )
            continue
        first_seen[report.id] = f"#{index + 1}"
        submitted.append(Submitted(report, document, source, label))
    if refusals:
        raise BadFile(refusals)
    return submitted


def _validated(document: Any, source: str, label: str) -> Report:
    """One report, or a :class:`BadFile` of every refusal of it."""
    try:
        canonical = canonical_bytes(document)
    except (TypeError, ValueError, RecursionError):
        raise BadReport(source, label, None, "holds values that are not plain YAML/JSON data") from None
    size = len(canonical)
    if size > MAX_REPORT_BYTES:
        raise BadReport(source, label, None, f"report is {size:,} bytes; the limit is {MAX_REPORT_BYTES:,} (1 MB)")
    try:
        return parse_report(document, digest=digest_of_canonical(canonical))
    except InvalidValue as error:
        found = error.errors if isinstance(error, InvalidReport) else (error,)
        raise BadFile([BadReport(source, label, one.field or None, one.message) for one in found]) from None


def load(path: str, progress: Callable[[int, int], None] | None = None) -> list[Submitted]:
    """Read, decode and validate one report file (``-`` for standard input).

    ``progress(done, total)`` hears how many of the file's reports are validated.
    """
    text, source = read_text(path)
    with paused_gc() as pause:
        submitted = validate(decode(text, source, as_json=looks_like_json(path, text)), source, progress)
        pause.long_lived(len(submitted) >= LONG_LIVED_BATCH)
        return submitted


def load_all(
    paths: Sequence[str], progress_of: Callable[[str], AbstractContextManager[Any]] = lambda _: nullcontext()
) -> list[Submitted]:
    """Validate every file (each read once, however often it is named) before any is appended,
    so that one bad report appends nothing; the refusal (:class:`BadFile`) names every error found
    in every file. ``progress_of(path)`` gives the progress callback for that file's reports."""
    batch: list[Submitted] = []
    refused: list[BadReport] = []
    for path in distinct(paths):
        with progress_of(path) as progress:
            try:
                batch.extend(load(path, progress))
            except BadReport as error:
                refused.append(error)
    if refused:
        raise BadFile.of(refused)
    return batch


@dataclass(frozen=True)
class Verdict:
    """What ``flashpoint validate`` says of one file: its reports, or why it is refused or unreadable."""

    source: str
    reports: int = 0
    refused: BadReport | None = None
    unreadable: NoInput | None = None

    @property
    def valid(self) -> bool:
        return self.refused is None and self.unreadable is None

    @property
    def error(self) -> NoInput | BadReport | None:
        """Why the file is not valid (it cannot be read, or a report is refused); None when it is."""
        return self.unreadable or self.refused

    def lines(self) -> list[str]:
        if self.unreadable is not None:
            return [str(self.unreadable)]
        if self.refused is not None:
            return BadFile.of([self.refused]).lines()
        return []

    def as_dict(self) -> dict[str, Any]:
        refusals = _each(self.refused) if self.refused is not None else ()
        return {
            "file": self.source,
            "valid": self.valid,
            "reports": self.reports,
            "errors": [{"report": one.report, "field": one.field, "message": one.message} for one in refusals]
            + ([{"report": None, "field": None, "message": self.unreadable.message}] if self.unreadable else []),
        }


def verdict_of(path: str) -> Verdict:
    """Validate one file as append would, short of the log (``-`` is standard input)."""
    source = STDIN if path == "-" else path
    try:
        return Verdict(source, reports=len(load(path)))
    except NoInput as error:
        return Verdict(source, unreadable=error)
    except BadReport as error:
        return Verdict(source, refused=error)


def distinct(paths: Sequence[str]) -> list[str]:
    """The inputs named, each once: ``a.yaml a.yaml``, ``a.yaml ./a.yaml`` and a symlink to it
    are one file (the same device and inode), and ``-`` is read once. Inputs that cannot be
    looked up are kept as named, for reading them to say why.
    """
    seen: set[object] = set()
    kept: list[str] = []
    for path in paths:
        key: object = path
        if path != "-":
            try:
                status = os.stat(path)
            except (OSError, ValueError):
                pass
            else:
                key = (status.st_dev, status.st_ino)
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def iter_load(paths: list[str]) -> Iterator[list[Submitted]]:
    for path in paths:
        yield load(path)


SEED = "seed/seed.yaml"


def seed_path() -> str:
    """The seed story shipped with flashpoint (the founding June 2021 article, as reports)."""
    return str(resources.files("flashpoint").joinpath(SEED))
