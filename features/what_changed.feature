@knowledge
Feature: What changed since I last looked, and which report changed it
  As an analyst coming back to a story
  I want every answer that changed between two knowledge dates, each with the reports that changed it
  So that I can correct what I published without reading the whole log again

  The Pentagon's count of service members injured by Iran's missiles on Ain al-Asad air base
  (8 January 2020) went from none to 11, 34 and 109 over a month (data/al-asad-2020.yaml).

  Background:
    Given the reports in "data/al-asad-2020.yaml" are appended

  Scenario Outline: The injured count between two of the Pentagon's statements
    When the changes between <since> and <known> are listed
    Then us_military injured in "al-asad-missiles-2020-01-08" changed from low <was>, best <was>, high <was> to low <now>, best <now>, high <now>
    And the change to us_military injured in "al-asad-missiles-2020-01-08" is because of "<report>"

    Examples:
      | since      | known      | was | now | report                     |
      | 2020-01-08 | 2020-01-16 | 0   | 11  | al-asad-injured-2020-01-16 |
      | 2020-01-16 | 2020-01-24 | 11  | 34  | al-asad-injured-2020-01-24 |
      | 2020-01-24 | 2020-02-10 | 34  | 109 | al-asad-injured-2020-02-10 |
      | 2020-01-08 | 2020-02-10 | 0   | 109 | al-asad-injured-2020-01-16 |

  Scenario: Nothing changed in a week without reports
    When the changes between 2020-01-17 and 2020-01-23 are listed
    Then nothing changed

  Scenario: The day the missiles landed, the act and a tit-for-tat cycle were added
    When the changes between 2020-01-07 and 2020-01-08 are listed
    Then the act "al-asad-missiles-2020-01-08" was added
    And the tit-for-tat cycles changed from 0 to 1
    And the escalation level changed from "direct state confrontation" to "direct state confrontation"

  Scenario: Listing the changes moves no cut
    When history is replayed as known on 2020-01-16
    And the changes between 2020-01-16 and 2020-02-10 are listed
    Then us_military injured in "al-asad-missiles-2020-01-08" are low 11, best 11, high 11

  Scenario: A rocket attack rises a rung when an injury is reported
    Given these reports are appended:
      | id                   | kind            | occurred   | reported   | actor              | target        | target_side  | incident             | party       | injured | qualifier | source                   |
      | erbil-rockets-sketch | rocket_attack   | 2020-01-20 | 2020-01-20 | unknown            | Erbil airport | us_coalition |                      |             |         |           |                          |
      | erbil-injured-sketch | casualty_report |            | 2020-01-22 |                    |               |              | erbil-rockets-sketch | contractor  | 1       | exact     | Kurdistan Region officials |
    When the changes between 2020-01-21 and 2020-01-22 are listed
    Then the act "erbil-rockets-sketch" changed from rung 2 to rung 4
    And the change to contractor injured in "erbil-rockets-sketch" is because of "erbil-injured-sketch"

  Scenario: A fabricated report is withdrawn from its retraction's day on, not before
    Given these reports are appended:
      | id                 | kind            | reported   | incident                    | party       | killed | qualifier | source             | retracts           |
      | deaths-rumour-2020 | casualty_report | 2020-01-09 | al-asad-missiles-2020-01-08 | us_military | 80     | exact     | an unsourced post  |                    |
      | retract-rumour     | retraction      | 2020-01-15 |                             |             |        |           |                    | deaths-rumour-2020 |
    When the changes between 2020-01-14 and 2020-01-15 are listed
    Then us_military killed in "al-asad-missiles-2020-01-08" changed from low 80, best 80, high 80 to low null, best null, high null
    And the change to us_military killed in "al-asad-missiles-2020-01-08" is because of "retract-rumour"
    When history is replayed as known on 2020-01-14
    Then us_military killed in "al-asad-missiles-2020-01-08" are low 80, best 80, high 80
    And the event log holds 7 reports

  Scenario: A duplicate act is merged into the first report of it
    Given these reports are appended:
      | id                   | kind           | occurred   | reported   | actor                           | target               | target_side  | party       | injured | qualifier | source         | merges               | into                        |
      | al-asad-duplicate    | missile_attack | 2020-01-08 | 2020-01-09 | Islamic Revolutionary Guard Corps | Ain al-Asad air base | us_coalition | us_military | 0       | exact     | a wire service |                      |                             |
      | merge-al-asad        | merge          |            | 2020-01-10 |                                 |                      |              |             |         |           |                | al-asad-duplicate    | al-asad-missiles-2020-01-08 |
    When history is replayed as known on 2020-01-09
    Then the timeline holds 3 hostile acts
    When history is replayed as known on 2020-01-10
    Then the timeline holds 2 hostile acts
    And the act "al-asad-duplicate" is merged into "al-asad-missiles-2020-01-08"
    When the changes between 2020-01-09 and 2020-01-10 are listed
    Then the act "al-asad-duplicate" was merged into "al-asad-missiles-2020-01-08"

  Scenario: Retracting an act withdraws it, and what was said about it with it
    Given these reports are appended:
      | id                | kind       | reported   | retracts                    |
      | retract-missiles  | retraction | 2020-02-11 | al-asad-missiles-2020-01-08 |
    When history is replayed as known on 2020-02-11
    Then the act "al-asad-missiles-2020-01-08" is withdrawn
    And the timeline holds 1 hostile act
    And the tit-for-tat cycles number 0
    When the changes between 2020-02-10 and 2020-02-11 are listed
    Then the act "al-asad-missiles-2020-01-08" was withdrawn
    And us_military injured in "al-asad-missiles-2020-01-08" changed from low 109, best 109, high 109 to low null, best null, high null

  Scenario: Retracting the retraction reinstates the act, from that day on
    Given these reports are appended:
      | id                 | kind       | reported   | retracts                    |
      | retract-missiles   | retraction | 2020-02-11 | al-asad-missiles-2020-01-08 |
      | reinstate-missiles | retraction | 2020-02-12 | retract-missiles            |
    When history is replayed as known on 2020-02-11
    Then the timeline holds 1 hostile act
    When history is replayed as known on 2020-02-12
    Then the timeline holds 2 hostile acts
    And us_military injured in "al-asad-missiles-2020-01-08" are low 109, best 109, high 109
    When the changes between 2020-02-11 and 2020-02-12 are listed
    Then the act "al-asad-missiles-2020-01-08" was added
    And the change to us_military injured in "al-asad-missiles-2020-01-08" is because of "reinstate-missiles"
    And the tit-for-tat cycles changed from 0 to 1

  Scenario: Retracting a merge lists the merged act on its own again
    Given these reports are appended:
      | id                | kind           | occurred   | reported   | actor                             | target               | target_side  | merges            | into                        | retracts      |
      | al-asad-duplicate | missile_attack | 2020-01-08 | 2020-01-09 | Islamic Revolutionary Guard Corps | Ain al-Asad air base | us_coalition |                   |                             |               |
      | merge-al-asad     | merge          |            | 2020-01-10 |                                   |                      |              | al-asad-duplicate | al-asad-missiles-2020-01-08 |               |
      | unmerge-al-asad   | retraction     |            | 2020-01-12 |                                   |                      |              |                   |                             | merge-al-asad |
    When history is replayed as known on 2020-01-11
    Then the act "al-asad-duplicate" is merged into "al-asad-missiles-2020-01-08"
    When history is replayed as known on 2020-01-12
    Then the timeline holds 3 hostile acts
    When the changes between 2020-01-11 and 2020-01-12 are listed
    Then the act "al-asad-duplicate" was added
