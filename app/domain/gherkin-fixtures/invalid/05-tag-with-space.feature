Feature: Bad tag

  @needs review
  Scenario: Tagged
    Given a step
