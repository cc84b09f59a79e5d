"""Degraded camera frames of the app's own slip QR codes, for the scanner benchmark and tests.

Each frame is a 640x480 grey camera picture of a printed slip (the code from
`webapp.prereg.slips.slip_qr`, a name line under it) on a desk, seen by a cheap phone: one
family of degradation at one of three levels. Seeded and deterministic: the same arguments give
the same PNG bytes. `python -m bench.scanner_frames OUTDIR` writes them with a manifest.
"""
from __future__ import annotations

import io
import json
import sys
import zlib
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H = 640, 480
FAMILIES = ("rotation", "tilt", "blur", "defocus", "noise", "glare", "lowcontrast", "small", "jpeg",
            "warp", "thumb", "shadow", "clutter")
LEVELS = ("mild", "medium", "hard")
PER = 8  # frames per family and level: 13 x 3 x 8 = 312


@dataclass(frozen=True)
class Frame:
    family: str
    level: str
    index: int
    token: str
    png: bytes

    @property
    def name(self):
        return f"{self.family}-{self.level}-{self.index}"


def slip_matrix(token: str) -> np.ndarray:
    """The slip's QR modules (True = dark), quiet zone included, exactly as printed."""
    from webapp.prereg.slips import slip_qr

    return np.array(slip_qr(token).get_matrix(), dtype=bool)


def _slip(token, module, rng, ink=30, paper=235):
    """The printed slip as a grey image: the code, a name line and a class line under it."""
    mods = slip_matrix(token)
    side = mods.shape[0] * module
    pad = module * 2
    slip = Image.new("L", (side + 2 * pad, side + 2 * pad + module * 9), paper)
    code = np.where(mods, ink, paper).astype(np.uint8)
    slip.paste(Image.fromarray(code).resize((side, side), Image.NEAREST), (pad, pad))
    draw = ImageDraw.Draw(slip)
    y = pad + side
    for width, height in ((0.8, 2.2), (0.5, 1.6)):  # text lines as ink bars (no font needed)
        w = int(side * width * rng.uniform(0.7, 1.0))
        draw.rectangle((pad + module, y + module, pad + module + w, y + module + int(module * height)),
                       fill=ink + 40)
        y += int(module * 3.5)
    return slip, side, pad


def _coeffs(src, dst):
    """PIL PERSPECTIVE coefficients that map output points `dst` to input points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def _desk(rng, clutter=0.0):
    """A plain desk with a light gradient, or a cluttered one (papers, print, lines)."""
    base = rng.uniform(95, 150)
    gx = np.linspace(-1, 1, W)[None, :] * rng.uniform(-20, 20)
    gy = np.linspace(-1, 1, H)[:, None] * rng.uniform(-20, 20)
    img = Image.fromarray(np.clip(base + gx + gy, 0, 255).astype(np.uint8))
    if clutter:
        draw = ImageDraw.Draw(img)
        for _ in range(int(40 * clutter)):  # sheets of paper with print on them
            x, y = rng.integers(-100, W), rng.integers(-100, H)
            w, h = rng.integers(60, 260), rng.integers(40, 200)
            draw.rectangle((x, y, x + w, y + h), fill=int(rng.uniform(170, 245)))
            for line in range(int(h // 12)):
                lw = rng.integers(10, max(11, w - 10))
                draw.rectangle((x + 5, y + 6 + line * 12, x + 5 + lw, y + 10 + line * 12),
                               fill=int(rng.uniform(20, 90)))
        for _ in range(int(30 * clutter)):  # pen strokes and box edges
            x0, y0, x1, y1 = rng.integers(0, W), rng.integers(0, H), rng.integers(0, W), rng.integers(0, H)
            draw.line((x0, y0, x1, y1), fill=int(rng.uniform(0, 80)), width=int(rng.integers(1, 4)))
    return img


def _place(rng, slip, side, pad, scale, angle, tilt=0.0, center_jitter=60):
    """Where the slip's corners land in the frame: scaled to the camera, tilted, rotated."""
    sw, sh = slip.size
    cx = W / 2 + rng.uniform(-center_jitter, center_jitter)
    cy = H / 2 + rng.uniform(-center_jitter, center_jitter) * 0.6
    code_cx, code_cy = pad + side / 2, pad + side / 2  # the code's centre sits at (cx, cy)
    corners = (np.array([(0, 0), (sw, 0), (sw, sh), (0, sh)], float) - (code_cx, code_cy)) * scale
    if tilt:
        axis = rng.integers(0, 4)  # which edge leans away from the camera
        for k in range(4):
            far = {0: corners[k][1] < 0, 1: corners[k][0] > 0, 2: corners[k][1] > 0, 3: corners[k][0] < 0}[axis]
            shrink = 1 - tilt if far else 1 + tilt * 0.3
            corners[k] = corners[k] * ((shrink, 1) if axis in (0, 2) else (1, shrink))
    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return [tuple(rot @ c + (cx, cy)) for c in corners], [(0, 0), (sw, 0), (sw, sh), (0, sh)]


