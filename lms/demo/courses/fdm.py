"""« Initiation à l’impression 3D FDM »: the demo's first course, as plain data.

Temperatures, speeds and procedures are those used on the network's farms (1,75 mm
filament, 0,4 mm brass nozzle). The short forms of lesson bodies and questions are read by
`lms.demo.builder`.
"""

COMPETENCIES = [
    {
        "code": "securite-atelier",
        "name": "Travailler en sécurité à l’atelier",
        "description": "Connaître les risques d’une imprimante FDM (brûlures, émanations, feu) "
        "et les gestes qui les évitent.",
        "threshold": 80,
    },
    {
        "code": "machine-fdm",
        "name": "Connaître l’imprimante FDM",
        "description": "Nommer les organes d’une imprimante FDM et dire à quoi ils servent.",
        "threshold": 80,
    },
    {
        "code": "temperatures-materiaux",
        "name": "Régler les températures des matériaux",
        "description": "Choisir les températures de buse et de plateau du PLA, du PETG, de "
        "l’ABS et du TPU, et les conditions d’impression de chacun.",
        "threshold": 80,
    },
    {
        "code": "tranchage",
        "name": "Trancher un modèle",
        "description": "Préparer un G-code avec un trancheur : hauteur de couche, remplissage, "
        "supports, adhérence, et lire les commandes essentielles.",
        "threshold": 75,
    },
    {
        "code": "premiere-couche",
        "name": "Calibrer la première couche",
        "description": "Régler la hauteur de la buse au-dessus du plateau et juger une "
        "première couche.",
        "threshold": 80,
    },
    {
        "code": "defauts-impression",
        "name": "Diagnostiquer les défauts d’impression",
        "description": "Reconnaître le warping, le stringing, la sous-extrusion, la patte "
        "d’éléphant et les décalages de couches, et savoir les corriger.",
        "threshold": 75,
    },
    {
        "code": "entretien-imprimante",
        "name": "Entretenir une imprimante FDM",
        "description": "Nettoyer, vérifier et régler une imprimante selon un plan d’entretien.",
        "threshold": 80,
    },
]

SAFETY = {
    "kind": "lesson",
    "title": "La sécurité à l’atelier",
    "slug": "securite-atelier",
    "minutes": 10,
    "body": [
        (
            "text",
            "Une imprimante FDM fait fondre du plastique dans une buse chauffée entre 190 °C "
            "et 260 °C, sur un plateau chauffé jusqu’à 110 °C. Trois risques dominent : les "
            "brûlures, les émanations et le feu.",
        ),
        (
            "callout",
            "safety",
            "Ne touchez jamais la buse ni le bloc de chauffe : ils restent brûlants plusieurs "
            "minutes après l’arrêt. Attendez que la température affichée soit sous 50 °C "
            "avant toute intervention.",
        ),
        ("heading", "Émanations"),
        (
            "text",
            "Le PLA émet peu de composés organiques volatils ; l’ABS et l’ASA émettent du "
            "styrène et des particules ultrafines. Imprimez-les dans une enceinte fermée et "
            "ventilée, jamais dans une salle de formation sans extraction.",
        ),
        ("heading", "Feu"),
        (
            "text",
            "Un firmware à jour protège contre l’emballement thermique (« thermal runaway ») : "
            "si la température ne suit plus la consigne, l’imprimante s’arrête. Ne désactivez "
            "jamais cette protection, et gardez un extincteur CO₂ près de la ferme.",
        ),
        (
            "list",
            [
                "cheveux attachés, pas d’écharpe ni de bracelet près des axes en mouvement ;",
                "pince et spatule rangées, jamais de doigts sous la tête pendant l’impression ;",
                "pas d’impression laissée sans surveillance sans détecteur de fumée.",
            ],
        ),
    ],
}

