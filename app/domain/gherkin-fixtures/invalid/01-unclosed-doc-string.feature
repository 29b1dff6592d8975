Feature: Unclosed doc string

  Scenario: Forgot to close
    Given the text:
      """
      this never ends
    Then nothing
