"""Understanding debtor utterances and the collection dialogue policy (pure domain code)."""
