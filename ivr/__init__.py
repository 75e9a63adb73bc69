"""The ARI call application: Asterisk sandbox, ARI client, call sessions."""
