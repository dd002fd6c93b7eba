"""Avatar images are hostile input: decode with Pillow, refuse, re-encode.

``avatar_encode(data, declared=...)`` accepts PNG, JPEG, WebP and GIF by
their content (Pillow opens the bytes with only those four decoders), and
refuses with ``InvalidImage`` (400, the reason in the message):

- a body that is none of them, or whose content disagrees with the declared
  media type (``image/png`` holding a JPEG);
- a decompression bomb: a canvas over ``MAX_PIXELS`` or a side over
  ``MAX_SIDE``, checked from the header before a pixel is decoded;
- a truncated or corrupt file (Pillow's decoder errors; truncated files are
  never "loaded anyway");
- bytes after the image's own end (a PNG's ``IEND``, a JPEG's last ``EOI``,
  a GIF's trailer, a WebP's RIFF length): a polyglot that is also a script or
  an archive is refused, not just laundered.

What is accepted is re-encoded as WebP, at most ``SIZE`` x ``SIZE`` with its
aspect kept (never enlarged), after applying the EXIF orientation. Nothing of
the upload's metadata is carried over: no EXIF (GPS positions, camera
serials), no XMP, no ICC profile, no comments. An animated GIF or WebP keeps
its first frame only: the stored avatar is always a still image (small,
decoded once per view by every browser, and the same format for all).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from config.api.errors import ValidationFailed

SIZE = 512
# A 48 MP photo (8000x6000) fits. Below Pillow's own warning threshold (89 MP), which
# therefore never fires; a JPEG is decoded at 1/2..1/8 scale (``_draft``).
MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
WEBP_QUALITY = 82
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg"}
MEDIA_TYPES |= {"WEBP": "image/webp", "GIF": "image/gif"}
ACCEPTED_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
OUTPUT_TYPE = "image/webp"


class InvalidImage(ValidationFailed):
    default_code = "invalid_image"
    default_detail = "The body is not a PNG, JPEG, WebP or GIF image."


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    media_type: str
    width: int
    height: int
    source_type: str  # what the upload was, by its content


def avatar_encode(data: bytes, *, declared: str | None) -> EncodedImage:
    """Check ``data`` and return it re-encoded as a WebP of at most ``SIZE`` x ``SIZE``."""
    if not data:
        raise InvalidImage("The image is empty.")
    image = _open(data)
    source_type = MEDIA_TYPES[image.format or ""]
    if declared is not None and declared != source_type:
        raise InvalidImage(f"The body is {_name(source_type)} but was declared {declared}.")
    _refuse_bomb(image)
    _draft(image)
    try:
        image.load()
        still = _still(image)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise InvalidImage("The image is truncated or corrupt.") from None
    _refuse_trailing_bytes(data, source_type)
    return EncodedImage(*_webp(still), source_type=source_type)


def _open(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP", "GIF"])
    except Image.DecompressionBombError:
        raise InvalidImage(_bomb_message()) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise InvalidImage() from None


def _refuse_bomb(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise InvalidImage("The image has no pixels.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise InvalidImage(_bomb_message(f" ({width}x{height})"))


def _bomb_message(size: str = "") -> str:
    return (
        f"The image's canvas is too large{size}: at most {MAX_PIXELS:,} pixels and "
        f"{MAX_SIDE:,} on a side (a small file that decodes to a huge image is refused)."
    )


_ENDINGS = {
    "image/png": b"\x00\x00\x00\x00IEND\xaeB`\x82",
    "image/jpeg": b"\xff\xd9",
    "image/gif": b"\x3b",
}


def _refuse_trailing_bytes(data: bytes, media_type: str) -> None:
    """Refuse bytes after the image's end: what a polyglot hides there."""
    if media_type == "image/webp":
        declared = int.from_bytes(data[4:8], "little") + 8
        fits = declared == len(data) or (declared % 2 == 1 and declared + 1 == len(data))
    else:
        fits = data.endswith(_ENDINGS[media_type])
    if not fits:
        raise InvalidImage(
            f"The file does not end where {_name(media_type)} ends: bytes after its end "
            "(a file that is also something else is refused), or cut short."
        )


def _draft(image: Image.Image) -> None:
    """Let the JPEG decoder scale down by up to 8 while decoding: less memory, faster."""
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (SIZE, SIZE))


def _still(image: Image.Image) -> Image.Image:
    """The first frame, upright (EXIF orientation applied), as RGB or RGBA."""
    image.seek(0)
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if has_alpha else "RGB")


def _webp(image: Image.Image) -> tuple[bytes, str, int, int]:
    image.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a new image: no info, EXIF, XMP or ICC rides along
    out = io.BytesIO()
    clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue(), OUTPUT_TYPE, clean.width, clean.height


def _name(media_type: str) -> str:
    return {"image/png": "a PNG", "image/jpeg": "a JPEG", "image/webp": "a WebP"}.get(
        media_type, "a GIF"
    )
