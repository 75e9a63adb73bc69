"""What a ``malloc_trim(0)`` costs a turn that meets it (the worst case the worker's trimmer
avoids by waiting for a moment with no reply pending: docs/operations.md "Session 13, ops10").

    nice -n 10 .venv/bin/python bench/trim_contention.py --rounds 12

Whisper (the product's recogniser settings) transcribes one Piper-rendered sentence, round
after round. Before every round four threads leave ~``--free-mb`` MB free but kept in their
glibc arenas (chunks of 1–100 KB, every other one kept alive, the rest freed: the fragmented
free memory a worker holds after a burst of calls). Rounds alternate: the transcription alone,
or with ``malloc_trim(0)`` started in another thread 50 ms into it. Printed: the
transcription's time in both (median, max), the trims' own time and the MB they gave back.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import threading
import time

from asr.base import RecognitionOptions
from asr.whisper import WhisperRecognizer
from dialer.memory_trim import MB, Glibc
from ivr.media.rtp import RATE
from tts.engines import voice_for

SENTENCE = "Yes, this is me. I can pay two hundred dollars on Friday, the fifteenth."


def _fragment(free_mb: float, seed: int) -> list[list[bytearray]]:
    """Leave about ``free_mb`` free inside four threads' arenas; returns what stays alive."""
    kept: list[list[bytearray]] = [[] for _ in range(4)]

    def churn(i: int) -> None:
        rnd, made, chunks = random.Random(seed + i), 0, []
        while made < free_mb * MB / 4 * 2:
            size = rnd.randint(1024, 100 * 1024)
            chunks.append(bytearray(size))
            made += size
        kept[i] = chunks[::2]  # the other half is freed: holes between live chunks
        del chunks

    threads = [threading.Thread(target=churn, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return kept


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=12, help="rounds of each kind")
    ap.add_argument("--free-mb", type=float, default=200.0)
    args = ap.parse_args()
    glibc = Glibc.load()
    assert glibc is not None, "glibc only"
    recognizer = WhisperRecognizer()
    await recognizer.warm_up()
    pcm = await (await voice_for("en")).synthesize(SENTENCE, "en", RATE)
    options = RecognitionOptions("en")
    for _ in range(2):
        recognizer.transcribe_sync(pcm, RATE, options)  # warm
    alone: list[float] = []
    met: list[float] = []
    trims: list[tuple[float, float]] = []
    for n in range(2 * args.rounds):
        kept = _fragment(args.free_mb, n)
        with_trim = n % 2 == 1
        done: list[tuple[float, float]] = []

        def trim(done: list[tuple[float, float]] = done) -> None:
            time.sleep(0.05)
            t = glibc.trim()
            done.append((t.seconds * 1000, t.returned / MB))

        trimmer = threading.Thread(target=trim) if with_trim else None
        started = time.perf_counter()
        if trimmer is not None:
            trimmer.start()
        recognizer.transcribe_sync(pcm, RATE, options)
        took = (time.perf_counter() - started) * 1000
        if trimmer is not None:
            trimmer.join()
            trims += done
        (met if with_trim else alone).append(took)
        del kept
        glibc.trim()  # every round starts from the same state
    print(f"free kept before each round: ~{args.free_mb:.0f} MB in 4 threads' arenas")
    for name, values in (("transcription alone", alone), ("meeting a trim", met)):
        print(
            f"{name:>20}: median {statistics.median(values):.0f} ms, max {max(values):.0f} ms"
            f" (n={len(values)})"
        )
    ms = [t for t, _ in trims]
    back = [b for _, b in trims]
    print(
        f"{'trims':>20}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms;"
        f" gave back median {statistics.median(back):.0f} MB"
    )


if __name__ == "__main__":
    asyncio.run(main())
