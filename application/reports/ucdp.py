"""UCDP GED in and out: ``flashpoint import ucdp FILE.csv`` and ``flashpoint export ucdp``.

Each GED row that sets the US/coalition against an Iran-aligned group (or either against an
unidentified one) and names a strike or an attack becomes one act report, ``ucdp-<relid>``,
carrying UCDP's deaths per side as claims from UCDP GED and the row itself under ``ucdp``.
Other rows are skipped and counted by reason, or refused with ``strict``. Re-importing a row
is a no-op; re-importing it from a later GED version with other deaths appends a casualty
report from UCDP GED that supersedes the first figures. The mapping, column by column, is in
``docs/ucdp.md``; in short:

- ``date_start``/``date_end`` → ``occurred`` (a day, the month when ``date_prec`` is 4 and
  the interval is a calendar month, else the interval); ``reported`` → the latest
  ``source_date`` (GED dates no row's publication), else ``date_end``;
- ``where_prec`` 1 → ``geo_precision`` 1, 2 → 2, 3–7 → 3;
- GED is dyadic and does not say who attacked: the weapon words of ``source_headline`` and
  the deaths per side decide the acting side and the kind (see :func:`act_of`);
- ``deaths_a``/``deaths_b``/``deaths_civilians``/``deaths_unknown`` → an exact claim per
  party; what ``high`` allows above ``best`` goes on the party UCDP could not place,
  ``unknown``, as a range; ``low`` stays in the row (it cannot be split by party).
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from flashpoint.domain import InvalidValue, ReportKind, known_actor, name_key, parse_report
from flashpoint.domain.actors import Actor
from flashpoint.domain.contract import is_report_id
from flashpoint.domain.dates import Occurred, check_day_in_range
from flashpoint.domain.external import UCDP_COLUMNS, ucdp_cells
from flashpoint.domain.sources import outlets
from flashpoint.domain.vocabulary import ActorType, Party, Side
from flashpoint.projections.casualties import casualties
from flashpoint.projections.escalation import acts_in_cut
from flashpoint.projections.spans import in_force, in_span
from flashpoint.reports.acled import (
    COALITION,
    IRAN_ALIGNED_WORDS,
    ISO_MOMENT,
    DatasetImport,
    Row,
    count,
    first_time,
    place_of,
    read_rows,
    submitted_of,
)

REQUIRED_COLUMNS = (
    "id",
    "relid",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
SOURCE_NAME = "UCDP GED"
DEATHS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
ESTIMATES = ("low", "best", "high")

GEO_PRECISION = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
"""``where_prec`` (1 exact, 2 near, 3 ADM2, 4 ADM1, 5 larger or between, 6 country, 7 water or air)
onto flashpoint's ``geo_precision`` (1 exact, 2 near, 3 the region only)."""
WHERE_PREC = {1: "1", 2: "2", 3: "4"}
"""``geo_precision`` back onto ``where_prec`` for acts reported natively (3, the region only: ADM1)."""

AIR_WORDS = ("airstrike", "air strike", "air raid", "air-strike", "warplane", "fighter jet", "bomber")
ROCKET_WORDS = ("rocket", "katyusha", "mortar")
EXPLOSIVE_WORDS = ("ied", "roadside bomb", "explosive", "car bomb", "bomb")
STRIKE_WORDS = ("drone", "uav", "missile", "strike")
KIND_PHRASES = {
    ReportKind.AIRSTRIKE: "airstrike",
    ReportKind.DRONE_ATTACK: "drone attack",
    ReportKind.ROCKET_ATTACK: "rocket attack",
    ReportKind.MISSILE_ATTACK: "missile attack",
    ReportKind.EXPLOSIVE_ATTACK: "explosive attack",
}
"""How an act reported natively names its kind in ``source_headline``, in words the import reads back."""

