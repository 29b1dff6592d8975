Feature: Export criteria

  Scenario: Plain doc string
    Given a story with the description:
      """
      As a PO
        I want indented lines kept
      So that nothing is lost
      """
    Then the export contains the description

  Scenario: Backtick doc string with a media type
    When the API answers:
      ```json
      { "ok": true, "items": [] }
      ```
    Then the body parses as JSON

  Scenario: Escaped delimiters
    Given the text:
      """markdown
      A code fence:
      \"\"\"
      end
      """
    Then it keeps the inner delimiter
