Feature: Examples table

  Scenario Outline: Too many cells
    Given <a>

    Examples:
      | a |
      | 1 |
      | 2 | 3 |
