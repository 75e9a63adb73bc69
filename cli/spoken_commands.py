"""``collectbot nlu asr-split``: the NLU data as the recogniser hears it (wiring only)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import typer

from simulation.spoken.asr_split import SPLITS, bundled_data_dir, generate_split, write_manifest
from simulation.spoken.channel import ChannelParams
from simulation.spoken.render import SpokenPipeline, timed
from simulation.spoken.voices import voices_for


def asr_split(
    lang: Annotated[Literal["en", "zh"], typer.Option("--lang")] = "en",
    splits: Annotated[str, typer.Option(help="comma-separated: train,test,test_hard")] = (
        ",".join(SPLITS)
    ),
    rates: Annotated[str, typer.Option(help="speaking rates, comma-separated")] = "1.0",
    engines: Annotated[str | None, typer.Option(help="only these TTS engines")] = None,
    train_sample: Annotated[
        int | None, typer.Option(help="render only this many training examples (slow ASR)")
    ] = None,
    max_error: Annotated[float, typer.Option(help="drop transcripts further than this")] = 0.5,
    snr: Annotated[float, typer.Option(help="background noise SNR, dB")] = 20.0,
    loss: Annotated[float, typer.Option(help="packet loss rate")] = 0.02,
    seed: int = 0,
    workers: int = 2,
    out: Annotated[Path | None, typer.Option(help="folder (default: the bundled nlu/data)")] = None,
) -> None:
    """Render the NLU splits through voices, line and recogniser; write <lang>_<split>_asr.yml."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    wanted = [s.strip() for s in splits.split(",") if s.strip()]
    unknown = sorted(set(wanted) - set(SPLITS))
    if unknown:
        raise typer.BadParameter(f"unknown splits {unknown}; choose from {list(SPLITS)}")
    pipeline = SpokenPipeline(lang, ChannelParams(snr_db=snr, loss_rate=loss), seed)
    voices = voices_for(lang, tuple(float(r) for r in rates.split(",")), pipeline.engines)
    if engines:
        voices = [v for v in voices if v.engine in engines.split(",")]
    if not voices:
        raise typer.BadParameter(f"no voice speaks {lang}")
    folder = out or bundled_data_dir()
    reports = []
    for split in wanted:
        typer.echo(f"{lang}/{split}: voices {', '.join(v.label for v in voices)}")
        report = generate_split(
            lang,
            split,
            voices,
            pipeline,
            out_dir=folder,
            sample=train_sample if split == "train" else None,
            max_error=max_error,
            workers=workers,
            progress=timed(f"{lang}/{split}"),
        )
        typer.echo(f"  {report}")
        reports.append(report)
    write_manifest(lang, reports, voices, pipeline, folder, max_error)


def register(nlu_app: typer.Typer) -> None:
    nlu_app.command("asr-split")(asr_split)
