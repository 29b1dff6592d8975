Feature: Save search preferences
  As a returning shopper
  I want my search filters remembered
  So that I do not set them up every visit

  Scenario: Filters are restored on the next visit
    Given I am signed in
    And I filtered by "size: M" and "colour: blue"
    When I come back tomorrow
    Then the same filters are applied
    But the search text is empty

  Scenario: A guest's filters are not kept
    Given I am not signed in
    When I filter by "size: M"
    And I close the browser
    Then no filters are applied on my next visit
