"""Near-miss names: a new name one or two edits from a name already known is probably a typo.

A bare ``actor: Kataib Hezbolah`` would otherwise be recorded as a new actor of side
``unknown``, and a US strike answering it would count as a tit-for-tat cycle. So a new
name is compared, after :func:`~flashpoint.domain.actors.name_key` folding, with the known
actors and their aliases, the actors already in the log and those earlier in the same append:

- an exact match after folding is that actor (as always);
- a *bare* name (a plain string, or a mapping without ``side``) one or two edits from a
  known name is refused with the suggestion: the analyst either fixes the typo or declares
  the new actor with its side;
- a *declared* actor (a mapping with ``side``) is recorded as a deliberately new actor,
  with a note naming the name it is near;
- an installation name in ``target`` near one already in the log or in the same append is
  only noted (``Tower 22`` and ``Tower 23`` are both real), never refused;
- the source of a claim (its own ``source``, or the report's first source speaking for it)
  near the source of a claim already in the log or in the same append is warned about, never
  refused: ``Syrian Observatory for Human Right`` is likely the Observatory, but a source's
  name may be a description (``two Iraqi militia officials``), which only the analyst can
  judge. Only claims' sources are compared: they are the ones whose track records are kept;
- a bare name that is, after folding, an actor *declared* with a side in the log or earlier
  in the append (and not a known actor) means that actor: it takes the declared side and
  type, so a US strike answering it counts as a cycle only if the declared side differs. A
  name declared with two different sides is ambiguous: a bare mention of it is refused.

Edits are counted as the optimal-string-alignment distance (Damerau-Levenshtein without
editing a substring twice): an insertion, deletion, substitution or swap of two adjacent
characters is one edit each. Names shorter than :data:`MIN_JUDGED_LENGTH` characters once
folded are never judged: two to four letters (``US``, ``UK``, ``UN``, ``IRGC``) are one or
two edits from too many others to mean a typo, and two known names never collide, as each
is an exact match of itself. Names that differ only in their numbers (``Tower 22``,
``Tower 23``; ``Coalition site 04``, ``Coalition site 05``) are different places or units
by design, never near-misses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from flashpoint.domain.actors import KNOWN_ACTORS, UNKNOWN_ACTOR, Actor, name_key, parse_actor
from flashpoint.domain.errors import InvalidValue
from flashpoint.domain.report import Report
from flashpoint.domain.routing import is_group

MAX_EDITS = 2
MIN_JUDGED_LENGTH = 5
"""Folded names shorter than this are never judged near-misses (``us``, ``uk``, ``irgc``)."""

_NUMBERS = re.compile(r"-?[0-9]+")

NEW_ACTOR_HINT = "to record a new actor, give it as {name, side, type}"


class NearMiss(InvalidValue):
    """A bare actor name one or two edits from a known or logged actor: a typo until declared otherwise."""


def edits_between(first: str, second: str, limit: int = MAX_EDITS) -> int:
    """The optimal-string-alignment distance of two strings, or ``limit + 1`` once it is above ``limit``.

    Only the band of cells within ``limit`` of the diagonal is computed (a cell outside it is
    more than ``limit`` edits away), and rows are abandoned as soon as every cell exceeds
    ``limit``: no later row can come back under it (a swap reaches back two rows, but only
    from a cell at most ``limit - 1``, which leaves a cell at most ``limit`` in the row between).
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    over = limit + 1
    before: list[int] = []
    previous = [min(column, over) for column in range(len(second) + 1)]
    for row, letter in enumerate(first, 1):
        current = [over] * (len(second) + 1)
        current[0] = min(row, over)
        for column in range(max(1, row - limit), min(len(second), row + limit) + 1):
            other = second[column - 1]
            cell = min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (letter != other))
            if row > 1 and column > 1 and letter == second[column - 2] and first[row - 2] == other:
                cell = min(cell, before[column - 2] + 1)
            current[column] = min(cell, over)
        if min(current) > limit:
            return over
        before, previous = previous, current
    return previous[-1]


