"""Output formats, registered in one dict: name -> render(Report, options) -> str.

A format that can be written piece by piece (a large site's JSON report) also has an entry in
``CHUNKED``: name -> chunks(Report, options) -> iterator of str, which the command line writes
as it goes; ``render`` is always the same text in one string."""

from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterable, Iterator

from ..models import Report

Formatter = Callable[..., str]


class _Lazy:
    """``module.function``, imported when first called (a run imports only its own format)."""

    def __init__(self, module: str, function: str):
        self.module, self.function = module, function

    def __call__(self, *args, **kwargs):
        return getattr(import_module(f"{__name__}.{self.module}"), self.function)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<formatter {self.module}.{self.function}>"


FORMATTERS: dict[str, Formatter] = {
    "text": _Lazy("text", "render"),
    "json": _Lazy("json_format", "render"),
    "html": _Lazy("html", "render"),
    "sarif": _Lazy("sarif", "render"),
    "github": _Lazy("github", "render"),
    "junit": _Lazy("junit", "render"),
    "gitlab": _Lazy("gitlab", "render"),
    "jsonl": _Lazy("jsonl", "render"),
}


CHUNKED: dict[str, Callable[..., Iterator[str]]] = {
    "json": _Lazy("json_format", "chunks"),
}


def render(report: Report, format: str, **options: object) -> str:
    return FORMATTERS[format](report, **options)


def render_chunks(report: Report, format: str, **options: object) -> Iterable[str]:
    """The same text as ``render``, in pieces where the format allows it."""
    if format in CHUNKED:
        return CHUNKED[format](report, **options)
    return [render(report, format, **options)]
