"""Evaluation: categorized suites, real sentence benchmarks, strict metrics, baselines side by side."""
