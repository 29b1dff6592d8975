Feature: Step table

  Scenario: A row is missing a cell
    Given these users:
      | name | email           |
      | Ana  | ana@example.com |
      | Bo   |
    Then there are 2 users
