"""Renderers: the fact table (`checker.report.table`), findings.csv and report.json
(`checker.report.findings`) and the terminal report (`checker.report.terminal`). Nothing here
runs the pipeline; each takes its results."""
