"""The escalation and who was hurt in it, at one cut: what ``flashpoint chart`` draws.

The chart needs the escalation answer (the acts with their rungs, the statements, the stated
responses, the level) and the casualty figures per incident × party. Asking
:func:`~flashpoint.projections.escalation.escalation` and
:func:`~flashpoint.projections.casualties.casualties` one after the other reads and judges
every claim in the cut twice (the rungs need the current claims too) and builds the casualty
listing's sources, which a picture never shows. This reads the claims once, in one
transaction, and gives both; a property test holds it equal to the two answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flashpoint.domain.estimates import check_policy, estimate
from flashpoint.projections.casualties import FIGURES, PARTY_SIDES, claims_in_cut, current_claims
from flashpoint.projections.cuts import Cut
from flashpoint.projections.escalation import escalation_in
from flashpoint.projections.reading import Queries
from flashpoint.projections.spans import in_force


@dataclass(frozen=True)
class Timeline:
    """The escalation answer at a cut, and who was hurt in its acts.

    ``escalation`` is exactly what :func:`~flashpoint.projections.escalation.escalation` gives;
    ``harm`` is one entry per incident × party, as the casualties answer lists it without its
    sources: ``incident``, ``party``, ``side`` (the party's), ``killed`` and ``injured`` (each
    ``low`` / ``best`` / ``high``).
    """

    escalation: dict[str, Any]
    harm: list[dict[str, Any]]


def timeline(db: Queries, cut: Cut, policy: str = "conservative") -> Timeline:
    """The escalation and the casualty figures at ``cut`` (``policy``: how the best figure is chosen)."""
    check_policy(policy)
    with db.atomic():
        state = in_force(db, cut.known_text)
        current = current_claims(claims_in_cut(db, cut, None, state))
        answer = escalation_in(db, cut, state, current)
    harm = [
        {
            "incident": incident,
            "party": party,
            "side": PARTY_SIDES.get(party, "unknown"),
            **{which: estimate(now.stated[which], policy) for which in FIGURES},
        }
        for (incident, party), now in sorted(current.items())
    ]
    return Timeline(answer, harm)
