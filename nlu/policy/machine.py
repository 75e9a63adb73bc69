"""Answering machines: what the bot does when a voicemail or a network announcement answers.

A machine is recognised either by the PBX before the call reaches the bot (Asterisk's AMD:
``MachineHandling.detected``, or a ``MachineDetected`` event) or by the first-utterance
heuristic (``nlu.rules.is_machine_greeting`` on what is heard before the right party is
verified). The jurisdiction profile decides what it gets, unless configuration overrides it:

* US (Reg F, 12 CFR 1006.2(j)): the *limited-content message*: the consumer's name, a request
  to reply, the name of a natural person to contact and a telephone number; nothing that says
  or hints that it is about a debt, and no creditor name. Without a contact name and a number
  configured, no compliant message can be left: the bot hangs up instead.
* CN: hang up by default (a message may carry only the company's name and a request to call
  back; most "machines" on Chinese networks are operator announcements anyway).

Either way the call ends with ``Outcome.MACHINE``.
"""

from __future__ import annotations

from core.dialogue import MachineDetected, Outcome
from nlu.machine_greeting import is_machine_greeting
from nlu.policy.common import Result, end
from nlu.policy.facts import DEFAULT_MACHINE_ACTION, CaseFacts, MachineAction
from nlu.policy.state import DialogueState, Stage


def action_for(state: DialogueState) -> MachineAction:
    return state.machine.action or DEFAULT_MACHINE_ACTION[state.facts.jurisdiction]


def message_possible(facts: CaseFacts) -> bool:
    """Whether the jurisdiction's limited-content message has all its required parts."""
    if facts.jurisdiction == "US":
        return bool(facts.callback_contact.strip() and facts.callback_phone.strip())
    return bool(facts.company.strip())


def heard_machine(state: DialogueState, text: str) -> bool:
    """The heuristic: a voicemail greeting heard before anyone was verified."""
    return (
        state.machine.heuristic
        and not state.verified
        and state.stage in (Stage.WAITING, Stage.VERIFY_NAME)
        and is_machine_greeting(text)
    )


def machine_answered(state: DialogueState, event: MachineDetected) -> Result:
    """Leave the limited-content message (or not) and hang up with ``Outcome.MACHINE``."""
    state = state.noted(f"machine:{event.source}")
    if action_for(state) is MachineAction.MESSAGE:
        if message_possible(state.facts):
            return end(state, Outcome.MACHINE, f"machine_message.{state.facts.jurisdiction}")
        state = state.noted("machine_message_not_configured")
    return end(state, Outcome.MACHINE)
