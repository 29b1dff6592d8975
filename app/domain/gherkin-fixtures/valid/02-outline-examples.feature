Feature: Discount codes

  Scenario Outline: Applying a code to a basket of <total>
    Given a basket worth <total>
    When I apply the code "<code>"
    Then I pay <pay>

    Examples: Valid codes
      | code    | total | pay   |
      | SAVE10  | 100   | 90    |
      | HALF    | 80    | 40    |

    Examples: Expired codes
      Codes past their end date are ignored.
      | code    | total | pay   |
      | OLD2020 | 100   | 100   |

    @edge
    Examples:
      | code | total | pay |
      |      | 0     | 0   |
