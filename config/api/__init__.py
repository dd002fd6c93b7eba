"""Shared API plumbing: the envelope, errors, parsing, throttling, clock and health."""
