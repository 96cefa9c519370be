@knowledge
Feature: Replaying history as it was known on a date
  As an analyst
  I want to see only what had been reported by a given day
  So that I can reconstruct the picture available to decision makers at the time

  Background:
    Given the seed reports are appended

  Scenario: Before McKenzie's interview the BDSC attack was not public
    When history is replayed as known on 2021-06-10
    Then the timeline holds 2 hostile acts
    When history is replayed as known on 2021-06-11
    Then the timeline holds 3 hostile acts
    And the act "bdsc-drone-2021-06" is certain

  Scenario: Both cuts at once
    When history is replayed to 2021-06-30 as known on 2021-06-26
    Then the timeline holds 3 hostile acts
    And the escalation level is "casualty attacks"
    When history is replayed to 2021-06-30 as known on 2021-06-27
    Then the escalation level is "lethal attacks"

  Scenario: A toll published after the fact raises the rung only from that day
    Given the reports in "data/tower-22.yaml" are appended
    When history is replayed as known on 2024-01-27
    Then the timeline holds 4 hostile acts
    When history is replayed as known on 2024-01-28
    Then the act "tower-22-2024-01-28" is on rung 2
    When history is replayed as known on 2024-01-29
    Then the act "tower-22-2024-01-28" is on rung 5
    And us_military killed in "tower-22-2024-01-28" are low 3, best 3, high 3
