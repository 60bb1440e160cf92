"""The demo's pictures: simple diagrams drawn with Pillow, so the demo needs no download.

Each is a Wagtail image, created once and found again by its title.
"""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

BED = (90, 90, 100)
PART = (230, 120, 30)
INK = (30, 30, 30)
WIDTH, HEIGHT = 640, 360


def _canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), (250, 250, 247))
    return image, ImageDraw.Draw(image)


def _warping(draw) -> None:
    """Side view: a long part on the bed whose two ends have lifted off it."""
    draw.rectangle((40, 280, 600, 300), fill=BED)
    draw.polygon(
        [(120, 250), (160, 270), (480, 270), (520, 250), (520, 200), (120, 200)], fill=PART
    )
    for y in range(205, 265, 10):
        draw.line((125, y, 515, y), fill=(200, 95, 20), width=1)
    draw.line((120, 250, 120, 200), fill=INK, width=2)
    draw.line((520, 250, 520, 200), fill=INK, width=2)


def _stringing(draw) -> None:
    """Two towers on the bed with fine threads of plastic stretched between them."""
    draw.rectangle((40, 300, 600, 320), fill=BED)
    draw.rectangle((140, 90, 220, 300), fill=PART)
    draw.rectangle((420, 90, 500, 300), fill=PART)
    for i, y in enumerate(range(110, 290, 22)):
        sag = 12 + 4 * (i % 3)
        draw.line((220, y, 320, y + sag, 420, y + 3), fill=(200, 95, 20), width=1)


def _first_layer(draw) -> None:
    """Cross-sections of three first-layer lines: too high, right, too low."""
    draw.rectangle((40, 260, 600, 280), fill=BED)
    draw.ellipse((90, 200, 170, 258), fill=PART)  # round, barely touching: too high
    draw.rounded_rectangle((270, 226, 370, 260), radius=12, fill=PART)  # slightly squashed
    draw.rectangle((470, 244, 590, 260), fill=PART)  # flattened, ragged: too low
    for x in (480, 510, 540, 570):
        draw.line((x, 244, x + 8, 238), fill=PART, width=4)


DRAWINGS = {
    "warping": ("Défaut d’impression n° 1 (schéma)", _warping),
    "stringing": ("Défaut d’impression n° 2 (schéma)", _stringing),
    "first-layer": ("Première couche : trois réglages de hauteur (schéma)", _first_layer),
}


def demo_image(key: str):
    """The Wagtail image `key` of `DRAWINGS`, drawn and stored on first use."""
    title, draw_on = DRAWINGS[key]
    Image_ = get_image_model()
    existing = Image_.objects.filter(title=title).first()
    if existing is not None:
        return existing
    picture, draw = _canvas()
    draw_on(draw)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return Image_.objects.create(title=title, file=ImageFile(buffer, name=f"demo-{key}.png"))
