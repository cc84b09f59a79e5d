"""Draw the PWA icons once with Pillow (`python -m webapp.field.icons`); the PNGs are committed."""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN, WHITE, GOLD = (11, 93, 59), (255, 255, 255), (242, 183, 5)
OUT = Path(__file__).resolve().parent.parent / "static" / "pwa" / "icons"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw(size, maskable=False):
    """A green tile with an ID card and a 'J'; maskable icons keep to the central safe zone."""
    img = Image.new("RGB", (size, size), GREEN)
    d = ImageDraw.Draw(img)
    scale = 0.56 if maskable else 0.78  # maskable: everything inside the 80% circle
    w, h = size * scale, size * scale * 0.66
    x0, y0 = (size - w) / 2, (size - h) / 2
    d.rounded_rectangle((x0, y0, x0 + w, y0 + h), radius=size * 0.05, fill=WHITE)
    # Photo box and text lines of an e-KTP, in the national green and gold.
    px0, py0 = x0 + w * 0.08, y0 + h * 0.2
    d.rounded_rectangle((px0, py0, px0 + w * 0.3, py0 + h * 0.62), radius=size * 0.02, fill=GOLD)
    font = ImageFont.truetype(FONT, int(h * 0.5))
    d.text((px0 + w * 0.15, py0 + h * 0.31), "J", fill=GREEN, font=font, anchor="mm")
    for i in range(3):
        ly = y0 + h * (0.28 + 0.2 * i)
        d.rounded_rectangle((x0 + w * 0.46, ly, x0 + w * (0.9 - 0.12 * i), ly + h * 0.08),
                            radius=size * 0.01, fill=GREEN)
    return img


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
