"""Grading that explains itself: automatic checks on an attempt's telemetry, the facts they
compare against (read from the attempt's G-code), and the photos of an assessment."""
