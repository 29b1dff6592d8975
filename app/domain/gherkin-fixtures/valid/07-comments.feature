# A comment before everything
Feature: Comments are ignored
  # a comment in the description area

  # a comment before a scenario
  Scenario: Comments between steps
    Given a step
    # a comment between steps
    When another step
      | a | b |
      # a comment inside a table
      | 1 | 2 |
    Then the table has 2 rows
# a comment at column one
  Scenario: Second
    * a star step
