@casualties
Feature: A source may give a casualty figure as a range
  As a conflict analyst
  I want a figure given as "between 4 and 7" kept as a range, not forced to one number
  So that the low, best and high estimates take both ends of what the source said

  Background:
    Given an empty event log
    And these reports are appended:
      | id                    | kind      | occurred   | reported   | actor         | target            |
      | us-strikes-2024-02-02 | airstrike | 2024-02-02 | 2024-02-02 | United States | Kata'ib Hezbollah |

  Scenario: A range gives its lower end to low and best and its upper end to high
    Given these reports are appended:
      | id           | kind            | reported   | incident              | party   | killed | qualifier | source             |
      | toll-range   | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | militia | 4 to 7 | between   | militia officials  |
      | toll-monitor | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | militia | 5      | at_least  | a monitoring group |
    Then militia killed in "us-strikes-2024-02-02" are low 4, best 4, high 7
    And the casualty figures for "us-strikes-2024-02-02" are disputed
    And the total militia killed are low 4, best 4, high 7
    And the escalation level is "lethal attacks"

  Scenario: A range that may be none reports deaths by its upper end
    Given these reports are appended:
      | id         | kind            | reported   | incident              | party    | killed | qualifier | source |
      | toll-range | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | civilian | 0-2    | between   | medics |
    Then civilian killed in "us-strikes-2024-02-02" are low 0, best 0, high 2
    And the escalation level is "lethal attacks"

  Scenario: A range from a number to the same number is that number
    Given these reports are appended:
      | id         | kind            | reported   | incident              | party   | killed | qualifier | source             |
      | toll-range | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | militia | 4 to 4 | between   | militia officials  |
      | toll-exact | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | militia | 4      | exact     | a monitoring group |
    Then militia killed in "us-strikes-2024-02-02" are low 4, best 4, high 4
    And the casualty figures for "us-strikes-2024-02-02" are undisputed

  Scenario: A source that narrows its range supersedes its first one
    Given these reports are appended:
      | id          | kind            | reported   | incident              | party   | killed  | qualifier | source            |
      | toll-first  | casualty_report | 2024-02-03 | us-strikes-2024-02-02 | militia | 2 to 10 | between   | militia officials |
      | toll-narrow | casualty_report | 2024-02-05 | us-strikes-2024-02-02 | militia | 5 to 6  | between   | militia officials |
    When history is replayed as known on 2024-02-04
    Then militia killed in "us-strikes-2024-02-02" are low 2, best 2, high 10
    When history is replayed as known on 2024-02-05
    Then militia killed in "us-strikes-2024-02-02" are low 5, best 5, high 6
    And the casualty figures for "us-strikes-2024-02-02" are undisputed

  Scenario: A range with another qualifier is refused
    When the reports in "data/range-at-least.yaml" are appended
    Then the append fails mentioning "casualties[0].killed: a range {from, to} is a between figure, not at_least"
    And the event log holds 1 reports
