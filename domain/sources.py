"""Who said it: every figure and every act is attributed, never asserted by flashpoint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from flashpoint.domain.actors import name_key
from flashpoint.domain.contract import (
    LANGUAGE,
    SHA256,
    Day,
    Flag,
    Shape,
    Text,
    Url,
    UrlOrPath,
    check_fields,
    mapping_schema,
)
from flashpoint.domain.errors import InvalidValue

SOURCE_FIELDS: dict[str, Shape] = {
    "name": Text(blank="required: who said it", fold=True),
    "role": Text(fold=True),
    "outlet": Text(fold=True),
    "via": Text("the relay, e.g. Associated Press", fold=True),
    "anonymous": Flag(),
    "url": Url("where it was published: an http(s) URL"),
    "archived": UrlOrPath("an archived copy: an http(s) URL or a path"),
    "sha256": SHA256,
    "title": Text("the title of what was published", fold=True),
    "published": Day("the day it was published, not after the report's reported day"),
    "language": LANGUAGE,
}
SOURCE_KEYS = tuple(SOURCE_FIELDS)
PROVENANCE_KEYS = ("url", "archived", "sha256", "title", "published", "language")
"""Where a source's words can be read, and how to check the copy: optional, as reported."""


@dataclass(frozen=True, slots=True)
class Source:
    """A source as reported: ``name`` may be a description ("two Iraqi militia officials")."""

    name: str
    role: str | None = None
    outlet: str | None = None
    via: str | None = None
    anonymous: bool = False
    url: str | None = None
    archived: str | None = None
    sha256: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Every field, as plain JSON values (``published`` as ISO text)."""
        return {key: getattr(self, key) for key in SOURCE_KEYS} | {"published": _iso(self.published)}

    def provenance(self) -> dict[str, Any]:
        """The provenance fields, each null where not given, as plain JSON values."""
        return {key: getattr(self, key) for key in PROVENANCE_KEYS} | {"published": _iso(self.published)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        """A source from its stored form; fields a source stored before them did not have default."""
        published = data.get("published")
        return cls(
            **{key: data.get(key) for key in _OPTIONAL_TEXT},
            name=data["name"],
            anonymous=bool(data.get("anonymous", False)),
            published=date.fromisoformat(published) if isinstance(published, str) else published,
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


def outlets(sources: Iterable[Source]) -> list[tuple[str, str | None]]:
    """Who published what these sources said, each once, with a URL where one is known: the
    ``source`` column of an ACLED row (``Military Times; Associated Press``).

    A source names its publisher first — its ``outlet``, else the relay it came through
    (``via``), else itself (a statement issued directly) — with its ``url``; then its relay,
    when that is another. Names that fold alike (:func:`~flashpoint.domain.actors.name_key`) are
    one outlet, shown as first spelled, with the first URL given for it.
    """
    found: dict[str, tuple[str, str | None]] = {}
    for source in sources:
        publisher = source.outlet or source.via or source.name
        for name, url in ((publisher, source.url), (source.via, None)):
            if name is None:
                continue
            shown, known = found.setdefault(name_key(name), (name, url))
            if known is None and url is not None:
                found[name_key(name)] = (shown, url)
    return list(found.values())


_OPTIONAL_TEXT = tuple(field.name for field in fields(Source) if field.name not in ("name", "anonymous", "published"))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


_REQUIRED = {"name": "required: who said it"}
_BARE_NAME = Text(blank="a source name must not be empty", fold=True)


class SourceShape(Shape):
    """A source: a bare name, or a mapping of :data:`SOURCE_FIELDS`."""

    def check(self, value: object, field: str, *, as_filed: bool = False) -> Source:
        if isinstance(value, str):
            return Source(_BARE_NAME.check(value, field, as_filed=as_filed) or "")
        if not isinstance(value, Mapping):
            raise InvalidValue(field, f"expected a name or a mapping {{{', '.join(SOURCE_KEYS)}}}")
        read = check_fields(value, field, SOURCE_FIELDS, _REQUIRED, as_filed=as_filed)
        return Source(**read | {"anonymous": bool(read["anonymous"])})

    def json_schema(self) -> dict[str, Any]:
        return {
            "description": f"Who said it: a name, or {{{', '.join(SOURCE_KEYS)}}}.",
            "anyOf": [_BARE_NAME.json_schema(), mapping_schema(SOURCE_FIELDS, _REQUIRED)],
        }


SOURCE = SourceShape()


def parse_source(value: object, field: str, *, as_filed: bool = False) -> Source:
    """A source from a bare name or a mapping of :data:`SOURCE_FIELDS`."""
    return SOURCE.check(value, field, as_filed=as_filed)
