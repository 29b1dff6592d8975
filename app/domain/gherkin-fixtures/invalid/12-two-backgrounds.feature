Feature: Two backgrounds

  Background:
    Given one

  Background:
    Given two

  Scenario: s
    Given x
