"""Piper's memory as its sentences get longer: glibc's figures after each synthesis.

    nice -n 19 .venv/bin/python bench/piper_arena_probe.py

onnxruntime keeps a memory arena per session that grows to the largest tensors it has needed
(mmapped chunks, never given back); RSS grows further as pages of it are first touched. The
soak's steps of allocated memory have this shape (docs/operations.md, Soak).
"""

from __future__ import annotations

import asyncio
import os

from soak_probe import mallinfo, memory

from tts import engines

BASE = "Hello, this is Alex calling from Acme Lending about your account ending in 4821"


def show(tag: str) -> None:
    m, r = mallinfo(), memory(os.getpid())
    print(f"{tag:16} in_use {m['in_use']:7} mmapped {m['mmapped']:7} free {m['free']:7}"
          f" rss {r['rss']}", flush=True)  # fmt: skip


async def main() -> None:
    voice = await engines.voice_for("en")
    show("loaded")
    for n in (1, 2, 4, 8, 1, 8, 2, 8, 4, 8):  # longer, then the same lengths again
        await voice.synthesize(", and ".join([BASE] * n), "en", 8000)
        show(f"sentence x{n}")


if __name__ == "__main__":
    asyncio.run(main())
