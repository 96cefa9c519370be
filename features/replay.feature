@replay
Feature: Replaying history to a date
  As an analyst
  I want to see what had happened by any given day
  So that I can judge how far the escalation had gone at that moment

  Background:
    Given the seed reports are appended

  Scenario Outline: What had occurred by <day>
    When history is replayed to <day>
    Then the timeline holds <acts> hostile acts
    And the escalation level is "<level>"

    Examples:
      | day        | acts | level            |
      | 2021-02-14 | 0    | calm             |
      | 2021-02-20 | 1    | lethal attacks   |
      | 2021-05-31 | 2    | calm             |
      | 2021-06-26 | 3    | casualty attacks |
      | 2021-06-30 | 4    | lethal attacks   |

  Scenario: A quiet spring ends the February exchange
    When history is replayed to 2021-04-30
    Then the escalation level is "calm"
    And the escalation trend is "stable"
    When history is replayed to 2021-04-10
    Then the escalation trend is "de-escalating"

  Scenario: A response to an act that had not yet happened is not on the timeline
    When history is replayed to 2021-06-26
    Then the timeline lists these acts in order:
      | id                       | kind          |
      | erbil-rockets-2021-02-15 | rocket_attack |
      | us-strikes-2021-02-25    | airstrike     |
      | bdsc-drone-2021-06       | drone_attack  |
    And the tit-for-tat cycles number 1
