@backlog @team-a
Feature: Tags everywhere

  @smoke
  @fast @ui
  Scenario: Tagged scenario
    Given a tagged scenario
    Then it carries three tags

  @wip # a comment after tags
  Scenario Outline: Tagged outline
    Given <n> items
    Then it works

    @happy
    Examples:
      | n |
      | 1 |

    @sad @regression
    Examples:
      | n |
      | 0 |
