"""The JSON Schema of report files, as published by ``flashpoint schema``: generated, never hand-kept.

Every field's shape comes from the tables the validator reads (``REPORT_FIELDS`` and the
kind rules in ``domain/report.py``, the claims', sources' and actors' fields, the ACLED
record); this module only assembles them into one document. What JSON Schema cannot say
is listed in the schema's own description (``UNSCHEMATIC_RULES``, ``domain/contract.py``).
"""

from __future__ import annotations

from typing import Any

from flashpoint.domain.contract import UNSCHEMATIC_RULES, mapping_schema
from flashpoint.domain.report import (
    CASUALTY_KINDS,
    CORRECTION_FIELDS,
    KIND_RULES,
    REPORT_FIELDS,
    REQUIRED_FIELDS,
    TOGETHER,
    KindRule,
)
from flashpoint.domain.vocabulary import CORRECTIONS, ReportKind

GIVEN: dict[str, Any] = {"not": {"type": "null"}}
"""A field given, not null (the validator reads null as absent)."""


def _values(kinds: frozenset[ReportKind]) -> list[str]:
    return sorted(kind.value for kind in kinds)


def _kind_rule(rule: KindRule) -> dict[str, Any]:
    """A kind rule as ``if`` (the kind) ``then`` (the field given, or absent)."""
    if rule.required:
        given: dict[str, Any] = GIVEN | ({"minItems": 1} if rule.field == "casualties" else {})
        return {
            "if": {"required": ["kind"], "properties": {"kind": {"enum": _values(rule.kinds)}}},
            "then": {"required": [rule.field], "properties": {rule.field: given}},
        }
    others = frozenset(ReportKind) - rule.kinds
    return {
        "if": {"required": ["kind"], "properties": {"kind": {"enum": _values(others)}}},
        "then": {"properties": {rule.field: {"type": "null"}}},
    }


def _claims_need_an_incident() -> dict[str, Any]:
    """Kinds other than acts and casualty reports carry claims only about an incident."""
    others = frozenset(ReportKind) - CASUALTY_KINDS
    return {
        "if": {
            "required": ["kind", "casualties"],
            "properties": {"kind": {"enum": _values(others)}, "casualties": {"type": "array", "minItems": 1}},
        },
        "then": {"required": ["incident"], "properties": {"incident": GIVEN}},
    }


def _corrections_give_only_their_fields() -> dict[str, Any]:
    """Retractions and merges give no field beyond :data:`CORRECTION_FIELDS` (null reads as absent)."""
    others = [key for key in REPORT_FIELDS if key not in CORRECTION_FIELDS]
    return {
        "if": {"required": ["kind"], "properties": {"kind": {"enum": _values(CORRECTIONS)}}},
        "then": {"properties": {key: {"type": "null"} for key in others}},
    }


def _claims_need_a_source() -> dict[str, Any]:
    """A claim names its source unless the report has one (the first speaks for it)."""
    return {
        "if": {"required": ["sources"], "properties": {"sources": {"type": "array", "minItems": 1}}},
        "else": {"properties": {"casualties": {"items": {"required": ["source"], "properties": {"source": GIVEN}}}}},
    }


def _together(pair: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "if": {"required": [key], "properties": {key: GIVEN}},
            "then": {"required": list(pair), "properties": dict.fromkeys(pair, GIVEN)},
        }
        for key in pair
    ]


def report_schema() -> dict[str, Any]:
    """One report: its fields (:data:`REPORT_FIELDS`), the kind rules and the rules between its fields."""
    rules = [_kind_rule(rule) for rule in KIND_RULES]
    rules += [_claims_need_an_incident(), _claims_need_a_source(), _corrections_give_only_their_fields()]
    rules += [rule for pair in TOGETHER for rule in _together(pair)]
    return mapping_schema(REPORT_FIELDS, REQUIRED_FIELDS) | {"allOf": rules}


def _description() -> str:
    unsaid = "; ".join(f"{rule} [{tag}]" for tag, rule in UNSCHEMATIC_RULES.items())
    return (
        "One report or a list of reports (YAML 1.2 core schema, or JSON). Generated from the "
        "definitions flashpoint's validator reads: a file this schema refuses, append refuses. "
        f"Rules it cannot state, which `flashpoint validate` and append also check: {unsaid}."
    )


def report_file_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://flashpoint.invalid/schemas/report-file.json",
        "title": "flashpoint report file",
        "description": _description(),
        "oneOf": [
            {"$ref": "#/$defs/report"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/report"}},
        ],
        "$defs": {"report": report_schema()},
    }
