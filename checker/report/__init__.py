"""Renderers: the fact table (`checker.report.table`), findings.csv and report.json
(`checker.report.findings`), the analysts' page (`checker.report.html`) and the terminal report
(`checker.report.terminal`). Nothing here runs the pipeline; each takes its results.

`write_report` writes the files of a report, all of them or none (`checker.report.folder`).
"""

from checker.report.files import WriteError
from checker.report.folder import REPORT_FILES, write_report

__all__ = ["REPORT_FILES", "WriteError", "write_report"]
