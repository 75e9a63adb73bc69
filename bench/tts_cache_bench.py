"""TTS CPU-seconds per scripted call, before and after the prompt cache (issue 13, lever 1).

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/tts_cache_bench.py [--lang en] [--calls 8]

Each scenario under simulation/scenarios (``*_<lang>.yml``) is run on text through the real NLU and
policy; every ``Say`` the bot issued is then spoken twice with the real voice (Piper for
English, the configured engine otherwise): "before" synthesises every prompt in full (today's
call path); "after" speaks through ``PromptSpeaker`` with one ``PromptCache`` shared by all
calls of the process (in-memory, a fresh temporary directory, so nothing comes from an
earlier run). CPU time is the process's (``time.process_time``: all threads, the engine's
included), the reliable figure on a shared machine; wall time is printed for reference only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.dialogue import CallAnswered, DialogueEvent, Say, SilenceTimedOut, UtteranceHeard
from ivr.conversation import PolicyConversation
from nlu.policy import load_script
from simulation.scenario import HANGUP, SILENCE, load_scenario
from tts.base import Synthesizer
from tts.cache import PromptCache
from tts.engines import voice_for
from tts.prompt_speech import PromptSpeaker, script_version

RATE = 8000
SCENARIOS = Path(__file__).resolve().parent.parent / "simulation" / "scenarios"


def scripted_calls(lang: str) -> list[tuple[str, list[Say]]]:
    """Every scenario of ``lang`` run on text: the bot's ``Say`` commands, in order."""
    calls = []
    for path in sorted(SCENARIOS.glob(f"*_{lang}.yml")):
        scenario = load_scenario(path)
        conversation = PolicyConversation(scenario.case_facts(), scenario.today)
        says: list[Say] = []

        def send(
            event: DialogueEvent, says: list[Say] = says, conv: PolicyConversation = conversation
        ) -> None:
            says.extend(c for c in conv.decide(event) if isinstance(c, Say))

        zone = ZoneInfo(scenario.case_facts().timezone)
        send(CallAnswered(datetime.combine(scenario.today, dtime(12), tzinfo=zone)))
        for line in scenario.debtor:
            if line == HANGUP:
                break
            if line == SILENCE:
                send(SilenceTimedOut(8.0))
                continue
            heard = conversation.understand(line, scenario.language).heard_with(1.0)
            send(UtteranceHeard(line, scenario.language, heard))
        calls.append((path.stem, says))
    return calls


async def _spend(
    synth: Synthesizer, speaker: PromptSpeaker | None, says: list[Say]
) -> tuple[float, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    audio_ms = 0
    for say in says:
        stream = speaker.stream(say, RATE) if speaker else synth.stream(say.text, say.lang, RATE)
        async for chunk in stream:
            audio_ms += chunk.duration_ms
    return time.process_time() - cpu, time.perf_counter() - wall, audio_ms / 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en")
    parser.add_argument("--calls", type=int, default=8, help="scripted calls to run (cycled)")
    args = parser.parse_args()
    calls = scripted_calls(args.lang)
    synth = await voice_for(args.lang)
    await synth.warm_up()
    chosen = [calls[i % len(calls)] for i in range(args.calls)]
    prompts = dict(load_script("zh" if args.lang == "zh" else "en").prompts)
    with tempfile.TemporaryDirectory() as tmp:
        cache = PromptCache(synth, Path(tmp))
        speaker = PromptSpeaker(synth, cache, script_version(prompts))
        print(f"engine {synth.name}, {len(chosen)} scripted calls, {args.lang}")
        print("call                             says  audio s  before CPU-s  after CPU-s")
        before_all, after_all = [], []
        for name, says in chosen:
            b_cpu, _, audio = await _spend(synth, None, says)
            a_cpu, _, _ = await _spend(synth, speaker, says)
            before_all.append(b_cpu)
            after_all.append(a_cpu)
            print(f"{name:32} {len(says):4} {audio:8.1f} {b_cpu:13.2f} {a_cpu:12.2f}")
        warm_cpu = time.process_time()
        rendered = await speaker.warm(prompts, args.lang, RATE)
        warm_cpu = time.process_time() - warm_cpu
        rest = [(await _spend(synth, speaker, says))[0] for _, says in chosen]
    print(f"before: {statistics.mean(before_all):.2f} CPU-s per call (mean)")
    print(f"after, cache filled lazily by these calls: {statistics.mean(after_all):.2f}")
    print(f"start-up warm of the whole script: {rendered} segments, {warm_cpu:.1f} CPU-s")
    print(f"after, warm cache: {statistics.mean(rest):.2f} CPU-s per call (mean)")
    stats = speaker.stats
    print(
        f"segments static/dynamic: {stats.static_segments}/{stats.dynamic_segments}; "
        f"cache renders {cache.stats.renders}, memory hits {cache.stats.memory_hits}"
    )


if __name__ == "__main__":
    asyncio.run(main())