GOVERNMENT = re.compile(r"^Government of (?:the )?", re.IGNORECASE)
HIZBULLAH = re.compile(r"\bHi[zs]b[ua]llah\b", re.IGNORECASE)
HAQQ = re.compile(r"\bal-Haqq\b", re.IGNORECASE)
GED_NAMES = {
    "United States": "Government of United States of America",
    "United Kingdom": "Government of United Kingdom",
    "Iraq": "Government of Iraq",
    "Iran": "Government of Iran",
    "Syria": "Government of Syria",
}
GW_CODES = {"United States": "2", "United Kingdom": "200", "Iraq": "645", "Iran": "630", "Syria": "652"}
COUNTRY_IDS = {"Iraq": "645", "Syria": "652", "Iran": "630", "Jordan": "663", "Kuwait": "690", "Lebanon": "660"}
UNIDENTIFIED = ("unidentified", "unknown")


# -- reading ------------------------------------------------------------------------------------


UcdpImport = DatasetImport


def code(row: Row, column: str, codes: range) -> int | None:
    number = count(row, column, required=False)
    if number is not None and number not in codes:
        raise row.refuse(column, f"{number} is not a UCDP {column} ({codes.start}-{codes.stop - 1})")
    return number


def day_of(row: Row, column: str, text: str | None = None) -> date:
    """A GED day: ``2019-12-29``, or with a time after it as older releases write it."""
    text = row[column] if text is None else text.strip()
    try:
        if not ISO_MOMENT.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise row.refuse(column, f"{text!r} is not a date (expected 2019-12-29)") from None
    try:
        return check_day_in_range(day, column)
    except InvalidValue as error:
        raise row.refuse(column, error.message) from None


def occurred_of(row: Row) -> Occurred:
    start, end = day_of(row, "date_start"), day_of(row, "date_end")
    if end < start:
        raise row.refuse("date_end", f"{end.isoformat()} is before date_start ({start.isoformat()})")
    year = count(row, "year", required=False)
    if year is not None and year != start.year:
        raise row.refuse("year", f"{year} is not the year of date_start {start.isoformat()}")
    precision = code(row, "date_prec", range(1, 6))
    if precision is None:
        raise row.refuse("date_prec", "required")
    whole_month = start.day == 1 and end == start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == 4 and whole_month:
        return Occurred.parse(start.strftime("%Y-%m"))
    return Occurred.parse(start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}")


def listed(text: str) -> list[str]:
    """The items of a GED list cell (``;``-separated), trimmed, empty ones dropped."""
    return [" ".join(item.split()) for item in text.split(";") if item.strip()]


def sources_of(row: Row) -> tuple[list[dict[str, str] | str], date | None]:
    """UCDP GED (via the offices it read), then each article: office, day, headline; and the latest day."""
    offices = listed(row["source_office"])
    days = [day_of(row, "source_date", text) for text in listed(row["source_date"])]
    titles = listed(row["source_headline"]) or listed(row["source_article"])
    unique = list(dict.fromkeys(offices))
    sources: list[dict[str, str] | str] = [{"name": SOURCE_NAME, "via": "; ".join(unique)} if unique else SOURCE_NAME]
    for index, office in enumerate(offices):
        article = {"name": office}
        if len(days) == len(offices):
            article["published"] = days[index].isoformat()
        if len(titles) == len(offices):
            article["title"] = titles[index]
        sources.append(article)
    return sources, max(days, default=None)


def actor_of(row: Row, column: str) -> dict[str, str]:
    """A GED side as a report actor: UCDP's spellings of known actors folded, governments as state
    forces, other named groups as militias (Iran-aligned by their names, else outside both camps)."""
    name = " ".join(row[column].split())
    if not name or any(word in name.lower() for word in UNIDENTIFIED):
        return {"name": "unknown", "side": "unknown", "type": "unknown"}
    bare = GOVERNMENT.sub("", name)
    for candidate in (name, bare, HAQQ.sub("al-Haq", HIZBULLAH.sub("Hezbollah", name))):
        known = known_actor(candidate)
        if known is not None:
            return known.as_dict()
    lowered = name.lower()
    if bare != name:
        if any(member.lower() in lowered for member in COALITION):
            side = "us_coalition"
        elif "iran" in lowered:
            side = "iran_aligned"
        else:
            side = "host_nation" if row["country"] and row["country"].lower() in lowered else "other"
        return {"name": bare, "side": side, "type": "state_forces"}
    if name_key(name) == "civilians":
        return {"name": name, "side": "other", "type": "civilians"}
    iran_aligned = any(word in lowered for word in (*IRAN_ALIGNED_WORDS, "hizbullah"))
    return {"name": name, "side": "iran_aligned" if iran_aligned else "other", "type": "militia"}


