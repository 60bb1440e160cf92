"""« Opérer une ferme d’impression 3D »: the demo's second course, as plain data.

For operators and farm managers; it requires the FDM introduction. Short forms are read
by `lms.demo.builder`.
"""

COMPETENCIES = [
    {
        "code": "organisation-ferme",
        "name": "Organiser une ferme d’impression",
        "description": "Implanter les imprimantes, les postes et les flux d’une ferme en sécurité.",
        "threshold": 80,
    },
    {
        "code": "planification-production",
        "name": "Planifier la production",
        "description": "Tenir une file d’attente, regrouper les travaux et affecter les "
        "imprimantes.",
        "threshold": 75,
    },
    {
        "code": "controle-qualite",
        "name": "Contrôler la qualité des pièces",
        "description": "Mesurer, accepter ou refuser une pièce selon une fiche de contrôle.",
        "threshold": 80,
    },
    {
        "code": "maintenance-parc",
        "name": "Maintenir un parc d’imprimantes",
        "description": "Tenir un plan de maintenance préventive par heures d’impression.",
        "threshold": 80,
    },
    {
        "code": "logistique-commandes",
        "name": "Gérer le stock et les commandes",
        "description": "Suivre le stock de filament, préparer et expédier les commandes.",
        "threshold": 75,
    },
]

LAYOUT = {
    "kind": "lesson",
    "title": "Implanter les imprimantes",
    "slug": "implanter-imprimantes",
    "minutes": 20,
    "body": [
        (
            "text",
            "Une ferme est une suite de postes : réception des fichiers, impression, "
            "finition, contrôle, emballage. L’implantation suit ce flux pour que les pièces "
            "ne se croisent pas.",
        ),
        ("heading", "Les règles d’implantation"),
        (
            "list",
            [
                "étagères métalliques, 2 à 3 imprimantes par niveau, le niveau haut sous 1,60 m "
                "pour voir la première couche ;",
                "un circuit électrique dédié : une imprimante de 350 W en chauffe tire 1,5 A ; "
                "pas plus de 8 machines par circuit de 16 A ;",
                "les matières à émissions (ABS, ASA) dans des enceintes reliées à une "
                "extraction, à l’écart des postes de travail ;",
                "un réseau filaire ou un Wi-Fi dédié pour OctoPrint, une caméra par étagère.",
            ],
        ),
        (
            "callout",
            "safety",
            "Détecteur de fumée au-dessus de chaque étagère, extincteur CO₂ à l’entrée et "
            "passage de 90 cm au moins devant les machines.",
        ),
    ],
}

ROLES = {
    "kind": "lesson",
    "title": "Les rôles et la journée type",
    "slug": "roles-journee-type",
    "minutes": 10,
    "body": [
        (
            "procedure",
            "Ouvrir la ferme le matin",
            [
                "Faites le tour des imprimantes : travaux de la nuit terminés, plateaux à "
                "vider, alertes dans OctoPrint.",
                "Retirez et étiquetez les pièces, nettoyez les plateaux.",
                "Relancez la file d’attente sur les imprimantes libres.",
                "Notez les anomalies dans le registre de maintenance.",
            ],
        ),
    ],
}

QUIZ_LAYOUT = {
    "kind": "quiz",
    "title": "Quiz : implantation",
    "slug": "quiz-implantation",
    "minutes": 5,
    "pass_mark": 70,
    "intro": "Trois questions sur l’implantation d’une ferme.",
    "questions": [
        {
            "type": "numeric",
            "q": "Combien d’imprimantes de 350 W au plus par circuit de 16 A ?",
            "answer": "8",
            "tolerance": "0",
            "unit": "imprimantes",
            "right": "Oui : on garde de la marge sur le circuit.",
            "wrong": "Huit au plus, pour garder de la marge.",
            "skills": ["organisation-ferme"],
        },
        {
            "type": "true_false",
            "q": "Les enceintes ABS peuvent être placées à côté des postes de travail.",
            "true": False,
            "if_true": "Non : à l’écart, reliées à une extraction.",
            "if_false": "Exact.",
            "skills": ["organisation-ferme"],
        },
        {
            "type": "single_choice",
            "q": "Dans quel ordre s’enchaînent les postes ?",
            "choices": [
                ("Impression, contrôle, finition, emballage", False, ""),
                ("Réception, impression, finition, contrôle, emballage", True, ""),
                ("Emballage, impression, contrôle", False, ""),
            ],
            "skills": ["organisation-ferme"],
        },
    ],
}

