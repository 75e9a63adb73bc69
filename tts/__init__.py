"""Speech synthesis adapters behind the Synthesizer protocol."""