def _compose(desk, slip, dst, src):
    coeffs = _coeffs(src, dst)
    warped = slip.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", slip.size, 255).transform((W, H), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    desk.paste(warped, (0, 0), mask)
    return desk


def _disk_blur(arr, radius):
    """Defocus: the image convolved with a flat disk (an out-of-focus lens), via FFT."""
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    kernel = ((xx ** 2 + yy ** 2) <= radius ** 2).astype(float)
    kernel /= kernel.sum()
    pad = np.zeros_like(arr, dtype=float)
    pad[:kernel.shape[0], :kernel.shape[1]] = kernel
    pad = np.roll(pad, (-r, -r), axis=(0, 1))
    return np.real(np.fft.ifft2(np.fft.fft2(arr) * np.fft.fft2(pad)))


def _code_box(dst, pad, side, slip_size):
    """Rough centre and size of the code in the frame (for glare, thumb and shadow)."""
    pts = np.array(dst)
    sw, sh = slip_size
    # The code's centre is offset from the slip's: interpolate on the slip's corners.
    u, v = (pad + side / 2) / sw, (pad + side / 2) / sh
    top = pts[0] + (pts[1] - pts[0]) * u
    bottom = pts[3] + (pts[2] - pts[3]) * u
    centre = top + (bottom - top) * v
    scale = np.linalg.norm(pts[1] - pts[0]) / sw * side
    return centre, scale


LEVEL = {"mild": 0, "medium": 1, "hard": 2}


def make_frame(family: str, level: str, index: int, seed: int = 13) -> Frame:
    """One degraded frame; deterministic in (family, level, index, seed)."""
    key = zlib.crc32(f"{seed}/{family}/{level}/{index}".encode())
    rng = np.random.default_rng(key)
    token = urlsafe_b64encode(rng.bytes(12)).decode()  # like new_qr_token: 16 characters
    k = LEVEL[level]
    module = rng.uniform(5.0, 7.0)
    angle = rng.uniform(-12, 12)
    tilt = rng.uniform(0, 0.08)
    ink, paper, clutter = 30, 235, 0.0
    if family == "rotation":
        angle = rng.choice([-1, 1]) * rng.uniform(*[(15, 30), (30, 60), (60, 90)][k])
        module = rng.uniform(*[(5, 7), (4, 6), (3.5, 5)][k])
    elif family == "tilt":
        tilt = rng.uniform(*[(0.15, 0.22), (0.25, 0.33), (0.35, 0.45)][k])
    elif family == "lowcontrast":
        span = rng.uniform(*[(0.35, 0.45), (0.2, 0.28), (0.12, 0.17)][k]) * 255
        paper = int(rng.uniform(170, 225))
        ink = int(paper - span)
    elif family == "small":
        module = rng.uniform(*[(3.0, 3.5), (2.3, 2.7), (1.9, 2.2)][k])
    elif family == "clutter":
        clutter = [0.5, 1.0, 1.6][k]
        module = rng.uniform(*[(4.5, 6), (3.5, 4.5), (3.0, 3.8)][k])
    # The slip is drawn at 4x its module size and scaled down by the perspective warp.
    up = 4
    slip, side, pad = _slip(token, int(round(module * up)), rng, ink, paper)
    dst, src = _place(rng, slip, side, pad, module / round(module * up), angle, tilt)
    frame = _compose(_desk(rng, clutter), slip, dst, src)
    centre, code_px = _code_box(dst, pad, side, slip.size)
    arr = np.asarray(frame, dtype=float)
    arr = _degrade(family, k, arr, rng, centre, code_px)
    # Every camera: a little lens blur and sensor noise.
    arr = np.asarray(Image.fromarray(_u8(arr)).filter(ImageFilter.GaussianBlur(0.5)), float)
    arr = arr + rng.normal(0, 2.0, arr.shape)
    img = Image.fromarray(_u8(arr))
    out = io.BytesIO()
    if family == "jpeg":
        img.save(out, "JPEG", quality=[30, 15, 8][k])
        img = Image.open(io.BytesIO(out.getvalue())).convert("L")
        out = io.BytesIO()
    img.save(out, "PNG")
    return Frame(family, level, index, token, out.getvalue())


