"""What a worker's periodic ``malloc_trim`` cost its calls, read from a soak's ``worker.log``.

    .venv/bin/python bench/trim_turns.py /tmp/collectbot-soak-*/worker.log

Per log: the turns' voice-to-voice and processing (``ivr.turn``) p50 / p95 / max, the trims
(``worker.malloc_trimmed``: MB given back, its own ms, how long it waited for a moment with no
reply pending) and the turns whose reply window overlapped a trim. A turn's window is taken as
[its log time - voice-to-voice - 1 s, its log time] (``ivr.turn`` is logged once the reply's
commands ran, a little after the first frame): an overlap is a turn that *may* have met it.
"""

from __future__ import annotations

import json
import statistics
import sys
from datetime import datetime
from pathlib import Path


def _events(path: Path) -> list[dict[str, object]]:
    found = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{") and ('"ivr.turn"' in line or "malloc_trim" in line):
            found.append(json.loads(line))
    return found


def _t(event: dict[str, object]) -> float:
    return datetime.fromisoformat(str(event["timestamp"])).timestamp()


def _pct(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.0f} / {p95:.0f} / {ordered[-1]:.0f} ms (n={len(values)})"


def report(path: Path) -> None:
    events = _events(path)
    turns = [e for e in events if e["event"] == "ivr.turn" and e.get("voice_to_voice_ms")]
    trims = [e for e in events if e["event"] == "worker.malloc_trimmed"]
    skipped = sum(e["event"] == "worker.malloc_trim_skipped" for e in events)
    v2v = [float(str(e["voice_to_voice_ms"])) for e in turns]
    proc = [float(str(e["processing_ms"])) for e in turns if e.get("processing_ms") is not None]
    print(f"{path}\n  turns: voice-to-voice {_pct(v2v)}; processing {_pct(proc)}")
    print(f"  trims: {len(trims)}, skipped (busy a whole period / too little free): {skipped}")
    met: list[float] = []
    for trim in trims:
        end = _t(trim)
        start = end - float(str(trim["trim_ms"])) / 1000
        hit = [
            float(str(e["voice_to_voice_ms"])) for e in turns
            if _t(e) >= start and _t(e) - float(str(e["voice_to_voice_ms"])) / 1000 - 1 <= end
        ]  # fmt: skip
        met += hit
        print(
            f"  {trim['timestamp']}: gave back {trim['returned_mb']} MB"
            f" (kept free {trim['free_kept_mb']} MB) in {trim['trim_ms']} ms after waiting"
            f" {trim['waited_s']} s; turns overlapping: {hit or 'none'}"
        )
    if trims:
        print(f"  turns that may have met a trim: {_pct(met)}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        report(Path(name))
