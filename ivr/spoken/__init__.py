"""Speech the NLU was not tuned to: a simulated telephone line and the cached spoken pipeline.

- ``ivr.spoken.channel``: ``TelephoneChannel`` (8 kHz, G.711 mu-law, noise at an SNR, 20 ms
  packet loss), deterministic by seed.
- ``ivr.spoken.voices``: every shipped voice of a language, discovered in the ``tts`` package.
- ``ivr.spoken.render``: text -> voice -> channel -> recogniser, cached by content hash, run
  on a process pool.
- ``ivr.spoken.corpus``, ``ivr.spoken.metrics``: the benchmark corpus and its figures.
- ``ivr.spoken.asr_split``: the NLU data re-heard through the channel, as Rasa YAML.
Development tooling (bench, data generation), not the call path.
"""
