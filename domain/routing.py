"""Routing, as pure rules: which aggregate records a report, and which installation or
group its targets name.

An airstrike is recorded by its own operation; any other attack at an installation (its
first target that is not a group; else an unidentified site, named by place when there is
one); reports about an act where the act is. The militia group hit, if any, is its first
militia target actor or target. ``Desk`` (the application's recording desk) asks these and
triggers the events; they read only the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from flashpoint.domain.actors import Actor, known_actor
from flashpoint.domain.report import Report
from flashpoint.domain.vocabulary import ActorType, ReportKind

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


def target_side(report: Report) -> str:
    """The side of the forces an act hit: its first target actor's, else unknown."""
    return report.target_actor[0].side.value if report.target_actor else "unknown"


OPERATION, INSTALLATION, SPEAKER, GROUP, FILING = "operation", "installation", "speaker", "group", "filing"


@dataclass(frozen=True, slots=True)
class Home:
    """The aggregate that records a report's events.

    ``operation`` (an airstrike's, named by its report id), ``installation`` (by name, with
    the side of the forces there), ``speaker`` (the militia group that made a statement),
    ``group`` (the militia group a statement is about), or ``filing``: the report's own
    filing, for a statement nothing else can hold.
    """

    kind: str
    name: str = ""
    side: str = "unknown"
    actor: Actor | None = None


def act_home(act: Report) -> Home:
    """Where an act is recorded; reports about it (casualties, damage, statements) go there too."""
    if act.kind is ReportKind.AIRSTRIKE:
        return Home(OPERATION, act.id)
    return Home(INSTALLATION, primary_installation(act), target_side(act))


def statement_home(report: Report, incident: Report | None) -> Home:
    """Where a statement or attribution is recorded: by the militia that spoke, else at the
    act it concerns, else by the group it names, else only in its filing."""
    speaker = report.actor
    if speaker is not None and speaker.is_militia:
        return Home(SPEAKER, speaker.name, speaker.side.value, speaker)
    if incident is not None:
        return act_home(incident)
    about = first_group(report)
    if about is not None:
        return Home(GROUP, about.name, about.side.value, about)
    return Home(FILING)
