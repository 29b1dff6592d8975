Feature: Step after examples

  Scenario Outline: Outline
    Given <a>

    Examples:
      | a |
      | 1 |
    Then a step that belongs nowhere
