"""Who said it: every figure and every act is attributed, never asserted by flashpoint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flashpoint.domain.errors import InvalidValue, unknown_key

SOURCE_KEYS = ("name", "role", "outlet", "via", "anonymous")
_SOURCE_KEY_SET = frozenset(SOURCE_KEYS)


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


def parse_source(value: object, field: str) -> Source:
    """A source from a bare name or ``{name, role, outlet, via, anonymous}``."""
    if isinstance(value, str):
        if not value.strip():
            raise InvalidValue(field, "a source name must not be empty")
        return Source(" ".join(value.split()))
    if type(value) is not dict and not isinstance(value, Mapping):
        raise InvalidValue(field, "expected a name or a mapping {name, role, outlet, via, anonymous}")
    if not _SOURCE_KEY_SET.issuperset(value):
        for key in value:
            if key not in SOURCE_KEYS:
                raise unknown_key(f"{field}.{key}", key, SOURCE_KEYS)
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidValue(f"{field}.name", "required: who said it")
    texts: dict[str, str | None] = {}
    for key in ("role", "outlet", "via"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            raise InvalidValue(f"{field}.{key}", "expected text")
        texts[key] = " ".join(item.split()) if item else None
    anonymous = value.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise InvalidValue(f"{field}.anonymous", "expected true or false")
    return Source(" ".join(name.split()), texts["role"], texts["outlet"], texts["via"], anonymous)
