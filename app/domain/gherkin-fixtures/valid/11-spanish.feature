# language: es
Característica: Revisión del sprint

  Antecedentes:
    Dado un sprint con 3 historias terminadas

  Escenario: Aceptar una historia
    Cuando el PO marca todos los criterios como cumplidos
    Y la definición de hecho se cumple
    Entonces la historia queda aceptada

  Esquema del escenario: Rechazar una historia
    Cuando el criterio "<criterio>" no se cumple
    Entonces la historia queda rechazada
    Pero el comentario nombra "<criterio>"

    Ejemplos:
      | criterio           |
      | exporta a CSV      |
      | muestra el error   |

  Regla: La retroalimentación nueva es un elemento nuevo
    Ejemplo: Pedir algo nuevo
      Dado que un interesado pide un filtro nuevo
      Entonces se crea un elemento en el backlog
