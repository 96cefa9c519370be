"""The published JSON Schema and append's validator give the same verdict on every file of a corpus.

The corpus: the seed, every file in ``features/data``, and variants of reports of each kind,
one per rule of the contract (a field null, blank, of the wrong type, holding a control
character; dates that are no day; figures under each qualifier; kind rules). A variant that
breaks a rule JSON Schema cannot state carries that rule's tag (``UNSCHEMATIC_RULES``): the
agreement test skips exactly those, and another holds that the schema accepts them while
append refuses them, so that the schema's description tells the truth.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from flashpoint.domain.contract import UNSCHEMATIC_RULES
from flashpoint.domain.report import REPORT_FIELDS
from flashpoint.reports.files import BadReport, decode, seed_path, validate
from flashpoint.reports.schema import report_file_schema

from ..conftest import drone_attack


def validator() -> jsonschema.Draft202012Validator:
    """The published schema's validator, built when a test runs (mutation runs judge each
    mutant of a ``json_schema`` method by the tests that call it; a validator built at import
    would hold the unmutated schema)."""
    return jsonschema.Draft202012Validator(report_file_schema())


FEATURE_DATA = Path(__file__).parents[2] / "features" / "data"


@dataclass(frozen=True)
class Case:
    name: str
    data: Any
    unschematic: str | None = None  # the tag of the rule JSON Schema cannot state that this case breaks


BASES: dict[str, dict[str, Any]] = {
    "drone_attack": drone_attack(lat=32.2, lon=38.9, place="Tower 22", notes="first\nsecond line"),
    "airstrike": drone_attack(
        "strike-1",
        kind="airstrike",
        actor={"name": "United States", "side": "us_coalition", "type": "state_forces"},
        aircraft=["F-15"],
        munitions="precision-guided",
        responds_to=["drone-0"],
        casualties=[{"party": "militia", "killed": 4, "qualifier": "exact"}],
    ),
    "casualty_report": {
        "id": "toll-1",
        "kind": "casualty_report",
        "reported": "2024-01-29",
        "incident": "drone-1",
        "casualties": [{"party": "us_military", "killed": 3, "source": "CENTCOM"}],
    },
    "damage_assessment": {
        "id": "damage-1",
        "kind": "damage_assessment",
        "reported": "2024-01-30",
        "incident": "drone-1",
        "damage": "heavy",
        "sources": ["CENTCOM"],
    },
    "statement": {
        "id": "s-1",
        "kind": "statement",
        "stance": "justification",
        "reported": "2024-01-29",
        "actor": "KH",
        "grounds": ["self-defence"],
    },
    "attribution": {"id": "a-1", "kind": "attribution", "reported": "2024-01-29", "actor": "KH", "incident": "drone-1"},
    "retraction": {
        "id": "retract-1",
        "kind": "retraction",
        "reported": "2024-01-30",
        "retracts": ["a-1", "toll-1"],
        "sources": [{"name": "analyst desk"}],
        "notes": "the claim was a fabrication",
    },
    "merge": {
        "id": "merge-1",
        "kind": "merge",
        "reported": "2024-01-30",
        "merges": ["drone-1b"],
        "into": "drone-1",
        "sources": ["analyst desk"],
    },
}

WRONG_VALUES: dict[str, Any] = {
    "null": None,
    "empty": "",
    "blank": "   ",
    "number": 42,
    "fraction": 2.5,
    "true": True,
    "list": ["x"],
    "empty-list": [],
    "mapping": {"name": "x"},
    "escape": "a\x1b[31mb",
    "newline": "a\nb",
    "nul": "a\x00b",
    "bell": "\x07",
}


def _with(base: str, **changes: Any) -> dict[str, Any]:
    report = copy.deepcopy(BASES[base])
    for key, value in changes.items():
        if value is _ABSENT:
            report.pop(key, None)
        else:
            report[key] = value
    return report


_ABSENT = object()


def _claimed(claim: dict[str, Any], **report: Any) -> dict[str, Any]:
    return _with("casualty_report", casualties=[claim], **report)


def field_variants() -> Iterator[Case]:
    """Every report field of the drone attack given each wrong value in turn."""
    for key in REPORT_FIELDS:
        for label, value in WRONG_VALUES.items():
            yield Case(f"{key}={label}", _with("drone_attack", **{key: value}))


def kind_variants() -> Iterator[Case]:
    for kind, base in BASES.items():
        yield Case(f"{kind}", base)
        for key in base:
            yield Case(f"{kind} without {key}", _with(kind, **{key: _ABSENT}))
        yield Case(f"{kind} with stance", _with(kind, stance="threat"))
        yield Case(f"{kind} with an empty claim list", _with(kind, casualties=[]))
        yield Case(f"{kind} with a claim", _with(kind, casualties=[{"party": "militia", "killed": 1, "source": "x"}]))
        yield Case(f"{kind} as kind ied", _with(kind, kind="ied"))


def date_variants() -> Iterator[Case]:
    days = {
        "leap day": "2024-02-29",
        "leap day 2000": "2000-02-29",
        "no leap day 1900": "1900-02-29",
        "no leap day 2023": "2023-02-29",
        "february 30": "2021-02-30",
        "april 31": "2024-04-31",
        "month 13": "2024-13-01",
        "month 0": "2024-00-10",
        "day 0": "2024-01-00",
        "year 0": "0000-01-01",
        "year 1899": "1899-12-31",
        "year 2100": "2100-01-01",
        "spaces": " 2024-01-28 ",
        "trailing newline": "2024-01-28\n",
        "slashes": "2024/01/28",
        "short": "2024-1-28",
        "arabic digits": "٢٠٢٤-٠١-٢٨",
    }
    for label, day in days.items():
        yield Case(f"reported {label}", _with("statement", reported=day))
    occurred = {
        "month": "2024-01",
        "month 13": "2024-13",
        "month 00": "2024-00",
        "year 0 month": "0000-05",
        "interval": "2024-01-01/2024-01-28",
        "interval with spaces": "2024-01-01 / 2024-01-28",
        "interval of an impossible day": "2024-01-01/2024-02-30",
        "interval of three": "2024-01-01/2024-01-02/2024-01-03",
        "half an interval": "2024-01-01/",
    }
    for label, text in occurred.items():
        yield Case(f"occurred {label}", _with("drone_attack", occurred=text, reported="2024-02-28"))
    yield Case(
        "occurred interval reversed",
        _with("drone_attack", occurred="2024-01-28/2024-01-01"),
        unschematic="interval-order",
    )
    yield Case(
        "reported before occurred",
        _with("drone_attack", reported="2024-01-27"),
        unschematic="reported-after-occurred",
    )


def claim_variants() -> Iterator[Case]:
    figures: dict[str, Any] = {
        "4": 4,
        "0": 0,
        "3.0": 3.0,
        "3.5": 3.5,
        "-1": -1,
        "true": True,
        "ten million": 10_000_000,
        "over ten million": 10_000_001,
        "several": "several",
        "blank": "  ",
        "null": None,
        "010 as text": "010",
    }
    qualifiers = (None, "exact", "at_least", "at_most", "approximately", "unquantified", "not_assessed", "between")
    for qualifier in (*qualifiers, "many"):
        for label, figure in figures.items():
            claim = {"party": "us_military", "killed": figure, "source": "CENTCOM"}
            if qualifier is not None:
                claim["qualifier"] = qualifier
            yield Case(f"claim {qualifier} killed {label}", _claimed(claim))
        yield Case(
            f"claim {qualifier} without figures",
            _claimed({"party": "militia", "source": "x", **({"qualifier": qualifier} if qualifier else {})}),
        )
    yield from range_variants(qualifiers)
    yield Case("claim without party", _claimed({"killed": 1, "source": "x"}))
    yield Case("claim of an unknown party", _claimed({"party": "militants", "killed": 1, "source": "x"}))
    yield Case("claim with an unknown key", _claimed({"party": "militia", "killed": 1, "qualifer": "exact"}))
    yield Case("claim without a source, nor the report", _claimed({"party": "militia", "killed": 1}))
    yield Case(
        "claim without a source, the report's speaks",
        _claimed({"party": "militia", "killed": 1}, sources=["CENTCOM"]),
    )
    yield Case("claim with an empty source list", _claimed({"party": "militia", "killed": 1}, sources=[]))
    yield Case("claim with a null source", _claimed({"party": "militia", "killed": 1, "source": None}))
    yield Case("claim not a mapping", _with("casualty_report", casualties=["four killed"]))
    yield Case("claims not a list", _with("casualty_report", casualties={"party": "militia", "killed": 1}))


def range_variants(qualifiers: tuple[str | None, ...]) -> Iterator[Case]:
    """Figures given as ranges ``{from, to}``: only with between (or no qualifier), two whole ends."""
    ranges: dict[str, Any] = {
        "4 to 7": {"from": 4, "to": 7},
        "4 to 4": {"from": 4, "to": 4},
        "0 to 0": {"from": 0, "to": 0},
        "3.0 to 7": {"from": 3.0, "to": 7},
        "-1 to 4": {"from": -1, "to": 4},
        "1 to 3.5": {"from": 1, "to": 3.5},
        "1 to true": {"from": 1, "to": True},
        "text ends": {"from": "1", "to": "4"},
        "to over ten million": {"from": 1, "to": 10_000_001},
        "without to": {"from": 4},
        "without from": {"to": 4},
        "null to": {"from": 4, "to": None},
        "an extra key": {"from": 4, "to": 7, "source": "AP"},
        "empty": {},
        "a list": [4, 7],
    }
    for qualifier in qualifiers:
        for label, figure in ranges.items():
            claim = {"party": "militia", "injured": figure, "source": "SOHR"}
            if qualifier is not None:
                claim["qualifier"] = qualifier
            yield Case(f"claim {qualifier} injured {label}", _claimed(claim))
    reversed_range = {"party": "militia", "killed": {"from": 7, "to": 4}, "source": "SOHR"}
    yield Case("claim range reversed", _claimed(reversed_range), unschematic="range-order")
    yield Case("claim between range reversed", _claimed(reversed_range | {"qualifier": "between"}), "range-order")
    both = {"party": "militia", "killed": {"from": 1, "to": 2}, "source": "SOHR"}
    yield Case("claim range and a range", _claimed(both | {"injured": {"from": 3, "to": 9}}))
    yield Case("claim range and a number", _claimed(both | {"injured": 3}))
    yield Case("claim range and a word", _claimed(both | {"injured": "several"}))
    yield Case("claim between range and a null", _claimed(both | {"injured": None, "qualifier": "between"}))


PROVENANCE: dict[str, dict[str, Any]] = {
    "url": {"url": "https://apnews.com/article/x?id=1#p"},
    "url http upper case": {"url": "HTTP://APNEWS.COM"},
    "url of an IPv6 host": {"url": "https://[2001:db8::1]:8443/x"},
    "url of an Arabic host": {"url": "https://مثال.إختبار/خبر"},
    "url ftp": {"url": "ftp://apnews.com/x"},
    "url without scheme": {"url": "apnews.com"},
    "url without host": {"url": "https:///x"},
    "url with user": {"url": "https://me@apnews.com"},
    "url with a space": {"url": "https://apnews.com/a b"},
    "url with a trailing newline": {"url": "https://apnews.com\n"},
    "url with a long port": {"url": "https://apnews.com:123456"},
    "url with an escape": {"url": "https://apnews.com/\x1b[31m"},
    "url too long": {"url": "https://apnews.com/" + "x" * 2100},
    "url a number": {"url": 42},
    "url null": {"url": None},
    "archived url": {"archived": "https://web.archive.org/web/2021/https://apnews.com/x"},
    "archived path": {"archived": "archive/2021-06-27 ap.html"},
    "archived windows path": {"archived": "C:\\archive\\ap.pdf"},
    "archived file url": {"archived": "file:///archive/ap.html"},
    "archived blank": {"archived": "  "},
    "archived url with a space": {"archived": "https://a b"},
    "sha256": {"sha256": "0123456789abcdef" * 4},
    "sha256 upper case": {"sha256": "0123456789ABCDEF" * 4},
    "sha256 short": {"sha256": "0" * 63},
    "sha256 long": {"sha256": "0" * 65},
    "sha256 not hex": {"sha256": "z" * 64},
    "sha256 with a newline": {"sha256": "0" * 64 + "\n"},
    "title": {"title": "US strikes militias"},
    "title blank": {"title": "  "},
    "title an escape": {"title": "a\x1bb"},
    "published": {"published": "2024-01-28"},
    "published on reported": {"published": "2024-01-29"},
    "published no day": {"published": "2024-02-30"},
    "published a month": {"published": "2024-01"},
    "language en": {"language": "en"},
    "language zh-Hant-TW": {"language": "zh-Hant-TW"},
    "language es-419": {"language": "es-419"},
    "language english": {"language": "english"},
    "language e": {"language": "e"},
    "language en_US": {"language": "en_US"},
    "language en-": {"language": "en-"},
    "language with a newline": {"language": "en\n"},
    "language empty": {"language": ""},
    "all of it": {
        "url": "https://apnews.com/x",
        "archived": "archive/ap.html",
        "sha256": "a" * 64,
        "title": "t",
        "published": "2024-01-28",
        "language": "en-US",
    },
}
"""Provenance fields of a source (reported 2024-01-29 in the statement and casualty report bases)."""


def source_and_actor_variants() -> Iterator[Case]:
    sources: dict[str, Any] = {
        "a name": "AP",
        "a blank name": "  ",
        "a mapping": {"name": "AP", "role": "wire", "outlet": "AP", "via": "Reuters", "anonymous": False},
        "null role": {"name": "AP", "role": None},
        "empty role": {"name": "AP", "role": ""},
        "blank name": {"name": " "},
        "no name": {"role": "wire"},
        "anonymous yes": {"name": "AP", "anonymous": "yes"},
        "anonymous null": {"name": "AP", "anonymous": None},
        "unknown key": {"name": "AP", "link": "https://apnews.com"},
        "escape in outlet": {"name": "AP", "outlet": "A\x1bP"},
        "a number": 7,
    }
    for label, source in sources.items():
        yield Case(f"source {label}", _with("statement", sources=[source]))
    for label, provenance in PROVENANCE.items():
        yield Case(f"source {label}", _with("statement", sources=[{"name": "AP", **provenance}]))
        yield Case(
            f"claim source {label}", _claimed({"party": "militia", "killed": 1, "source": {"name": "AP", **provenance}})
        )
    yield Case(
        "source published after reported",
        _with("statement", sources=[{"name": "AP", "published": "2024-01-30"}]),
        unschematic="published-by-reported",
    )
    yield Case(
        "claim source published after reported",
        _claimed({"party": "militia", "killed": 1, "source": {"name": "AP", "published": "2024-02-01"}}),
        unschematic="published-by-reported",
    )
    actors: dict[str, Any] = {
        "known": "Kataib Hezbollah",
        "unknown": "unknown",
        "new": "A New Group",
        "blank": " ",
        "mapping": {"name": "A New Group", "side": "iran_aligned", "type": "militia"},
        "mapping null side": {"name": "KH", "side": None},
        "mapping bad side": {"name": "KH", "side": "evil"},
        "mapping blank name": {"name": "  ", "side": "other"},
        "mapping without name": {"side": "other"},
        "mapping unknown key": {"name": "KH", "aliases": ["KH"]},
        "control character": "K\x08H",
    }
    for label, actor in actors.items():
        yield Case(f"actor {label}", _with("statement", actor=actor))
        yield Case(f"target actors {label}", _with("drone_attack", target_actor=[actor]))


def other_variants() -> Iterator[Case]:
    yield Case("lat without lon", _with("drone_attack", lon=_ABSENT))
    yield Case("lon without lat", _with("drone_attack", lat=_ABSENT))
    yield Case("lat with a null lon", _with("drone_attack", lon=None))
    yield Case("lat out of range", _with("drone_attack", lat=91))
    yield Case("lon at its bound", _with("drone_attack", lon=-180))
    for precision in (1, 2, 3, 2.0, 0, 4, -1, 1.5, "2", True, None):
        yield Case(f"geo_precision {precision!r}", _with("drone_attack", geo_precision=precision))
    yield Case("geo_precision without coordinates", _with("drone_attack", lat=_ABSENT, lon=_ABSENT, geo_precision=3))
    yield Case("id with a newline", _with("drone_attack", id="tower-22\n"))
    yield Case("id upper case", _with("drone_attack", id="Tower-22"))
    yield Case("id too long", _with("drone_attack", id="a" * 201))
    yield Case("id of 200", _with("drone_attack", id="a" * 200))
    yield Case("incident with a newline", _with("attribution", incident="drone-1\n"))
    yield Case("responds_to one id", _with("airstrike", responds_to="drone-0"))
    yield Case("responds_to a bad id", _with("airstrike", responds_to=["drone 0"]))
    yield Case("target a name", _with("drone_attack", target="Tower 22"))
    yield Case("target a blank item", _with("drone_attack", target=["Tower 22", " "]))
    yield Case("country NO", _with("drone_attack", country=["NO"]))
    yield Case("acled record", _with("drone_attack", acled={"event_id_cnty": "IRQ1", "notes": "a\nb"}))
    yield Case("acled empty id", _with("drone_attack", acled={"event_id_cnty": ""}))
    yield Case("acled blank id", _with("drone_attack", acled={"event_id_cnty": " "}))
    yield Case("acled without id", _with("drone_attack", acled={"notes": "x"}))
    yield Case("acled unknown column", _with("drone_attack", acled={"event_id_cnty": "IRQ1", "fatality": "1"}))
    yield Case("acled number cell", _with("drone_attack", acled={"event_id_cnty": "IRQ1", "year": 2021}))
    yield Case("ucdp record", _with("drone_attack", ucdp={"relid": "IRQ-2019-1-420-4", "best": "25", "low": ""}))
    yield Case("ucdp blank relid", _with("drone_attack", ucdp={"relid": " ", "id": "283160"}))
    yield Case("ucdp without relid", _with("drone_attack", ucdp={"id": "283160"}))
    yield Case("ucdp unknown column", _with("drone_attack", ucdp={"relid": "IRQ-1", "deaths": "1"}))
    yield Case("ucdp acled column", _with("drone_attack", ucdp={"relid": "IRQ-1", "event_id_cnty": "IRQ1"}))
    yield Case("ucdp number cell", _with("drone_attack", ucdp={"relid": "IRQ-1", "best": 25}))
    yield Case("ucdp a list", _with("drone_attack", ucdp=["IRQ-1"]))
    yield Case("notes too long", _with("drone_attack", notes="x" * 100_001))
    yield Case("an unknown key", _with("drone_attack", damge="minor"))
    yield Case("incident itself", _with("attribution", incident="a-1"), unschematic="not-itself")
    yield Case("responds to itself", _with("airstrike", responds_to=["strike-1"]), unschematic="not-itself")
    yield Case("a list of two", [BASES["drone_attack"], BASES["statement"]])
    yield Case("an empty list", [])
    yield Case("a list with a bad item", [BASES["drone_attack"], "drone"])
    yield Case("a number", 42)
    yield Case("one id twice", [BASES["drone_attack"], BASES["drone_attack"]], unschematic="unique-ids")


def correction_variants() -> Iterator[Case]:
    """Retractions and merges: only their own fields, lists of distinct ids, nothing naming itself."""
    others: list[tuple[str, str, Any]] = [
        ("occurred", "occurred", "2024-01-28"),
        ("place", "place", "Tower 22"),
        ("a blank place", "place", "  "),
        ("country", "country", ["Jordan"]),
        ("incident", "incident", "drone-1"),
        ("responds_to", "responds_to", ["drone-1"]),
        ("actor", "actor", "KH"),
        ("damage", "damage", "none"),
        ("lat", "lat", 32.2),
        ("geo_precision", "geo_precision", 1),
        ("acled", "acled", {"event_id_cnty": "IRQ1"}),
        ("ucdp", "ucdp", {"relid": "IRQ-2019-1-420-4"}),
        ("an empty target list", "target", []),
    ]
    for label, field, value in others:
        for kind in ("retraction", "merge"):
            yield Case(f"{kind} with {label}", _with(kind, **{field: value}))
    yield Case("retraction with a null occurred", _with("retraction", occurred=None))
    yield Case("retraction of one id", _with("retraction", retracts="a-1"))
    yield Case("retraction of none", _with("retraction", retracts=[]))
    yield Case("retraction of one id twice", _with("retraction", retracts=["a-1", "a-1"]))
    yield Case("retraction of a bad id", _with("retraction", retracts=["A 1"]))
    yield Case("retraction with merges", _with("retraction", merges=["drone-1b"]))
    yield Case("retraction with into", _with("retraction", into="drone-1"))
    yield Case("retraction of itself", _with("retraction", retracts=["retract-1"]), unschematic="not-itself")
    yield Case("merge with retracts", _with("merge", retracts=["a-1"]))
    yield Case("merge of one id as text", _with("merge", merges="drone-1b"))
    yield Case("merge of one act twice", _with("merge", merges=["drone-1b", "drone-1b"]))
    yield Case("merge into a list", _with("merge", into=["drone-1"]))
    yield Case("merge of itself", _with("merge", merges=["merge-1"]), unschematic="not-itself")
    yield Case("merge into itself", _with("merge", into="merge-1"), unschematic="not-itself")
    yield Case("merge into a merged act", _with("merge", merges=["drone-1b", "drone-1"]), unschematic="into-not-merged")
    yield Case("drone attack with retracts", _with("drone_attack", retracts=["a-1"]))
    yield Case("drone attack with into", _with("drone_attack", into="drone-0"))
    yield Case("drone attack with a null merges", _with("drone_attack", merges=None))


YAML_TEXTS = {
    "killed: 010": "killed: 010",
    "killed: 1:30": "killed: 1:30",
    "killed: 0x0A": "killed: 0x0A",
    "killed: 1e1": "killed: 1e1",
    "killed: 1_000": "killed: 1_000",
}


def yaml_variants() -> Iterator[Case]:
    for label, figure in YAML_TEXTS.items():
        text = (
            "id: toll-1\nkind: casualty_report\nreported: 2024-01-29\nincident: drone-1\n"
            f"casualties: [{{party: us_military, {figure}, source: CENTCOM}}]\n"
        )
        yield Case(f"yaml {label}", decode(text, label, as_json=False))
    for word in ("yes", "NO", "on", "off", "y"):
        text = (
            "id: s-1\nkind: statement\nstance: threat\nreported: 2024-01-29\n"
            f"sources: [{{name: AP, anonymous: {word}}}]\n"
        )
        yield Case(f"yaml anonymous: {word}", decode(text, word, as_json=False))
        yield Case(f"yaml country: [{word}]", decode(f"{text}country: [{word}]\n", word, as_json=False))


def files() -> Iterator[Case]:
    yield Case("seed", decode(Path(seed_path()).read_text(encoding="utf-8"), "seed", as_json=False))
    for path in sorted(FEATURE_DATA.iterdir()):
        yield Case(f"features/data/{path.name}", decode(path.read_text(encoding="utf-8"), path.name, as_json=False))


GENERATORS: list[Callable[[], Iterator[Case]]] = [
    files,
    field_variants,
    kind_variants,
    date_variants,
    claim_variants,
    source_and_actor_variants,
    other_variants,
    correction_variants,
    yaml_variants,
]
CORPUS = [case for generate in GENERATORS for case in generate()]


def append_accepts(data: Any) -> bool:
    try:
        validate(data, "corpus")
    except BadReport:
        return False
    return True


def test_the_corpus_holds_at_least_a_hundred_files_valid_and_invalid() -> None:
    verdicts = [append_accepts(case.data) for case in CORPUS]

    assert len(CORPUS) >= 100
    assert verdicts.count(True) >= 30
    assert verdicts.count(False) >= 30
    assert len({case.name for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.skip(reason=f"JSON Schema cannot state {case.unschematic}"))
        if case.unschematic
        else case
        for case in CORPUS
    ],
    ids=lambda case: case.name,
)
def test_the_schema_and_append_agree(case: Case) -> None:
    schema = validator()
    schema_accepts = schema.is_valid(case.data)

    assert schema_accepts == append_accepts(case.data), (
        f"schema {'accepts' if schema_accepts else 'refuses'}, append does not: "
        f"{[error.message for error in schema.iter_errors(case.data)][:3]}"
    )


@pytest.mark.parametrize("case", [case for case in CORPUS if case.unschematic], ids=lambda case: case.name)
def test_what_the_schema_cannot_state_it_lists_and_append_refuses(case: Case) -> None:
    description = report_file_schema()["description"]

    assert case.unschematic in UNSCHEMATIC_RULES
    assert f"[{case.unschematic}]" in description
    assert validator().is_valid(case.data)
    assert not append_accepts(case.data)
