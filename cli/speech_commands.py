"""CLI: ``collectbot speech say|transcribe|prepare`` (wiring only).

``prepare`` assembles the Mandarin Whisper model into the cache and loads every engine once,
so a fresh install is verified (and the first call is not the one paying for it).
"""

from __future__ import annotations

import asyncio
import json
import time
import wave
from pathlib import Path
from typing import Annotated, Literal

import typer

from asr import models
from asr.base import RecognitionOptions, Recognizer
from asr.settings import AsrSettings
from asr.vosk import VoskRecognizer
from asr.whisper import WhisperRecognizer
from tts import engines
from tts.base import Synthesizer, VoiceParams
from tts.errors import TtsError
from tts.settings import EngineName, TtsSettings

app = typer.Typer(help="Speech: synthesise, transcribe, prepare the models.", no_args_is_help=True)


def _recognizer(engine: str) -> Recognizer:
    return WhisperRecognizer() if engine == "whisper" else VoskRecognizer()


@app.command()
def say(
    text: str,
    out: Annotated[Path, typer.Option("--out", help="WAV file to write")],
    lang: Annotated[str, typer.Option("--lang")] = "en",
    engine: Annotated[
        EngineName | None,
        typer.Option("--engine", help="default: the one TTS_ENGINE_<LANG> names"),
    ] = None,
    rate: Annotated[int, typer.Option("--rate", help="sample rate, Hz")] = 8000,
    speed: Annotated[float, typer.Option("--speed", help="1.0 = normal")] = 1.0,
    pitch: Annotated[int | None, typer.Option("--pitch", help="0-99 (espeak)")] = None,
) -> None:
    """Synthesise TEXT (normalised, streamed by clause) into a 16-bit mono WAV."""

    settings = TtsSettings()
    chosen = engine or engines.configured(lang, settings)
    try:
        synth = engines.build(chosen, lang, settings)
    except TtsError as e:  # no voice for the language, model or binary missing: say so
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e

    async def run() -> dict[str, object]:
        await synth.warm_up()
        started = time.perf_counter()
        first_ms: float | None = None
        chunks: list[bytes] = []
        clauses: list[str] = []
        async for chunk in synth.stream(text, lang, rate, VoiceParams(rate=speed, pitch=pitch)):
            first_ms = first_ms or (time.perf_counter() - started) * 1000
            chunks.append(chunk.pcm)
            clauses.append(chunk.text)
        pcm = b"".join(chunks)
        with wave.open(str(out), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        return {
            "out": str(out),
            "engine": synth.name,
            "clauses": clauses,
            "first_audio_ms": round(first_ms or 0.0, 1),
            "total_ms": round((time.perf_counter() - started) * 1000, 1),
            "audio_ms": len(pcm) * 1000 // (2 * rate),
        }

    try:
        report = asyncio.run(run())
    except TtsError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    typer.echo(json.dumps(report, ensure_ascii=False))


@app.command()
def transcribe(
    wav: Path,
    lang: Annotated[str, typer.Option("--lang")] = "en",
    engine: Annotated[Literal["whisper", "vosk"], typer.Option("--engine")] = "whisper",
    prompt: Annotated[str | None, typer.Option("--prompt")] = None,
) -> None:
    """Transcribe a 16-bit mono WAV file."""
    with wave.open(str(wav)) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise typer.BadParameter("expected a 16-bit mono WAV")
        rate = w.getframerate()
        pcm = w.readframes(w.getnframes())
    recognizer = _recognizer(engine)

    async def run() -> dict[str, object]:
        await recognizer.warm_up()
        cpu, wall = time.process_time(), time.perf_counter()
        result = await recognizer.transcribe(pcm, rate, RecognitionOptions.of(lang, prompt))
        return {
            "text": result.text,
            "language": result.language,
            "audio_ms": result.audio_ms,
            "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
            "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
        }

    typer.echo(json.dumps(asyncio.run(run()), ensure_ascii=False))


@app.command()
def prepare() -> None:
    """Assemble cached models and load every engine once; prints what is available."""

    async def run() -> dict[str, object]:
        settings = AsrSettings()
        report: dict[str, object] = {"whisper_en": str(models.whisper_en_dir(settings))}
        if models.whisper_base_available():
            report["whisper_zh"] = str(models.whisper_zh_dir(settings))
        loaded: list[Recognizer | Synthesizer] = [
            WhisperRecognizer(settings),
            VoskRecognizer(settings),
        ]
        tts_settings = TtsSettings()
        for info in engines.available(tts_settings):
            loaded.append(engines.ENGINES[info.name](tts_settings))
        for engine in loaded:
            started = time.perf_counter()
            await engine.warm_up()
            name = type(engine).__name__
            report[name] = {
                "languages": sorted(engine.languages),
                "load_s": round(time.perf_counter() - started, 2),
            }
        return report

    typer.echo(json.dumps(asyncio.run(run()), ensure_ascii=False, indent=2))