ANATOMY = {
    "kind": "lesson",
    "title": "Anatomie d’une imprimante FDM",
    "slug": "anatomie-imprimante",
    "minutes": 15,
    "body": [
        (
            "text",
            "L’extrudeur pousse le filament (1,75 mm de diamètre) vers la tête d’impression : "
            "le hotend le fait fondre et la buse (0,4 mm le plus souvent) le dépose couche par "
            "couche sur le plateau.",
            "Les axes X, Y et Z sont mus par des moteurs pas à pas ; des capteurs de fin de "
            "course permettent la mise à l’origine (G28). Un ventilateur de pièce refroidit le "
            "plastique juste déposé ; un autre, toujours en marche, refroidit le haut du "
            "hotend pour que le filament n’y fonde pas trop tôt.",
        ),
        ("heading", "Les organes à connaître"),
        (
            "list",
            [
                "<b>extrudeur</b> : engrenages qui entraînent le filament (direct ou Bowden) ;",
                "<b>hotend</b> : radiateur, barrière thermique, bloc de chauffe, thermistance ;",
                "<b>buse</b> : laiton 0,4 mm, acier trempé pour les filaments chargés ;",
                "<b>plateau</b> : chauffant, recouvert d’une plaque PEI ou de verre ;",
                "<b>carte mère et firmware</b> (Marlin, Klipper, Prusa) : exécutent le G-code.",
            ],
        ),
        (
            "callout",
            "tip",
            "Sur les fermes du réseau, chaque imprimante est pilotée par OctoPrint : c’est lui "
            "qui reçoit votre G-code et suit l’impression.",
        ),
    ],
}

QUIZ_SAFETY = {
    "kind": "quiz",
    "title": "Quiz : sécurité et machine",
    "slug": "quiz-securite-machine",
    "minutes": 10,
    "pass_mark": 70,
    "intro": "Six questions pour vérifier l’essentiel avant de passer à la pratique.",
    "questions": [
        {
            "type": "single_choice",
            "q": "Quand peut-on toucher la buse après une impression ?",
            "choices": [
                ("Dès que l’impression est terminée", False, "Non : elle reste brûlante."),
                ("Quand la température affichée est sous 50 °C", True, "Oui."),
                (
                    "Après avoir coupé le ventilateur",
                    False,
                    "Le ventilateur ne la refroidit pas assez vite : lisez la température.",
                ),
            ],
            "skills": ["securite-atelier"],
        },
        {
            "type": "single_choice",
            "q": "Quel diamètre de filament utilisent les imprimantes du réseau ?",
            "choices": [
                ("1,75 mm", True, ""),
                ("0,4 mm", False, "0,4 mm est le diamètre de la buse."),
                ("3 mm", False, "Le 2,85 mm existe, mais pas sur nos machines."),
            ],
            "skills": ["machine-fdm"],
        },
        {
            "type": "single_choice",
            "q": "À quoi sert la protection contre l’emballement thermique ?",
            "choices": [
                ("À accélérer la chauffe", False, ""),
                ("À arrêter l’imprimante si la température ne suit plus la consigne", True, ""),
                ("À refroidir la pièce imprimée", False, "C’est le rôle du ventilateur de pièce."),
            ],
            "skills": ["securite-atelier"],
        },
        {
            "type": "true_false",
            "q": "On peut imprimer de l’ABS dans une salle de formation sans extraction.",
            "true": False,
            "if_true": "Non : l’ABS émet du styrène, il faut une enceinte ventilée.",
            "if_false": "Exact : enceinte fermée et ventilée.",
            "skills": ["securite-atelier"],
        },
        {
            "type": "multiple_choice",
            "q": "Quels organes font partie de la tête d’impression ?",
            "choices": [
                ("La buse", True, ""),
                ("Le hotend", True, ""),
                ("Le plateau chauffant", False, "Le plateau est sous la pièce, pas dans la tête."),
                ("Le ventilateur de pièce", True, ""),
            ],
            "skills": ["machine-fdm"],
        },
        {
            "type": "numeric",
            "q": "Température de buse de départ pour le PLA ?",
            "answer": "205",
            "tolerance": "15",
            "unit": "°C",
            "right": "Oui : entre 190 et 220 °C selon le filament.",
            "wrong": "Le PLA s’imprime entre 190 et 220 °C.",
            "skills": ["temperatures-materiaux"],
        },
    ],
}

