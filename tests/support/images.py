"""Images made on the spot for the avatar tests: good ones and hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

GPS_LATITUDE = (48.0, 51.0, 29.64)  # 48°51'29.64" N: Paris


def image_bytes(fmt: str = "PNG", size=(640, 480), mode: str = "RGB", **save) -> bytes:
    """A small picture with some structure (so encoders have something to do)."""
    image = Image.new(mode, size)
    for x in range(0, size[0], 16):
        for y in range(0, size[1], 16):
            image.paste((x % 256, y % 256, (x + y) % 256)[: len(mode)] or 0, (x, y, x + 8, y + 8))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def png(size=(640, 480)) -> bytes:
    return image_bytes("PNG", size)


def jpeg(size=(640, 480), **save) -> bytes:
    return image_bytes("JPEG", size, **save)


def webp(size=(640, 480)) -> bytes:
    return image_bytes("WEBP", size)


def gif(size=(640, 480)) -> bytes:
    return image_bytes("GIF", size, "P")


def animated_gif(frames: int = 3, size=(64, 64)) -> bytes:
    images = [Image.new("RGB", size, (255 * (i % 2), 0, 255)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera make and a comment."""
    exif = Image.Exif()
    exif[Base.Make] = "SpyCam"
    exif[Base.ImageDescription] = "home sweet home"
    exif.get_ifd(IFD.GPSInfo).update(
        {
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: GPS_LATITUDE,
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (2.0, 17.0, 40.2),
        }
    )
    return jpeg(exif=exif.tobytes(), comment=b"secret comment")


def png_bomb(side: int = 15_000) -> bytes:
    """A valid PNG of ``side`` x ``side`` black 1-bit pixels: a few KB, gigapixels decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return _png_file(side, side, bit_depth=1, color_type=0, idat=idat)


def real_bomb() -> bytes:
    """A decodable 1-bit PNG of 60 megapixels that Pillow itself makes: tiny on disk."""
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_file(width: int, height: int, *, bit_depth: int, color_type: int, idat: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


SCRIPT = b"<script>alert(document.cookie)</script>\n<?php system($_GET['c']); ?>"


def polyglot(base: bytes | None = None) -> bytes:
    """A complete, valid image with a script after its end."""
    return (base or png()) + SCRIPT


def truncated(data: bytes | None = None) -> bytes:
    data = data or png()
    return data[: len(data) // 2]


def photo(size=(4000, 3000), quality: int = 78) -> bytes:
    """A noisy photo-like JPEG (high entropy, so it stays big): just under 5 MiB at 4000x3000."""
    noise = Image.effect_noise(size, 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(out, "JPEG", quality=quality)
    return out.getvalue()
