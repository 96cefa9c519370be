"""How the demo listing words a report (flashpoint.overview), without a log."""

from __future__ import annotations

from flashpoint.domain import parse_report
from flashpoint.overview import Entry

from ..conftest import drone_attack, statement


def test_a_stance_reads_as_words_and_de_escalation_keeps_its_hyphen() -> None:
    calming = Entry(parse_report(statement("calm", "de_escalation", "2024-02-03")))
    vowing = Entry(parse_report(statement("vow", "vow_revenge", "2024-02-03")))

    assert calming.what() == "statement (de-escalation)"
    assert vowing.what() == "statement (vow revenge)"


def test_targets_are_joined_with_semicolons_as_in_the_tables() -> None:
    """Names hold commas ("a facility in Syria, near the border"); the listing must not split them."""
    attack = Entry(parse_report(drone_attack("a", target=["depot in Syria, near the border", "Tower 22"])))

    assert attack.who().endswith("→ depot in Syria, near the border; Tower 22")
