"""Routing, as pure rules: which installation or group a report's targets name.

An attack is recorded at an installation (its first target that is not a group; else an
unidentified site, named by place when there is one); the militia group hit, if any, is
its first militia target actor or target. ``Desk`` (the application's recording desk) asks
these; they read only the report.
"""

from __future__ import annotations

from flashpoint.domain.actors import Actor, known_actor
from flashpoint.domain.report import Report
from flashpoint.domain.vocabulary import ActorType

UNIDENTIFIED_SITE = "unidentified site"


def is_group(name: str, report: Report) -> bool:
    """A target names a group when it is a known militia or one of the report's target actors."""
    known = known_actor(name)
    if known is not None and known.type is ActorType.MILITIA:
        return True
    return any(actor.name == name and actor.is_militia for actor in report.target_actor)


def installations_of(report: Report) -> list[str]:
    return [name for name in report.target if not is_group(name, report)]


def primary_installation(report: Report) -> str:
    """The installation an attack is recorded at: its first target, else an unidentified site."""
    sites = installations_of(report)
    if sites:
        return sites[0]
    where = report.place or ", ".join(report.country)
    return f"{UNIDENTIFIED_SITE} ({where})" if where else UNIDENTIFIED_SITE


def first_group(report: Report) -> Actor | None:
    for actor in report.target_actor:
        if actor.is_militia:
            return actor
    for name in report.target:
        if is_group(name, report):
            return known_actor(name) or Actor(name, report.target_actor[0].side, ActorType.MILITIA)
    return None
