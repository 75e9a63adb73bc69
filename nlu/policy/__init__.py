"""The collection dialogue: ``decide(state, event) -> (state, commands)``, scripts as data."""

from nlu.policy.facts import (
    CaseFacts,
    MachineAction,
    MachineHandling,
    NegotiationLimits,
    VerificationMode,
    demo_case,
)
from nlu.policy.safety import decide
from nlu.policy.script import (
    DEFAULT_SCRIPT,
    Script,
    load_script,
    script_exists,
    speak_date,
    speak_money,
)
from nlu.policy.state import DialogueState, Stage, start

__all__ = [
    "DEFAULT_SCRIPT",
    "CaseFacts",
    "DialogueState",
    "MachineAction",
    "MachineHandling",
    "NegotiationLimits",
    "Script",
    "Stage",
    "VerificationMode",
    "decide",
    "demo_case",
    "load_script",
    "script_exists",
    "speak_date",
    "speak_money",
    "start",
]