CAMPS = {"us_coalition": "iran_aligned", "iran_aligned": "us_coalition"}
NO_ACT = "no strike or attack named in source_headline"


def out_of_scope(side_a: Mapping[str, str], side_b: Mapping[str, str]) -> str | None:
    """Why a dyad is not part of the escalation flashpoint follows, or None when it is: one side in
    a camp (US/coalition, Iran-aligned) and the other in the opposite camp or unidentified."""
    for one, other in ((side_a, side_b), (side_b, side_a)):
        if one["side"] in CAMPS and other["side"] in (CAMPS[one["side"]], "unknown"):
            return None
    if not {side_a["side"], side_b["side"]} & set(CAMPS):
        return "neither side US/coalition nor Iran-aligned"
    return "not US/coalition against Iran-aligned"


def _words(text: str, words: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(word)}", text) for word in words)


def act_of(row: Row, side_a: dict[str, str], side_b: dict[str, str]) -> tuple[ReportKind, str] | None:
    """The kind of the act and the side that acted (``a`` or ``b``), or None when the headline names
    no strike or attack (a clash, a battle).

    When exactly one side is a state's forces it is the *state side*, the other the *armed group's*;
    otherwise side a is both. Air words (airstrike, air raid, warplane) mean the state side struck;
    rocket, mortar and bomb words that the armed group attacked; drone, missile and strike words
    leave it to the deaths: the side that lost no one acted when only one side lost people, else
    the armed group. A US/coalition side striking is an airstrike.
    """
    headline = " ".join((row["source_headline"] or row["source_article"]).lower().split())
    states = [name for name, side in (("a", side_a), ("b", side_b)) if side["type"] == "state_forces"]
    state, group = (states[0], "b" if states[0] == "a" else "a") if len(states) == 1 else ("a", "a")
    sides = {"a": side_a, "b": side_b}
    if _words(headline, AIR_WORDS):
        return ReportKind.AIRSTRIKE, state
    if _words(headline, ROCKET_WORDS):
        return ReportKind.ROCKET_ATTACK, group
    if _words(headline, EXPLOSIVE_WORDS):
        return ReportKind.EXPLOSIVE_ATTACK, group
    if not _words(headline, STRIKE_WORDS):
        return None
    dead_a, dead_b = (count(row, column, required=True) or 0 for column in ("deaths_a", "deaths_b"))
    acting = "a" if dead_b and not dead_a else "b" if dead_a and not dead_b else group
    if sides[acting]["side"] == "us_coalition":
        return ReportKind.AIRSTRIKE, acting
    if _words(headline, ("missile",)) and not _words(headline, ("drone", "uav")):
        return ReportKind.MISSILE_ATTACK, acting
    return ReportKind.DRONE_ATTACK, acting


def party_of(actor: Mapping[str, str]) -> Party:
    """Whose dead a GED side's deaths are, in flashpoint's parties."""
    side, kind = actor["side"], actor["type"]
    if kind == "civilians":
        return Party.CIVILIAN
    if side == "us_coalition":
        return Party.US_MILITARY if actor["name"] == "United States" else Party.COALITION_MILITARY
    if side == "iran_aligned" or kind == "militia":
        return Party.MILITIA
    if side == "host_nation":
        return Party.HOST_NATION_FORCES
    return Party.UNKNOWN


