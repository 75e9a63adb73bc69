"""The one door commands leave the policy by: ``decide`` = screen the input, decide, guard.

* screen: a transcript the recogniser made up (``nlu.hallucination.is_hallucination``: known
  phrases, punctuation, nothing) is never an answer, in any state: it reaches the dialogue as
  ``out_of_scope`` (so it is asked again), its text kept for the voicemail heuristic;
* decide: ``nlu.policy.decide.decide``, the dialogue itself;
* guard: ``nlu.policy.disclosure.guard``, no debt-revealing prompt before verification.
"""

from __future__ import annotations

from dataclasses import replace

from core.dialogue import DialogueEvent, Parse, UtteranceHeard
from nlu.hallucination import is_hallucination
from nlu.policy import decide as dialogue
from nlu.policy.common import Result
from nlu.policy.disclosure import guard
from nlu.policy.state import DialogueState


def screen(event: DialogueEvent) -> DialogueEvent:
    """``event`` as the dialogue may take it (a hallucinated utterance carries no intent)."""
    if isinstance(event, UtteranceHeard) and is_hallucination(event.text, event.lang):
        nothing = Parse("out_of_scope", 0.0, (), event.parse.asr_confidence)
        return replace(event, parse=nothing)
    return event


def decide(state: DialogueState, event: DialogueEvent) -> Result:
    """The next state and commands for ``event``, with the disclosure invariant enforced."""
    if state.ended:
        return state, []
    return guard(*dialogue.decide(state, screen(event)))
