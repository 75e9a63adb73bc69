"""Spoken scenario calls of one test module, placed at the same time (imported by the test
modules, like ``ivr_sandbox_fixtures``; not a ``conftest.py``).

Each spoken call through the sandbox is real time (40-100 s) and uses the CPU about a quarter of
that (the demo: 82 CPU-s in 291 s of calls), so a module's calls run ``LINES`` at once, as a
worker's do, instead of one after the other: one shared simulator line (its Stasis app gets
every far half), a bot app per call. Each test still asserts on its own call's report; a call
that failed raises its error in its own test only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from core.clock import SystemClock
from ivr.settings import AriSettings
from simulation.scenario import SCENARIO_DIR, load_scenario
from simulation.simulate import (
    SimulationOptions,
    SimulationReport,
    SimulationSpeech,
    default_speech,
    simulate_call,
    simulator_line,
)

LINES = 3  # calls up at once: the demo's and a worker's lines on the 2-core machine

Placed = dict[str, SimulationReport | BaseException]


def place_at_once(
    asterisk: AriSettings, names: Sequence[str], folder: Path, *, lines: int = LINES
) -> Placed:
    """The reports of scenarios ``names`` (files in ``SCENARIO_DIR``, without ``.yml``), or
    each call's error; recordings go to ``folder / name``."""
    return asyncio.run(_place(asterisk, names, folder, lines))


async def _place(asterisk: AriSettings, names: Sequence[str], folder: Path, lines: int) -> Placed:
    scenarios = {name: load_scenario(SCENARIO_DIR / f"{name}.yml") for name in names}
    speech: dict[str, SimulationSpeech] = {}
    for lang in sorted({s.language for s in scenarios.values()}):
        speech[lang] = await default_speech(lang)  # the models load once per process
    free = asyncio.Semaphore(lines)
    async with simulator_line(asterisk) as line:

        async def one(index: int, name: str) -> SimulationReport:
            scenario = scenarios[name]
            options = SimulationOptions(
                bot_app=f"collectbot-sim-{index}", recordings_dir=folder / name
            )
            async with free:
                return await simulate_call(
                    scenario, ari=asterisk, speech=speech[scenario.language],
                    clock=SystemClock(), options=options, line=line,
                )  # fmt: skip

        done = await asyncio.gather(
            *(one(i, name) for i, name in enumerate(names)), return_exceptions=True
        )
    return dict(zip(names, done, strict=True))


def report_of(placed: Placed, name: str) -> SimulationReport:
    """The call's report (its transcript printed), or its error raised here."""
    got = placed[name]
    if isinstance(got, BaseException):
        raise got
    out = got.to_json()
    print(name, "outcome:", out["outcome"], out["end_reason"], out["expect_problems"])
    for line in got.result.transcript:
        print(f"  {line.speaker}: {line.text}")
    print("  voice-to-voice ms:", out["voice_to_voice_ms"], "processing ms:", out["processing_ms"])
    return got
