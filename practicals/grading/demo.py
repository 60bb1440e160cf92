"""The demo practical's grading: automatic checks and a rubric an instructor can try."""

from ..models import PracticalCheck, PracticalPage, RubricCriterion

CHECKS = [
    ("finished", 0, True),
    ("heatup", 300, True),
    ("band", 10, False),
    ("print_time", 25, False),
    ("first_layer", 50, False),
    ("filament", 5, False),
]

LEVELS_FIRST_LAYER = "\n".join(
    [
        "Décollée ou absente",
        "Irrégulière : manques ou bourrelets",
        "Régulière, légèrement trop ou pas assez écrasée",
        "Régulière et bien écrasée, lignes soudées",
    ]
)
LEVELS_SURFACE = "\n".join(
    [
        "Pièce inutilisable",
        "Défauts visibles (fils, couches décalées)",
        "Quelques défauts mineurs",
        "Surface propre, arêtes nettes",
    ]
)


def practical_grading_seed(practical: PracticalPage, *, competency=None) -> None:
    """Give `practical` the demo's checks and rubric (once)."""
    if PracticalCheck.objects.filter(page=practical).exists():
        return
    PracticalCheck.objects.bulk_create(
        PracticalCheck(page=practical, kind=kind, threshold=threshold, mandatory=mandatory)
        for kind, threshold, mandatory in CHECKS
    )
    RubricCriterion.objects.create(
        page=practical,
        label="Première couche",
        weight=3,
        levels=LEVELS_FIRST_LAYER,
        competency=competency,
        sort_order=0,
    )
    RubricCriterion.objects.create(
        page=practical, label="État de surface", weight=2, levels=LEVELS_SURFACE, sort_order=1
    )
    for order, axis in enumerate("XYZ", start=2):
        RubricCriterion.objects.create(
            page=practical,
            label=f"Cube de calibration : côté {axis} (pied à coulisse)",
            kind=RubricCriterion.Kind.MEASURED,
            nominal=20,
            tolerance=0.2,
            unit="mm",
            sort_order=order,
        )
