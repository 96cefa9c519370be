"""ACLED in and out: ``flashpoint import acled FILE.csv`` and ``flashpoint export acled``.

Each ACLED row in flashpoint's scope (explosions and remote violence: air and drone
strikes, shelling and missiles, IEDs, and disrupted weapons use) becomes one act report,
``acled-<event_id_cnty>``, carrying its fatalities as a claim (party ``unknown``, exact,
source ACLED via the row's own sources) and the row itself under ``acled``. Other rows
(protests, riots, battles, strategic developments) are skipped and counted, or refused
with ``strict``. Re-importing a row is a no-op; re-importing it after ACLED revised its
fatalities appends a casualty report from ACLED that supersedes the first figure.
ACLED's list of deleted events (``event_id_cnty``, ``deleted_timestamp``) becomes one
retraction from ACLED per deleted event in the log, ``acled-<event_id_cnty>-deleted``,
reported the UTC day of the deletion; deleted events not in the log are counted and skipped.
Importing goes through the same validation and the same atomic append as report files.

The mapping (see ../shared/reference/conflict-data.md):

- ``time_precision`` 1 → that day; 2 → the week around ``event_date``; 3 → its month;
- ``sub_event_type`` → kind: Air/drone strike is an ``airstrike`` when state forces
  strike, else a ``drone_attack``; Shelling/artillery/missile attack → ``rocket_attack``
  (``missile_attack`` when the notes speak of missiles and not rockets); Remote
  explosive/landmine/IED, Grenade, Suicide bomb → ``explosive_attack``; Disrupted weapons
  use → the weapon the notes name, with damage ``none``;
- ``actor1`` is the attacker, ``actor2`` the target; ``inter`` codes (or their names) give
  the actor type — 1 and 8 state forces, 2–4 militia, 7 civilians — and known actors
  (``Military Forces of the United States (2021-)`` is the United States) their side;
- ``timestamp`` (when ACLED last changed the row) is the day the report became public.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flashpoint.domain import InvalidValue, Report, ReportKind, known_actor, name_key, parse_report
from flashpoint.domain.contract import is_report_id
from flashpoint.domain.dates import Occurred, check_day_in_range
from flashpoint.domain.external import ACLED_COLUMNS, acled_cells
from flashpoint.domain.report import canonical_bytes, digest_of_canonical
from flashpoint.domain.sources import outlets
from flashpoint.projections.casualties import act_totals, casualties
from flashpoint.projections.escalation import acts_in_cut
from flashpoint.projections.spans import in_force, in_span
from flashpoint.reports.cells import as_written
from flashpoint.reports.files import BadReport, Submitted, read_file

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "time_precision", "sub_event_type", "actor1", "fatalities")
SOURCE_NAME = "ACLED"

ATTACK_TYPES = {
    "air/drone strike": None,  # an airstrike or a drone attack, by who strikes
    "shelling/artillery/missile attack": ReportKind.ROCKET_ATTACK,
    "remote explosive/landmine/ied": ReportKind.EXPLOSIVE_ATTACK,
    "grenade": ReportKind.EXPLOSIVE_ATTACK,
    "suicide bomb": ReportKind.EXPLOSIVE_ATTACK,
    "disrupted weapons use": None,  # intercepted or failed: the weapon the notes name
}
SUB_EVENT_TYPES = {
    ReportKind.AIRSTRIKE: "Air/drone strike",
    ReportKind.DRONE_ATTACK: "Air/drone strike",
    ReportKind.ROCKET_ATTACK: "Shelling/artillery/missile attack",
    ReportKind.MISSILE_ATTACK: "Shelling/artillery/missile attack",
    ReportKind.EXPLOSIVE_ATTACK: "Remote explosive/landmine/IED",
}
INTER_NAMES = {
    "state forces": 1,
    "rebel group": 2,
    "political militia": 3,
    "identity militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
}
INTER_TYPES = {1: "state_forces", 2: "militia", 3: "militia", 4: "militia", 7: "civilians", 8: "state_forces"}
COALITION = (
    "United States",
    "United Kingdom",
    "France",
    "Germany",
    "Italy",
    "Australia",
    "Canada",
    "Netherlands",
    "Denmark",
    "Spain",
    "Norway",
    "Coalition",
    "NATO",
)
IRAN_ALIGNED_WORDS = ("hezbollah", "hizballah", "kataib", "kata'ib", "nujaba", "asaib", "asa'ib", "islamic resistance")
FACILITY_WORDS = ("base", "airbase", "airport", "embassy", "camp", "facility", "station", "field", "compound", "center")
ISO_CODES = {"Iraq": "368", "Syria": "760", "Iran": "364", "Jordan": "400", "Kuwait": "414", "Lebanon": "422"}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([ T].*)?$")
YEARS_SUFFIX = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")
FORCES_PREFIX = re.compile(r"^(?:Military|Police|Air|Naval|Special|Security) Forces? of (?:the )?", re.IGNORECASE)


# -- reading ------------------------------------------------------------------------------------


@dataclass
class DatasetImport:
    """What a dataset's file (ACLED's export, UCDP's GED) holds for flashpoint, before it is appended."""

    source: str
    submitted: list[Submitted] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    kept_first: dict[str, list[str]] = field(default_factory=dict)
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "rows": self.rows,
            "acts": len(self.submitted) - len(self.revisions),
            "revisions": self.revisions,
            "skipped": dict(sorted(self.skipped.items())),
            "kept_first": self.kept_first,
        }


