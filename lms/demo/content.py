"""The demo course, in French: « Initiation à l'impression 3D FDM » (a short first version).

Technical content is real: temperatures and procedures are those used on the farms.
"""

from courses.models import (
    CatalogPage,
    Competency,
    CourseCompetency,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from practicals.grading.demo import practical_grading_seed
from practicals.models import PracticalPage

COURSE_SLUG = "initiation-impression-3d-fdm"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


LESSONS_MODULE_1 = [
    {
        "title": "La sécurité à l’atelier",
        "slug": "securite-atelier",
        "estimated_minutes": 10,
        "body": [
            (
                "paragraph",
                _p(
                    "Une imprimante FDM fait fondre du plastique dans une buse chauffée entre "
                    "190 °C et 260 °C, sur un plateau chauffé jusqu’à 110 °C. Trois risques "
                    "dominent : les brûlures, les émanations et le feu."
                ),
            ),
            (
                "callout",
                {
                    "kind": "safety",
                    "text": _p(
                        "Ne touchez jamais la buse ni le bloc de chauffe : ils restent brûlants "
                        "plusieurs minutes après l’arrêt. Attendez que la température affichée "
                        "soit sous 50 °C avant toute intervention."
                    ),
                },
            ),
            ("heading", "Émanations"),
            (
                "paragraph",
                _p(
                    "Le PLA émet peu de composés organiques volatils ; l’ABS et l’ASA émettent "
                    "du styrène et des particules fines. Imprimez-les dans une enceinte fermée "
                    "et ventilée, jamais dans une salle de formation sans extraction."
                ),
            ),
            ("heading", "Feu"),
            (
                "paragraph",
                _p(
                    "Un firmware à jour protège contre l’emballement thermique "
                    "(« thermal runaway ») : si la température ne suit plus la consigne, "
                    "l’imprimante s’arrête. Ne désactivez jamais cette protection, et gardez "
                    "un extincteur CO₂ près de la ferme."
                ),
            ),
        ],
    },
    {
        "title": "Anatomie d’une imprimante FDM",
        "slug": "anatomie-imprimante",
        "estimated_minutes": 15,
        "body": [
            (
                "paragraph",
                _p(
                    "L’extrudeur pousse le filament (1,75 mm de diamètre) vers la tête "
                    "d’impression : le hotend le fait fondre et la buse (0,4 mm le plus souvent) "
                    "le dépose couche par couche sur le plateau.",
                    "Les axes X, Y et Z sont mus par des moteurs pas à pas ; des capteurs de fin "
                    "de course permettent la mise à l’origine (G28). Un ventilateur de pièce "
                    "refroidit le plastique juste déposé.",
                ),
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "text": _p(
                        "Sur les fermes du réseau, chaque imprimante est pilotée par OctoPrint : "
                        "c’est lui qui reçoit votre G-code et suit l’impression."
                    ),
                },
            ),
        ],
    },
]

COMPETENCIES = [
    (
        "securite-atelier",
        "Travailler en sécurité à l’atelier",
        "Connaître les risques d’une imprimante FDM (brûlures, émanations, feu) et les gestes "
        "qui les évitent.",
    ),
    (
        "machine-fdm",
        "Connaître l’imprimante FDM",
        "Nommer les organes d’une imprimante FDM et dire à quoi ils servent.",
    ),
    (
        "temperatures-materiaux",
        "Régler les températures des matériaux",
        "Choisir les températures de buse et de plateau du PLA, du PETG et de l’ABS.",
    ),
]


def _choices(*items):
    return [{"text": text, "correct": ok, "feedback": feedback} for text, ok, feedback in items]


QUIZ_MODULE_1 = {
    "title": "Quiz : sécurité et machine",
    "slug": "quiz-securite-machine",
    "pass_mark": 70,
    "max_attempts": 0,
    "wait_minutes": 0,
    "estimated_minutes": 10,
    "shuffle_answers": True,
    "intro": _p("Six questions pour vérifier l’essentiel avant de passer à la pratique."),
    # (block type, value, competency codes)
    "questions": [
        (
            "single_choice",
            {
                "question": "Quand peut-on toucher la buse après une impression ?",
                "choices": _choices(
                    ("Dès que l’impression est terminée", False, "Non : elle reste brûlante."),
                    ("Quand la température affichée est sous 50 °C", True, "Oui."),
                    (
                        "Après avoir coupé le ventilateur",
                        False,
                        "Le ventilateur ne la refroidit pas assez vite : lisez la température.",
                    ),
                ),
            },
            ["securite-atelier"],
        ),
        (
            "single_choice",
            {
                "question": "Quel diamètre de filament utilisent les imprimantes du réseau ?",
                "choices": _choices(
                    ("1,75 mm", True, ""),
                    ("0,4 mm", False, "0,4 mm est le diamètre de la buse."),
                    ("3 mm", False, "Le 2,85 mm existe, mais pas sur nos machines."),
                ),
            },
            ["machine-fdm"],
        ),
        (
            "single_choice",
            {
                "question": "À quoi sert la protection contre l’emballement thermique ?",
                "choices": _choices(
                    ("À accélérer la chauffe", False, ""),
                    ("À arrêter l’imprimante si la température ne suit plus la consigne", True, ""),
                    (
                        "À refroidir la pièce imprimée",
                        False,
                        "C’est le rôle du ventilateur de pièce.",
                    ),
                ),
            },
            ["securite-atelier"],
        ),
        (
            "true_false",
            {
                "question": "On peut imprimer de l’ABS dans une salle de formation sans "
                "extraction.",
                "true": False,
                "feedback_true": "Non : l’ABS émet du styrène, il faut une enceinte ventilée.",
                "feedback_false": "Exact : enceinte fermée et ventilée.",
            },
            ["securite-atelier"],
        ),
        (
            "multiple_choice",
            {
                "question": "Quels organes font partie de la tête d’impression ?",
                "choices": _choices(
                    ("La buse", True, ""),
                    ("Le hotend", True, ""),
                    (
                        "Le plateau chauffant",
                        False,
                        "Le plateau est sous la pièce, pas dans la tête.",
                    ),
                    ("Le ventilateur de pièce", True, ""),
                ),
            },
            ["machine-fdm"],
        ),
        (
            "numeric",
            {
                "question": "Température de buse de départ pour le PLA ?",
                "answer": "205",
                "tolerance": "15",
                "unit": "°C",
                "feedback_right": "Oui : entre 190 et 220 °C selon le filament.",
                "feedback_wrong": "Le PLA s’imprime entre 190 et 220 °C.",
            },
            ["temperatures-materiaux"],
        ),
    ],
}

