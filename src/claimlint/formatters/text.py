"""``--format text``: ruff-style findings with the source line, an underline and a hint."""

from __future__ import annotations

from ..files import InputError, read_file
from ..models import Finding, Report

WIDTH = 100  # characters of source shown around a match on long lines


def _read_lines(path: str, cache: dict[str, list[str] | None], sources: dict[str, str],
                encoding: str | None) -> list[str] | None:
    """The file's lines as the linter read them (same decoding; lines split on "\n" only)."""
    if path not in cache:
        text = sources.get(path)
        if text is None:
            try:
                text = read_file(path, encoding)
            except InputError:
                text = None
        cache[path] = [ln.removesuffix("\r") for ln in text.split("\n")] if text is not None else None
    return cache[path]


def _excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """A window of ``line`` around [start, end) (0-based columns), and the span within it."""
    if len(line) <= WIDTH:
        return line, start, end
    left = max(0, min(start - 30, len(line) - WIDTH))
    right = min(len(line), max(left + WIDTH, end + 10))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    return prefix + line[left:right] + suffix, start - left + len(prefix), end - left + len(prefix)


def _snippet(finding: Finding, lines: list[str] | None) -> list[str]:
    if not lines or finding.line > len(lines):
        return []
    line = lines[finding.line - 1].replace("\t", " ")
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    shown, s, e = _excerpt(line, start, max(end, start + 1))
    gutter = " " * len(str(finding.line))
    return [
        f"{gutter} |",
        f"{finding.line} | {shown}",
        f"{gutter} | {' ' * s}{'^' * max(1, e - s)}",
    ]


def render(report: Report, *, show_source: bool = True, show_suppressed: bool = False,
           sources: dict[str, str] | None = None, encoding: str | None = None, **_options: object) -> str:
    out: list[str] = []
    cache: dict[str, list[str] | None] = {}
    sources = sources or {}
    for f in report.findings:
        if f.suppressed is not None and not show_suppressed:
            continue
        tag = "" if f.suppressed is None else " (baselined)" if f.suppressed.kind == "baseline" else " (suppressed)"
        out.append(f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.category}] {f.message}{tag}")
        if show_source:
            out += _snippet(f, _read_lines(f.path, cache, sources, encoding))
            if f.suggestion:
                out.append(f"  = suggestion: {f.suggestion}")
            if f.fix_hint:
                out.append(f"  = use instead: {' '.join(f.fix_hint.split())}")
            out.append("")
    for e in report.errors:
        where = f"{e.path}:{e.line}" if e.line else e.path
        out.append(f"{where}: {e.level}: {e.message}")
    out.append(_summary(report))
    return "\n".join(out) + "\n"


def _summary(report: Report) -> str:
    s = report.summary
    files = f"{s.files} file" + ("" if s.files == 1 else "s")
    if not s.findings:
        text = f"No findings in {files}."
    else:
        parts = [f"{n} {k}" + ("s" if n != 1 and k != "info" else "") for k, n in s.by_severity.items()]
        noun = "finding" if s.findings == 1 else "findings"
        text = f"Found {s.findings} {noun} ({', '.join(parts)}) in {files}."
    baselined = sum(1 for f in report.findings if f.suppressed is not None and f.suppressed.kind == "baseline")
    if s.suppressed - baselined:
        text += f" {s.suppressed - baselined} suppressed."
    if baselined:
        text += f" {baselined} baselined."
    errors = sum(1 for e in report.errors if e.level == "error")
    if errors:
        text += f" {errors} file error{'s' if errors != 1 else ''}."
    return text
