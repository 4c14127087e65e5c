"""Simple signature and seal images drawn with Pillow, for the demo and the tests.

They stand in for the real images a leader and an agency upload (a scan of the signature, the
registered seal): a blue flourish with the person's initials, and a red double ring with a star
and the agency's name. Drawn, not copied from anywhere; transparent PNGs as the decree asks.
"""

import io
import math

from PIL import Image, ImageDraw, ImageFont

from directives.pdf import font_path

BLUE = (20, 50, 170, 255)
RED = (210, 20, 30, 255)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path("regular")), size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def signature_png(name: str) -> bytes:
    """A 500 × 190 transparent PNG: the initials of ``name`` in script-like strokes, underlined."""
    image = Image.new("RGBA", (500, 190), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split() if word)[-3:] or "?"
    draw.text((250, 85), initials, font=_font(110), fill=BLUE, anchor="mm")
    # a flourish: a damped sine under the initials
    points = [(40 + x, 150 - 28 * math.sin(x / 38) * math.exp(-x / 420)) for x in range(0, 430, 4)]
    draw.line(points, fill=BLUE, width=6, joint="curve")
    return _png(image.rotate(6, resample=Image.Resampling.BICUBIC))


def seal_png(agency_name: str) -> bytes:
    """A 400 × 400 transparent PNG: a red double ring, a star, and ``agency_name`` across the middle."""
    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=12)
    draw.ellipse((52, 52, size - 52, size - 52), outline=RED, width=5)
    centre = size / 2
    star = []
    for index in range(10):
        radius = 42 if index % 2 == 0 else 17
        angle = -math.pi / 2 + index * math.pi / 5
        star.append((centre + radius * math.cos(angle), centre - 70 + radius * math.sin(angle)))
    draw.polygon(star, fill=RED)
    words, lines, line = agency_name.upper().split(), [], ""
    for word in words:  # wrap to about 16 characters a line
        if line and len(line) + 1 + len(word) > 16:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    for index, text in enumerate(lines[:4]):
        draw.text((centre, centre + 10 + index * 32), text, font=_font(28), fill=RED, anchor="mm")
    return _png(image)
