Feature: Team velocity

  Background: Three finished sprints
    Given sprints 1 to 3 are closed
    And the accepted points were 20, 24 and 22

  Scenario: Average velocity
    When I open the velocity chart
    Then the average is 22

  Scenario: Forecast range
    When I forecast 66 points
    Then the forecast reads "between sprint 4 and sprint 6"
