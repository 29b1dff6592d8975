# language: xx
Feature: Unknown language
