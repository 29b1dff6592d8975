/** Test data, shared by the tests of the description's converters (description-blocks, adf, jira-wiki). */

/** Texts of every kind the description parser knows, and a few it only half knows. */
export const descriptionFixtures = [
  '',
  'Plain sentence.',
  'As a patient\nI want to book online\n\nSo that I do not call.',
  '# Booking\n\nAs a patient\nI want to book\n\n- one\n- two\n  - two and a half\n\n1. first\n2. second',
  '## Heading\n\nText\nwith a break\n\n- a\n- b\n  - c\n    - d\n- e\n\n7. seven\n8. eight\n\n> quote\n>\n> more\n\n```\ncode\n\n  indented\n```\n\n---\n\nend',
  '- item\n  continued\n\n  1. nested ordered\n  2. again',
  '  leading spaces\n\ttab',
  '#hashtag and -5 degrees\n+1 from me',
  '###### six\n\n####### seven is text',
  '#   spaced heading   \n\ntrailing spaces   ',
  '- a\n\n- b\n  still b\nafter',
  '* star\n+ plus\n\n0. zero start\n1. one',
  '- \n- empty item above',
  '> # heading in a quote\n> - list in a quote\n>   - nested\n>\n> ```js\n> code();\n> ```',
  '- item\n  - nested\n  # heading after a nested list\n  ---\n  > quote in an item',
  '```gherkin\nFeature: x\n  Scenario: y\n    Given z\n```',
  '~~~\ntilde fence\n~~~',
  '```\nunclosed fence\nat the end',
  'a\r\nb\r\n\r\nc',
  '>\n>\n\nempty quote above',
  '1) paren list\n2) two',
];
