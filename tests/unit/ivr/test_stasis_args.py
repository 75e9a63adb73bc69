"""The channel's Stasis arguments: one type formats what the dialer sends and parses what the
IVR receives, including what the AMD dialplan context passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.stasis_args import AMD_DIALPLAN_ARGS, StasisArgs

TEMPLATES = Path(__file__).resolve().parents[3] / "simulation" / "sandbox" / "templates"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("outbound", "L-1", "en", "amd=MACHINE:LONGGREETING-1600-1500"),
         StasisArgs("outbound", "L-1", "en", "MACHINE", "LONGGREETING-1600-1500")),
        (("outbound", "L-1", "zh", "amd=HUMAN:HUMAN-1-0"),
         StasisArgs("outbound", "L-1", "zh", "HUMAN", "HUMAN-1-0")),
        (("outbound", "L-1", "en", "amd=heuristic"),
         StasisArgs("outbound", "L-1", "en", "heuristic")),
        (("outbound", "L-1", "en", "amd=off"), StasisArgs("outbound", "L-1", "en", "off")),
        (("outbound", "L-1", "en"), StasisArgs("outbound", "L-1", "en")),
        (("outbound", "L-1", "en", "junk", "amd=off"), StasisArgs("outbound", "L-1", "en", "off")),
        (("outbound", "", "en"), StasisArgs("outbound", None, "en")),
        (("outbound",), StasisArgs("outbound")),
        (("outbound", "L-1", "en", "amd=:"), StasisArgs("outbound", "L-1", "en")),
        (("inbound", "1000"), StasisArgs("inbound", extension="1000")),
        (("inbound",), StasisArgs("inbound")),
        (("agent", "call-1"), None),
        (("snoop", "call-1"), None),
        (("sim-debtor", "100"), None),
        (("OUTBOUND", "L-1"), None),
        ((), None),
    ],
)  # fmt: skip
def test_parse(args: tuple[str, ...], expected: StasisArgs | None) -> None:
    assert StasisArgs.parse(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        StasisArgs.outbound("L00000037", "en", "heuristic"),
        StasisArgs.outbound("L-9", "zh", "off"),
        StasisArgs.outbound("case 7", "en"),
        StasisArgs("outbound", "L-1", "en", "MACHINE", "LONGGREETING-1600-1500"),
        StasisArgs("inbound", extension="2000"),
    ],
)
def test_format_then_parse_is_the_same_call(args: StasisArgs) -> None:
    assert StasisArgs.parse(args.format()) == args


def test_the_dialer_sends_case_language_and_amd_mode() -> None:
    assert StasisArgs.outbound("L-1", "zh", "heuristic").format() == (
        "outbound", "L-1", "zh", "amd=heuristic",
    )  # fmt: skip


@pytest.mark.parametrize("bad", ["", "L-1,evil", ","])
def test_a_case_id_that_would_break_the_arguments_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="case id"):
        StasisArgs.outbound(bad, "en")


@pytest.mark.parametrize(("lang", "amd"), [("en,x", ""), ("en", "off,x"), ("en", "MACHINE:x")])
def test_a_language_or_amd_mode_that_would_break_the_arguments_is_refused(
    lang: str, amd: str
) -> None:
    with pytest.raises(ValueError, match="language or AMD mode"):
        StasisArgs.outbound("L-1", lang, amd)


def test_language_falls_back_to_english() -> None:
    assert StasisArgs.outbound("L-1", "zh").language == "zh"
    assert StasisArgs.outbound("L-1", "fr").language == "en"
    assert StasisArgs("inbound").language == "en"


def test_the_amd_dialplan_enters_the_app_with_arguments_stasis_args_parses() -> None:
    conf = (TEMPLATES / "extensions.conf").read_text(encoding="utf-8")
    assert f"Stasis(${{COLLECTBOT_APP}},{AMD_DIALPLAN_ARGS})" in conf
    filled = (
        AMD_DIALPLAN_ARGS.replace("${COLLECTBOT_CASE}", "L-7")
        .replace("${COLLECTBOT_LANG}", "zh")
        .replace("${AMDSTATUS}", "MACHINE")
        .replace("${AMDCAUSE}", "INITIALSILENCE-2500-3500")
    )
    parsed = StasisArgs.parse(tuple(filled.split(",")))
    assert parsed == StasisArgs("outbound", "L-7", "zh", "MACHINE", "INITIALSILENCE-2500-3500")
    assert parsed.machine_verdict
