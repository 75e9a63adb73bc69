"""Spoken scenario calls of the test modules, placed at the same time (imported by the test
modules, like ``ivr_sandbox_fixtures``; not a ``conftest.py``).

Each spoken call through the sandbox is real time (40-100 s) and uses the CPU about a quarter of
that (the demo: 82 CPU-s in 291 s of calls), so the calls run ``LINES`` at once, as a worker's
do, instead of one after the other: one shared simulator line (its Stasis app gets every far
half), a bot app per call. Each test still asserts on its own call's report; a call that failed
raises its error in its own test only.

``session_calls`` goes one step further: a module names its scenarios in ``SPOKEN_SCENARIOS``,
and the first such module's fixture places the calls of every module the run selected (after
``-k`` and node ids) in one batch, the longest scenarios first, so the lines are never idle
while the next module waits; the later modules take their reports from that batch. A module
run alone still places only its own calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

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
MARK = "SPOKEN_SCENARIOS"  # the module attribute naming a module's scenarios
_placed: Placed = {}  # this process's calls, by scenario name (placed once each)


def session_calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """The reports of the requesting module's ``SPOKEN_SCENARIOS``; the first call places, in
    one batch, the scenarios of every module selected in this run that are not placed yet."""
    own: Sequence[str] = getattr(request.module, MARK)
    missing = [name for name in selected_scenarios(request.session) if name not in _placed]
    missing += [name for name in own if name not in _placed and name not in missing]
    if missing:
        folder = request.getfixturevalue("tmp_path_factory").mktemp("spoken")
        try:
            _placed.update(place_at_once(asterisk, longest_first(missing), folder))
        except Exception as e:  # the batch itself failed (the line, the models): every test says so
            _placed.update(dict.fromkeys(missing, e))
    return {name: _placed[name] for name in own}


def selected_scenarios(session: pytest.Session) -> list[str]:
    """The scenarios named by the modules of the selected tests, in collection order, once."""
    names: dict[str, None] = {}
    for item in session.items:
        module = getattr(item, "module", None)
        names.update(dict.fromkeys(getattr(module, MARK, ())))
    return list(names)


def longest_first(names: Sequence[str]) -> list[str]:
    """The scenarios with the most debtor lines first (a call's length grows with its turns):
    the long calls start at once and the short ones fill the lines they leave."""
    turns = {name: len(load_scenario(SCENARIO_DIR / f"{name}.yml").debtor) for name in names}
    return sorted(names, key=lambda name: -turns[name])


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
