"""The recogniser-output split: Rasa YAML, staleness, and the training hook behind NLU_ASR_SPLIT."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.dialogue import Intent, Lang
from nlu.settings import NluSettings
from nlu.training_data import Example, load_split, load_training, parse_rasa_yaml
from simulation.spoken.asr_split import (
    MANIFEST,
    TranscriptFilter,
    bundled_data_dir,
    negations,
    source_hash,
    stale_splits,
    to_rasa_yaml,
    token_error,
)


def test_rasa_yaml_round_trip_keeps_every_example() -> None:
    examples = [
        Example("yeah it's me", "affirm"),
        Example("i can pay 200 on friday", "promise_to_pay"),
        Example("who's this # 2 - test", "ask_identity"),
        Example("我周五还两千", "promise_to_pay"),
    ]
    parsed = parse_rasa_yaml(to_rasa_yaml("en", "train", examples, "note"))
    assert sorted(parsed, key=lambda e: e.text) == sorted(examples, key=lambda e: e.text)


def test_token_error() -> None:
    assert token_error("who is this", "who is this", "en") == 0
    assert token_error("who is this", "goodness", "en") == 1
    assert token_error("我周五还两千", "我周五环两千", "zh") == pytest.approx(1 / 6)


def test_bundled_asr_splits_are_fresh() -> None:
    """Every generated split matches the examples it was made from; when the NLU data change,
    regenerate with ``collectbot nlu asr-split --lang <lang>`` (docs/nlu.md)."""
    assert stale_splits() == []
    manifest = json.loads((bundled_data_dir() / MANIFEST).read_text(encoding="utf-8"))
    for lang, entry in manifest.items():
        for split in entry["splits"]:
            assert (bundled_data_dir() / f"{lang}_{split}_asr.yml").is_file()
            assert load_split(lang, f"{split}_asr"), f"{lang}_{split}_asr is empty"


def _copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), folder)
    return folder


def test_a_changed_source_makes_its_split_stale(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    manifest = {"en": {"splits": {"test": {"source": source_hash("en", "test", folder)}}}}
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert stale_splits(folder) == []
    test_file = folder / "en_test.yml"
    test_file.write_text(
        test_file.read_text(encoding="utf-8") + "- intent: affirm\n  examples: |\n    - yup yup\n",
        encoding="utf-8",
    )
    assert stale_splits(folder) == ["en/test"]


def test_training_uses_the_asr_split_only_when_asked(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "en_train.yml").write_text(
        to_rasa_yaml("en", "train", [Example("yes", "affirm")], "t"), encoding="utf-8"
    )
    assert [e.text for e in load_training("en", folder, asr_split=True)] == ["yes"]
    (folder / "en_train_asr.yml").write_text(
        to_rasa_yaml("en", "train_asr", [Example("yeah is", "affirm")], "t"), encoding="utf-8"
    )
    assert [e.text for e in load_training("en", folder)] == ["yes"]
    assert [e.text for e in load_training("en", folder, asr_split=True)] == ["yes", "yeah is"]


def _filter(lang: Lang = "en") -> TranscriptFilter:
    clean: dict[str, Intent] = {"that's correct": "affirm", "好的": "affirm"}
    return TranscriptFilter(lang, 0.5, frozenset({"who's calling"}), clean)


@pytest.mark.parametrize(
    ("source", "heard", "intent", "verdict"),
    [
        ("that's not correct", "that's correct", "deny", "far"),  # lost its negation
        ("uh huh", "uh-uh", "affirm", "far"),  # "uh-uh" is a no
        ("i can pay friday", "i can't pay friday", "promise_to_pay", "far"),  # gained one
        ("who is this", "goodness", "ask_identity", "far"),  # too far to keep the label
        ("that is correct", "that's correct", "deny", "far"),  # a clean example of affirm
        ("who is calling", "who's calling", "ask_identity", "same"),  # a held-out sentence
        ("yes speaking", "yes speaking", "affirm", "same"),
        ("yes speaking", "", "affirm", "empty"),
        (
            "i'll pay two hundred on friday",
            "i'll pay two hundred on friday then",
            "promise_to_pay",
            "keep",
        ),
    ],
)
def test_transcripts_that_may_change_the_meaning_are_dropped(
    source: str, heard: str, intent: Intent, verdict: str
) -> None:
    assert _filter().verdict(source, heard, intent) == verdict


def test_mandarin_negations_are_counted_by_character() -> None:
    assert negations("我没借过钱", "zh") == 1
    assert negations("不是不是", "zh") == 2
    assert _filter("zh").verdict("不是我", "是我", "deny") == "far"
    assert _filter("zh").verdict("我周五还两千", "我周五环两千", "promise_to_pay") == "keep"


def test_a_transcript_that_sounds_like_voicemail_is_dropped() -> None:
    verdict = _filter().verdict(
        "you've reached the wrong person", "you've reached in the wrong person", "wrong_number"
    )
    assert verdict == "far"


def test_the_asr_split_is_on_for_english_by_default_and_can_be_switched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NLU_ASR_SPLIT", raising=False)
    assert NluSettings().asr_split == ("en",)
    monkeypatch.setenv("NLU_ASR_SPLIT", "[]")
    assert NluSettings().asr_split == ()
    monkeypatch.setenv("NLU_ASR_SPLIT", '["en", "zh"]')
    assert NluSettings().asr_split == ("en", "zh")
    monkeypatch.setenv("NLU_ASR_SPLIT", '["fr"]')
    with pytest.raises(ValueError, match=r"fr|literal"):
        NluSettings()
