"""Closed-set scoring of Mandarin first answers to "请问是李明吗？" (zh9; measured, not kept).

At the identity question the likely answers are few and known. Whisper (base, CTranslate2) can
score GIVEN texts against the audio: a forced decode (``generate`` with the candidate after the
start sequence and ``return_logits_vocab``) gives the probability of each of its tokens and of
the text ending there (end of text, 。 or ！ next). A candidate's score is that log-probability
over its characters + 1 (Whisper gives short texts high probability; the end term is what keeps
"是" from winning on "是谁啊"). Competitors: a yes family, a strangers' family as rich, and the
two free decodes of the live call (the hinted one and the prompt check's neutral one, from the
render cache). The rule measured: take a yes when the best yes candidate beats every other
candidate and both free decodes by ``margin``.

Per rendering (text x voice) this prints the margin, what the live call heard and did; then per
margin the right-party yeses it would gain (those the live path does not verify) and the
strangers it would verify, and the CPU cost of the scoring (one encode, one forced decode per
token length). Renders come from the cache of ``bench/first_answer.py`` (run it first).

    PYTHONPATH=$PWD COLLECTBOT_HOME=... .venv/bin/python bench/closed_set_zh.py \\
        --corpus bench/data/first_answer_zh_asr6.yml --out /tmp/asr6.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import ctranslate2
import numpy as np
from faster_whisper.tokenizer import Tokenizer

from asr.audio import FloatArray, pcm_to_float_at
from asr.base import Transcript
from asr.prompt_check import MIN_AGREEMENT, checked
from asr.whisper import WHISPER_RATE, LoadedWhisper, WhisperRecognizer, log_mel
from core.logging import configure_logging
from nlu.parser import default_parser
from nlu.policy import VerificationMode
from nlu.policy.state import Stage
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import load_corpus
from simulation.spoken.evaluate import after_first_answer, live_hint, stage_for
from simulation.spoken.render import SYNTH_RATE, SpokenPipeline, asr_settings
from simulation.spoken.voices import voices_for

YES = (
    "是", "对", "是我", "我就是", "对，是我", "是的", "嗯，对", "本人", "我是李明", "对的",
    "就是我", "是我本人", "对对", "嗯，是我",
)  # fmt: skip
OTHERS = (
    "不是", "你是谁", "谁", "你找谁", "打错了", "他不在", "我是他家人", "喂", "是谁", "你哪位",
    "不认识", "没有这个人", "我是他老婆", "什么事", "嗯", "啊", "不对", "我不是",
)  # fmt: skip
ENDS = ("。", "！", ".")
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_TAIL = re.compile(r"[。！？.!?，,\s]+$")


@dataclass(frozen=True, slots=True)
class Scored:
    key: str
    intent: str
    margin: float  # best yes candidate minus the best other candidate or free decode
    best_yes: str
    live: str  # what the live call did: verified / asked / other
    heard: str
    cpu_ms: int


def per_char(logprob: float, text: str) -> float:
    """A candidate's log-probability (its tokens and its end) over its characters + 1."""
    return logprob / (max(1, len(_HANZI.findall(text))) + 1)


def forced_scores(loaded: LoadedWhisper, audio: FloatArray, texts: list[str]) -> list[float]:
    """log P(text, then its end | audio) per text, Whisper's start sequence before it."""
    tok = Tokenizer(loaded.tokenizer, True, task="transcribe", language="zh")
    ends = [tok.eot, *(tok.encode(e)[0] for e in ENDS)]
    mel = log_mel(loaded.features, audio, 10)
    encoded = np.asarray(loaded.model.encode(ctranslate2.StorageView.from_array(mel[None])))
    tokens = [tok.encode(t) for t in texts]
    prompts = [[*tok.sot_sequence, tok.no_timestamps, *t] for t in tokens]
    out = [0.0] * len(texts)
    for length in sorted({len(p) for p in prompts}):  # one batch per prompt length
        index = [i for i, p in enumerate(prompts) if len(p) == length]
        batch = np.ascontiguousarray(np.repeat(encoded, len(index), axis=0))
        results = loaded.model.generate(
            ctranslate2.StorageView.from_array(batch),
            [prompts[i] for i in index],
            beam_size=1,
            max_length=length + 2,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )
        for i, result in zip(index, results, strict=True):
            steps = result.logits[0][: len(tokens[i]) + 1]
            total = 0.0
            for k, step in enumerate(steps):
                x = np.asarray(step, dtype=np.float32)
                top = float(x.max())
                norm = top + math.log(float(np.exp(x - top).sum()))
                wanted = x[ends] if k == len(tokens[i]) else x[[tokens[i][k]]]
                total += math.log(max(float(np.exp(wanted - norm).sum()), 1e-12))
            out[i] = total  # the decode stopped at the text's end: that end is certain
    return out


