Feature: Late background

  Scenario: First
    Given a step

  Background:
    Given too late
