@refused
Feature: Bad reports are refused and leave the log untouched
  As an analyst keeping the record
  I want a bad report refused with a message naming the report and the field
  So that nothing is lost silently and nothing half-appended

  Background:
    Given the seed reports are appended

  Scenario: A misspelt field is refused, with the right spelling suggested
    When the reports in "data/typo.yaml" are appended
    Then the append fails mentioning "casualties[0].qualifer: unknown key (did you mean 'qualifier'?)"
    And the event log holds 12 reports

  Scenario: One impossible date refuses the whole file
    When the reports in "data/half-bad.yaml" are appended
    Then the append fails mentioning "not a real calendar day"
    And the event log holds 12 reports

  Scenario: A different report under a known id is refused
    When these reports are appended:
      | id                    | kind      | occurred   | reported   | actor         | target       |
      | us-strikes-2021-06-27 | airstrike | 2021-06-28 | 2021-06-28 | United States | another site |
    Then the append fails mentioning "already in the log with different content"

  Scenario: A misspelt actor is refused, with the known actor suggested
    When these reports are appended:
      | id           | kind         | occurred   | reported   | actor           | target   |
      | kh-drone-typ | drone_attack | 2024-01-28 | 2024-01-28 | Kataib Hezbolah | Tower 22 |
    Then the append fails mentioning "actor: "Kataib Hezbolah" is not a known actor; did you mean "Kata'ib Hezbollah"?"
    And the event log holds 12 reports

  Scenario: A response to a report that is nowhere is refused
    When these reports are appended:
      | id        | kind      | occurred   | reported   | actor         | target   | responds_to    |
      | us-answer | airstrike | 2021-06-29 | 2021-06-29 | United States | KH depot | no-such-attack |
    Then the append fails mentioning "responds_to: 'no-such-attack' is neither in the log nor in this append"
    And the event log holds 12 reports

  Scenario: A response that ended before the act it answers began is refused
    When these reports are appended:
      | id        | kind      | occurred   | reported   | actor         | target   | responds_to           |
      | us-answer | airstrike | 2021-06-26 | 2021-06-29 | United States | KH depot | us-strikes-2021-06-27 |
    Then the append fails mentioning "a response cannot come before the act it answers"
    And the event log holds 12 reports

  Scenario: Appending the same report again changes nothing
    When the report "us-strikes-2021-06-27" is appended again
    Then the append succeeds
    And the event log holds 12 reports

  Scenario Outline: Each kind of bad value is refused naming its field
    When these reports are appended:
      | id         | kind   | occurred   | reported   | party   | killed   | qualifier   | source |
      | bad-report | <kind> | <occurred> | 2024-01-30 | <party> | <killed> | <qualifier> | AP     |
    Then the append fails mentioning "<message>"

    Examples:
      | kind         | occurred              | party    | killed  | qualifier | message                       |
      | ied_attack   | 2024-01-28            | militia  | 1       | exact     | kind: 'ied_attack' is not one |
      | drone_attack | 2024-01-31            | militia  | 1       | exact     | before the occurrence begins  |
      | drone_attack | 2024-01-29/2024-01-27 | militia  | 1       | exact     | ends before it starts         |
      | drone_attack | 2024-01-28            | fighters | 1       | exact     | casualties[0].party           |
      | drone_attack | 2024-01-28            | militia  | -2      | exact     | must not be negative          |
      | drone_attack | 2024-01-28            | militia  | several | exact     | expected a whole number       |
