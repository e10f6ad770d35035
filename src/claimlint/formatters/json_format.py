"""``--format json``: the versioned report, exactly as the JSON contract says."""

from __future__ import annotations

import json

from ..models import Report


def render(report: Report, **_options: object) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