QUEUE = {
    "kind": "lesson",
    "title": "La file d’attente et la planification",
    "slug": "file-attente-planification",
    "minutes": 25,
    "body": [
        (
            "text",
            "Chaque travail de la file indique la matière, la couleur, la buse, le temps "
            "estimé par le trancheur et la date promise au client.",
        ),
        (
            "list",
            [
                "regroupez les travaux de même matière et couleur pour limiter les "
                "changements de bobine ;",
                "lancez les impressions longues (plus de 8 heures) le soir, quand personne "
                "n’attend la machine ;",
                "gardez une imprimante libre pour les urgences et les réimpressions ;",
                "comptez 10 % de marge sur le temps estimé par le trancheur.",
            ],
        ),
        (
            "callout",
            "tip",
            "Un plateau plein de petites pièces identiques imprime plus vite au total, mais "
            "un défaut le perd en entier : pour une pièce nouvelle, imprimez d’abord un "
            "exemplaire.",
        ),
    ],
}

QUIZ_QUEUE = {
    "kind": "quiz",
    "title": "Quiz : planification",
    "slug": "quiz-planification",
    "minutes": 8,
    "pass_mark": 70,
    "intro": "La file d’attente d’une ferme de douze imprimantes.",
    "questions": [
        {
            "type": "multiple_choice",
            "q": "Quelles règles suivez-vous pour remplir la file ?",
            "choices": [
                ("Regrouper par matière et couleur", True, ""),
                ("Lancer les impressions longues le soir", True, ""),
                ("Occuper toutes les imprimantes sans exception", False, "Gardez-en une libre."),
            ],
            "skills": ["planification-production"],
        },
        {
            "type": "numeric",
            "q": "Le trancheur annonce 10 h. Quel temps planifiez-vous ?",
            "answer": "11",
            "tolerance": "0.5",
            "unit": "h",
            "right": "Oui : 10 % de marge.",
            "wrong": "Ajoutez 10 % : 11 h.",
            "skills": ["planification-production"],
        },
        {
            "type": "single_choice",
            "q": "Une pièce nouvelle doit être produite en 20 exemplaires. Vous…",
            "choices": [
                ("imprimez d’abord un exemplaire et le contrôlez", True, ""),
                ("remplissez tout de suite un plateau de 20", False, "Un défaut perdrait tout."),
            ],
            "skills": ["planification-production", "controle-qualite"],
        },
    ],
}

QUALITY = {
    "kind": "lesson",
    "title": "Contrôler la qualité",
    "slug": "controle-qualite",
    "minutes": 20,
    "body": [
        (
            "text",
            "Chaque référence a sa fiche de contrôle : cotes critiques et tolérances, aspect "
            "attendu, photo de la pièce bonne.",
        ),
        (
            "procedure",
            "Contrôler une pièce",
            [
                "Laissez la pièce refroidir à la température ambiante avant de la mesurer.",
                "Mesurez les cotes critiques au pied à coulisse (tolérance courante ± 0,2 mm).",
                "Comparez l’aspect à la photo : première couche, fils, surfaces.",
                "Acceptez, reprenez (ébavurage) ou refusez, et notez-le sur la fiche.",
            ],
        ),
        (
            "figure",
            "warping",
            "Vue de côté d’une pièce longue dont les deux extrémités ne touchent plus le plateau.",
            "Warping : pièce à refuser si une cote de planéité est exigée.",
        ),
    ],
}

