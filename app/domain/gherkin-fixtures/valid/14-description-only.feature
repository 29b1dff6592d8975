@draft
Feature: Not refined yet
  The team has not written scenarios for this story.
  It still parses: zero criteria.
