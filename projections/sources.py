"""Who said it, and how far to trust them: ``flashpoint sources`` and ``flashpoint cite``.

Both read the claims in the cut as the casualty picture does (supersession per source, the
corrections in force at the knowledge cut, merged acts counting for the act merged into) and
apply :mod:`flashpoint.domain.track_record` (a source's track record) or word the current
figures with their sources (a citation). A relayed claim (``via``) counts for the source
that made it; sources are matched by folded name, as actors are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from flashpoint.domain.estimates import check_policy, disputed, estimate
from flashpoint.domain.track_record import Figure, Said, TrackRecord
from flashpoint.projections.casualties import (
    FIGURES,
    PAGE,
    claims_in_cut,
    counted_pages,
    current_claims,
    withdrawn_claims,
)
from flashpoint.projections.cuts import Cut
from flashpoint.projections.reading import Queries
from flashpoint.projections.spans import in_force, in_force_about, stated


def sources(db: Queries, cut: Cut, policy: str = "conservative", page: int = PAGE) -> dict[str, Any]:
    """Each source's track record at the cut, in the JSON shape of the CLI contract, sorted by
    folded name. Read in one transaction, ``page`` incidents at a time (memory stays flat)."""
    check_policy(policy)
    records: dict[str, TrackRecord] = defaultdict(TrackRecord)
    named: dict[str, tuple[str, int, str]] = {}  # the first claim of each source: its spelling
    named_withdrawn: dict[str, tuple[str, int, str]] = {}  # … among its withdrawn claims
    with db.atomic():
        state = in_force(db, cut.known_text)
        for incidents, roots in counted_pages(db, state, page):
            counted = claims_in_cut(db, cut, roots, state)
            _add(records, named, counted, policy)
            for claim in withdrawn_claims(db, cut, state, incidents):
                records[claim["source_key"]].withdrawn += 1
                _first(named_withdrawn, claim)
    found = [
        records[key].as_dict(named.get(key, named_withdrawn.get(key, ("", 0, key)))[2])
        for key in sorted(set(named) | set(named_withdrawn))
    ]
    return {"cut": cut.as_dict() | {"policy": policy}, "sources": found}


def _add(
    records: dict[str, TrackRecord], named: dict[str, tuple[str, int, str]], claims: list[dict[str, Any]], policy: str
) -> None:
    """What a page of claims adds to each source's record: its claims, the incidents they are
    about, and each figure it stated a number on (every such figure is on one page, whole)."""
    bests = {
        (incident, party, which): estimate(now.stated[which], policy)["best"]
        for (incident, party), now in current_claims(claims).items()
        for which in FIGURES
    }
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        by_source[claim["source_key"]].append(claim)
        _first(named, claim)
    for key, made in by_source.items():
        record = records[key]
        record.claims += len(made)
        record.incidents += len({claim["incident"] for claim in made})
        figures: dict[Figure, list[Said]] = defaultdict(list)
        for claim in made:
            for which in FIGURES:
                item = stated(claim, which)
                if item is not None and item.ends is not None:
                    figures[(claim["incident"], claim["party"], which)].append(
                        Said(claim["reported"], claim["position"], item.ends)
                    )
        for figure, said in figures.items():
            record.add_figure(said, bests.get(figure))


def _first(named: dict[str, tuple[str, int, str]], claim: Mapping[str, Any]) -> None:
    """Keep the earliest claim of its source (by ``reported``, then log order) and its spelling."""
    key, seen = claim["source_key"], (claim["reported"], claim["position"], claim["source_name"])
    if key not in named or seen < named[key]:
        named[key] = seen


PARTY_WORDS = {
    "us_military": "US military",
    "us_civilian": "US civilians",
    "coalition_military": "Coalition military",
    "contractor": "Contractors",
    "militia": "Militia",
    "civilian": "Civilians",
    "host_nation_forces": "Host-nation forces",
    "unknown": "Unidentified people",
}
"""How a citation names a party: ``Militia killed in …``."""


def cite(
    db: Queries,
    incident: str,
    cut: Cut,
    party: str | None = None,
    policy: str = "conservative",
    history: bool = False,
) -> dict[str, Any]:
    """Every current figure of ``incident`` (``party``: only that party's) with its sources, ready
    to attribute; ``history``: also the claims they superseded, with their days."""
    check_policy(policy)
    with db.atomic():
        state = in_force_about(db, cut.known_text, [incident])
        claims = claims_in_cut(db, cut, {incident}, state)
        latest = db.execute(LATEST_REPORT, {"known": cut.known_text}).fetchone()[0]
    figures = []
    for (_incident, claimed_party), now in sorted(current_claims(claims).items(), key=lambda item: item[0][1]):
        if party is not None and claimed_party != party:
            continue
        for which in FIGURES:
            if not now.stated[which]:
                continue
            current = {item.position for item in now.stated[which]}
            figures.append(
                {
                    "party": claimed_party,
                    "figure": which,
                    "estimate": estimate(now.stated[which], policy),
                    "disputed": disputed(now.stated[which]),
                    "sources": [_cited(claim, which) for claim in _numbers_first(now.by_figure[which], which)],
                    **(
                        {
                            "superseded": [
                                _cited(claim, which)
                                for claim in now.claims
                                if claim["position"] not in current and stated(claim, which) is not None
                            ]
                        }
                        if history
                        else {}
                    ),
                }
            )
    return {"incident": incident, "cut": cut.as_dict() | {"policy": policy, "as_known_on": latest}, "figures": figures}


LATEST_REPORT = " UNION ALL ".join(
    f"SELECT max(reported) AS day FROM {table} WHERE reported <= :known"
    for table in ("acts", "statements", "claims", "damage", "corrections")
).join(("SELECT max(day) FROM (", ")"))
"""The day the latest report public by the knowledge cut was published: what "as known on" means
when no cut is given (each table indexed on ``reported``)."""


def _numbers_first(claims: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    """The claims standing for a figure as a citation lists them: numbers, then words, in log order."""
    return sorted(claims, key=lambda claim: (claim[which] is None, claim["position"]))


def _cited(claim: Mapping[str, Any], which: str) -> dict[str, Any]:
    item = stated(claim, which)
    assert item is not None
    return {
        "source": claim["source_name"],
        "via": claim["source_via"],
        "qualifier": claim["qualifier"],
        "figure": {"from": item.number, "to": item.to}
        if item.to is not None
        else (item.number if item.number is not None else item.word),
        "url": claim["source_url"],
        "archived": claim["source_archived"],
        "report": claim["report_id"],
        "reported": claim["reported"],
    }