QUIZ_QUALITY = {
    "kind": "quiz",
    "title": "Quiz : qualité",
    "slug": "quiz-qualite",
    "minutes": 8,
    "pass_mark": 70,
    "intro": "Accepter ou refuser une pièce.",
    "questions": [
        {
            "type": "numeric",
            "q": "Cote nominale 40 mm, tolérance courante : jusqu’où acceptez-vous ?",
            "answer": "40.2",
            "tolerance": "0.01",
            "unit": "mm",
            "right": "Oui : 40 ± 0,2 mm.",
            "wrong": "± 0,2 mm : jusqu’à 40,2 mm.",
            "skills": ["controle-qualite"],
        },
        {
            "type": "picture",
            "image": "stringing",
            "alt": "Deux tours imprimées côte à côte, reliées par de nombreux fils fins.",
            "q": "Que faites-vous de cette pièce ?",
            "choices": [
                ("Je la reprends (fils retirés au pistolet à air chaud)", True, ""),
                ("Je l’expédie telle quelle", False, "Le client verrait les fils."),
            ],
            "skills": ["controle-qualite"],
        },
        {
            "type": "true_false",
            "q": "On mesure une pièce dès qu’elle sort de l’imprimante.",
            "true": False,
            "if_true": "Non : encore chaude, elle n’a pas sa cote finale.",
            "if_false": "Exact : après refroidissement.",
            "skills": ["controle-qualite"],
        },
    ],
}

MAINTENANCE_PLAN = {
    "kind": "lesson",
    "title": "Le plan de maintenance du parc",
    "slug": "plan-maintenance",
    "minutes": 20,
    "body": [
        (
            "text",
            "Sur une ferme, l’entretien se planifie par heures d’impression, relevées par "
            "OctoPrint, plutôt qu’au calendrier.",
        ),
        (
            "list",
            [
                "<b>toutes les 50 heures</b> : plateau dégraissé, engrenage brossé ;",
                "<b>toutes les 200 heures</b> : courroies, graissage, buse contrôlée ;",
                "<b>toutes les 1 000 heures</b> : buse et tube PTFE remplacés, ventilateurs "
                "contrôlés ;",
                "<b>après tout incident</b> : machine hors service jusqu’au contrôle.",
            ],
        ),
        (
            "callout",
            "warning",
            "Une imprimante en maintenance est désactivée dans Atelier : plus aucun créneau "
            "n’y est proposé.",
        ),
    ],
}

QUIZ_MAINTENANCE = {
    "kind": "quiz",
    "title": "Quiz : maintenance",
    "slug": "quiz-maintenance",
    "minutes": 5,
    "pass_mark": 70,
    "intro": "Le plan de maintenance par heures d’impression.",
    "questions": [
        {
            "type": "numeric",
            "q": "Toutes les combien d’heures remplace-t-on la buse ?",
            "answer": "1000",
            "tolerance": "0",
            "unit": "h",
            "right": "Oui.",
            "wrong": "Toutes les 1 000 heures.",
            "skills": ["maintenance-parc"],
        },
        {
            "type": "single_choice",
            "q": "Sur quoi planifie-t-on l’entretien d’une ferme ?",
            "choices": [
                ("Les heures d’impression", True, ""),
                ("Le calendrier seul", False, "Une machine très utilisée s’use plus vite."),
            ],
            "skills": ["maintenance-parc"],
        },
    ],
}

STOCK = {
    "kind": "lesson",
    "title": "Le stock de filament",
    "slug": "stock-filament",
    "minutes": 15,
    "body": [
        (
            "text",
            "Une bobine de 1 kg de PLA fait environ 330 m de filament de 1,75 mm. Le "
            "trancheur donne le poids de chaque travail : on décompte le stock au gramme.",
        ),
        ("heading", "Les règles du stock"),
        (
            "list",
            [
                "un seuil de commande par matière et couleur (deux semaines de consommation) ;",
                "premier entré, premier sorti ; date d’ouverture sur chaque bobine ;",
                "bobines ouvertes en boîte étanche avec dessiccant, humidité sous 20 %.",
            ],
        ),
    ],
}

