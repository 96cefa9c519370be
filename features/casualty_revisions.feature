@casualties
Feature: Casualty figures are revised as reports come in
  As a newsroom data team
  I want each source's latest figure to replace its earlier one, separately for killed and injured
  So that the estimates follow the reporting without losing who said what

  Background:
    Given the reports in "data/tower-22.yaml" are appended

  Scenario Outline: The injured count as known on <day>
    When history is replayed as known on <day>
    Then us_military injured in "tower-22-2024-01-28" are low <low>, best <best>, high <high>

    Examples:
      | day        | low  | best | high |
      | 2024-01-28 | null | null | null |
      | 2024-01-29 | 25   | 25   | 25   |
      | 2024-01-31 | 34   | 34   | 34   |
      | 2024-02-10 | 34   | 34   | 40   |

  Scenario: A revision of the injured leaves the killed untouched
    Then us_military killed in "tower-22-2024-01-28" are low 3, best 3, high 3
    And the casualty figures for "tower-22-2024-01-28" are disputed

  Scenario: A claim of responsibility that inflates the toll is kept as a claim, not a fact
    Given these reports are appended:
      | id               | kind      | stance                  | occurred   | reported   | actor                      | incident            | party       | killed | qualifier | source                     |
      | iri-claim-tower-22 | statement | claim_of_responsibility | 2024-01-28 | 2024-01-29 | Islamic Resistance in Iraq | tower-22-2024-01-28 | us_military | 10     | at_least  | Islamic Resistance in Iraq |
    Then us_military killed in "tower-22-2024-01-28" are low 3, best 3, high 10
    And the total us_military killed are low 3, best 3, high 10
