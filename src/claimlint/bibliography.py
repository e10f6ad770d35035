"""Bibliographies given with ``--bib``: BibTeX or CSL-JSON, reduced to "authors year" strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .loader import RuleError


def load_bibliography(path: str) -> list[str]:
    """One string per entry holding its authors' names and its year."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, f"cannot read bibliography: {exc}") from None
    if file.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return _csl_json(text, path)
    return _bibtex(text)


def _csl_json(text: str, path: str) -> list[str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(path, exc.lineno, f"invalid CSL-JSON: {exc.msg}") from None
    except RecursionError:
        raise RuleError(path, None, "invalid CSL-JSON: nested too deeply") from None
    items = data if isinstance(data, list) else data.get("items", [data]) if isinstance(data, dict) else []
    entries = []
    for item in items if isinstance(items, list) else []:  # fields of the wrong type are left out
        if not isinstance(item, dict):
            continue
        authors = item.get("author")
        names = [str(a.get("family") or a.get("literal") or "") for a in (authors if isinstance(authors, list) else [])
                 if isinstance(a, dict)]
        issued = item.get("issued")
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        first = parts[0] if isinstance(parts, list) and parts else None
        year = str(first[0]) if isinstance(first, list) and first and isinstance(first[0], (int, str)) else ""
        entries.append(f"{' '.join(names)} {year}".strip())
    return entries


ENTRY = re.compile(r"@\w+\s*\{[^@]*", re.DOTALL)
FIELD = re.compile(r"\b(author|year|date)\s*=\s*[{\"](.*?)[}\"]\s*(?:,|\n|\})", re.IGNORECASE | re.DOTALL)


def _bibtex(text: str) -> list[str]:
    entries = []
    for match in ENTRY.finditer(text):
        fields = {k.lower(): v for k, v in FIELD.findall(match.group(0))}
        year = fields.get("year") or fields.get("date", "")[:4]
        authors = re.sub(r"[{}]", "", fields.get("author", "")).replace(" and ", "; ")
        entries.append(f"{authors} {year}".strip())
    return entries
