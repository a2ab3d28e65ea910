"""Renderers: the fact table (`checker.report.table`) and the terminal summary
(`checker.report.terminal`). Nothing here runs the pipeline; each takes its results."""
