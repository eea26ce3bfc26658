"""Just enough PDF reading to check what Qt's PDF writer drew: inflate the streams, read
the ToUnicode maps, and decode each font run of the page content with each map. Words
come back without spaces (Qt positions glyphs instead of drawing spaces)."""

from __future__ import annotations

import re
import zlib


def _streams(data: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def _cmaps(streams: list[bytes]) -> list[dict[int, str]]:
    maps = []
    for s in streams:
        if b"begincmap" not in s:
            continue
        cmap: dict[int, str] = {}
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", s, re.S):
            for lo, hi, rest in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[.*?\]|<[0-9a-fA-F]+>)", block, re.S
            ):
                start, end = int(lo, 16), int(hi, 16)
                if rest.startswith(b"["):
                    for i, h in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", rest)):
                        cmap[start + i] = bytes.fromhex(h.decode()).decode("utf-16-be", "replace")
                else:
                    base = int(rest[1:-1], 16)
                    for i in range(end - start + 1):
                        cmap[start + i] = chr(base + i)
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
            for a, b in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[int(a, 16)] = bytes.fromhex(b.decode()).decode("utf-16-be", "replace")
        maps.append(cmap)
    return maps


def pdf_texts(data: bytes) -> list[str]:
    """Candidate texts: every font run decoded with every ToUnicode map."""
    streams = _streams(data)
    maps = _cmaps(streams)
    out = []
    for s in streams:
        if b" Tj" not in s:
            continue
        for run in re.split(rb"/F\d+ [\d.]+ Tf", s):
            glyphs = [int(h, 16) for h in re.findall(rb"<([0-9a-fA-F]{4})> Tj", run)]
            for cmap in maps:
                out.append("".join(cmap.get(g, "\ufffd") for g in glyphs))
    return out


def pdf_contains(data: bytes, text: str) -> bool:
    wanted = re.sub(r"\s", "", text)
    return any(wanted in re.sub(r"\s", "", candidate) for candidate in pdf_texts(data))
