"""Photos of a print, made safe before they are kept.

Limits are checked in the cheapest order: the upload's size first (the file is streamed to
disk by Django, never decoded), then the pixel count from the header alone (Pillow reads
the size without decoding), and only then is the image decoded and re-encoded as JPEG,
which leaves EXIF, GPS, comments and any other metadata behind.
"""

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from courses.exceptions import AtelierError

FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
LONGEST_SIDE = 2400  # kept photos are scaled down to this


class PhotoRefused(AtelierError):
    pass


def max_bytes() -> int:
    return getattr(settings, "GRADING_PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def max_pixels() -> int:
    return getattr(settings, "GRADING_PHOTO_MAX_PIXELS", 40_000_000)


def photo_too_large_message(name: str) -> str:
    return _("“%(name)s” is too large (at most %(mb)d MB).") % {
        "name": name,
        "mb": max_bytes() // (1024 * 1024),
    }


def photo_clean(upload) -> tuple[ContentFile, int, int]:
    """A re-encoded JPEG of `upload` (an UploadedFile) and its size; PhotoRefused if not."""
    name = getattr(upload, "name", "") or "photo"
    if upload.size > max_bytes():
        raise PhotoRefused(photo_too_large_message(name))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:  # reads the header only
                kind, (width, height) = probe.format, probe.size
                if kind not in FORMATS:
                    raise PhotoRefused(
                        _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name}
                    )
                if width * height > max_pixels():
                    raise PhotoRefused(
                        _("“%(name)s” has too many pixels (%(w)d × %(h)d, at most %(mp)d MP).")
                        % {"name": name, "w": width, "h": height, "mp": max_pixels() // 1_000_000}
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe).convert("RGB")
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(
            _("“%(name)s” has too many pixels (at most %(mp)d MP).")
            % {"name": name, "mp": max_pixels() // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRefused(
            _("“%(name)s” is not a photo Atelier can read.") % {"name": name}
        ) from None
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    # Pixels only: a new image carries none of the original's info (EXIF, comment, XMP, ICC).
    image = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # no exif= : nothing of the original's metadata
    return ContentFile(out.getvalue()), image.width, image.height
