Feature: Unicode 🚀 titles

  Scenario: Emoji and CJK in steps
    Given the title "导出 📦"
    When I export the backlog
    Then the file contains "导出 📦"
    And the table keeps accents:
      | naïve | café | Ærø |
