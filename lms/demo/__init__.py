"""Demo content and the demo farm, for `make demo` (and reused by the tests' set-up)."""