MATERIALS = {
    "kind": "lesson",
    "title": "PLA, PETG, ABS, TPU : choisir et régler",
    "slug": "materiaux-temperatures",
    "minutes": 20,
    "body": [
        (
            "text",
            "Chaque matériau a sa plage de températures. On part du milieu de la plage "
            "indiquée sur la bobine, puis on ajuste par pas de 5 °C avec une tour de "
            "température.",
        ),
        ("heading", "PLA : le matériau de départ"),
        (
            "text",
            "Buse 190–220 °C, plateau 50–60 °C, ventilateur de pièce à 100 % après la "
            "première couche. Facile, peu de retrait, mais il ramollit vers 60 °C : pas "
            "de pièce laissée dans une voiture en été.",
        ),
        ("heading", "PETG : plus solide, plus filant"),
        (
            "text",
            "Buse 230–250 °C, plateau 70–85 °C, ventilateur de pièce à 30–50 %. Il colle "
            "très fort au PEI lisse : utilisez une plaque texturée ou un agent de démoulage. "
            "Il file plus que le PLA : soignez la rétraction.",
        ),
        ("heading", "ABS et ASA : chaleur et enceinte"),
        (
            "text",
            "Buse 230–260 °C, plateau 90–110 °C, ventilateur de pièce coupé ou presque. "
            "Le retrait au refroidissement fait décoller les coins (warping) : imprimez dans "
            "une enceinte fermée, à l’abri des courants d’air.",
        ),
        (
            "callout",
            "safety",
            "ABS et ASA : enceinte fermée <b>et</b> ventilation vers l’extérieur ou filtre "
            "HEPA + charbon actif. Ne restez pas le nez au-dessus de l’imprimante.",
        ),
        ("heading", "TPU : souple et lent"),
        (
            "text",
            "Buse 210–230 °C, plateau 40–60 °C, vitesse lente (15 à 30 mm/s) et rétraction "
            "faible ou nulle : un filament souple se comprime dans l’extrudeur. Un extrudeur "
            "direct est fortement conseillé.",
        ),
        (
            "callout",
            "tip",
            "Sur la ferme, la matière chargée est indiquée sur chaque imprimante : Atelier "
            "refuse un G-code dont les températures ne correspondent pas à cette matière.",
        ),
    ],
}

STORAGE = {
    "kind": "lesson",
    "title": "Stocker et sécher le filament",
    "slug": "stocker-secher-filament",
    "minutes": 10,
    "body": [
        (
            "text",
            "Le PETG, le TPU et surtout le nylon absorbent l’humidité de l’air. Un filament "
            "humide crépite dans la buse, file et donne des surfaces bullées.",
        ),
        (
            "procedure",
            "Sécher une bobine",
            [
                "Vérifiez la température maximale de séchage sur la fiche du fabricant.",
                "Placez la bobine dans le sécheur : PLA 45 °C, PETG 65 °C, ABS 80 °C, TPU "
                "50 °C, pendant 4 à 6 heures.",
                "Rangez-la aussitôt dans une boîte étanche avec un sachet de dessiccant et "
                "notez la date sur l’étiquette.",
            ],
        ),
        (
            "callout",
            "warning",
            "Ne séchez jamais le PLA au-delà de 55 °C : la bobine se déforme et le filament "
            "colle à lui-même.",
        ),
    ],
}

