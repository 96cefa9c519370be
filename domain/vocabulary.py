"""The closed vocabularies of the report contract. Extend them; never rename a value."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)
_BY_VALUE: dict[type[Enum], dict[str, Enum]] = {}


def member(enum: type[E], value: object) -> E:
    """``enum(value)`` (ValueError if no member has that value), with one dictionary lookup
    for the usual case, a value spelled exactly: ``Enum.__call__`` costs a microsecond, and a
    report has half a dozen vocabulary fields."""
    if type(value) is str:
        table = _BY_VALUE.get(enum)
        if table is None:
            table = _BY_VALUE[enum] = {item.value: item for item in enum}
        found = table.get(value)
        if found is not None:
            return found  # type: ignore[return-value]
    return enum(value)


class Side(str, Enum):
    US_COALITION = "us_coalition"
    IRAN_ALIGNED = "iran_aligned"
    HOST_NATION = "host_nation"
    OTHER = "other"
    UNKNOWN = "unknown"


class ActorType(str, Enum):
    """ACLED's actor categories collapsed: 1 state, 2-4 militia, 7 civilians, 8 other."""

    STATE_FORCES = "state_forces"
    MILITIA = "militia"
    CIVILIANS = "civilians"
    UNKNOWN = "unknown"


class Party(str, Enum):
    """Whose people a casualty figure counts."""

    US_MILITARY = "us_military"
    US_CIVILIAN = "us_civilian"
    COALITION_MILITARY = "coalition_military"
    CONTRACTOR = "contractor"
    MILITIA = "militia"
    CIVILIAN = "civilian"
    HOST_NATION_FORCES = "host_nation_forces"
    UNKNOWN = "unknown"


class Qualifier(str, Enum):
    """How a source hedged a figure: "4", "at least 5", "between 4 and 7", "several", "too early to assess"."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROXIMATELY = "approximately"
    UNQUANTIFIED = "unquantified"
    NOT_ASSESSED = "not_assessed"
    BETWEEN = "between"  # the figure is a range {from, to}


class Stance(str, Enum):
    THREAT = "threat"
    VOW_REVENGE = "vow_revenge"
    JUSTIFICATION = "justification"
    ASSESSMENT = "assessment"
    DENIAL = "denial"
    CLAIM_OF_RESPONSIBILITY = "claim_of_responsibility"
    DE_ESCALATION = "de_escalation"


class Damage(str, Enum):
    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    HEAVY = "heavy"
    DESTROYED = "destroyed"
    UNKNOWN = "unknown"


class ReportKind(str, Enum):
    DRONE_ATTACK = "drone_attack"
    ROCKET_ATTACK = "rocket_attack"
    MISSILE_ATTACK = "missile_attack"
    EXPLOSIVE_ATTACK = "explosive_attack"  # IED, roadside bomb, grenade, suicide bomb
    AIRSTRIKE = "airstrike"
    CASUALTY_REPORT = "casualty_report"
    DAMAGE_ASSESSMENT = "damage_assessment"
    STATEMENT = "statement"
    ATTRIBUTION = "attribution"
    RETRACTION = "retraction"  # withdraws reports from its reported day on
    MERGE = "merge"  # makes several acts one from its reported day on

    @property
    def is_hostile_act(self) -> bool:
        """The attack kinds are the acts on the timeline; the rest only inform it."""
        return self in HOSTILE_ACTS

    @property
    def concerns_incident(self) -> bool:
        """Kinds that are about an earlier act and need to name it."""
        return self in (ReportKind.CASUALTY_REPORT, ReportKind.DAMAGE_ASSESSMENT)

    @property
    def is_correction(self) -> bool:
        """Retractions and merges: reports about other reports, not about what happened."""
        return self in CORRECTIONS


HOSTILE_ACTS = frozenset(
    {
        ReportKind.DRONE_ATTACK,
        ReportKind.ROCKET_ATTACK,
        ReportKind.MISSILE_ATTACK,
        ReportKind.EXPLOSIVE_ATTACK,
        ReportKind.AIRSTRIKE,
    }
)
CORRECTIONS = frozenset({ReportKind.RETRACTION, ReportKind.MERGE})


GEO_PRECISION = {1: "the exact place", 2: "near it, or part of a region", 3: "the region only"}
"""ACLED's geo_precision codes (UCDP's where_prec maps onto them): how exactly lat/lon place it."""