SHIPPING = {
    "kind": "lesson",
    "title": "Les commandes et l’expédition",
    "slug": "commandes-expedition",
    "minutes": 15,
    "body": [
        (
            "procedure",
            "Préparer une commande",
            [
                "Vérifiez que chaque pièce a sa fiche de contrôle acceptée.",
                "Emballez les pièces fragiles séparément, calées dans du papier.",
                "Joignez le bon de livraison et le numéro de commande.",
                "Enregistrez l’expédition et le numéro de suivi ; prévenez le client.",
            ],
        ),
        (
            "callout",
            "tip",
            "Gardez une photo de chaque colis ouvert avant fermeture : elle règle la plupart "
            "des litiges.",
        ),
    ],
}

QUIZ_STOCK = {
    "kind": "quiz",
    "title": "Quiz : stock et commandes",
    "slug": "quiz-stock-commandes",
    "minutes": 8,
    "pass_mark": 70,
    "intro": "Stock de filament, préparation et expédition.",
    "questions": [
        {
            "type": "numeric",
            "q": "Longueur approximative d’une bobine de 1 kg de PLA en 1,75 mm ?",
            "answer": "330",
            "tolerance": "20",
            "unit": "m",
            "right": "Oui : environ 330 m.",
            "wrong": "Environ 330 m.",
            "skills": ["logistique-commandes"],
        },
        {
            "type": "multiple_choice",
            "q": "Que contient un colis prêt à partir ?",
            "choices": [
                ("Des pièces contrôlées", True, ""),
                ("Le bon de livraison", True, ""),
                ("Le G-code des pièces", False, "Le client achète des pièces, pas le fichier."),
            ],
            "skills": ["logistique-commandes", "controle-qualite"],
        },
        {
            "type": "true_false",
            "q": "On sort en premier les bobines les plus anciennes.",
            "true": True,
            "if_true": "Exact : premier entré, premier sorti.",
            "if_false": "Si : premier entré, premier sorti.",
            "skills": ["logistique-commandes"],
        },
    ],
}

PRACTICAL = {
    "kind": "practical",
    "title": "TP : produire et contrôler une petite série",
    "slug": "tp-petite-serie",
    "minutes": 150,
    "slot_minutes": 120,
    "material": "PLA",
    "instructions": [
        "Réservez deux heures sur une imprimante chargée en PLA. Imprimez sur un même plateau "
        "quatre exemplaires de la pièce d’exemple, puis contrôlez-les avec la fiche de "
        "contrôle : cotes à ± 0,2 mm, aspect, première couche.",
        "La formatrice évalue la série et votre fiche : une pièce refusée à juste titre compte "
        "autant qu’une pièce bonne.",
    ],
}

COURSE = {
    "slug": "operer-ferme-impression-3d",
    "title": "Opérer une ferme d’impression 3D",
    "summary": "Implantation, file d’attente et planification, contrôle qualité, plan de "
    "maintenance, stock de filament, commandes et expédition. Pour les opérateurs et "
    "gestionnaires de ferme.",
    "level": "intermediate",
    "hours": 21,
    "prerequisites": ["initiation-impression-3d-fdm"],
    "competencies": COMPETENCIES,
    "modules": [
        {
            "title": "Implantation de la ferme",
            "slug": "implantation",
            "intro": "Postes, flux, électricité, sécurité.",
            "steps": [LAYOUT, ROLES, QUIZ_LAYOUT],
        },
        {
            "title": "File d’attente et planification",
            "slug": "planification",
            "intro": "Remplir la file et tenir les délais.",
            "steps": [QUEUE, QUIZ_QUEUE],
        },
        {
            "title": "Contrôle qualité",
            "slug": "qualite",
            "intro": "Accepter, reprendre ou refuser une pièce.",
            "steps": [QUALITY, QUIZ_QUALITY, PRACTICAL],
        },
        {
            "title": "Plan de maintenance",
            "slug": "maintenance",
            "intro": "L’entretien par heures d’impression.",
            "steps": [MAINTENANCE_PLAN, QUIZ_MAINTENANCE],
        },
        {
            "title": "Stock, commandes et expédition",
            "slug": "stock-commandes",
            "intro": "Du filament reçu au colis expédié.",
            "steps": [STOCK, SHIPPING, QUIZ_STOCK],
        },
    ],
}
