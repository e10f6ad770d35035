"""``--format jsonl``: JSON Lines, one compact JSON object per line, for streaming and ``jq``.

First one line per finding, in report order, with exactly the fields of a
finding in the JSON report (suppressed findings included, with their
``suppressed`` object, as in the JSON report). Then one line per entry of
``report.errors``, wrapped so it cannot be mistaken for a finding:
``{"error": {"path": ..., "message": ..., "line": ..., "level": "error"|"warning"}}``.
Nothing else: no header, no summary (count the lines; the exit code still says
whether the run failed). Every line ends with ``\\n`` and no line holds a raw
line separator (U+0085, U+2028 and U+2029 are escaped too, since some line
splitters break on them).
"""

from __future__ import annotations

import json

from ..models import Report

_SEPARATORS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _line(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SEPARATORS.items():
        text = text.replace(char, escaped)
    return text + "\n"


def render(report: Report, **_options: object) -> str:
    lines = [_line(f.model_dump(mode="json")) for f in report.findings]
    lines += [_line({"error": e.model_dump(mode="json")}) for e in report.errors]
    return "".join(lines)
