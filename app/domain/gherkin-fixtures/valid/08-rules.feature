Feature: Dependencies

  Scenario: A lone link
    Given item A
    When I link A to B
    Then A is blocked by B

  Rule: Cycles are refused
    Any link that closes a loop is rejected with the loop named.

    Background:
      Given items A, B and C

    Example: Direct cycle
      Given A is blocked by B
      When I make B blocked by A
      Then I see "A → B → A"

    Example: Long cycle
      Given A is blocked by B and B by C
      When I make C blocked by A
      Then the link is refused

  @warning
  Rule: Order warnings
    Scenario: Item above its blocker
      Given A is blocked by B
      And A is ranked above B
      Then A shows a warning
