"""What counts when: retractions, merges, and the knowledge spans the SQL answers read.

Every answer at a knowledge cut K follows the corrections in force at K
(:mod:`flashpoint.domain.corrections`): the ``corrections`` table keeps them, and the full
listings (``escalation``, ``casualties``) apply :meth:`Corrections.in_force` to the rows
of the cut in Python. The questions answered in SQL (the level and cycles of
``escalation --summary``, Datasette's canned queries, the ACLED export) read the outcome
of the same rules instead, kept as *spans* of knowledge time ``[from_known, until_known)``
(``until_known`` NULL: still so):

- ``absent``: an act or statement published but not counted (withdrawn, or merged ``into``
  another act);
- ``claim_spans``: a claim standing for one figure (killed or injured) of the act it
  counts for, and whether it reports harm: supersession per source
  (:func:`flashpoint.domain.estimates.standing`), withdrawn claims and merges at once;
- ``damage_spans``: the damage in force for an act (its latest assessment that counts);
- ``pairs``: a stated response between two counted acts (rewritten to the acts they
  count for), with the later start of the two and whether the sides differ.

After each batch, the spans of every *group* the batch touched (an act, or the acts that
merges, in force or not, could make one) are worked out again whole, by evaluating the
rules on each day that can change them; for a group that no correction names (most), as
supersession alone gives them (``plain_*``, held equal to the evaluation by property
tests). A property test holds the SQL answers read from the spans equal to the Python
rules at any cut, and ``verify`` holds incremental spans equal to a rebuild.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flashpoint.domain.corrections import NOTHING, Correction, Corrections, InForce
from flashpoint.domain.estimates import Stated, standing
from flashpoint.domain.ladder import crosses
from flashpoint.projections.reading import Queries

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLES = ("corrections", "absent", "claim_spans", "damage_spans", "pairs")
FIGURES = ("killed", "injured")
Key = TypeVar("Key", bound=Hashable)


def create_tables(db: Database) -> None:
    # pragma: no mutate block (table DDL, not a rule: see docs/mutation.md)
    db.table("corrections").create(
        {"report_id": str, "position": int, "kind": str, "reported": str, "names": str, "into": str},
        pk="report_id",
    )
    db.table("corrections").create_index(["position"])
    db.table("corrections").create_index(["reported"])
    db.table("absent").create({"report_id": str, "into": str, "from_known": str, "until_known": str})
    db.table("absent").create_index(["report_id"])
    db.table("claim_spans").create(
        {"position": int, "which": str, "incident": str, "harm": int, "from_known": str, "until_known": str}
    )
    db.table("claim_spans").create_index(["incident", "which"])
    db.table("claim_spans").create_index(["position"])
    db.table("damage_spans").create({"incident": str, "damage": str, "from_known": str, "until_known": str})
    db.table("damage_spans").create_index(["incident"])
    db.table("pairs").create(
        {"response": str, "act": str, "pair_from": str, "crossing": int, "from_known": str, "until_known": str}
    )
    db.table("pairs").create_index(["crossing", "pair_from", "from_known"])
    db.table("pairs").create_index(["response"])
    db.table("pairs").create_index(["act"])


# -- from events to rows ----------------------------------------------------------------------


def on_retraction(position: int, event: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "corrections", _row(position, event, "retraction", tuple(event.retracts), None)


def on_merge(position: int, event: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "corrections", _row(position, event, "merge", tuple(event.merges), event.into)


def _row(position: int, event: Any, kind: str, names: tuple[str, ...], into: str | None) -> dict[str, Any]:
    envelope = event.envelope
    return {
        "report_id": envelope.report_id,
        "position": position,
        "kind": kind,
        "reported": envelope.reported.isoformat(),
        "names": json.dumps(list(names)),
        "into": into,
    }


HANDLERS = {"ReportsRetracted": on_retraction, "ActsMerged": on_merge}


def corrections(db: Queries) -> Corrections:
    """Every retraction and merge the read models hold (each answer takes those in force at its cut).

    Kept with the connection and read again only from the first row it has not seen: a
    question on a log of a million reports would otherwise decode thousands of ACLED
    deletions each time, and a catch-up would for every batch.
    """
    last, count = db.execute("SELECT max(position), count(*) FROM corrections").fetchone()
    kept = getattr(db, "_flashpoint_corrections", None)
    if kept is not None and kept[0] == (last, count):
        return cast(Corrections, kept[1])
    earlier: list[Correction] = []
    after = 0
    if kept is not None and kept[0][0] is not None:
        earlier, after = list(kept[1].items), kept[0][0]  # rows are only ever added (or all dropped)
    rows = db.query("SELECT * FROM corrections WHERE position > ?", [after])
    loaded = Corrections([*earlier, *map(_correction, rows)])
    if len(loaded.items) != count:  # the table was rebuilt meanwhile: read it whole
        loaded = Corrections(map(_correction, db.query("SELECT * FROM corrections")))
    db._flashpoint_corrections = ((last, count), loaded)  # type: ignore[attr-defined]
    return loaded


def forget(db: Queries) -> None:
    """Drop what :func:`corrections` kept of ``db``: its tables are being rebuilt."""
    db._flashpoint_corrections = None  # type: ignore[attr-defined]


def _correction(row: Mapping[str, Any]) -> Correction:
    names = tuple(json.loads(row["names"]))
    if row["into"] is None:
        return Correction(row["report_id"], row["reported"], row["position"], retracts=names)
    return Correction(row["report_id"], row["reported"], row["position"], merges=names, into=row["into"])


def in_force_about(db: Queries, known: str, acts: Iterable[str]) -> InForce:
    """What the corrections decide at ``known`` about these acts and what was said about them: the
    same as :func:`in_force` for their rows, from only the corrections that can touch them."""
    everything = corrections(db)
    if not everything:
        return NOTHING
    members = {member for act in acts for member in everything.members(everything.group_of(act))}
    said = db.query(
        f"SELECT report_id FROM claims WHERE incident IN {IN_IDS} "
        f"UNION SELECT report_id FROM damage WHERE incident IN {IN_IDS}",
        {"ids": ids_json(members)},
    )
    return Corrections(everything.touching(members | {row["report_id"] for row in said})).in_force(known)


def in_force(db: Queries, known: str) -> InForce:
    """What the corrections decide at knowledge cut ``known`` (ISO day)."""
    return corrections(db).in_force(known)


def counting_for(state: InForce, acts: Iterable[str]) -> set[str]:
    """These acts, and the acts merged into them at the cut (their claims, damage and links count for them)."""
    wanted = set(acts)
    return wanted | {act for act in state.parents if state.root(act) in wanted}


def in_span(alias: str, known: str = ":known") -> str:
    """SQL: span row ``alias`` holds at knowledge cut ``known``."""
    return f"({alias}.from_known <= {known} AND ({alias}.until_known IS NULL OR {alias}.until_known > {known}))"


def counted_sql(item: str, known: str = ":known") -> str:
    """SQL twin of :meth:`InForce.counts`/:meth:`InForce.listed` for a published act or statement
    row ``item``: it is not absent (withdrawn, or merged into another act) at ``known``."""
    return f"NOT EXISTS (SELECT 1 FROM absent x WHERE x.report_id = {item}.report_id AND {in_span('x', known)})"


@dataclass(frozen=True)
class Standing:
    """Where one act stands at a knowledge cut: published yet, withdrawn, merged ``into`` another."""

    published: bool
    withdrawn: bool
    into: str | None

    @property
    def listed(self) -> bool:
        return self.published and not self.withdrawn and self.into is None


def standing_of(db: Queries, known: str, act: str) -> Standing:
    """Whether act ``act`` is listed at knowledge cut ``known``, and if not, why."""
    row = db.execute("SELECT reported FROM acts WHERE report_id = ?", [act]).fetchone()
    state = in_force_about(db, known, [act])
    root = state.root(act)
    return Standing(
        published=row is not None and row[0] <= known,
        withdrawn=not state.counts(act),
        into=root if root != act and state.counts(act) else None,
    )


# -- after each batch: the spans of the groups it touched --------------------------------------


Batch = Mapping[str, list[dict[str, Any]]]
"""A batch's rows per table, as the handlers made them (all at positions from the batch's first)."""


def after_batch(db: Queries, first: int, batch: Batch) -> None:
    """Work out again the spans of every group of acts, and every statement, this batch touched.

    The batch's own rows are taken as the handlers made them; only older rows are read back.
    """
    everything = corrections(db)
    groups, statements = _touched(db, batch, everything)
    if groups:
        _respan_groups(db, groups, everything, Older(db, first, batch))
    if statements:
        _respan_statements(db, statements, everything)


def ids_json(values: Iterable[str]) -> str:
    """Report ids as the JSON array that ``IN_IDS`` reads (one parameter, however many ids)."""
    return json.dumps(sorted(set(values)))


IN_IDS = "(SELECT value FROM json_each(:ids))"


BATCH_ACTS = (("acts", "report_id"), ("claims", "incident"), ("damage", "incident"), ("responses", "response"))
"""The acts whose rows a batch added to: per table, the column naming the act (and a link's act)."""
NAMED_ACTS = (
    f"SELECT report_id AS act FROM acts WHERE report_id IN {IN_IDS}",
    f"SELECT incident AS act FROM claims WHERE report_id IN {IN_IDS}",
    f"SELECT incident AS act FROM damage WHERE report_id IN {IN_IDS}",
)
"""The acts that reports ``:ids`` are, or are about."""
NAMED_STATEMENTS = f"SELECT report_id FROM statements WHERE report_id IN {IN_IDS}"


def _touched(db: Queries, batch: Batch, everything: Corrections) -> tuple[set[str], set[str]]:
    """The groups (by their key, :meth:`Corrections.group_of`) and statements this batch touched:
    its own rows, and whatever its corrections name (through the corrections they name)."""
    acts = {row[column] for table, column in BATCH_ACTS for row in batch.get(table, ())}
    acts.update(row["act"] for row in batch.get("responses", ()))
    statements = {row["report_id"] for row in batch.get("statements", ())}
    fresh = [row["report_id"] for row in batch.get("corrections", ())]
    if fresh:
        named = {"ids": ids_json(everything.named_by(fresh))}
        acts.update(row["act"] for sql in NAMED_ACTS for row in db.query(sql, named))
        statements.update(row["report_id"] for row in db.query(NAMED_STATEMENTS, named))
    return {everything.group_of(act) for act in acts}, statements


@dataclass
class Group:
    """The rows of one group of acts: what its spans are worked out from."""

    members: set[str]
    acts: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    damage: list[dict[str, Any]]


@dataclass
class Older:
    """The rows of some acts: the batch's own (in memory), and older ones read back by index."""

    db: Queries
    first: int
    batch: Batch

    def rows(self, table: str, columns: Sequence[str], acts: set[str]) -> tuple[list[dict[str, Any]], set[str]]:
        """Rows of ``table`` whose ``columns`` (any of them) name one of ``acts``, and the acts
        that older rows (from before the batch) name."""
        first, *others = columns
        mine = [
            row
            for row in self.batch.get(table, ())
            if row[first] in acts or any(row[column] in acts for column in others)
        ]
        older = list(self.db.query(older_sql(table, columns), {"ids": ids_json(acts), "first": self.first}))
        return [*older, *mine], {row[column] for row in older for column in columns} & acts


def older_sql(table: str, columns: Sequence[str]) -> str:
    """The rows of ``table`` before position ``:first`` naming acts ``:ids`` in ``columns`` (by index)."""
    named = " OR ".join(f"{column} IN {IN_IDS}" for column in columns)
    return f"SELECT * FROM {table} WHERE position < :first AND ({named})"


OLDER_ROWS = (
    ("acts", ("report_id",)),
    ("claims", ("incident",)),
    ("damage", ("incident",)),
    ("responses", ("response", "act")),
)
"""The tables a group's spans are worked out from, and the columns naming its acts."""


def _respan_groups(db: Queries, keys: set[str], everything: Corrections, rows: Older) -> None:
    members_of, group_of = everything.members, everything.group_of
    members = {act for key in keys for act in members_of(key)}
    found = [rows.rows(table, columns, members) for table, columns in OLDER_ROWS]
    acts, claims, damage, links = (rows for rows, _ in found)
    # Spans kept so far can only be of groups with rows from before this batch: those are replaced.
    stale = {act for _, older in found for act in older}
    ids = {"ids": ids_json({act for key in {group_of(act) for act in stale} for act in members_of(key)})}
    named = everything.named
    corrected = {group_of(act) for act in members if act in named}
    corrected.update(group_of(row["incident"]) for row in (*claims, *damage) if row["report_id"] in named)
    # Most groups: no correction names any of their reports, and supersession alone gives the spans.
    claim_spans = plain_claim_spans([row for row in claims if group_of(row["incident"]) not in corrected])
    damage_spans = plain_damage_spans([row for row in damage if group_of(row["incident"]) not in corrected])
    absent = []
    for group in _groups(corrected, members_of, group_of, acts, claims, damage):
        local = Corrections(everything.touching(_reports_of(group)))
        days = _days(group.acts, group.claims, group.damage, local.items)
        states = _states(local, days)
        absent += _absent_spans(group.acts, states)
        claim_spans += _claim_spans(group.claims, states)
        damage_spans += _damage_spans(group.damage, states)
    db.execute(f"DELETE FROM absent WHERE report_id IN {IN_IDS}", ids)
    db.execute(
        f"DELETE FROM claim_spans WHERE position IN (SELECT position FROM claims WHERE incident IN {IN_IDS})", ids
    )
    db.execute(f"DELETE FROM damage_spans WHERE incident IN {IN_IDS}", ids)
    db.execute(f"DELETE FROM pairs WHERE response IN {IN_IDS} OR act IN {IN_IDS}", ids)
    _insert(db, "absent", absent)
    _insert(db, "claim_spans", claim_spans)
    _insert(db, "damage_spans", damage_spans)
    _insert(db, "pairs", _pair_spans(db, links, {row["report_id"]: row for row in acts}, everything, members_of))


def _groups(
    keys: set[str],
    members_of: Callable[[str], set[str]],
    group_of: Callable[[str], str],
    acts: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    damage: list[dict[str, Any]],
) -> Iterator[Group]:
    """The rows of each group ``keys`` names."""
    by_group = {key: Group(members_of(key), [], [], []) for key in keys}
    for table, column, rows in (
        ("acts", "report_id", acts),
        ("claims", "incident", claims),
        ("damage", "incident", damage),
    ):
        for row in rows:
            group = by_group.get(group_of(row[column]))
            if group is not None:
                getattr(group, table).append(row)
    return iter(by_group.values())


def _reports_of(group: Group) -> Iterator[str]:
    """Every report whose withdrawal (or merge) can change what the group's rows count for."""
    yield from group.members
    yield from (row["report_id"] for row in group.claims)
    yield from (row["report_id"] for row in group.damage)


def _days(*rows: Iterable[Mapping[str, Any] | Correction]) -> list[str]:
    """The knowledge days on which something about these rows (or these corrections) can change."""
    days: set[str] = set()
    for items in rows:
        days.update(item["reported"] if isinstance(item, Mapping) else item.reported for item in items)
    return sorted(days)


def _states(local: Corrections, days: Sequence[str]) -> list[tuple[str, InForce]]:
    return [(day, local.in_force(day) if local else NOTHING) for day in days]


def spans(states: Iterable[tuple[str, Iterable[Key]]]) -> list[tuple[Key, str, str | None]]:
    """From what holds on each of some days, in order, the spans ``(key, from, until)`` of each key."""
    begun: dict[Key, str] = {}
    found: list[tuple[Key, str, str | None]] = []
    for day, keys in states:
        now = set(keys)
        for key in [key for key in begun if key not in now]:
            found.append((key, begun.pop(key), day))
        for key in now:
            begun.setdefault(key, day)
    found.extend((key, start, None) for key, start in begun.items())
    return found


def _absent_spans(acts: list[dict[str, Any]], states: list[tuple[str, InForce]]) -> list[dict[str, Any]]:
    def absent_on(day: str, state: InForce) -> Iterator[tuple[str, str | None]]:
        for act in acts:
            report = act["report_id"]
            if act["reported"] <= day and not state.listed(report):
                yield report, state.root(report) if state.counts(report) else None

    found = spans((day, absent_on(day, state)) for day, state in states)
    return [
        {"report_id": act, "into": into, "from_known": start, "until_known": until}
        for (act, into), start, until in found
    ]


def stated(claim: Mapping[str, Any], which: str) -> Stated | None:
    """What a claim row says about one figure, or None when it says nothing about it."""
    number, word = claim[which], claim[f"{which}_word"]
    if number is None and word is None:
        return None
    return Stated(
        claim["source_key"],
        claim["reported"],
        claim["position"],
        claim["qualifier"],
        number,
        word,
        claim[f"{which}_to"],
    )


def standing_claims(
    claims: Iterable[Mapping[str, Any]], state: InForce, day: str
) -> Iterator[tuple[int, str, str, bool]]:
    """``(position, figure, act, reports harm)`` of every claim standing at knowledge cut ``day``."""
    for which in FIGURES:
        chains: dict[tuple[str, str], list[Stated]] = defaultdict(list)
        for claim in claims:
            item = stated(claim, which)
            if item is None or claim["reported"] > day:
                continue
            act = state.about(claim["report_id"], claim["incident"])
            if act is not None:
                chains[(act, claim["party"])].append(item)
        for (act, _party), items in chains.items():
            for item in standing(items):
                yield item.position, which, act, item.reports_harm


def _claim_spans(claims: list[dict[str, Any]], states: list[tuple[str, InForce]]) -> list[dict[str, Any]]:
    found = spans((day, standing_claims(claims, state, day)) for day, state in states)
    return [
        {
            "position": position,
            "which": which,
            "incident": act,
            "harm": int(harm),
            "from_known": start,
            "until_known": until,
        }
        for (position, which, act, harm), start, until in found
    ]


def plain_claim_spans(claims: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`_claim_spans` where no correction is in force on any day: each claim stands from its
    day until the day of the same source's next claim on the figure (never, when that is the
    same day), for its own act (the same spans, without evaluating each day)."""
    chains: dict[tuple[str, str, str, str], list[tuple[str, int, bool]]] = defaultdict(list)
    for claim in claims:
        for which in FIGURES:
            number, word = claim[which], claim[f"{which}_word"]
            if number is not None or word is not None:
                harm = Stated.harm_of(number, word, claim[f"{which}_to"])
                chains[(which, claim["incident"], claim["party"], claim["source_key"])].append(
                    (claim["reported"], claim["position"], harm)
                )
    rows = []
    for (which, incident, _party, _source), chain in chains.items():
        chain.sort()
        for (day, position, harm), following in zip(chain, [*chain[1:], None], strict=True):
            until = following[0] if following is not None else None
            if until != day:
                rows.append(
                    {
                        "position": position,
                        "which": which,
                        "incident": incident,
                        "harm": int(harm),
                        "from_known": day,
                        "until_known": until,
                    }
                )
    return rows


def plain_damage_spans(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`_damage_spans` where no correction is in force: the latest assessment of each day
    holds until a later day's assessment says otherwise."""
    by_incident: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_incident[row["incident"]].append(row)
    found = []
    for incident, assessed in by_incident.items():
        assessed.sort(key=lambda row: (row["reported"], row["position"]))
        latest_of_day = {row["reported"]: row["damage"] for row in assessed}  # later rows of a day win
        days = sorted(latest_of_day)
        begun = days[0]
        for day, following in zip(days, [*days[1:], None], strict=True):
            if following is None or latest_of_day[following] != latest_of_day[day]:
                found.append(
                    {"incident": incident, "damage": latest_of_day[day], "from_known": begun, "until_known": following}
                )
                begun = following or begun
    return found


def damage_in_force(rows: Iterable[Mapping[str, Any]], state: InForce, day: str) -> dict[str, str]:
    """The latest damage assessment public by ``day`` that counts, per act it counts for."""
    latest: dict[str, str] = {}
    for row in sorted(rows, key=lambda row: (row["reported"], row["position"])):
        act = state.about(row["report_id"], row["incident"]) if row["reported"] <= day else None
        if act is not None:
            latest[act] = row["damage"]
    return latest


def _damage_spans(rows: list[dict[str, Any]], states: list[tuple[str, InForce]]) -> list[dict[str, Any]]:
    found = spans((day, damage_in_force(rows, state, day).items()) for day, state in states)
    return [
        {"incident": act, "damage": damage, "from_known": start, "until_known": until}
        for (act, damage), start, until in found
    ]


def stated_pairs(links: Iterable[Mapping[str, Any]], state: InForce) -> Iterator[tuple[str, str]]:
    """``(response, act)`` of the stated responses that count, rewritten to the acts they count for:
    duplicates collapse, an act answering itself after a merge drops."""
    seen: set[tuple[str, str]] = set()
    for link in links:
        act = state.about(link["response"], link["act"])  # the response's report and the act both count
        if act is None:
            continue
        pair = (state.root(link["response"]), act)
        if pair[0] != pair[1] and pair not in seen:
            seen.add(pair)
            yield pair


def _pair_spans(
    db: Queries,
    links: list[dict[str, Any]],
    acts: dict[str, dict[str, Any]],
    everything: Corrections,
    members_of: Callable[[str], set[str]],
) -> list[dict[str, Any]]:
    """Pair spans of these links, worked out per pair of groups (a pair's two acts stay in the
    groups of the link's two acts, whatever merges are in force)."""
    partitions: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        partitions[(everything.group_of(link["response"]), everything.group_of(link["act"]))].append(link)
    others = {act for pair in partitions for key in pair for act in members_of(key)} - set(acts)
    known = dict(acts)
    if others:
        query = f"SELECT report_id, reported, side, occurred_from FROM acts WHERE report_id IN {IN_IDS}"
        known.update((row["report_id"], row) for row in db.query(query, {"ids": ids_json(others)}))
    rows = []
    for (one, other), items in partitions.items():
        items = [link for link in items if link["response"] in known and link["act"] in known]
        members = members_of(one) | members_of(other)
        local = Corrections(everything.touching(members))
        if not local:  # no correction: a link is a pair from the day both its acts are public
            rows += [
                _pair_row(known, response, act, start, None) for (response, act), start in plain_pairs(items, known)
            ]
            continue
        days = _days([known[act] for act in members if act in known], local.items)

        def pairs_on(day: str, state: InForce, items: list[dict[str, Any]] = items) -> Iterator[tuple[str, str]]:
            public = [
                link
                for link in items
                if max(known[link["response"]]["reported"], known[link["act"]]["reported"]) <= day
            ]
            return stated_pairs(public, state)

        found = spans((day, pairs_on(day, state)) for day, state in _states(local, days))
        rows += [_pair_row(known, response, act, start, until) for (response, act), start, until in found]
    return rows


def plain_pairs(
    links: Iterable[Mapping[str, Any]], known: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[tuple[str, str], str]]:
    """:func:`stated_pairs` where no correction is in force: each link a pair (once) from the day
    both its acts are public."""
    first: dict[tuple[str, str], str] = {}
    for link in links:
        pair = (link["response"], link["act"])
        if pair[0] != pair[1]:
            day = max(known[pair[0]]["reported"], known[pair[1]]["reported"])
            first[pair] = min(first.get(pair, day), day)
    return iter(first.items())


def _pair_row(
    known: Mapping[str, Mapping[str, Any]], response: str, act: str, start: str, until: str | None
) -> dict[str, Any]:
    return {
        "response": response,
        "act": act,
        "pair_from": max(known[response]["occurred_from"], known[act]["occurred_from"]),
        "crossing": int(crosses(known[act]["side"], known[response]["side"])),
        "from_known": start,
        "until_known": until,
    }


def _respan_statements(db: Queries, report_ids: set[str], everything: Corrections) -> None:
    ids = {"ids": ids_json(report_ids)}
    rows = list(db.query(f"SELECT report_id, reported FROM statements WHERE report_id IN {IN_IDS}", ids))
    absent = []
    for row in rows:
        local = Corrections(everything.touching([row["report_id"]]))
        if not local:
            continue
        states = _states(local, _days([row], local.items))
        found = spans((day, [row["report_id"]] if not state.counts(row["report_id"]) else []) for day, state in states)
        absent += [
            {"report_id": report, "into": None, "from_known": start, "until_known": until}
            for report, start, until in found
        ]
    db.execute(f"DELETE FROM absent WHERE report_id IN {IN_IDS}", ids)
    _insert(db, "absent", absent)


def _insert(db: Queries, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        columns = list(rows[0])
        db.conn.executemany(
            f"INSERT INTO [{table}] ({', '.join(f'[{column}]' for column in columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            as_tuples(rows, columns),
        )


def as_tuples(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The values of ``columns`` of each row, in order: the parameters of one prepared INSERT."""
    if len(columns) == 1:
        return [(row[columns[0]],) for row in rows]
    return list(map(itemgetter(*columns), rows))
