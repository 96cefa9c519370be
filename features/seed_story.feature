@seed
Feature: The seed story — US strikes and Iran-backed militia attacks, February to June 2021
  As an analyst reading the June 2021 reporting
  I want the exchanges it describes on one timeline
  So that I can see how each act answered the last and what the tolls were, according to whom

  Background:
    Given the seed reports are appended

  Scenario: The Erbil rockets are answered by strikes in Syria ten days later
    Then "us-strikes-2021-02-25" responds to "erbil-rockets-2021-02-15" after 10 days
    And the act "erbil-rockets-2021-02-15" is on rung 5
    And contractor killed in "erbil-rockets-2021-02-15" are low 1, best 1, high 1
    And us_military injured in "erbil-rockets-2021-02-15" are low 1, best 1, high 1
    And militia killed in "us-strikes-2021-02-25" are low 1, best 1, high 1

  Scenario: The June strikes answer a drone attack known only to within eleven days
    Then "us-strikes-2021-06-27" responds to "bdsc-drone-2021-06" after 16 to 26 days
    And the tit-for-tat cycles number 2

  Scenario: The BDSC attack, dated only "earlier this month", is possible until its interval has passed
    When history is replayed to 2021-06-05
    Then the act "bdsc-drone-2021-06" is possible
    When history is replayed to 2021-06-11
    Then the act "bdsc-drone-2021-06" is certain
    And the act "bdsc-drone-2021-06" is on rung 4

  Scenario: The June toll is disputed between the militia officials and the monitoring group
    Then militia killed in "us-strikes-2021-06-27" are low 4, best 4, high 5
    And the casualty figures for "us-strikes-2021-06-27" are disputed
    And civilian killed in "us-strikes-2021-06-27" are low null, best null, high null
    And the total militia killed are low 5, best 5, high 6

  Scenario: After the revenge vow the escalation stands at lethal attacks and rising
    Then the timeline lists these acts in order:
      | id                       | occurred              | kind          | side         | certainty |
      | erbil-rockets-2021-02-15 | 2021-02-15            | rocket_attack | unknown      | certain   |
      | us-strikes-2021-02-25    | 2021-02-25            | airstrike     | us_coalition | certain   |
      | bdsc-drone-2021-06       | 2021-06-01/2021-06-11 | drone_attack  | unknown      | certain   |
      | us-strikes-2021-06-27    | 2021-06-27            | airstrike     | us_coalition | certain   |
    And the escalation level is "lethal attacks"
    And the escalation trend is "escalating"
    And the event log holds 12 reports
