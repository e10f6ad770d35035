"""Output formats, registered in one dict: name -> render(Report, options) -> str.

A format that can be written piece by piece (a large site's JSON report) also has an entry in
``CHUNKED``: name -> chunks(Report, options) -> iterator of str, which the command line writes
as it goes; ``render`` is always the same text in one string."""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

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


CHUNKED: dict[str, Callable[..., Iterator[str]]] = {
    "json": json_format.chunks,
}


def render(report: Report, format: str, **options: object) -> str:
    return FORMATTERS[format](report, **options)


def render_chunks(report: Report, format: str, **options: object) -> Iterable[str]:
    """The same text as ``render``, in pieces where the format allows it."""
    if format in CHUNKED:
        return CHUNKED[format](report, **options)
    return [render(report, format, **options)]
