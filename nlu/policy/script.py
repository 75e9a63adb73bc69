"""Scripts are data: one YAML file per language, every prompt a template with variants.

``Script.say(key, variant, **values)`` renders a ``Say`` command that carries the text, the
prompt key and the variables it used, so the IVR can serve prompts without variables from an
audio cache. Amounts and dates are spoken naturally per language (``speak_money``,
``speak_date``).
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from core.dialogue import Lang, Say
from core.money import MINOR_UNITS, Money
from nlu.errors import ScriptError

_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_ZH_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
_ZH_DIGITS = "零一二三四五六七八九"
_CURRENCY_WORDS = {
    "en": {"USD": ("dollar", "dollars", "cent", "cents"), "CNY": ("yuan", "yuan", "fen", "fen")},
    "zh": {"USD": ("美元", "美元", "美分", "美分"), "CNY": ("元", "元", "分", "分")},
}


@dataclass(frozen=True, slots=True)
class Script:
    lang: Lang
    prompts: MappingProxyType[str, tuple[str, ...]]

    def has(self, key: str) -> bool:
        return key in self.prompts

    def say(self, key: str, variant: int = 0, *, interruptible: bool = True, **values: str) -> Say:
        variants = self.prompts.get(key)
        if not variants:
            raise ScriptError(f"{self.lang} script has no prompt {key!r}")
        template = variants[variant % len(variants)]
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
        missing = [f for f in fields if f not in values]
        if missing:
            raise ScriptError(f"prompt {key!r} needs {missing}")
        used = tuple(sorted((f, values[f]) for f in set(fields)))
        return Say(
            text=template.format_map(values),
            prompt_key=f"{key}#{variant % len(variants)}",
            lang=self.lang,
            variables=used,
            interruptible=interruptible,
        )


def parse_script(source: str, origin: str = "<string>") -> Script:
    try:
        doc: Any = yaml.safe_load(source)
    except yaml.YAMLError as e:
        raise ScriptError(f"{origin}: not YAML: {e}") from e
    if not isinstance(doc, dict) or doc.get("lang") not in ("en", "zh"):
        raise ScriptError(f"{origin}: expected 'lang: en|zh' and 'prompts'")
    prompts: dict[str, tuple[str, ...]] = {}
    for key, value in (doc.get("prompts") or {}).items():
        variants = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
        if not variants:
            raise ScriptError(f"{origin}: prompt {key!r} has no text")
        prompts[str(key)] = variants
    lang: Lang = "zh" if doc["lang"] == "zh" else "en"
    return Script(lang, MappingProxyType(prompts))


DEFAULT_SCRIPT = "collection"
_SCRIPT_NAME = re.compile(r"^[a-z0-9_-]{1,64}$")


def _script_file(lang: Lang, name: str) -> str:
    """``collection`` is ``scripts/<lang>.yml``; another script ``scripts/<name>/<lang>.yml``."""
    if not _SCRIPT_NAME.match(name):
        raise ScriptError(f"not a script name: {name!r}")
    return f"{lang}.yml" if name == DEFAULT_SCRIPT else f"{name}/{lang}.yml"


def script_exists(lang: Lang, name: str = DEFAULT_SCRIPT) -> bool:
    """Whether the bundled script ``name`` has a version in ``lang``."""
    try:
        return resources.files("nlu").joinpath("scripts", _script_file(lang, name)).is_file()
    except ScriptError:
        return False


@functools.cache
def load_script(lang: Lang, name: str = DEFAULT_SCRIPT) -> Script:
    """The bundled script ``name`` in ``lang`` (read once per process; ScriptError: none)."""
    path = _script_file(lang, name)
    try:
        source = resources.files("nlu").joinpath("scripts", path).read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ScriptError(f"no {lang} version of the script {name!r}") from e
    return parse_script(source, f"nlu/scripts/{path}")


def speak_money(money: Money, lang: Lang) -> str:
    """ "1,250 dollars and 50 cents" / "一千二百五十元五角" style, for a TTS voice."""
    one, many, minor_one, minor_many = _CURRENCY_WORDS[lang].get(
        money.currency, (money.currency,) * 4
    )
    units = int(money.amount)
    minor = int((money.amount - units) * (10 ** MINOR_UNITS[money.currency]))
    if lang == "zh":
        text = f"{zh_number(units)}{one}"
        if money.currency == "CNY" and minor:
            jiao, fen = divmod(minor, 10)
            return (
                text
                + (f"{_ZH_DIGITS[jiao]}角" if jiao else "")
                + (f"{_ZH_DIGITS[fen]}分" if fen else "")
            )
        return text + (f"{zh_number(minor)}{minor_one}" if minor else "")
    text = f"{units:,} {one if units == 1 else many}"
    if minor:
        text += f" and {minor} {minor_one if minor == 1 else minor_many}"
    return text


def speak_date(day: date, lang: Lang) -> str:
    if lang == "zh":
        return f"{day.month}月{day.day}号星期{_ZH_WEEKDAYS[day.weekday()]}"
    return f"{_EN_WEEKDAYS[day.weekday()]}, {_EN_MONTHS[day.month - 1]} {_ordinal(day.day)}"


def speak_phone(phone: str) -> str:
    """A phone number digit by digit, its groups kept: "+1 555-0100" -> "1, 5 5 5, 0 1 0 0"."""
    groups = [" ".join(group) for group in re.findall(r"\d+", phone)]
    return ", ".join(groups)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def zh_number(n: int) -> str:
    """An integer in Mandarin numerals: 3500 → 三千五百, 10050 → 一万零五十."""
    if n == 0:
        return "零"
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        return zh_number(high) + "亿" + (_zh_pad(low, 10_000_000) if low else "")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        head = "两" if high == 2 else zh_number(high)
        return head + "万" + (_zh_pad(low, 1000) if low else "")
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, unit)
        if digit:
            out += ("零" if zero and out else "") + _ZH_DIGITS[digit] + name
            zero = False
        else:
            zero = True
    out = out[1:] if out.startswith("一十") else out
    return "两" + out[1:] if out.startswith("二千") else out


def _zh_pad(low: int, top: int) -> str:
    return ("零" if low < top else "") + zh_number(low)


def money_text(money: Money) -> str:
    """The amount as digits for read-backs and logs, e.g. "1250.00"."""
    return str(money.amount.quantize(Decimal(1).scaleb(-MINOR_UNITS[money.currency])))
