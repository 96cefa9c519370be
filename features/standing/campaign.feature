@standing
Feature: The patterns to watch for in the militia campaign against US forces
  As a conflict analyst
  I want to be told the day a pattern I fear starts or stops holding, and which reports tipped it
  So that I can alert on it, and backtest the alert on what was known each day

  Standing scenarios start from the watched log and are judged, by flashpoint watch, as known
  on each day a report was published. Backtested on the October 2023 - February 2024 campaign
  (append ../data/campaign-2023-24.yaml to a log, then watch this file):

    flashpoint --db campaign.db append features/data/campaign-2023-24.yaml
    flashpoint --db campaign.db watch features/standing/campaign.feature

  Scenario: Lethal attacks on US forces
    Given the event log
    Then the escalation level is at least "lethal attacks"
    And the total us_military killed are at least 1

  Scenario: Casualty attacks or worse
    Given the event log
    Then the escalation level is at least "casualty attacks"

  Scenario: Tit-for-tat under way
    Given the event log
    Then the tit-for-tat cycles number at least 3
