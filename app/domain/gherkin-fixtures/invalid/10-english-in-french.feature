# language: fr
Feature: English keywords in a French file
  Scenario: Nope
    Given a step