QUIZ_MATERIALS = {
    "kind": "quiz",
    "title": "Quiz : matériaux et températures",
    "slug": "quiz-materiaux",
    "minutes": 10,
    "pass_mark": 75,
    "intro": "Les températures de référence de la ferme. Une tolérance est admise sur les "
    "valeurs numériques.",
    "questions": [
        {
            "type": "numeric",
            "q": "Température de plateau pour le PETG ?",
            "answer": "78",
            "tolerance": "8",
            "unit": "°C",
            "right": "Oui : 70 à 85 °C.",
            "wrong": "Le PETG se pose sur un plateau à 70–85 °C.",
            "skills": ["temperatures-materiaux"],
        },
        {
            "type": "numeric",
            "q": "Température de plateau pour l’ABS ?",
            "answer": "100",
            "tolerance": "10",
            "unit": "°C",
            "right": "Oui : 90 à 110 °C.",
            "wrong": "L’ABS demande un plateau à 90–110 °C.",
            "skills": ["temperatures-materiaux"],
        },
        {
            "type": "single_choice",
            "q": "Quel réglage est propre au TPU ?",
            "choices": [
                ("Une vitesse lente, 15 à 30 mm/s", True, "Oui : il se comprime sinon."),
                ("Une enceinte fermée", False, "Utile pour l’ABS, pas nécessaire au TPU."),
                ("Un plateau à 100 °C", False, "40 à 60 °C suffisent."),
            ],
            "skills": ["temperatures-materiaux"],
        },
        {
            "type": "multiple_choice",
            "q": "Pour l’ABS, que faut-il ?",
            "choices": [
                ("Une enceinte fermée", True, ""),
                ("Une ventilation ou une filtration", True, ""),
                ("Le ventilateur de pièce à 100 %", False, "Il ferait décoller les couches."),
                ("Une buse à 200 °C", False, "Trop froid : 230 à 260 °C."),
            ],
            "skills": ["temperatures-materiaux", "securite-atelier"],
        },
        {
            "type": "true_false",
            "q": "Un filament humide peut donner des bulles et des fils.",
            "true": True,
            "if_true": "Exact : séchez-le avant d’imprimer.",
            "if_false": "Si : l’eau se vaporise dans la buse.",
            "skills": ["temperatures-materiaux"],
        },
    ],
}

SLICING = {
    "kind": "lesson",
    "title": "Du modèle au G-code : le tranchage",
    "slug": "tranchage",
    "minutes": 20,
    "body": [
        (
            "text",
            "Un trancheur (PrusaSlicer, Cura, OrcaSlicer) découpe le modèle 3D (STL ou 3MF) en "
            "couches et écrit le G-code : la suite de commandes que l’imprimante exécute.",
        ),
        ("heading", "Les réglages qui comptent"),
        (
            "list",
            [
                "<b>hauteur de couche</b> : 0,2 mm par défaut avec une buse de 0,4 mm "
                "(jamais plus de 75 % du diamètre de buse) ;",
                "<b>périmètres</b> : 2 à 3 ; ce sont eux qui font la solidité ;",
                "<b>remplissage</b> : 15 % en gyroïde pour une pièce de démonstration ;",
                "<b>supports</b> : au-delà de 45° de surplomb ;",
                "<b>adhérence</b> : une bordure (brim) pour les petites bases et l’ABS.",
            ],
        ),
        (
            "callout",
            "warning",
            "Choisissez le profil de l’imprimante réservée et de la matière chargée : Atelier "
            "refuse un G-code qui dépasse le volume d’impression ou les températures permises.",
        ),
    ],
}

