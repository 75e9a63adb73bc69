"""Campaign execution: the dial queue on Redis Streams, pacing, origination, retries."""
