"""Benchmarks: `python -m bench.NAME`, one JSON object on the last line, ratios against an in-run baseline."""