GCODE = {
    "kind": "lesson",
    "title": "Lire un G-code",
    "slug": "lire-gcode",
    "minutes": 15,
    "body": [
        (
            "text",
            "Le début d’un G-code règle les températures et prépare la machine. Savoir le "
            "lire permet de vérifier un fichier avant de l’envoyer.",
        ),
        (
            "gcode",
            "M140 S60 ; plateau à 60 °C\n"
            "M104 S210 ; buse à 210 °C\n"
            "G28 ; mise à l’origine des axes\n"
            "M190 S60 ; attendre le plateau\n"
            "M109 S210 ; attendre la buse\n"
            "G92 E0 ; remise à zéro de l’extrudeur\n"
            "G1 Z0.2 F3000 ; première couche à 0,2 mm\n"
            "G1 X10 Y10 E0.5 F1500 ; ligne de purge",
            "Début d’un G-code pour le PLA (PrusaSlicer)",
        ),
        (
            "text",
            "<code>M104</code> et <code>M140</code> règlent la buse et le plateau sans "
            "attendre ; <code>M109</code> et <code>M190</code> attendent que la température "
            "soit atteinte. <code>G1</code> déplace la tête ; <code>E</code> est la longueur "
            "de filament poussée, <code>F</code> la vitesse en mm/min.",
        ),
    ],
}

QUIZ_SLICING = {
    "kind": "quiz",
    "title": "Quiz : tranchage et G-code",
    "slug": "quiz-tranchage",
    "minutes": 8,
    "pass_mark": 70,
    "intro": "Quatre questions sur le tranchage et la lecture d’un G-code.",
    "questions": [
        {
            "type": "single_choice",
            "q": "Quelle commande attend que la buse soit à température ?",
            "choices": [
                ("M104", False, "M104 règle la consigne sans attendre."),
                ("M109", True, ""),
                ("G28", False, "G28 est la mise à l’origine."),
            ],
            "skills": ["tranchage"],
        },
        {
            "type": "numeric",
            "q": "Hauteur de couche maximale avec une buse de 0,4 mm ?",
            "answer": "0.3",
            "tolerance": "0.02",
            "unit": "mm",
            "right": "Oui : 75 % du diamètre de la buse.",
            "wrong": "Au plus 75 % du diamètre de la buse, soit 0,3 mm.",
            "skills": ["tranchage"],
        },
        {
            "type": "true_false",
            "q": "Le remplissage compte plus que les périmètres pour la solidité d’une pièce.",
            "true": False,
            "if_true": "Non : ce sont surtout les périmètres.",
            "if_false": "Exact : ajoutez des périmètres avant du remplissage.",
            "skills": ["tranchage"],
        },
        {
            "type": "multiple_choice",
            "q": "Qu’est-ce qui fait refuser un G-code par la ferme ?",
            "choices": [
                ("Une pièce plus grande que le volume d’impression", True, ""),
                ("Une température de buse hors de la plage de la matière chargée", True, ""),
                ("Un remplissage de 15 %", False, ""),
            ],
            "skills": ["tranchage"],
        },
    ],
}

FIRST_LAYER = {
    "kind": "lesson",
    "title": "Calibrer la première couche",
    "slug": "premiere-couche",
    "minutes": 20,
    "body": [
        (
            "text",
            "Une impression réussie commence par une première couche bien posée : ni trop "
            "haute (les lignes restent rondes et se décollent), ni trop basse (elles sont "
            "écrasées, la buse racle et l’extrudeur claque).",
        ),
        (
            "figure",
            "first-layer",
            "Coupe de trois lignes de première couche sur le plateau : à gauche un boudin "
            "rond qui touche à peine, au milieu une ligne légèrement aplatie, à droite une "
            "ligne écrasée aux bords déchiquetés.",
            "De gauche à droite : trop haut, bon réglage, trop bas.",
        ),
        (
            "procedure",
            "Régler le Z offset",
            [
                "Chauffez plateau et buse aux températures de la matière (le métal se dilate).",
                "Nettoyez le plateau à l’alcool isopropylique ; ne touchez plus la surface.",
                "Lancez le motif de calibration de la première couche (un carré de 0,2 mm).",
                "Ajustez le Z offset par pas de 0,02 mm pendant l’impression jusqu’à des lignes "
                "légèrement aplaties qui se touchent sans se chevaucher.",
                "Notez la valeur et enregistrez-la dans le firmware (M500 sous Marlin).",
            ],
        ),
        (
            "callout",
            "tip",
            "L’ancienne méthode de la feuille de papier donne un point de départ : une "
            "légère friction sous la buse, à chaud.",
        ),
    ],
}

