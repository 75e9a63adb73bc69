"""Speech recognition adapters behind the Recognizer protocol.

- ``asr.base``: ``Recognizer``, ``RecognitionStream``, ``Transcript``, ``RecognitionOptions``.
- ``asr.whisper.WhisperRecognizer``: English (tiny.en) and Mandarin (base), CTranslate2 int8.
- ``asr.vosk.VoskRecognizer``: streaming with partial results (Korean model from PyPI).
- ``asr.fake.FakeRecognizer``: scripted transcripts for tests.
- ``asr.vad``: webrtcvad ``FrameClassifier`` and ``Endpointer`` (speech start, pause, end).
- ``asr.early.EarlyTranscriber``: decode at the first pause, ready when the turn ends.
Configuration: ``asr.settings.AsrSettings`` (``ASR_*``).
"""