class Roster:
    """The names new ones are judged against: folded key → the spelling to suggest.

    ``load`` supplies the names the log already holds; it is called once, the first time a
    name is not found among those given, so an append naming only known actors never reads
    the log, and an append of a thousand reports reads it at most once. Keys are kept by
    length, so a name is compared only with those at most :data:`MAX_EDITS` longer or shorter.
    """

    def __init__(self, names: Mapping[str, str] | Iterable[str] = (), load: Callable[[], Iterable[str]] | None = None):
        self._names: dict[str, str] = {}
        self._by_length: dict[int, list[str]] = {}
        self._series: set[str] = set()
        if isinstance(names, Mapping):
            for key, shown in names.items():
                self._hold(key, shown)
        else:
            self.extend(names)
        self._load = load

    def _hold(self, key: str, shown: str) -> None:
        if key not in self._names:
            self._names[key] = shown
            self._by_length.setdefault(len(key), []).append(key)
            self._series.add(_unnumbered(key))

    def add(self, name: str) -> None:
        """A name the log now holds (the first spelling of a key is the one suggested)."""
        self._hold(name_key(name), " ".join(name.split()))

    def extend(self, names: Iterable[str]) -> None:
        for name in names:
            self.add(name)

    def holds(self, name: str) -> bool:
        """Whether this name, folded, is one the roster holds (loading the log's names if need be)."""
        key = name_key(name)
        if key in self._names:
            return True
        self.load()
        return key in self._names

    def load(self) -> None:
        """Read the log's names now, if they have not been read yet."""
        if self._load is not None:
            load, self._load = self._load, None
            self.extend(load())

    def near(self, name: str) -> str | None:
        """The held name one or two edits from this one (the nearest, then the first in folded
        order); None when it is held exactly, too short to judge, another number of a held
        name, or near nothing."""
        key = name_key(name)
        if len(key) < MIN_JUDGED_LENGTH or self.holds(name) or _unnumbered(key) in self._series:
            return None
        best: tuple[int, str] | None = None
        for length in range(len(key) - MAX_EDITS, len(key) + MAX_EDITS + 1):
            for other in self._by_length.get(length, ()):
                edits = edits_between(key, other)
                if edits <= MAX_EDITS and (best is None or (edits, other) < best):
                    best = (edits, other)
        return self._names[best[1]] if best else None


def _unnumbered(key: str) -> str:
    """A folded name without its numbers: ``tower-22`` and ``tower-23`` are one series, ``tower``."""
    return _NUMBERS.sub("", key)


def known_actors(load: Callable[[], Iterable[str]] | None = None) -> Roster:
    """The known actors and their aliases (each suggesting its canonical name), ``unknown``,
    and, through ``load``, the actors the log holds."""
    names = {key: actor.name for key, actor in KNOWN_ACTORS.items()}
    names[UNKNOWN_ACTOR.key] = UNKNOWN_ACTOR.name
    return Roster(names, load)