def _u8(arr):
    return np.clip(arr, 0, 255).astype(np.uint8)


def _degrade(family, k, arr, rng, centre, code_px):
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    if family == "blur":
        return np.asarray(Image.fromarray(_u8(arr)).filter(
            ImageFilter.GaussianBlur(rng.uniform(*[(1.0, 1.4), (1.6, 2.0), (2.2, 2.6)][k]))), float)
    if family == "defocus":
        return _disk_blur(arr, rng.uniform(*[(1.8, 2.4), (2.8, 3.4), (3.8, 4.4)][k]))
    if family == "noise":  # dim light: little signal, sensor noise, auto-exposure gain
        light = [0.45, 0.28, 0.18][k]
        sigma = [3.5, 4.5, 5.0][k]
        return (arr * light + rng.normal(0, sigma, arr.shape)) / light
    if family == "glare":  # a specular highlight over part of the code, and a washed-out print
        off = rng.uniform(-0.25, 0.25, 2) * code_px
        # Hard: the blown-out spot covers about a fifth of the code. Much more than a quarter is
        # beyond level Q's error correction for any decoder: the officer tilts the slip instead.
        radius = code_px * [0.10, 0.13, 0.16][k]
        peak = [180, 230, 270][k]
        d2 = (xx - centre[0] - off[0]) ** 2 + (yy - centre[1] - off[1]) ** 2
        return arr * (1 - [0.1, 0.2, 0.3][k]) + 40 * [0.5, 1, 1.5][k] + peak * np.exp(-d2 / (2 * radius ** 2))
    if family == "warp":  # a crumpled slip: wavy displacement with its shading
        amp = [1.5, 2.5, 3.5][k]
        wave = code_px * rng.uniform(0.9, 1.3)  # a wavy, once-folded slip (not a crumpled ball)
        phase = rng.uniform(0, 2 * np.pi, 2)
        dx = amp * np.sin(2 * np.pi * yy / wave + phase[0])
        dy = amp * np.sin(2 * np.pi * xx / wave + phase[1])
        sx = np.clip(np.round(xx + dx), 0, W - 1).astype(int)
        sy = np.clip(np.round(yy + dy), 0, H - 1).astype(int)
        shade = 1 + [0.05, 0.1, 0.15][k] * np.cos(2 * np.pi * yy / wave + phase[0])
        return arr[sy, sx] * shade
    if family == "thumb":  # a thumb over the corner without a finder pattern
        depth = code_px * [0.15, 0.22, 0.3][k]
        corner = centre + np.array([code_px / 2, code_px / 2])
        a, b = depth * 1.1, depth * 1.6
        ang = np.deg2rad(rng.uniform(20, 70))
        px, py = xx - corner[0], yy - corner[1]
        u = px * np.cos(ang) + py * np.sin(ang)
        v = -px * np.sin(ang) + py * np.cos(ang)
        inside = (u / a) ** 2 + (v / b) ** 2 <= 1
        skin = rng.uniform(120, 170) + 20 * np.exp(-(u ** 2 + v ** 2) / (2 * (a / 2) ** 2))
        return np.where(inside, skin, arr)
    if family == "shadow":  # the phone's or the hand's shadow: a soft edge across the code
        dark = [0.6, 0.4, 0.25][k]
        ang = rng.uniform(0, 2 * np.pi)
        dist = (xx - centre[0]) * np.cos(ang) + (yy - centre[1]) * np.sin(ang) - rng.uniform(-0.2, 0.2) * code_px
        edge = 1 / (1 + np.exp(-dist / (code_px * 0.03)))
        return arr * (1 - (1 - dark) * edge)
    return arr


def all_frames(per: int = PER, seed: int = 13, families=FAMILIES, levels=LEVELS):
    """Every frame of the set, family by family."""
    for family in families:
        for level in levels:
            for i in range(per):
                yield make_frame(family, level, i, seed)


def main(argv):
    out = Path(argv[0] if argv else "bench/out/scanner_frames")
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for f in all_frames():
        (out / f"{f.name}.png").write_bytes(f.png)
        manifest.append({"name": f.name, "family": f.family, "level": f.level, "token": f.token})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} frames in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