FIRST_PRINT = {
    "kind": "lesson",
    "title": "Lancer et surveiller sa première impression",
    "slug": "lancer-premiere-impression",
    "minutes": 15,
    "body": [
        (
            "procedure",
            "Avant d’envoyer le fichier",
            [
                "Vérifiez que le plateau est vide et propre.",
                "Vérifiez la matière chargée et qu’il reste assez de filament sur la bobine.",
                "Envoyez le G-code depuis la page de votre créneau.",
                "Restez devant la machine pendant toute la première couche.",
            ],
        ),
        (
            "text",
            "Pendant l’impression, la page de votre créneau affiche les températures, la "
            "progression et le temps restant. En cas de problème, annulez depuis cette page.",
        ),
        (
            "callout",
            "safety",
            "Pour retirer la pièce, attendez que le plateau refroidisse sous 30 °C (le PLA se "
            "détache alors tout seul d’une plaque PEI flexible). Ne forcez jamais avec une "
            "spatule vers vos doigts.",
        ),
    ],
}

PRACTICAL = {
    "kind": "practical",
    "title": "TP : première impression sur la ferme",
    "slug": "tp-premiere-impression",
    "minutes": 90,
    "slot_minutes": 60,
    "instructions": [
        "Réservez un créneau sur une imprimante de la ferme. Pendant votre créneau, envoyez "
        "votre G-code : Atelier le transmet à l’imprimante, lance l’impression et la suit "
        "jusqu’au bout. Une formatrice évalue ensuite la pièce : première couche, surfaces, "
        "cotes à ± 0,2 mm.",
        'Pas encore de fichier tranché ? Utilisez <a href="/static/practicals/samples/'
        'premiere-impression.gcode">le G-code d’exemple</a> (PLA, buse à 210 °C, '
        "plateau à 60 °C).",
    ],
}

DEFECTS = {
    "kind": "lesson",
    "title": "Reconnaître et corriger les défauts courants",
    "slug": "defauts-courants",
    "minutes": 25,
    "body": [
        ("heading", "Warping (décollement)"),
        (
            "text",
            "Les coins se soulèvent parce que le plastique se rétracte en refroidissant. "
            "Remèdes : plateau propre et à la bonne température, bordure (brim), enceinte "
            "pour l’ABS, pas de courant d’air.",
        ),
        ("heading", "Stringing (fils)"),
        (
            "figure",
            "stringing",
            "Deux tours imprimées côte à côte, reliées par de nombreux fils fins de plastique.",
            "Des fils tendus entre deux parties de la pièce.",
        ),
        (
            "text",
            "Le plastique fond coule de la buse pendant les déplacements. Remèdes : baisser "
            "la température de 5 à 10 °C, augmenter la rétraction (0,8 mm en direct, 4 à 6 mm "
            "en Bowden), sécher le filament.",
        ),
        ("heading", "Sous-extrusion"),
        (
            "text",
            "Des couches minces ou trouées : buse partiellement bouchée, filament humide, "
            "température trop basse, ou engrenage de l’extrudeur encrassé.",
        ),
        ("heading", "Patte d’éléphant"),
        (
            "text",
            "Les premières couches débordent vers l’extérieur : buse trop basse ou plateau "
            "trop chaud. Remontez le Z offset de 0,02 à 0,05 mm ou baissez le plateau de 5 °C.",
        ),
        ("heading", "Décalage de couches"),
        (
            "text",
            "Toute la pièce se décale d’un coup sur X ou Y : courroie détendue, poulie mal "
            "serrée, tête qui heurte une pièce décollée ou accélérations trop fortes.",
        ),
    ],
}

