"""Answering machines and network announcements, read from the call's first utterances."""

from __future__ import annotations

import re

# Answering machines and network announcements, heard as the call's first utterances. Each
# pattern is specific enough that a person answering would not say it: a third party's "he's
# not available, do you want to leave a message?" is a person, "please leave a message after
# the tone" is a machine.
_MACHINE_EN = re.compile(
    r"\byou(?:'?ve| have) reached (?!me\b|him\b|her\b|us\b|the (?:right|wrong)\b|a bad\b)"
    r"|\b(?:after|at|when you hear) the (?:tone|beep)\b|\b(?:tone|beep)\b.{0,30}\brecord"
    r"|\brecord your (?:message|name)\b|\bleave (?:me |us )?your (?:name|number|message)\b"
    r"|\b(?:not available|unavailable|can'?t (?:take|answer|get to|come to)|cannot (?:take|answer"
    r"|come to)|unable to (?:take|answer|come to)|away from (?:the|my) phone)\b"
    r".{0,60}\bplease leave\b"
    r"|\b(?:welcome to|forwarded to|the) (?:\w+ ){0,3}?voice ?mail(?:box)?\b"
    r"|\bvoice messaging system\b|\bmailbox (?:is full|of)\b"
    r"|\bthe (?:number|party|person|subscriber|customer) you (?:have |are |were )?(?:dialed|dialled"
    r"|called|calling|trying to reach),? (?:is|has|cannot|can'?t|does|was)\b.{0,20}?"
    r"\b(?:not|no longer|unavailable|disconnected|off|busy|reached|changed)\b"
    r"|\b(?:is|has been) (?:not|no longer) in service\b|\bhas been disconnected\b"
    r"|\bplease (?:check the number|try your call again|hang up and try)\b"
    r"|\bis (?:switched|powered|power) off\b|\bhang up or press\b",
    re.I,
)
_MACHINE_ZH = re.compile(
    r"(?:提示音|嘀声|滴声|哔声|嘟声|“嘀”声)(?:后|之后|响后)"
    r"|您(?:所)?拨打的(?:用户|电话|号码|手机)|暂时无法接通|不在服务区|(?:是|为)空号|已停机"
    r"|请稍后再(?:拨|打|试)|语音信箱|(?:转入|转到|进入|转接到)(?:语音|留言)|留言服务"
    r"|(?:无法|不能|不便)接听.{0,10}请.{0,6}留言"
)


def is_machine_greeting(text: str) -> bool:
    """Whether an utterance is a voicemail greeting or a network announcement (either
    language: Chinese networks repeat their announcements in English)."""
    return bool(_MACHINE_EN.search(text) or _MACHINE_ZH.search(text))
