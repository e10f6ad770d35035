"""``--format github``: GitHub Actions workflow commands, shown as annotations on the run and the PR.

One line per active (not suppressed) finding::

    ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CL501 cure-claim::MESSAGE

``error`` / ``warning`` / ``notice`` follow the finding's severity (error /
warning / info). Each entry of ``report.errors`` follows as ``::error`` or
``::warning`` with ``title=claimlint`` (and ``line=`` when it has one). Nothing
else is printed: no summary. Escaping follows GitHub's toolkit: in the message
``%``, CR and LF become ``%25``, ``%0D``, ``%0A``; in property values ``:`` and
``,`` also become ``%3A`` and ``%2C``. Paths are shown with forward slashes and
without a leading ``./``, as GitHub matches them against the repository root.
"""

from __future__ import annotations

from ..fingerprint import normalise_path
from ..models import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"


def render(report: Report, **_options: object) -> str:
    out = []
    for f in report.active_findings:
        out.append(_command(COMMANDS[f.severity], [
            ("file", normalise_path(f.path)), ("line", f.line), ("col", f.column),
            ("endLine", f.end_line), ("endColumn", f.end_column), ("title", f"{f.rule} {f.name}"),
        ], f.message))
    for e in report.errors:
        props: list[tuple[str, object]] = [("file", normalise_path(e.path))]
        if e.line:
            props.append(("line", e.line))
        props.append(("title", "claimlint"))
        out.append(_command(e.level, props, e.message))
    return "".join(line + "\n" for line in out)
