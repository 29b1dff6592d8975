Feature: Backticks

  Scenario: Code block
    Given the code:
      ```js
      const x = 1;
      """
    Then it runs
