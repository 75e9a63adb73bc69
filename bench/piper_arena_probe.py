"""Piper's memory and time per clause under each onnxruntime memory setting.

    TTS_PIPER_ARENA=power_of_two TTS_PIPER_MEM_PATTERN=1 \
        nice -n 19 .venv/bin/python bench/piper_arena_probe.py

Piper renders one clause at a time (``split_clauses`` cuts at commas), so the probe renders
clauses directly: first the English script's longest clause (what a worker warms with; or with
``--grow 1,2,4,8`` one clause that many times a greeting's length), then ``--clauses`` distinct
clauses of telephone length (20-200 characters), then the first phase again. After each
step it prints glibc's figures and the RSS; at the end the synthesis time per phase. Run one
process per setting (``TTS_PIPER_ARENA``: same_as_requested, power_of_two, off;
``TTS_PIPER_MEM_PATTERN``: 0 or 1). Figures: docs/operations.md, "Session 9: bounded memory".
"""

from __future__ import annotations

import argparse
import os
import random
import time

from soak_probe import mallinfo, memory

from nlu.policy import load_script
from tts.base import VoiceParams
from tts.piper import PiperSynthesizer
from tts.prompt_speech import longest_clause
from tts.settings import TtsSettings

BASE = (
    "Hello this is Alex calling from Acme Lending about your account ending in four eight two one"
)
MORE = "balance due payment tomorrow Friday dollars cents"
WORDS = f"{BASE.lower()} {MORE}".split()


def show(tag: str, seconds: float) -> None:
    m, r = mallinfo(), memory(os.getpid())
    print(f"{tag:14} in_use {m['in_use']:7} mmapped {m['mmapped']:7} free {m['free']:7}"
          f" rss {r['rss']:7} anon {r['anon']:7}  {seconds:6.2f} s", flush=True)  # fmt: skip


def clauses(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    found: list[str] = []
    while len(found) < count:
        words: list[str] = []
        target = rng.randint(20, 200)
        while len(" ".join(words)) < target:
            words.append(rng.choice(WORDS))
        found.append(" ".join(words).capitalize() + ".")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--grow", default="", help="e.g. 1,2,4,8: clauses that many greetings long")
    args = parser.parse_args()
    settings = TtsSettings(piper_noise_scale=0, piper_noise_w_scale=0)  # same audio each run
    print(f"arena {settings.piper_arena}, mem_pattern {settings.piper_mem_pattern}")
    voice = PiperSynthesizer(settings)
    params = VoiceParams(rate=1.0)
    voice._render_sync("ok", "en", params)
    show("loaded", 0.0)
    totals: dict[str, float] = {}
    longest = longest_clause(load_script("en").prompts, "en")  # what a worker warms with
    sizes = [int(n) for n in args.grow.split(",") if n]
    growing = [(f"x{n}", " and ".join([BASE] * n) + ".") for n in sizes] or [("longest", longest)]
    distinct = [(f"c{i} {len(t)}", t) for i, t in enumerate(clauses(args.clauses, args.seed))]
    for phase, steps in (("growing", growing), ("distinct", distinct), ("again", growing)):
        totals[phase] = 0.0
        for i, (tag, text) in enumerate(steps):
            started = time.process_time()
            voice._render_sync(text, "en", params)
            seconds = time.process_time() - started
            totals[phase] += seconds
            if phase != "distinct" or i % 10 == 0 or i == len(steps) - 1:
                show(f"{phase[:5]} {tag}", seconds)
    show("end", 0.0)
    print("CPU-s per phase: " + ", ".join(f"{k} {v:.1f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