QUIZ_DEFECTS = {
    "kind": "quiz",
    "title": "Quiz : défauts d’impression",
    "slug": "quiz-defauts",
    "minutes": 10,
    "pass_mark": 70,
    "intro": "Regardez chaque image avant de répondre.",
    "questions": [
        {
            "type": "picture",
            "image": "warping",
            "alt": "Vue de côté d’une pièce longue posée sur le plateau ; ses deux extrémités "
            "ne touchent plus le plateau.",
            "q": "Quel est ce défaut ?",
            "choices": [
                ("Le warping", True, "Oui : les coins se décollent en refroidissant."),
                ("La patte d’éléphant", False, "Elle déborde vers l’extérieur, sans se lever."),
                ("Un décalage de couches", False, "Le décalage est horizontal."),
            ],
            "skills": ["defauts-impression"],
        },
        {
            "type": "picture",
            "image": "stringing",
            "alt": "Deux tours imprimées côte à côte, reliées par de nombreux fils fins.",
            "q": "Quel réglage corrige d’abord ce défaut ?",
            "choices": [
                ("Augmenter la rétraction", True, ""),
                ("Augmenter la température de buse", False, "Cela aggrave les fils."),
                ("Ajouter des supports", False, ""),
            ],
            "skills": ["defauts-impression"],
        },
        {
            "type": "multiple_choice",
            "q": "Quelles causes peuvent produire un décalage de couches ?",
            "choices": [
                ("Une courroie détendue", True, ""),
                ("Une tête qui heurte une pièce décollée", True, ""),
                ("Un filament humide", False, "Il donne des fils et des bulles."),
            ],
            "skills": ["defauts-impression"],
        },
        {
            "type": "true_false",
            "q": "La patte d’éléphant vient souvent d’une buse trop basse.",
            "true": True,
            "if_true": "Exact : remontez le Z offset.",
            "if_false": "Si : une buse trop basse écrase les premières couches.",
            "skills": ["defauts-impression", "premiere-couche"],
        },
        {
            "type": "numeric",
            "q": "De combien baissez-vous la température de buse contre le stringing ?",
            "answer": "7.5",
            "tolerance": "2.5",
            "unit": "°C",
            "right": "Oui : 5 à 10 °C.",
            "wrong": "Par pas de 5 à 10 °C.",
            "skills": ["defauts-impression"],
        },
    ],
}

MAINTENANCE = {
    "kind": "lesson",
    "title": "L’entretien courant",
    "slug": "entretien-courant",
    "minutes": 20,
    "body": [
        (
            "list",
            [
                "<b>chaque impression</b> : plateau nettoyé (alcool isopropylique), buse sans "
                "résidus ;",
                "<b>chaque semaine</b> : tension des courroies, engrenage de l’extrudeur "
                "brossé, vis et poulies vérifiées ;",
                "<b>chaque mois ou 200 heures</b> : graissage des tiges et vis du Z, contrôle "
                "de la buse, mise à jour du firmware.",
            ],
        ),
        (
            "procedure",
            "Déboucher une buse (« cold pull »)",
            [
                "Chauffez la buse à 240 °C et poussez à la main un peu de filament (nylon ou PLA).",
                "Laissez refroidir à 90 °C pour le PLA (130 °C pour le nylon).",
                "Tirez le filament d’un coup sec : son bout emporte les résidus.",
                "Recommencez jusqu’à obtenir une pointe propre.",
            ],
        ),
        (
            "callout",
            "safety",
            "Coupez l’alimentation avant tout démontage autre que le cold pull, et ne "
            "resserrez une buse qu’à chaud (285 °C), avec une clé et le bloc de chauffe tenu.",
        ),
    ],
}