def claims_of(row: Row, side_a: Mapping[str, str], side_b: Mapping[str, str]) -> list[dict[str, Any]]:
    """UCDP's deaths as exact claims per party (sides a and b always, civilians and unknown when
    above 0); what ``high`` allows above ``best`` goes on ``unknown`` as a range."""
    deaths = {column: count(row, column, required=True) or 0 for column in DEATHS}
    low, best, high = (count(row, column, required=True) or 0 for column in ESTIMATES)
    if best != sum(deaths.values()):
        raise row.refuse("best", f"{best} is not the sum of the deaths columns ({sum(deaths.values())})")
    if low > best:
        raise row.refuse("low", f"{low} is above best ({best})")
    if high < best:
        raise row.refuse("high", f"{high} is below best ({best})")
    killed: dict[Party, int] = {}
    for column, party in (
        ("deaths_a", party_of(side_a)),
        ("deaths_b", party_of(side_b)),
        ("deaths_civilians", Party.CIVILIAN),
        ("deaths_unknown", Party.UNKNOWN),
    ):
        if deaths[column] or column in ("deaths_a", "deaths_b"):
            killed[party] = killed.get(party, 0) + deaths[column]
    claims: list[dict[str, Any]] = [
        {"party": party.value, "killed": figure, "qualifier": "exact"}
        for party, figure in killed.items()
        if party is not Party.UNKNOWN or high == best
    ]
    if high > best:  # UCDP allows more deaths than it placed on any side: whose, it cannot say
        unknown = killed.get(Party.UNKNOWN, 0)
        claims.append(
            {"party": "unknown", "killed": {"from": unknown, "to": unknown + high - best}, "qualifier": "between"}
        )
    return claims


def report_id_of(row: Row) -> str:
    report_id = f"ucdp-{row.event_id.lower()}"
    if not row.event_id or not is_report_id(report_id):
        raise row.refuse("relid", f"{row.event_id!r} is not a UCDP event id (e.g. IRQ-2019-1-420-4)")
    return report_id


def document_of(row: Row) -> tuple[dict[str, Any] | None, str]:
    """The act report of one GED row, or None and the reason it is outside flashpoint's scope."""
    report_id = report_id_of(row)
    code(row, "type_of_violence", range(1, 4))
    side_a, side_b = actor_of(row, "side_a"), actor_of(row, "side_b")
    reason = out_of_scope(side_a, side_b)
    if reason is not None:
        return None, reason
    act = act_of(row, side_a, side_b)
    if act is None:
        return None, NO_ACT
    kind, acting = act
    actor, target_actor = (side_a, side_b) if acting == "a" else (side_b, side_a)
    occurred = occurred_of(row)
    sources, latest = sources_of(row)
    where = row["where_coordinates"] or row["adm_1"]
    document: dict[str, Any] = {
        "id": report_id,
        "kind": kind.value,
        "occurred": occurred.text(),
        "reported": (latest or occurred.end).isoformat(),
        "actor": actor,
        "target_actor": target_actor,
        "sources": sources,
    }
    document |= place_of(row, where)
    where_prec = code(row, "where_prec", range(1, 8))
    if where_prec is not None:
        document["geo_precision"] = GEO_PRECISION[where_prec]
    document["casualties"] = claims_of(row, side_a, side_b)
    document["ucdp"] = {column: row[column] for column in UCDP_COLUMNS if column in row.cells}
    return document, ""


