"""Speech the NLU was not tuned to: a simulated telephone line and the cached spoken pipeline.

- ``simulation.spoken.channel``: ``TelephoneChannel`` (8 kHz, G.711 mu-law, noise at an SNR, 20 ms
  packet loss), deterministic by seed.
- ``simulation.spoken.voices``: every shipped voice of a language, found in the ``tts`` package.
- ``simulation.spoken.render``: text -> voice -> channel -> recogniser, cached by content hash, run
  on a process pool.
- ``simulation.spoken.corpus``, ``simulation.spoken.metrics``: the benchmark corpus and its figures.
- ``simulation.spoken.asr_split``: the NLU data re-heard through the channel, as Rasa YAML.
Development tooling (bench, data generation), not the call path.
"""
