"""Training data in Rasa's NLU YAML format.

``version: "3.1"`` and ``nlu: - intent: … examples: |`` blocks, so teams can bring Rasa data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from core.dialogue import INTENTS, Intent, Lang
from nlu.errors import TrainingDataError

_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: Intent


def parse_rasa_yaml(source: str, origin: str = "<string>") -> tuple[Example, ...]:
    """Examples from a Rasa NLU YAML document; entity annotations ``[x](type)`` become ``x``."""
    try:
        doc = yaml.safe_load(source)
    except yaml.YAMLError as e:
        raise TrainingDataError(f"{origin}: not YAML: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("nlu"), list):
        raise TrainingDataError(f"{origin}: expected a mapping with an 'nlu' list")
    examples: list[Example] = []
    for block in doc["nlu"]:
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, regexes and lookups are not used here
        name = block["intent"]
        if name not in INTENTS:
            raise TrainingDataError(f"{origin}: unknown intent {name!r}")
        for line in str(block.get("examples", "")).splitlines():
            text = line.strip()
            if not text.startswith("- "):
                continue
            text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text[2:].strip())
            if text:
                examples.append(Example(normalize(text), name))
    return tuple(examples)


def normalize(text: str) -> str:
    """What the classifier sees: lowercase, single spaces, no sentence punctuation."""
    text = re.sub(r"[，。！？、,.!?;；:：\"“”]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def bundled_source(name: str) -> str:
    return resources.files("nlu").joinpath("data", name).read_text(encoding="utf-8")


def load_split(lang: Lang, split: str, data_dir: Path | None = None) -> tuple[Example, ...]:
    """The ``train`` or ``test`` split for ``lang``, bundled or from ``data_dir``."""
    name = f"{lang}_{split}.yml"
    if data_dir is not None:
        path = data_dir / name
        return parse_rasa_yaml(path.read_text(encoding="utf-8"), str(path))
    return parse_rasa_yaml(bundled_source(name), name)


def fingerprint(examples: tuple[Example, ...], *extra: str) -> str:
    """A stable hash of the examples (and any extra strings such as the backend name)."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(part.encode() + b"\0")
    for ex in examples:
        digest.update(f"{ex.intent}\t{ex.text}\n".encode())
    return digest.hexdigest()[:16]
