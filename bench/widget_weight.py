"""The chat widget's page weight: widget.js and widget.css, raw and gzipped (level 9,
what a server's gzip sends at most). The whole widget; it loads nothing else.

    .venv/bin/python bench/widget_weight.py
"""
from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "bot" / "portal" / "static"
FILES = ("widget.js", "widget.css")


def weights() -> dict[str, tuple[int, int]]:
    """file name -> (raw bytes, gzipped bytes)."""
    out = {}
    for name in FILES:
        raw = (STATIC / name).read_bytes()
        out[name] = (len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0)))
    return out


def main() -> None:
    sizes = weights()
    for name, (raw, packed) in sizes.items():
        print(f"{name:11} {raw / 1024:6.1f} KB raw  {packed / 1024:5.1f} KB gzip")
    raw, packed = (sum(v[i] for v in sizes.values()) for i in (0, 1))
    print(f"{'total':11} {raw / 1024:6.1f} KB raw  {packed / 1024:5.1f} KB gzip")


if __name__ == "__main__":
    main()
