"""Benchmarks: scripts that check correctness, then print figures and a final JSON line.

Run them from the repository root, e.g. `python bench/recall.py`. Pytest never collects this
folder (its `testpaths` is `tests`), and nothing here is imported by the app.
"""