def _live(first: Transcript, neutral: Transcript, hint: str) -> tuple[str, str]:
    """What the live call does with these two hearings: its verdict and its text."""
    kept = first if first.is_empty else checked(first, neutral, MIN_AGREEMENT, asr_settings(), hint)
    today = date(2026, 12, 7)
    parse = default_parser().parse(kept.text, "zh", today).heard_with(kept.confidence)
    state = after_first_answer("zh", today, kept.text, parse, VerificationMode.NAME)
    if state.verified or state.disclosed:
        return "verified", kept.text
    return ("asked" if state.stage is Stage.VERIFY_NAME else "other"), kept.text


def score_corpus(corpus_path: Path, rates: tuple[float, ...], out: Path) -> list[Scored]:
    corpus = load_corpus(corpus_path)
    lines = [u for u in corpus.utterances if stage_for(u) == "verify"]
    pipeline = SpokenPipeline("zh", ChannelParams())
    voices = voices_for("zh", rates, pipeline.engines)
    hints = live_hint(lines, "zh")
    texts = [u.text for u in lines]
    firsts = pipeline.run(texts, voices, 2, None, hints)
    seconds = pipeline.run(texts, voices, 2, None, second=True)
    loaded = WhisperRecognizer(asr_settings())._model_for("zh")
    line = TelephoneChannel(pipeline.channel)
    loop = asyncio.new_event_loop()
    done: dict[str, dict[str, object]] = json.loads(out.read_text()) if out.exists() else {}
    scored: list[Scored] = []
    for first, second in zip(firsts, seconds, strict=True):
        u = next(x for x in lines if x.text == first.text)
        key = f"{u.text}|{first.voice.label}"
        hint = (hints(u.text) if hints else None) or ""
        a = Transcript(first.transcript, "zh", True, 0, confidence=first.confidence)
        b = Transcript(second.transcript, "zh", True, 0, confidence=second.confidence)
        live, heard = _live(a, b, hint)
        if u.intent == "affirm" and live == "verified":
            continue  # nothing to gain: not scored (the cost is measured on the others)
        if key not in done:
            voice = first.voice
            engine = pipeline.engines[voice.engine]
            pcm = loop.run_until_complete(
                engine.synthesize(u.text, "zh", SYNTH_RATE, voice.params())
            )
            sent = line.transmit(pcm, SYNTH_RATE, pipeline.job(u.text, voice).seed)
            audio = pcm_to_float_at(sent.pcm, sent.rate, WHISPER_RATE)
            free = [t for t in dict.fromkeys(_TAIL.sub("", x.text) for x in (a, b)) if t]
            free = [t for t in free if t not in YES]
            cands = [*YES, *OTHERS, *free]
            start = time.process_time()
            logps = forced_scores(loaded, audio, cands)
            cpu = round(1000 * (time.process_time() - start))
            done[key] = {"scores": dict(zip(cands, logps, strict=True)), "cpu_ms": cpu}
            out.write_text(json.dumps(done, ensure_ascii=False))
        record = done[key]
        scores = {c: per_char(float(s), c) for c, s in dict(record["scores"]).items()}  # type: ignore[call-overload]
        best_yes = max(YES, key=lambda c: scores[c])
        other = max(s for c, s in scores.items() if c not in YES)
        cpu_ms = int(record["cpu_ms"])  # type: ignore[call-overload]
        margin = scores[best_yes] - other
        scored.append(Scored(key, u.intent, margin, best_yes, live, heard, cpu_ms))
    return scored


def report(scored: list[Scored]) -> None:
    yes = [s for s in scored if s.intent == "affirm"]
    strangers = [s for s in scored if s.intent != "affirm"]
    print(f"scored: yeses the live call does not verify {len(yes)}, strangers {len(strangers)}")
    for m in MARGINS:
        gained = sum(1 for s in yes if s.margin >= m)
        bad = sum(1 for s in strangers if s.margin >= m)
        print(f"  margin {m:4.2f}: yeses gained {gained:3}, strangers verified {bad:3}")
    cpu = sorted(s.cpu_ms for s in scored)
    if cpu:
        print(f"  scoring CPU ms per answer: median {cpu[len(cpu) // 2]}, max {cpu[-1]}")
    print("  strangers, highest margin first:")
    for s in sorted(strangers, key=lambda s: -s.margin)[:10]:
        print(f"    {s.margin:5.2f} {s.key} (best yes {s.best_yes}; live heard {s.heard!r})")
    print("  yeses the live call does not verify, highest margin first:")
    for s in sorted(yes, key=lambda s: -s.margin)[:10]:
        print(f"    {s.margin:5.2f} {s.key} (best yes {s.best_yes}; live heard {s.heard!r})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--rates", default="1.0")
    ap.add_argument("--out", type=Path, required=True, help="the scores' cache (JSON)")
    opts = ap.parse_args()
    configure_logging(level="WARNING")
    rates = tuple(float(r) for r in opts.rates.split(","))
    report(score_corpus(opts.corpus, rates, opts.out))


if __name__ == "__main__":
    main()
