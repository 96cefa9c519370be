@casualties
Feature: How far to trust a source, from what it said and later revised
  As a newsroom data team
  I want each source's record of figures given and revised, judged only on what was known then
  So that I can weigh a new figure by who gives it

  US Central Command raised its count of the injured at Tower 22 twice in three days; a US
  official, through the Associated Press, gave another figure a week later
  (data/tower-22-command.yaml).

  Background:
    Given the reports in "data/tower-22-command.yaml" are appended

  Scenario: The command revised its injured count upward, not its dead
    Then the source "US Central Command" revised 1 of its 2 figures
    And the source "US Central Command" revised 1 figure upward
    And the source "US Central Command" revised 0 figures downward
    And the source "a US official" revised 0 of its 1 figure

  Scenario: Judged only on what was known at the time
    When history is replayed as known on 2024-01-28
    Then the source "US Central Command" revised 0 of its 2 figures
    When history is replayed as known on 2024-01-29
    Then the source "US Central Command" revised 1 of its 2 figures

  Scenario: Sources are matched by name whatever the spelling
    Then the source "us central command" revised 1 of its 2 figures
    And the source "U.S. Central Command" revised 1 figure upward

  Scenario: The latest figure of each source stands, and the two disagree
    Then us_military injured in "tower-22-drone-2024-01-28" are low 40, best 40, high 41
    And the casualty figures for "tower-22-drone-2024-01-28" are disputed