AcledImport = DatasetImport


class Row:
    """One CSV row with the error wording of report files: file, report (event id, row), column.

    ``id_column`` holds the dataset's event id (ACLED's ``event_id_cnty``, UCDP's ``relid``)."""

    def __init__(
        self, cells: Mapping[str, str | None], number: int, source: str, id_column: str = "event_id_cnty"
    ) -> None:
        self.cells = {key.strip(): as_written((value or "").strip()) for key, value in cells.items() if key is not None}
        self.number, self.source, self.id_column = number, source, id_column
        self.event_id = self.cells.get(id_column, "")
        self.label = f"{self.event_id} (row {number})" if self.event_id else f"row {number}"

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def refuse(self, column: str | None, message: str) -> BadReport:
        return BadReport(self.source, self.label, column, message)


def read_rows(
    path: str,
    required: Sequence[str] = REQUIRED_COLUMNS,
    what: str = "an ACLED export",
    id_column: str = "event_id_cnty",
) -> tuple[list[Row], str]:
    """The rows of a CSV file (UTF-8, with or without a byte-order mark) that has the
    ``required`` columns: an ACLED export or its list of deleted events, or a UCDP GED file.

    Read as report files are: within their size limit, and a directory or an unreadable
    file is a :class:`~flashpoint.reports.files.NoInput` (66).
    """
    source = path
    data = read_file(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadReport(source, None, None, f"not UTF-8 text (byte {error.start})") from None
    del data  # a big export's bytes need not stay beside its text and rows
    first_line = text.partition("\n")[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # spreadsheets abroad save with ; or tabs
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [column for column in required if column not in header]
        if missing:
            raise BadReport(source, None, "header", f"not {what}: missing column(s) {', '.join(missing)}")
        rows = [Row(cells, number, source, id_column) for number, cells in enumerate(reader, start=2)]
    except csv.Error as error:
        raise BadReport(source, None, None, f"not valid CSV: {error}") from None
    return rows, source


def _day(row: Row) -> date:
    text = row["event_date"]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise row.refuse("event_date", f"{text!r} is not a date (expected 2019-12-27 or 27 December 2019)")


def count(row: Row, column: str, *, required: bool) -> int | None:
    """A whole number ≥ 0 from a cell (``3`` or ``3.0``), or None for an empty optional one."""
    text = row[column]
    if not text:
        if required:
            raise row.refuse(column, "required")
        return None
    try:
        number = float(text)
    except ValueError:
        raise row.refuse(column, f"{text!r} is not a number") from None
    if not number.is_integer() or number < 0:
        raise row.refuse(column, f"{text!r} is not a whole number ≥ 0")
    return int(number)


def occurred_of(row: Row) -> Occurred:
    day = _day(row)
    year = count(row, "year", required=False)
    if year is not None and year != day.year:
        raise row.refuse("year", f"{year} is not the year of event_date {day.isoformat()}")
    precision = count(row, "time_precision", required=True)
    try:
        check_day_in_range(day, "event_date")
        if precision == 1:
            return Occurred.on(day)
        if precision == 2:  # a week around the day: its ends must lie in the range too
            return Occurred.parse(f"{(day - timedelta(days=3)).isoformat()}/{(day + timedelta(days=3)).isoformat()}")
        if precision == 3:
            return Occurred.parse(day.strftime("%Y-%m"))
    except InvalidValue as error:
        raise row.refuse("event_date", error.message) from None
    raise row.refuse("time_precision", f"{precision} is not an ACLED precision (1 day, 2 week, 3 month)")


def reported_of(row: Row, occurred: Occurred) -> date:
    """The day ACLED last changed the row: its Unix ``timestamp`` (or an ISO date and time)."""
    text = row["timestamp"]
    if not text:
        return occurred.end
    if ISO_MOMENT.match(text):
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            raise row.refuse("timestamp", f"{text!r} is not a date") from None
    else:
        day = unix_day(row, "timestamp")
    if day < occurred.start:
        raise row.refuse("timestamp", f"{day.isoformat()} is before the event ({occurred.start.isoformat()})")
    return day


def unix_day(row: Row, column: str) -> date:
    """The UTC day of a Unix time in seconds, as ACLED stamps its rows."""
    stamp = count(row, column, required=True)
    assert stamp is not None
    try:
        return datetime.fromtimestamp(stamp, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        raise row.refuse(column, f"{stamp} is not a Unix time") from None


def _inter(row: Row, column: str) -> int | None:
    text = row[column]
    if not text:
        return None
    if text.lower() in INTER_NAMES:
        return INTER_NAMES[text.lower()]
    code = count(row, column, required=False)
    if code is None or not 1 <= code <= 8:
        raise row.refuse(column, f"{text!r} is not an ACLED actor code (1-8 or its name)")
    return code


def actor_of(row: Row, name_column: str, inter_column: str) -> dict[str, str] | None:
    """An ACLED actor as a report actor: known names folded, side and type from the codes."""
    name = " ".join(row[name_column].split())
    inter = _inter(row, inter_column)
    if not name:
        return None
    base = YEARS_SUFFIX.sub("", name)
    bare = FORCES_PREFIX.sub("", base)
    for candidate in (base, bare, base.partition(":")[2].strip()):
        known = known_actor(candidate) if candidate else None
        if known is not None:
            return {"name": known.name, "side": known.side.value, "type": known.type.value}
    kind = INTER_TYPES.get(inter or 0, "unknown")
    return {"name": base, "side": _side(base, kind, row["country"]), "type": kind}


def _side(name: str, kind: str, country: str) -> str:
    lowered = name.lower()
    if "unidentified" in lowered:
        return "unknown"
    if kind == "state_forces":
        if any(member.lower() in lowered for member in COALITION):
            return "us_coalition"
        if "iran" in lowered:
            return "iran_aligned"
        if country and country.lower() in lowered:
            return "host_nation"
        return "other"
    if kind == "militia":
        return "iran_aligned" if any(word in lowered for word in IRAN_ALIGNED_WORDS) else "unknown"
    return "other" if kind == "civilians" else "unknown"


def kind_of(row: Row, actor: Mapping[str, str] | None) -> tuple[ReportKind, str | None] | None:
    """The report kind of a row and its damage (``none`` for disrupted weapons), or None if out of scope."""
    sub_event = row["sub_event_type"].lower()
    if sub_event not in ATTACK_TYPES:
        return None
    notes = row["notes"].lower()
    if sub_event == "air/drone strike":
        striker = actor or {}
        state = striker.get("type") == "state_forces" or striker.get("side") == "us_coalition"
        return (ReportKind.AIRSTRIKE if state else ReportKind.DRONE_ATTACK), None
    if sub_event == "disrupted weapons use":
        for words, weapon in (
            (("drone", "uav"), ReportKind.DRONE_ATTACK),
            (("rocket", "katyusha"), ReportKind.ROCKET_ATTACK),
            (("missile",), ReportKind.MISSILE_ATTACK),
            (("ied", "explosive", "bomb"), ReportKind.EXPLOSIVE_ATTACK),
        ):
            if any(word in notes for word in words):
                return weapon, "none"
        return None
    kind = ATTACK_TYPES[sub_event]
    assert kind is not None
    if kind is ReportKind.ROCKET_ATTACK and "missile" in notes and "rocket" not in notes:
        kind = ReportKind.MISSILE_ATTACK
    return kind, None


def report_id_of(row: Row) -> str:
    report_id = f"acled-{row.event_id.lower()}"
    if not row.event_id or not is_report_id(report_id):
        raise row.refuse("event_id_cnty", f"{row.event_id!r} is not an ACLED event id (e.g. IRQ12345)")
    return report_id


def _sources(row: Row) -> list[dict[str, str] | str]:
    relayed = " ".join(row["source"].split())
    return [{"name": SOURCE_NAME, "via": relayed}] if relayed else [SOURCE_NAME]


def document_of(row: Row) -> dict[str, Any] | None:
    """The act report of one ACLED row, or None when the row is outside flashpoint's scope."""
    actor = actor_of(row, "actor1", "inter1")
    target_actor = actor_of(row, "actor2", "inter2")
    if row["sub_event_type"].lower() == "disrupted weapons use":
        # actor1 disrupted (shot down, defused) what actor2 launched: the attack was actor2's.
        actor, target_actor = target_actor, actor
    kind_and_damage = kind_of(row, actor)
    if kind_and_damage is None:
        return None
    kind, damage = kind_and_damage
    occurred = occurred_of(row)
    location = " ".join(row["location"].split())
    document: dict[str, Any] = {
        "id": report_id_of(row),
        "kind": kind.value,
        "occurred": occurred.text(),
        "reported": reported_of(row, occurred).isoformat(),
        "actor": actor or "unknown",
        "sources": _sources(row),
    }
    if target_actor is not None:
        document["target_actor"] = target_actor
    document |= place_of(row, location)
    if row["geo_precision"]:
        document["geo_precision"] = count(row, "geo_precision", required=False)
    if damage:
        document["damage"] = damage
    fatalities = count(row, "fatalities", required=False)
    if fatalities is not None:
        document["casualties"] = [{"party": "unknown", "killed": fatalities, "qualifier": "exact"}]
    if row["notes"]:
        document["notes"] = row["notes"]
    document["acled"] = {column: row[column] for column in ACLED_COLUMNS if column in row.cells}
    return document


def place_of(row: Row, where: str) -> dict[str, Any]:
    """Where a row's event happened, as report fields: ``where`` as the place (and the target,
    when it names a facility), the row's country, and its latitude and longitude as numbers."""
    fields: dict[str, Any] = {}
    if where and any(word in where.lower().split() for word in FACILITY_WORDS):
        fields["target"] = [where]
    if where:
        fields["place"] = where
    if row["country"]:
        fields["country"] = [row["country"]]
    for column, key in (("latitude", "lat"), ("longitude", "lon")):
        if row[column]:
            try:
                fields[key] = float(row[column])
            except ValueError:
                raise row.refuse(column, f"{row[column]!r} is not a number") from None
    return fields


def revision_of(row: Row, act: Mapping[str, Any]) -> dict[str, Any]:
    """A casualty report from ACLED restating an act's fatalities after ACLED revised them."""
    stamp = row["timestamp"] or hashlib.sha256(row["fatalities"].encode()).hexdigest()[:10]
    return {
        "id": f"{act['id']}.r{stamp}",
        "kind": "casualty_report",
        "incident": act["id"],
        "reported": act["reported"],
        "sources": act["sources"],
        "casualties": act["casualties"],
        "acled": act["acled"],
    }


# What an ACLED revision may change without flashpoint recording anything but new fatalities.
REVISABLE = ("reported", "casualties", "acled", "notes", "sources")


ACT_COLUMNS = {
    "lat": "latitude",
    "lon": "longitude",
    "geo_precision": "geo_precision",
    "occurred": "event_date",
    "reported": "timestamp",
}
"""The ACLED column each report field of an act comes from, to name it in a refusal."""


def submitted_of(row: Row, document: dict[str, Any], columns: Mapping[str, str] = ACT_COLUMNS) -> Submitted:
    try:
        canonical = canonical_bytes(document)
        report = parse_report(document, digest=digest_of_canonical(canonical))
    except InvalidValue as error:
        column = columns.get(error.field.partition("[")[0].partition(".")[0], error.field)
        raise row.refuse(column or None, error.message) from None
    except (TypeError, ValueError) as error:
        raise row.refuse(None, str(error)) from None
    return Submitted(report, document, row.source, row.label)


def read_acled(
    path: str, filings: Any, *, strict: bool = False, progress: Callable[[int, int], None] | None = None
) -> AcledImport:
    """Validate an ACLED file against the contract and the log; nothing is appended here.

    ``filings`` gives the filings of report ids already in the log (``Flashpoint.filings``);
    ``progress(done, total)`` hears how many rows are read.
    """
    rows, source = read_rows(path)
    result = AcledImport(source=source, rows=len(rows))
    acts: list[tuple[Row, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if progress is not None and index % 1000 == 0:
            progress(index, len(rows))
        document = document_of(row)
        if document is None:
            if strict:
                raise row.refuse("sub_event_type", f"{row['sub_event_type']!r} is not an act flashpoint records")
            result.skipped[row["sub_event_type"] or "(none)"] += 1
            continue
        first_time(row, document["id"], seen)
        acts.append((row, document))
    stored = filings([document["id"] for _, document in acts])
    for row, document in acts:
        filed = stored.get(document["id"])
        submitted = submitted_of(row, document)
        if filed is None or "acled" not in filed.document or submitted.report.digest == filed.digest:
            result.submitted.append(submitted)  # new, unchanged, or not ours: append decides
            continue
        before = filed.document
        changed = sorted(key for key in set(before) | set(document) if before.get(key) != document.get(key))
        unmodelled = [key for key in changed if key not in REVISABLE]
        if unmodelled:
            result.kept_first[document["id"]] = unmodelled
        if before.get("casualties") != document.get("casualties") and "casualties" in document:
            revision = submitted_of(row, revision_of(row, document))
            result.submitted.append(revision)
            result.revisions.append(revision.report.id)
    return result


def first_time(row: Row, report_id: str, seen: dict[str, int]) -> None:
    """Refuse a row whose event an earlier row of the same file already gave."""
    if report_id in seen:
        first = seen[report_id]
        raise row.refuse(row.id_column, f"{row.event_id!r} appears twice in this file (first on row {first})")
    seen[report_id] = row.number


# -- deletions ----------------------------------------------------------------------------------

DELETION_COLUMNS = ("event_id_cnty", "deleted_timestamp")
DELETION_FIELDS = {"reported": "deleted_timestamp", "retracts": "event_id_cnty"}
"""The column of ACLED's deleted-events list each field of a retraction comes from."""


@dataclass
class AcledDeletions:
    """What ACLED's list of deleted events holds for the log: a retraction per deleted event in it."""

    source: str
    submitted: list[Submitted] = field(default_factory=list)
    not_in_log: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "rows": self.rows,
            "retractions": [item.report.id for item in self.submitted],
            "not_in_log": self.not_in_log,
        }


def deletion_of(row: Row, report_id: str, deleted: date, retracted: Report) -> dict[str, Any]:
    """The retraction from ACLED of an act it deleted, reported the UTC day it was deleted."""
    if deleted < retracted.reported:
        raise row.refuse(
            "deleted_timestamp",
            f"{deleted.isoformat()} is before {report_id} was reported ({retracted.reported.isoformat()})",
        )
    return {
        "id": f"{report_id}-deleted",
        "kind": "retraction",
        "reported": deleted.isoformat(),
        "retracts": [report_id],
        "sources": [{"name": SOURCE_NAME}],
        "notes": f"ACLED deleted event {row.event_id} from its dataset on {deleted.isoformat()}.",
    }


def read_deletions(
    path: str, reports: Callable[[list[str]], Mapping[str, Report]], imported: Sequence[Submitted] = ()
) -> AcledDeletions:
    """Validate ACLED's list of deleted events against the contract and the log; nothing is appended here.

    ``reports`` gives the reports of ids in the log (``Flashpoint.reports``), read in one batch;
    ``imported``, the reports imported with it, which count as in the log. Every row is checked;
    those whose event is in neither are counted in ``not_in_log``.
    """
    rows, source = read_rows(path, DELETION_COLUMNS, "an ACLED deleted-events list")
    result = AcledDeletions(source=source, rows=len(rows))
    deleted: list[tuple[Row, str, date]] = []
    seen: dict[str, int] = {}
    for row in rows:
        report_id = report_id_of(row)
        first_time(row, report_id, seen)
        deleted.append((row, report_id, unix_day(row, "deleted_timestamp")))
    known = dict(reports([report_id for _, report_id, _ in deleted]))
    known.update((item.report.id, item.report) for item in imported)
    for row, report_id, day in deleted:
        retracted = known.get(report_id)
        if retracted is None:
            result.not_in_log += 1
            continue
        result.submitted.append(submitted_of(row, deletion_of(row, report_id, day, retracted), DELETION_FIELDS))
    return result


# -- writing ------------------------------------------------------------------------------------


def acled_rows(
    acts: Sequence[Mapping[str, Any]],
    documents: Mapping[str, Mapping[str, Any]],
    fatalities: Mapping[str, int | None],
    acled_fatalities: Mapping[str, int],
) -> Iterator[dict[str, str]]:
    """ACLED rows for acts (rows of the ``acts`` read model), in their order.

    Imported acts give back their ACLED row (the latest one known at the cut) with ACLED's
    own fatality figure standing at the cut (``acled_fatalities``), whatever other sources
    claim; other acts are described in ACLED's terms, with the conservative total across
    parties (``fatalities``), as ACLED codes disputed tolls.
    """
    for act in acts:
        document = documents.get(act["report_id"], {})
        record = document.get("acled")
        if record:
            cells = acled_cells(record)
            if act["report_id"] in acled_fatalities:
                cells["fatalities"] = str(acled_fatalities[act["report_id"]])
            yield cells
        else:
            yield _described(act, document, fatalities.get(act["report_id"]))


def _described(act: Mapping[str, Any], document: Mapping[str, Any], killed: int | None) -> dict[str, str]:
    report = parse_report(document, as_filed=True)
    occurred = report.occurred
    assert occurred is not None
    if occurred.start == occurred.end:
        day, precision = occurred.start, "1"
    else:
        day = occurred.start + (occurred.end - occurred.start) / 2
        precision = "2" if (occurred.end - occurred.start).days <= 7 else "3"
    actor1 = report.actor
    actor2 = report.target_actor[0] if report.target_actor else None
    country = report.country[0] if report.country else ""
    inter1, inter2 = _code(actor1, country), _code(actor2, country)
    codes = sorted(code for code in (inter1, inter2) if code)
    cells = dict.fromkeys(ACLED_COLUMNS, "")
    cells.update(
        event_id_cnty=report.id,
        event_date=day.isoformat(),
        year=str(day.year),
        time_precision=precision,
        disorder_type="Political violence",
        event_type="Explosions/Remote violence",
        sub_event_type=SUB_EVENT_TYPES.get(report.kind, ""),
        actor1=_actor_name(actor1, country),
        inter1=inter1,
        actor2=_actor_name(actor2, country) if actor2 else "",
        inter2=inter2 if actor2 else "",
        interaction="".join(codes) if len(codes) == 2 else (codes[0] + "0" if codes else ""),
        civilian_targeting="Civilian targeting" if actor2 is not None and actor2.type.value == "civilians" else "",
        iso=ISO_CODES.get(country, ""),
        region="Middle East" if country in ISO_CODES else "",
        country=country,
        location=report.place or (report.target[0] if report.target else ""),
        latitude="" if report.lat is None else str(report.lat),
        longitude="" if report.lon is None else str(report.lon),
        geo_precision="" if report.geo_precision is None else str(report.geo_precision),
        source="; ".join(name if url is None else f"{name} ({url})" for name, url in outlets(report.sources)),
        notes=report.notes or "",
        fatalities=str(killed or 0),
        timestamp=str(
            int(datetime(report.reported.year, report.reported.month, report.reported.day, tzinfo=UTC).timestamp())
        ),
    )
    return cells


def _code(actor: Any, country: str) -> str:
    if actor is None:
        return ""
    kind, side = actor.type.value, actor.side.value
    if kind == "state_forces":
        return "1" if side == "host_nation" else "8"
    return {"militia": "3", "civilians": "7"}.get(kind, "3")


def _actor_name(actor: Any, country: str) -> str:
    if actor is None or actor.name == "unknown":
        return f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"
    return str(actor.name)


def export_acled(app: Any, db: Any, cut: Any) -> Iterator[dict[str, str]]:
    """Every act in the cut as an ACLED row, streamed in chunks of 500 acts.

    ``app`` is the log (for the documents), ``db`` the caught-up read models, ``cut`` a Cut.
    """
    acts = acts_in_cut(db, cut, in_force(db, cut.known_text))
    killed = {act: figures["killed"]["best"] for act, figures in act_totals(casualties(db, cut)).items()}
    latest_row: dict[str, str] = {}
    acled_killed: dict[str, int] = {}
    for claim in db.query(
        "SELECT c.incident, c.report_id, c.killed, s.incident AS counted_for FROM claims c "
        f"LEFT JOIN claim_spans s ON s.position = c.position AND s.which = 'killed' AND {in_span('s')} "
        "WHERE c.source_key = :key AND c.reported <= :known ORDER BY c.reported, c.position",
        {"key": name_key(SOURCE_NAME), "known": cut.known_text},
    ):
        latest_row[claim["incident"]] = claim["report_id"]
        if claim["counted_for"] is not None and claim["killed"] is not None:  # it stands, for that act
            acled_killed[claim["counted_for"]] = claim["killed"]
    for start in range(0, len(acts), 500):
        chunk = acts[start : start + 500]
        wanted = {act["report_id"] for act in chunk} | {latest_row.get(act["report_id"], "") for act in chunk}
        documents = app.filed_documents(sorted(wanted - {""}))
        merged = {}
        for act in chunk:
            document = dict(documents.get(act["report_id"], {}))
            revised = documents.get(latest_row.get(act["report_id"], ""), {})
            if document.get("acled") and revised.get("acled"):
                document["acled"] = revised["acled"]
            merged[act["report_id"]] = document
        yield from acled_rows(chunk, merged, killed, acled_killed)