LESSON_MODULE_2 = {
    "title": "Du modèle au G-code : le tranchage",
    "slug": "tranchage",
    "estimated_minutes": 20,
    "body": [
        (
            "paragraph",
            _p(
                "Un trancheur (PrusaSlicer, Cura, OrcaSlicer) découpe le modèle 3D (STL) en "
                "couches et écrit le G-code : la suite de commandes que l’imprimante exécute.",
                "Réglages de départ pour le PLA : buse à 200–215 °C, plateau à 60 °C, "
                "couches de 0,2 mm, remplissage de 15 %.",
            ),
        ),
        ("heading", "Lire un G-code"),
        (
            "paragraph",
            _p(
                "<code>M104 S200</code> règle la buse à 200 °C, <code>M140 S60</code> le plateau "
                "à 60 °C ; <code>M109</code> et <code>M190</code> attendent que la température "
                "soit atteinte. <code>G28</code> fait la mise à l’origine et <code>G1 X10 Y10 "
                "E0.5</code> déplace la tête en extrudant."
            ),
        ),
        (
            "callout",
            {
                "kind": "warning",
                "text": _p(
                    "Envoyez uniquement un fichier .gcode tranché pour l’imprimante réservée : "
                    "Atelier refuse les fichiers qui ne sont pas du G-code."
                ),
            },
        ),
    ],
}

PRACTICAL = {
    "title": "TP : première impression sur la ferme",
    "slug": "tp-premiere-impression",
    "slot_minutes": 60,
    "instructions": _p(
        "Réservez un créneau sur une imprimante de la ferme. Pendant votre créneau, "
        "envoyez votre G-code : Atelier le transmet à l’imprimante, lance l’impression et "
        "la suit jusqu’au bout. Une formatrice évalue ensuite la pièce.",
        'Pas encore de fichier tranché ? Utilisez <a href="/static/practicals/samples/'
        'premiere-impression.gcode">le G-code d’exemple</a>.',
    ),
}


def competencies_seed() -> dict[str, Competency]:
    """The demo's competency library (once; a second call returns it)."""
    return {
        code: Competency.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )[0]
        for code, name, description in COMPETENCIES
    }


def _quiz_stream(questions, competencies: dict[str, Competency]):
    return [
        (kind, {**value, "competencies": [str(competencies[code].pk) for code in codes]})
        for kind, value, codes in questions
    ]


def course_seed(*, catalog: CatalogPage) -> CoursePage:
    """Create the demo course under `catalog` (once; a second call returns it)."""
    existing = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if existing is not None:
        return existing
    course = catalog.add_child(
        instance=CoursePage(
            title="Initiation à l’impression 3D FDM",
            slug=COURSE_SLUG,
            summary="Sécurité, machine, tranchage et première impression sur une vraie "
            "imprimante de la ferme. Pour débuter dans la fabrication additive.",
            hours=7,
        )
    )
    module1 = course.add_child(
        instance=ModulePage(title="Sécurité et machine", slug="securite-et-machine")
    )
    for lesson in LESSONS_MODULE_1:
        module1.add_child(instance=LessonPage(**lesson))
    competencies = competencies_seed()
    for order, competency in enumerate(competencies.values()):
        CourseCompetency.objects.create(
            course=course, competency=competency, quiz_threshold=80, sort_order=order
        )
    quiz = dict(QUIZ_MODULE_1)
    quiz["questions"] = _quiz_stream(quiz["questions"], competencies)
    module1.add_child(instance=QuizPage(**quiz))

    module2 = course.add_child(
        instance=ModulePage(title="Première impression", slug="premiere-impression")
    )
    module2.add_child(instance=LessonPage(**LESSON_MODULE_2))
    practical = module2.add_child(instance=PracticalPage(**PRACTICAL))
    practical_grading_seed(practical)
    return course
