"""The JSON Schema of report files, as published by ``flashpoint schema``.

The domain parser is what refuses bad reports (its messages name the field); this schema
describes the same contract for editors and other tools. Tests keep the two in step.
"""

from __future__ import annotations

from typing import Any

from flashpoint.domain import ActorType, Damage, Party, Qualifier, ReportKind, Side, Stance
from flashpoint.domain.claims import MAX_FIGURE
from flashpoint.domain.dates import RANGE_TEXT
from flashpoint.domain.external import ACLED_COLUMNS
from flashpoint.domain.report import MAX_ID_LENGTH, MAX_TEXT_LENGTH
from flashpoint.domain.vocabulary import HOSTILE_ACTS

YEAR = r"(19|20)\d{2}"  # EARLIEST_DAY.year .. LATEST_DAY.year (domain/dates.py); a unit test holds them equal
DAY = rf"^{YEAR}-\d{{2}}-\d{{2}}$"
OCCURRED = rf"^{YEAR}-\d{{2}}(-\d{{2}}(/{YEAR}-\d{{2}}-\d{{2}})?)?$"
ID = r"^[a-z0-9][a-z0-9._-]*$"


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_LENGTH, "description": description}


def _text_or_list(description: str) -> dict[str, Any]:
    item = {"type": "string", "minLength": 1}
    return {"description": description, "oneOf": [item, {"type": "array", "items": item}]}


REPORT_ID: dict[str, Any] = {"type": "string", "pattern": ID, "maxLength": MAX_ID_LENGTH}

ACTOR: dict[str, Any] = {
    "description": "A known name (aliases accepted), 'unknown', or {name, side, type}.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "side": {"enum": _values(Side)},
                "type": {"enum": _values(ActorType)},
            },
        },
    ],
}

SOURCE: dict[str, Any] = {
    "description": "Who said it: a name, or {name, role, outlet, via, anonymous}.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "role": {"type": "string"},
                "outlet": {"type": "string"},
                "via": {"type": "string", "description": "the relay, e.g. Associated Press"},
                "anonymous": {"type": "boolean"},
            },
        },
    ],
}

FIGURE: dict[str, Any] = {
    "description": "A whole number; for qualifier 'unquantified', the reported word ('several').",
    "oneOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_FIGURE},
        {"type": "string", "minLength": 1},
        {"type": "null"},
    ],
}

CLAIM: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["party"],
    "properties": {
        "party": {"enum": _values(Party)},
        "killed": FIGURE,
        "injured": FIGURE,
        "qualifier": {"enum": _values(Qualifier), "default": "exact"},
        "source": SOURCE,
    },
}

REPORT: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind", "reported"],
    "properties": {
        "id": REPORT_ID | {"description": "unique in the log; re-appending identical content is a no-op"},
        "kind": {"enum": _values(ReportKind)},
        "occurred": {
            "type": "string",
            "pattern": OCCURRED,
            "description": f"YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD (valid time), days in {RANGE_TEXT}",
        },
        "reported": {
            "type": "string",
            "pattern": DAY,
            "description": f"the day it became public (knowledge time), in {RANGE_TEXT}",
        },
        "actor": ACTOR,
        "target": _text_or_list("installation or group names (created on first use)"),
        "target_actor": {
            "description": "whose people or assets were hit",
            "oneOf": [ACTOR, {"type": "array", "items": ACTOR}],
        },
        "damage": {"enum": _values(Damage)},
        "place": _text("where, in words"),
        "country": _text_or_list("countries"),
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "aircraft": _text_or_list("aircraft types (airstrikes)"),
        "munitions": _text_or_list("munitions (airstrikes)"),
        "ordered_by": _text("who ordered the operation (airstrikes)"),
        "weapon": _text("the weapon as reported, e.g. one-way attack drone (attacks)"),
        "acled": {
            "type": "object",
            "description": "the ACLED row this report was imported from (flashpoint import acled), kept for export",
            "properties": {column: {"type": "string"} for column in ACLED_COLUMNS},
            "required": ["event_id_cnty"],
            "additionalProperties": False,
        },
        "outcome": _text("how the operation ended, e.g. aircraft returned safely (airstrikes)"),
        "grounds": _text_or_list("legal or political grounds (justification statements)"),
        "responds_to": {
            "description": "report ids of acts this one answers, as a source stated",
            "oneOf": [REPORT_ID, {"type": "array", "items": REPORT_ID}],
        },
        "incident": REPORT_ID | {"description": "the act a casualty report, damage assessment or statement concerns"},
        "stance": {"enum": _values(Stance)},
        "casualties": {"type": "array", "items": CLAIM},
        "sources": {"type": "array", "items": SOURCE},
        "notes": _text("in your own words"),
    },
    "allOf": [
        {
            "if": {"properties": {"kind": {"enum": sorted(kind.value for kind in HOSTILE_ACTS)}}},
            "then": {"required": ["occurred"]},
        },
        {
            "if": {"properties": {"kind": {"enum": ["casualty_report", "damage_assessment"]}}},
            "then": {"required": ["incident"]},
        },
        {"if": {"properties": {"kind": {"const": "casualty_report"}}}, "then": {"required": ["casualties"]}},
        {"if": {"properties": {"kind": {"const": "damage_assessment"}}}, "then": {"required": ["damage"]}},
        {
            "if": {"properties": {"kind": {"const": "statement"}}},
            "then": {"required": ["stance"]},
            "else": {"not": {"required": ["stance"]}},
        },
        {"if": {"properties": {"kind": {"const": "attribution"}}}, "then": {"required": ["actor"]}},
    ],
}


def report_file_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://flashpoint.invalid/schemas/report-file.json",
        "title": "flashpoint report file",
        "description": "One report or a list of reports (YAML or JSON).",
        "oneOf": [
            {"$ref": "#/$defs/report"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/report"}},
        ],
        "$defs": {"report": REPORT},
    }
