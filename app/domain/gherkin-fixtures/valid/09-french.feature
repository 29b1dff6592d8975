# language: fr
@vote
Fonctionnalité: Vote par points
  En tant que partie prenante
  Je veux répartir mes points

  Contexte:
    Soit une session avec un budget de 5 points

  Scénario: Voter dans le budget
    Quand je place 3 points sur "Connexion"
    Et je place 2 points sur "Export"
    Alors il me reste 0 point
    Mais personne ne voit mes votes

  Plan du scénario: Dépasser le budget
    Étant donné qu'on a déjà placé <déjà> points
    Quand je place <encore> points
    Alors je vois "<message>"

    Exemples:
      | déjà | encore | message          |
      | 4    | 2      | Budget dépassé   |
      | 5    | 1      | Budget dépassé   |

  Règle: Le vote est secret
    Exemple: Avant la révélation
      Soit trois participants ont voté
      Alors seul l'animateur voit qui a voté
