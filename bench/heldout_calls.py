"""Run a folder of held-out whole-call scenarios on text and print what each call did.

``python bench/heldout_calls.py bench/heldout/calls_en_en10 [-v]`` runs every ``*.yml`` with
``simulate_transcript`` (one process, the NLU loaded once), compares the outcome and promise with
``expect``, and for every call whose expected outcome is ``wrong_number`` or ``third_party`` checks
that no bot line says a debt word (the balance, the creditor, "debt", "loan", "past due", a dollar
amount, the collection notice). A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from simulation.scenario import load_scenario
from simulation.simulate_text import simulate_transcript

_DEBT_WORDS = re.compile(
    r"\b(debt|loan|balance|past due|overdue|owe[sd]?|dollars?|collect\w*|acme|payment|pay)\b"
    r"|\$\d|\d+,\d{3}",
    re.IGNORECASE,
)
_STRANGERS = {"wrong_number", "third_party"}


def main(folder: str, verbose: bool) -> int:
    files = sorted(Path(folder).glob("*.yml"))
    met = strangers = leaks = 0
    for path in files:
        scenario = load_scenario(path)
        data = simulate_transcript(scenario).to_json()
        ok = bool(data["expect_met"])
        met += ok
        expected = scenario.expect.outcome if scenario.expect else ""
        leak = ""
        if str(expected) in _STRANGERS:
            strangers += 1
            said = [str(t["text"]) for t in data["transcript"] if t["speaker"] == "bot"]  # type: ignore[attr-defined]
            hits = [m.group(0) for line in said for m in _DEBT_WORDS.finditer(line)]
            if hits:
                leaks += 1
                leak = f" LEAK {hits}"
        mark = "ok  " if ok else "MISS"
        print(f"{mark} {path.stem:36} {data['outcome']:18} {json.dumps(data['promise'])}{leak}")
        if not ok:
            print(f"     {data['expect_problems']}")
        if verbose and (not ok or leak):
            for t in data["transcript"]:  # type: ignore[attr-defined]
                print(f"       {t['speaker']:6} {t['text']}")
    print(f"met {met}/{len(files)}; strangers/third parties {strangers}, leaks {leaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], "-v" in sys.argv[2:]))
