"""Speech recognition adapters behind the Recognizer protocol."""