class Declared:
    """The actors declared with a side (a mapping with ``side``), by folded name: what a bare
    mention of that name means."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Actor]] = {}

    def add(self, actor: Actor) -> None:
        found = self._by_key.setdefault(actor.key, [])
        if all((other.side, other.type) != (actor.side, actor.type) for other in found):
            found.append(actor)

    def meaning(self, name: str, field: str) -> Actor | None:
        """The declared actor this bare name means; None if it was never declared; refused
        (:class:`InvalidValue`) if it was declared with different sides or types."""
        found = self._by_key.get(name_key(name), [])
        if len(found) > 1:
            ways = " and as ".join(sorted(f"{actor.side.value} {actor.type.value}" for actor in found))
            raise InvalidValue(field, f'"{name}" was declared as {ways}: give its side ({NEW_ACTOR_HINT})')
        return found[0] if found else None


def logged_actors(values: Callable[[], Iterable[object]]) -> tuple[Roster, Declared]:
    """The known actors with, read from the log once on first need, the actor values its reports
    recorded (``values``: each a filed ``actor`` or ``target_actor``); and the declared ones among them."""
    declared = Declared()

    def names() -> list[str]:
        found = []
        for value in values():
            for actor, stated_side in recorded_actors(value):
                found.append(actor.name)
                if stated_side:
                    declared.add(actor)
        return found

    return known_actors(names), declared


@dataclass(frozen=True, slots=True)
class Note:
    """A remark about a name let through: ``note`` for a declared new actor, ``warning`` for an
    installation that may be a typo; ``field`` locates it in its report."""

    level: str
    field: str
    message: str


class NameJudge:
    """Judges the actor and installation names of an append's reports, report by report in order.

    Each name joins its roster once judged, so a later report is judged against the earlier
    ones too, and a name written the same way again costs one set lookup: a 100,000-report
    append naming a dozen actors judges a dozen names.
    """

    def __init__(
        self, actors: Roster, installations: Roster, declared: Declared | None = None, sources: Roster | None = None
    ) -> None:
        self.actors = actors
        self.installations = installations
        self.declared = declared or Declared()
        self.sources = sources or Roster()
        self._bare: set[str] = set()  # bare actor names judged already, as written
        self._sites: set[str] = set()  # target names judged already, as written
        self._said: set[str] = set()  # claim source names judged already, as written

    def judge(self, report: Report, document: Mapping[str, object]) -> list[Note]:
        """The notes on this report's names; :class:`NearMiss` for a bare near-miss of an actor."""
        notes = [note for field, value in _actor_values(document) if (note := self._actor(field, value))]
        single = isinstance(document.get("target"), str)
        for index, name in enumerate(report.target):
            if name not in self._sites and not is_group(name, report):
                self._sites.add(name)
                note = self._installation("target" if single else f"target[{index}]", name)
                if note is not None:
                    notes.append(note)
        for field, name in _claim_sources(report, document):
            if name not in self._said:
                self._said.add(name)
                near = self._new(name, self.sources)
                if near is not None:
                    notes.append(Note("warning", field, f'"{name}" recorded as a new source, near "{near}"'))
        return notes

    def _actor(self, field: str, value: object) -> Note | None:
        if isinstance(value, str):
            if value in self._bare:
                return None
            self._bare.add(value)
            name, declared = value, False
        else:
            assert isinstance(value, Mapping)
            field, name, declared = f"{field}.name", str(value["name"]), "side" in value
            if declared:
                self.declared.add(parse_actor(value, field))
        near = self._new(name, self.actors)
        if near is None:
            return None
        if not declared:
            raise NearMiss(field, f'"{name}" is not a known actor; did you mean "{near}"? ({NEW_ACTOR_HINT})')
        return Note("note", field, f'"{name}" recorded as a new actor, near "{near}"')

    def resolved(self, report: Report, document: Mapping[str, object]) -> Report:
        """The report with each bare actor that names a declared actor (not a known one) replaced
        by that actor, its side and type as declared (see the module's rules)."""
        replaced: dict[int | None, Actor] = {}
        for field, value in _actor_values(document):
            if isinstance(value, Mapping):
                if "side" in value:
                    continue
                name = str(value["name"])
            else:
                name = str(value)
            if name_key(name) in KNOWN_ACTORS or name_key(name) == UNKNOWN_ACTOR.key:
                continue
            self.actors.load()  # the log's declarations count, not only this append's
            actor = self.declared.meaning(name, field)
            if actor is not None:
                replaced[_target_index(field)] = actor
        if not replaced:
            return report
        return dataclasses.replace(
            report,
            actor=replaced.get(None, report.actor),
            target_actor=tuple(replaced.get(index, actor) for index, actor in enumerate(report.target_actor)),
        )

    def _installation(self, field: str, name: str) -> Note | None:
        near = self._new(name, self.installations)
        return Note("warning", field, f'"{name}" recorded as a new installation, near "{near}"') if near else None

    @staticmethod
    def _new(name: str, roster: Roster) -> str | None:
        """The name a new name is near (None if it is held or near none); it is held from now on."""
        if roster.holds(name):
            return None
        near = roster.near(name)
        roster.add(name)
        return near


def _actor_values(document: Mapping[str, object]) -> list[tuple[str, object]]:
    """(field, value) of each actor a (validated) report document names in ``actor`` and ``target_actor``."""
    values = [("actor", document["actor"])] if document.get("actor") is not None else []
    targets = document.get("target_actor")
    if isinstance(targets, list):
        values.extend((f"target_actor[{index}]", target) for index, target in enumerate(targets))
    elif targets is not None:
        values.append(("target_actor", targets))
    return values


def _claim_sources(report: Report, document: Mapping[str, object]) -> list[tuple[str, str]]:
    """(field, name) of the source of each claim of a (validated) report: the claim's own
    ``source``, or the report's first source, which speaks for a claim naming none."""
    items = document.get("casualties")
    found = []
    for index, claim in enumerate(report.casualties):
        item = items[index] if isinstance(items, list) else None
        given = item.get("source") if isinstance(item, Mapping) else None
        field = f"casualties[{index}].source" if given is not None else "sources[0]"
        if given is None:
            sources = document.get("sources")
            given = sources[0] if isinstance(sources, list) else None
        found.append((f"{field}.name" if isinstance(given, Mapping) else field, claim.source.name))
    return found


def _target_index(field: str) -> int | None:
    """``actor`` → None; ``target_actor`` → 0; ``target_actor[2]`` → 2."""
    if field == "actor":
        return None
    return int(field[field.index("[") + 1 : -1]) if "[" in field else 0


def recorded_actors(value: object) -> list[tuple[Actor, bool]]:
    """The actors a filed ``actor`` or ``target_actor`` value recorded, each with whether its
    side was stated; one that no longer parses records nothing."""
    actors = []
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            continue
        try:
            actors.append((parse_actor(item, "actor"), isinstance(item, Mapping) and "side" in item))
        except InvalidValue:
            continue
    return actors


def recorded_names(value: object) -> list[str]:
    """The actor names a filed ``actor`` or ``target_actor`` value recorded."""
    return [actor.name for actor, _ in recorded_actors(value)]
