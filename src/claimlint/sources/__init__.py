"""Document readers: turn a file's text into prose blocks mapped back to exact offsets.

Each reader is ``read(text, path) -> Document``; :data:`READERS` maps a format
name to its reader and :func:`read_document` picks one from the file name.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Callable

from claimlint.document import Document
from claimlint.sources import html, markdown, text

Reader = Callable[[str, str], Document]

#: Format name -> reader. Every reader returns a ``Document`` of that format.
READERS: dict[str, Reader] = {"markdown": markdown.read, "html": html.read, "text": text.read}

_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def format_for_path(path: str) -> str:
    """The format a file name implies: markdown, html, or text for anything else."""
    return _SUFFIXES.get(PurePath(path).suffix.lower(), "text")


def read_document(text: str, path: str, format: str | None = None) -> Document:  # noqa: A002
    """Read ``text`` (the contents of ``path``) with the reader for ``format``.

    ``format`` defaults to :func:`format_for_path`. Raises ``ValueError`` for
    a format no reader handles.
    """
    name = format if format is not None else format_for_path(path)
    reader = READERS.get(name)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ValueError(f"unknown document format {name!r} for {path!r}; expected one of: {known}")
    return reader(text, path)


__all__ = ["READERS", "Reader", "format_for_path", "read_document"]
