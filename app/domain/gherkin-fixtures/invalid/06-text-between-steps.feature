Feature: Free text among steps

  Scenario: Missing keyword
    Given a step
    the user clicks save
    Then it is saved
