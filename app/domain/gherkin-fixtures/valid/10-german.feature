# language: de
Funktionalität: Planungspoker
  Jeder schätzt verdeckt.

  Grundlage:
    Angenommen ein Team mit 4 Mitgliedern

  Szenario: Alle Karten werden aufgedeckt
    Wenn alle geschätzt haben
    Und die Moderatorin aufdeckt
    Dann sehe ich Mittelwert, Median und Modus
    Aber keine Namen im anonymen Modus

  Szenariogrundriss: Große Streuung
    Gegeben sei die niedrigste Karte <min> und die höchste <max>
    Dann wird die Streuung <markiert>

    Beispiele:
      | min | max | markiert       |
      | 1   | 8   | markiert       |
      | 3   | 5   | nicht markiert |
