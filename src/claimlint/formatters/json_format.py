"""``--format json``: the versioned report, exactly as the JSON contract says."""

from __future__ import annotations

import json
from typing import Iterator

from ..models import Report

#: Stands in for the findings while the rest of the report is written.
_PLACEHOLDER = "\0claimlint-findings\0"


def render(report: Report, **options: object) -> str:
    return "".join(chunks(report, **options))


def chunks(report: Report, **_options: object) -> Iterator[str]:
    """The report as ``json.dumps(report, indent=2)`` writes it, in pieces, one finding at a
    time: a whole site's report as one tree of dicts, or as one string, takes several times
    the memory of its findings (one emoji in one finding makes every character 4 bytes)."""
    head = report.model_dump(mode="json", exclude={"findings"})
    ordered = {name: (_PLACEHOLDER if name == "findings" else head[name])
               for name in Report.model_fields if name == "findings" or name in head}
    before, after = json.dumps(ordered, indent=2, ensure_ascii=False).split(json.dumps(_PLACEHOLDER), 1)
    yield before
    if report.findings:
        yield "["
        for i, finding in enumerate(report.findings):
            item = _finding_json(finding)
            yield ("\n    " if i == 0 else ",\n    ") + item.replace("\n", "\n    ")
        yield "\n  ]"
    else:
        yield "[]"
    yield after + "\n"


def _finding_json(finding) -> str:
    """One finding as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it; pydantic's
    own serializer writes the same text about four times faster, but refuses a lone surrogate."""
    try:
        return finding.model_dump_json(indent=2)
    except ValueError:
        return json.dumps(finding.model_dump(mode="json"), indent=2, ensure_ascii=False)
