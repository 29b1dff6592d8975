Feature:   Odd   indentation


	Scenario: Tabs and spaces
		Given a step indented with tabs
            When a step indented a lot
  Then a step indented a little   



 Scenario:No space after the colon
Given a step at column one
      |a|b|
  |  1  |2|