def revision_of(act: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """A casualty report from UCDP GED restating an act's deaths from a later GED version: a claim
    for every party either version counts (0 where the later one has none), so each supersedes."""
    stated = {claim["party"] for claim in act["casualties"]}
    gone = [
        {"party": claim["party"], "killed": 0, "qualifier": "exact"}
        for claim in before.get("casualties", ())
        if claim["party"] not in stated
    ]
    cells = "|".join(act["ucdp"].get(column, "") for column in (*DEATHS, *ESTIMATES))
    return {
        "id": f"{act['id']}.r{hashlib.sha256(cells.encode()).hexdigest()[:10]}",
        "kind": "casualty_report",
        "incident": act["id"],
        "reported": max(act["reported"], before["reported"]),
        "sources": act["sources"],
        "casualties": [*act["casualties"], *gone],
        "ucdp": act["ucdp"],
    }


# What a later GED version may change without flashpoint recording anything but new deaths.
REVISABLE = ("reported", "casualties", "ucdp", "sources")

ACT_COLUMNS = {
    "lat": "latitude",
    "lon": "longitude",
    "occurred": "date_start",
    "reported": "source_date",
    "sources": "source_office",
    "place": "where_coordinates",
    "country": "country",
    "actor": "side_a",
    "target_actor": "side_b",
    "casualties": "best",
}
"""The GED column each report field of an act comes from, to name it in a refusal."""


def read_ucdp(
    path: str, filings: Any, *, strict: bool = False, progress: Callable[[int, int], None] | None = None
) -> UcdpImport:
    """Validate a GED file against the contract and the log; nothing is appended here.

    ``filings`` gives the filings of report ids already in the log (``Flashpoint.filings``);
    ``progress(done, total)`` hears how many rows are read.
    """
    rows, source = read_rows(path, REQUIRED_COLUMNS, "a UCDP GED file", id_column="relid")
    result = UcdpImport(source=source, rows=len(rows))
    acts: list[tuple[Row, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if progress is not None and index % 1000 == 0:
            progress(index, len(rows))
        document, reason = document_of(row)
        if document is None:
            if strict:
                raise row.refuse("source_headline" if reason == NO_ACT else "side_a", reason)
            result.skipped[reason] += 1
            continue
        first_time(row, document["id"], seen)
        acts.append((row, document))
    stored = filings([document["id"] for _, document in acts])
    for row, document in acts:
        filed = stored.get(document["id"])
        submitted = submitted_of(row, document, ACT_COLUMNS)
        if filed is None or "ucdp" not in filed.document or submitted.report.digest == filed.digest:
            result.submitted.append(submitted)  # new, unchanged, or not ours: append decides
            continue
        before = filed.document
        changed = sorted(key for key in set(before) | set(document) if before.get(key) != document.get(key))
        unmodelled = [key for key in changed if key not in REVISABLE]
        if unmodelled:
            result.kept_first[document["id"]] = unmodelled
        if before.get("casualties") != document.get("casualties"):
            revision = submitted_of(row, revision_of(document, before), ACT_COLUMNS)
            result.submitted.append(revision)
            result.revisions.append(revision.report.id)
    return result


# -- writing ------------------------------------------------------------------------------------


def ucdp_rows(
    acts: Sequence[Mapping[str, Any]],
    documents: Mapping[str, Mapping[str, Any]],
    killed: Mapping[str, Mapping[str, Mapping[str, int | None]]],
) -> Iterator[dict[str, str]]:
    """GED rows for acts (rows of the ``acts`` read model), in their order.

    Imported acts give back their GED row (the version whose deaths stand at the cut); other
    acts are described in GED's terms from flashpoint's own figures (``killed``: per act, per
    party, low/best/high).
    """
    for act in acts:
        document = documents.get(act["report_id"], {})
        record = document.get("ucdp")
        if record:
            yield ucdp_cells(record)
        else:
            yield described(document, killed.get(act["report_id"], {}))


def _date_prec(occurred: Occurred) -> str:
    days = (occurred.end - occurred.start).days + 1
    if days == 1:
        return "1"
    if days <= 6:
        return "2"
    if days <= 7:
        return "3"
    if days <= 31:
        return "4"
    return "5"


def _ged_name(actor: Actor | None) -> str:
    if actor is None or actor.name == "unknown":
        return "Unidentified armed group"
    return GED_NAMES.get(actor.name, actor.name)


def _side_of(actor: Actor, party: str) -> bool:
    """Whether a party's dead are of this GED side's people."""
    if actor.side is Side.US_COALITION:
        return party in (Party.US_MILITARY.value, Party.COALITION_MILITARY.value)
    if actor.side is Side.HOST_NATION and actor.type is ActorType.STATE_FORCES:
        return party == Party.HOST_NATION_FORCES.value
    if actor.type is ActorType.CIVILIANS:
        return party == Party.CIVILIAN.value
    return party == Party.MILITIA.value and (actor.type is ActorType.MILITIA or actor.side is Side.IRAN_ALIGNED)


CIVILIAN_PARTIES = (Party.CIVILIAN.value, Party.US_CIVILIAN.value, Party.CONTRACTOR.value)


def described(document: Mapping[str, Any], killed: Mapping[str, Mapping[str, int | None]]) -> dict[str, str]:
    """A GED row for an act reported natively: GED puts a state's forces on side a, flashpoint's
    figures split by the parties' sides, the kind in words as the headline."""
    report = parse_report(document, as_filed=True)
    occurred = report.occurred
    assert occurred is not None
    actor = report.actor
    target = report.target_actor[0] if report.target_actor else None
    state = [one for one in (actor, target) if one is not None and one.type is ActorType.STATE_FORCES]
    side_a, side_b = (target, actor) if len(state) == 1 and state[0] is target else (actor, target)
    deaths = dict.fromkeys(DEATHS, 0)
    low = high = 0
    for party, figures in killed.items():
        best = figures["best"] or 0
        if party not in CIVILIAN_PARTIES and side_a is not None and _side_of(side_a, party):
            column = "deaths_a"
        elif party not in CIVILIAN_PARTIES and side_b is not None and _side_of(side_b, party):
            column = "deaths_b"
        else:
            column = "deaths_civilians" if party in CIVILIAN_PARTIES else "deaths_unknown"
        deaths[column] += best
        low += figures["low"] or 0
        high += best if figures["high"] is None else figures["high"]
    country = report.country[0] if report.country else ""
    names = [_ged_name(side_a), _ged_name(side_b)]
    offices = [name for name, _ in outlets(report.sources)]
    violence = "3" if side_b is not None and side_b.type is ActorType.CIVILIANS else "1" if state else "2"
    cells = dict.fromkeys(UCDP_COLUMNS, "")
    cells.update(
        relid=report.id,
        year=str(occurred.start.year),
        type_of_violence=violence,
        dyad_name=" - ".join(names),
        side_a=names[0],
        side_b=names[1],
        gwnoa=GW_CODES.get(side_a.name, "") if side_a is not None else "",
        gwnob=GW_CODES.get(side_b.name, "") if side_b is not None else "",
        number_of_sources=str(len(offices)),
        source_office="; ".join(offices),
        source_date="; ".join(report.reported.isoformat() for _ in offices),
        source_headline=KIND_PHRASES.get(report.kind, ""),
        source_original="; ".join(dict.fromkeys(source.name for source in report.sources)),
        where_prec=WHERE_PREC.get(report.geo_precision or 0, ""),
        where_coordinates=report.place or (report.target[0] if report.target else ""),
        where_description=report.place or "",
        latitude="" if report.lat is None else str(report.lat),
        longitude="" if report.lon is None else str(report.lon),
        geom_wkt="" if report.lat is None else f"POINT ({report.lon} {report.lat})",
        country=country,
        country_id=COUNTRY_IDS.get(country, ""),
        region="Middle East" if country in COUNTRY_IDS else "",
        date_prec=_date_prec(occurred),
        date_start=occurred.start.isoformat(),
        date_end=occurred.end.isoformat(),
        **{column: str(number) for column, number in deaths.items()},
        best=str(sum(deaths.values())),
        low=str(low),
        high=str(high),
    )
    return cells


def export_ucdp(app: Any, db: Any, cut: Any) -> Iterator[dict[str, str]]:
    """Every act in the cut as a GED row, streamed in chunks of 500 acts.

    ``app`` is the log (for the documents), ``db`` the caught-up read models, ``cut`` a Cut.
    """
    acts = acts_in_cut(db, cut, in_force(db, cut.known_text))
    killed: dict[str, dict[str, Mapping[str, int | None]]] = {}
    for entry in casualties(db, cut)["incidents"]:
        if entry["killed"]["best"] is not None:
            killed.setdefault(entry["incident"], {})[entry["party"]] = entry["killed"]
    latest_row: dict[str, str] = {}
    for claim in db.query(
        "SELECT c.incident, c.report_id FROM claims c "
        f"JOIN claim_spans s ON s.position = c.position AND s.which = 'killed' AND {in_span('s')} "
        "WHERE c.source_key = :key AND c.reported <= :known ORDER BY c.reported, c.position",
        {"key": name_key(SOURCE_NAME), "known": cut.known_text},
    ):
        latest_row[claim["incident"]] = claim["report_id"]  # the version whose deaths stand
    for start in range(0, len(acts), 500):
        chunk = acts[start : start + 500]
        wanted = {act["report_id"] for act in chunk} | {latest_row.get(act["report_id"], "") for act in chunk}
        documents = app.filed_documents(sorted(wanted - {""}))
        merged = {}
        for act in chunk:
            document = dict(documents.get(act["report_id"], {}))
            revised = documents.get(latest_row.get(act["report_id"], ""), {})
            if document.get("ucdp") and revised.get("ucdp"):
                document["ucdp"] = revised["ucdp"]
            merged[act["report_id"]] = document
        yield from ucdp_rows(chunk, merged, killed)
