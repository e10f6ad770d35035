"""Output formats, registered in one dict: name -> render(Report, options) -> str."""

from __future__ import annotations

from typing import Callable

from ..models import Report
from . import github, gitlab, html, json_format, jsonl, junit, sarif, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_format.render,
    "html": html.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "jsonl": jsonl.render,
}


def render(report: Report, format: str, **options: object) -> str:
    return FORMATTERS[format](report, **options)