QUIZ_MAINTENANCE = {
    "kind": "quiz",
    "title": "Évaluation finale : entretien et synthèse",
    "slug": "evaluation-finale",
    "minutes": 15,
    "pass_mark": 80,
    "max_attempts": 3,
    "wait_minutes": 60,
    "intro": "Trois tentatives, une heure d’attente entre deux. Il faut 80 % pour réussir.",
    "questions": [
        {
            "type": "single_choice",
            "q": "À quelle fréquence vérifie-t-on la tension des courroies ?",
            "choices": [
                ("Chaque semaine", True, ""),
                ("Chaque année", False, "Bien trop rarement : un décalage arrive avant."),
                ("Jamais, elles sont réglées en usine", False, "Elles se détendent à l’usage."),
            ],
            "skills": ["entretien-imprimante"],
        },
        {
            "type": "numeric",
            "q": "À quelle température tirez-vous un cold pull au PLA ?",
            "answer": "90",
            "tolerance": "10",
            "unit": "°C",
            "right": "Oui : autour de 90 °C.",
            "wrong": "Le PLA se tire vers 90 °C.",
            "skills": ["entretien-imprimante"],
        },
        {
            "type": "true_false",
            "q": "On resserre une buse à froid pour ne pas se brûler.",
            "true": False,
            "if_true": "Non : serrée à froid, elle fuira une fois chaude.",
            "if_false": "Exact : à chaud, vers 285 °C, avec précaution.",
            "skills": ["entretien-imprimante", "securite-atelier"],
        },
        {
            "type": "multiple_choice",
            "q": "Avant chaque impression, vous…",
            "choices": [
                ("nettoyez le plateau", True, ""),
                ("vérifiez la matière chargée", True, ""),
                ("graissez les tiges du Z", False, "C’est mensuel."),
            ],
            "skills": ["entretien-imprimante", "premiere-couche"],
        },
        {
            "type": "numeric",
            "q": "Température de buse pour le TPU ?",
            "answer": "220",
            "tolerance": "10",
            "unit": "°C",
            "right": "Oui : 210 à 230 °C, lentement.",
            "wrong": "Le TPU s’imprime entre 210 et 230 °C.",
            "skills": ["temperatures-materiaux"],
        },
    ],
}

COURSE = {
    "slug": "initiation-impression-3d-fdm",
    "title": "Initiation à l’impression 3D FDM",
    "summary": "Sécurité, machine, matériaux, tranchage, première impression sur une vraie "
    "imprimante de la ferme, défauts et entretien. Pour débuter dans la fabrication additive.",
    "level": "beginner",
    "hours": 14,
    "competencies": COMPETENCIES,
    "modules": [
        {
            "title": "Sécurité et machine",
            "slug": "securite-et-machine",
            "intro": "Les risques de l’atelier et les organes de l’imprimante.",
            "steps": [SAFETY, ANATOMY, QUIZ_SAFETY],
        },
        {
            "title": "Les matériaux et leurs températures",
            "slug": "materiaux",
            "intro": "PLA, PETG, ABS et TPU : températures, conditions, stockage.",
            "steps": [MATERIALS, STORAGE, QUIZ_MATERIALS],
        },
        {
            "title": "Le tranchage",
            "slug": "le-tranchage",
            "intro": "Du modèle 3D au G-code que l’imprimante exécute.",
            "steps": [SLICING, GCODE, QUIZ_SLICING],
        },
        {
            "title": "Première impression",
            "slug": "premiere-impression",
            "intro": "Calibrer la première couche, puis imprimer sur la ferme.",
            "steps": [FIRST_LAYER, FIRST_PRINT, PRACTICAL],
        },
        {
            "title": "Les défauts courants",
            "slug": "defauts",
            "intro": "Reconnaître un défaut sur la pièce et savoir le corriger.",
            "steps": [DEFECTS, QUIZ_DEFECTS],
        },
        {
            "title": "Entretien",
            "slug": "entretien",
            "intro": "Garder une imprimante fiable, impression après impression.",
            "steps": [MAINTENANCE, QUIZ_MAINTENANCE],
        },
    ],
}
