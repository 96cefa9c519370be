"""Who said it: every figure and every act is attributed, never asserted by flashpoint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flashpoint.domain.contract import Flag, Shape, Text, check_fields, mapping_schema
from flashpoint.domain.errors import InvalidValue

SOURCE_FIELDS: dict[str, Shape] = {
    "name": Text(blank="required: who said it", fold=True),
    "role": Text(fold=True),
    "outlet": Text(fold=True),
    "via": Text("the relay, e.g. Associated Press", fold=True),
    "anonymous": Flag(),
}
SOURCE_KEYS = tuple(SOURCE_FIELDS)


@dataclass(frozen=True, slots=True)
class Source:
    """A source as reported: ``name`` may be a description ("two Iraqi militia officials")."""

    name: str
    role: str | None = None
    outlet: str | None = None
    via: str | None = None
    anonymous: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in SOURCE_KEYS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        return cls(
            name=data["name"],
            role=data.get("role"),
            outlet=data.get("outlet"),
            via=data.get("via"),
            anonymous=bool(data.get("anonymous", False)),
        )

    def label(self) -> str:
        """How a table cell names the source: name (role), outlet, via relay."""
        text = self.name
        if self.role:
            text += f" ({self.role})"
        if self.via:
            text += f" via {self.via}"
        elif self.outlet and self.outlet != self.name:
            text += f", {self.outlet}"
        return text


_REQUIRED = {"name": "required: who said it"}
_BARE_NAME = Text(blank="a source name must not be empty", fold=True)


class SourceShape(Shape):
    """A source: a bare name, or a mapping of :data:`SOURCE_FIELDS`."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Source:
        if isinstance(value, str):
            return Source(_BARE_NAME.check(value, field, as_filed=as_filed) or "")
        if not isinstance(value, Mapping):
            raise InvalidValue(field, "expected a name or a mapping {name, role, outlet, via, anonymous}")
        read = check_fields(value, field, SOURCE_FIELDS, _REQUIRED, as_filed=as_filed)
        return Source(read["name"], read["role"], read["outlet"], read["via"], bool(read["anonymous"]))

    def json_schema(self) -> dict[str, Any]:
        return {
            "description": "Who said it: a name, or {name, role, outlet, via, anonymous}.",
            "anyOf": [_BARE_NAME.json_schema(), mapping_schema(SOURCE_FIELDS, _REQUIRED)],
        }


SOURCE = SourceShape()


def parse_source(value: object, field: str, *, as_filed: bool = False) -> Source:
    """A source from a bare name or ``{name, role, outlet, via, anonymous}``."""
    return SOURCE.check(value, field, as_filed=as_filed)
