@ladder
Feature: The escalation ladder
  As an analyst
  I want every hostile act placed on a rung by what is known of it
  So that "how far has it gone" has one answer at any cut

  Scenario Outline: An attack's rung follows its damage, casualties and who struck whom
    Given an empty event log
    And these reports are appended:
      | id     | kind   | occurred   | reported   | actor   | side   | actor_type   | target    | target_side   | target_type   | damage   | party   | killed   | injured   | source |
      | act-1  | <kind> | 2024-01-28 | 2024-01-28 | <actor> | <side> | <actor_type> | Tower 22  | <target_side> | <target_type> | <damage> | <party> | <killed> | <injured> | CENTCOM |
    Then the escalation level is "<level>"

    Examples:
      | kind           | actor | side         | actor_type   | target_side  | target_type  | damage | party       | killed | injured | level                      |
      | rocket_attack  | KH    | iran_aligned | militia      | us_coalition | state_forces | none   |             |        |         | harassment                 |
      | rocket_attack  | KH    | iran_aligned | militia      | us_coalition | state_forces | heavy  |             |        |         | damaging attacks           |
      | drone_attack   | KH    | iran_aligned | militia      | us_coalition | state_forces | minor  | us_military |        | 5       | casualty attacks           |
      | drone_attack   | KH    | iran_aligned | militia      | us_coalition | state_forces | heavy  | us_military | 3      | 40      | lethal attacks             |
      | missile_attack | Iran  | iran_aligned | state_forces | us_coalition | state_forces | heavy  |             |        |         | direct state confrontation |

  Scenario: Threats alone are the first rung; thirty quiet days bring calm
    Given these reports are appended:
      | id     | kind      | stance      | occurred   | reported   | actor |
      | vow-1  | statement | vow_revenge | 2024-02-03 | 2024-02-03 | KH    |
    Then the escalation level is "threats"
    And the timeline holds 0 hostile acts
    When history is replayed to 2024-03-04
    Then the escalation level is "calm"

  Scenario: Only answers across sides are tit-for-tat
    Given these reports are appended:
      | id        | kind         | occurred   | reported   | actor         | target   | responds_to |
      | drone-1   | drone_attack | 2024-01-28 | 2024-01-28 | KH            | Tower 22 |             |
      | strike-1  | airstrike    | 2024-02-02 | 2024-02-02 | United States | Al Qaim  | drone-1     |
      | strike-2  | airstrike    | 2024-02-07 | 2024-02-07 | United States | Baghdad  | strike-1    |
    Then "strike-1" responds to "drone-1" after 5 days
    And "strike-2" responds to "strike-1" after 5 days
    And the tit-for-tat cycles number 1
