Feature: Dangling tag

  Scenario: Only one
    Given a step

  @orphan
