"""The report every run produces and every output format renders (the JSON contract).

This module imports nothing from claimlint, so the API, the formatters and any
integration can depend on it alone.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Suppression(BaseModel):
    """How a finding was silenced: where the directive is, and the reason it gives."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["inline", "baseline"] = "inline"
    line: int
    reason: str


class Finding(BaseModel):
    """One problem at one place. Lines and columns 1-based, ``end_*`` exclusive;
    offsets are 0-based character offsets into the file as read."""

    model_config = ConfigDict(extra="forbid")

    path: str
    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    suggestion: str | None = None
    url: str | None = None
    suppressed: Suppression | None = None
    #: The "use instead" advice of the rule, shown under the finding in text output.
    fix_hint: str | None = Field(default=None, exclude=True)


class Diagnostic(BaseModel):
    """Something that stopped a file or a directive from being checked as asked."""

    model_config = ConfigDict(extra="forbid")

    path: str
    message: str
    line: int | None = None
    #: "error" stops the run's exit code at 2; "warning" (an unused suppression,
    #: a skipped binary file) is reported but does not.
    level: Literal["error", "warning"] = "error"


class ToolInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "claimlint"
    version: str


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: int = 0
    findings: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    suppressed: int = 0


class Report(BaseModel):
    """The one object every formatter renders."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    tool: ToolInfo
    findings: list[Finding] = Field(default_factory=list)
    errors: list[Diagnostic] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    #: The files that were linted, in order, for formatters that list every file
    #: (JUnit: a passing test per clean file). Not part of the JSON report.
    paths: list[str] = Field(default_factory=list, exclude=True)

    @property
    def active_findings(self) -> list[Finding]:
        """Findings not silenced by a suppression."""
        return [f for f in self.findings if f.suppressed is None]

    def summarise(self) -> Report:
        """Recompute ``summary`` from the findings; returns self."""
        by: dict[str, int] = {}
        active = self.active_findings
        for finding in active:
            by[finding.severity] = by.get(finding.severity, 0) + 1
        self.summary.findings = len(active)
        self.summary.by_severity = {k: by[k] for k in ("error", "warning", "info") if k in by}
        self.summary.suppressed = len(self.findings) - len(active)
        return self
