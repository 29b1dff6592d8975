Business Need: Keyword synonyms

  Example: Star steps
    * a first step
    * a second step

  Scenario Template: Template keyword
    Given <x>

    Scenarios:
      | x |
      | 1 |

  Scenario: A scenario with examples is an outline too
    Given <y>

    Examples:
      | y |
      | 2 |
      | 3 |
