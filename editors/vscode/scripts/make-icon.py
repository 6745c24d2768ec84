#!/usr/bin/env python3
"""Draws media/icon.png (128x128 RGBA) with the standard library only:
a parchment page on an ink-blue tile, lines of text, a red note marker and a
small timeline with three dated events. Run: python3 scripts/make-icon.py"""
import struct
import zlib
from pathlib import Path

W = H = 128
SS = 4  # supersampling for smooth edges

INK = (28, 45, 84)
PAGE = (243, 233, 208)
PAGE_EDGE = (205, 188, 150)
TEXT = (92, 78, 60)
RED = (186, 40, 40)
GOLD = (214, 160, 48)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def circle(x, y, cx, cy, r):
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def color_at(x, y):
    """Colour (r,g,b,a) at a point in 0..128 coordinates."""
    if not rounded_rect(x, y, 2, 2, 126, 126, 22):
        return (0, 0, 0, 0)
    c = INK + (255,)
    # page with a folded corner
    if rounded_rect(x, y, 24, 14, 104, 114, 5) and not (x > 86 and y < 32 and (x - 86) > (y - 14)):
        c = PAGE + (255,)
        if x > 86 and y < 32 and (x - 86) > (y - 14) - 1.5:
            c = PAGE_EDGE + (255,)
        # lines of text
        for i, (ly, lx1) in enumerate([(34, 80), (44, 92), (54, 88), (64, 70)]):
            if ly - 2 <= y <= ly + 2 and 34 <= x <= lx1:
                c = TEXT + (255,)
        # red note marker after the last line: "(2)" as a dot in a ring
        if circle(x, y, 78, 62, 5.5) and not circle(x, y, 78, 62, 3.2):
            c = RED + (255,)
        if circle(x, y, 78, 62, 1.6):
            c = RED + (255,)
        # timeline
        if 88 <= y <= 90 and 34 <= x <= 94:
            c = INK + (255,)
        for ex in (42, 60, 86):
            if circle(x, y, ex, 89, 4.5):
                c = GOLD + (255,)
            if circle(x, y, ex, 89, 4.5) and not circle(x, y, ex, 89, 3.2):
                c = INK + (255,)
        if 96 <= y <= 99 and 40 <= x <= 64:
            c = TEXT + (160,) if c[:3] == PAGE else c
    return c


def render():
    rows = []
    for py in range(H):
        row = bytearray([0])
        for px in range(W):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = color_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SS * SS
            a = acc[3]
            if a == 0:
                row += bytes((0, 0, 0, 0))
            else:
                row += bytes((acc[0] // a, acc[1] // a, acc[2] // a, a // n))
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "media" / "icon.png"
    out.write_bytes(png(render()))
    print(f"wrote {out}")
