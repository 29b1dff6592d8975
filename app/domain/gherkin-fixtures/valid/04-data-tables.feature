Feature: Import users

  Scenario: Users from a table
    Given these users exist:
      | name  | email             | role        |
      | Ana   | ana@example.com   | owner       |
      | Bo    | bo@example.com    | stakeholder |
      | Pipe  | a\|b@example.com  |             |
    When I open the member list
    Then I see 3 members
    And the roles are:
      | owner | stakeholder | (none) |
