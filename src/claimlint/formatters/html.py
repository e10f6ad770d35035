"""``--format html``: one self-contained page per run, for people reviewing copy.

Each document's text is shown with the flagged spans highlighted, a colour per
category (the legend doubles as the summary by category, and toggles the
colours), the message and "use instead" advice on hover (``title``) and on
click (a details panel), a summary by rule, and the file errors.

The page loads nothing: CSS and JS are inline and a Content-Security-Policy
allows only those two blocks (by hash), so even a mistake in escaping could
not run a script or fetch anything. Every piece of text from the report or the
documents is escaped.

The formatter renders the ``Report``; the documents' text comes in the
``sources`` option (path -> the text as it was linted). A file missing from
``sources`` is read again (with ``encoding``), as the text formatter does. A
finding whose text is no longer at its offsets (the file changed after it was
linted) is listed but not highlighted.

Highlights are ``<mark class="hl">`` elements with ``data-finding`` (the
finding's index in the page), ``data-rule``, ``data-category``,
``data-severity``, ``data-offset`` and ``data-end-offset`` (0-based character
offsets of the element's own text in the document). Overlapping findings nest;
where two cross, the inner one is split into several elements, so a finding's
text is the concatenation of its elements' text in document order. Opening the
page with ``?selftest`` makes its script write, into ``<pre id="selftest">``,
each highlight's text, box and visibility (``tests/test_html_report.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from ..fingerprint import source_texts
from ..models import Finding, Report

#: Colours (RGB) per category: fixed for the built-in categories so reports stay comparable.
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "absolute-claim": (220, 38, 38),
    "evidence-language": (37, 99, 235),
    "uncited-claim": (202, 138, 4),
    "animal-to-human": (22, 163, 74),
    "missing-caveat": (147, 51, 234),
    "vague-source": (234, 88, 12),
    "drug-claim": (219, 39, 119),
    "statistics": (8, 145, 178),
    "testimonial": (146, 100, 60),
    "authority": (79, 70, 229),
    "risk-framing": (101, 163, 13),
}
#: For categories of extra rule packs, chosen by a hash of the name.
EXTRA_COLOURS = [(100, 116, 139), (13, 148, 136), (192, 38, 211), (161, 98, 7), (190, 18, 60), (2, 132, 199)]


def _colour(category: str) -> tuple[int, int, int]:
    if category in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[category]
    digest = hashlib.sha256(category.encode("utf-8")).digest()
    return EXTRA_COLOURS[digest[0] % len(EXTRA_COLOURS)]


def _e(value: object) -> str:
    """Escape for text and double- or single-quoted attribute values."""
    return escape(str(value), quote=True)


def _source_text(value: str) -> str:
    """Escape document text so the browser's text is exactly ``value``, character for character:
    a CR survives as a character reference (the parser would turn a literal CRLF into LF), and
    a NUL (which the parser drops) becomes U+FFFD, one character for one."""
    return escape(value, quote=False).replace("\r", "&#13;").replace("\x00", "\ufffd")


def _json_for_script(data: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` at all."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(block: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii") + "'"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _hint(finding: Finding) -> str:
    return " ".join(finding.fix_hint.split()) if finding.fix_hint else ""


def _title(finding: Finding) -> str:
    lines = [f"{finding.rule} {finding.name} · {finding.category} · {finding.severity}", finding.message]
    if finding.suggestion:
        lines.append(f"Suggestion: {finding.suggestion}")
    if _hint(finding):
        lines.append(f"Use instead: {_hint(finding)}")
    if finding.suppressed is not None:
        lines.append(f"Suppressed ({finding.suppressed.kind}): {finding.suppressed.reason}")
    return "\n".join(lines)


class _Page:
    """The findings shown (index = ``data-finding``) and the category classes."""

    def __init__(self, shown: list[Finding]):
        self.shown = shown
        self.categories = sorted({f.category for f in shown})
        self.cls = {c: f"c{i}" for i, c in enumerate(self.categories)}

    def mark_open(self, i: int, start: int, end: int, stack: list[int], first: bool) -> str:
        f = self.shown[i]
        classes = ["hl", self.cls[f.category], f"sev-{f.severity}"]
        if f.suppressed is not None:
            classes.append("suppressed")
        # the innermost element's title is the one a browser shows: list every finding covering it
        title = "\n\n".join(_title(self.shown[j]) for j in reversed(stack))
        anchor = f' id="f-{i}"' if first else ""
        return (f'<mark{anchor} class="{" ".join(classes)}" tabindex="0" data-finding="{i}" data-rule="{_e(f.rule)}" '
                f'data-category="{_e(f.category)}" data-severity="{_e(f.severity)}" data-offset="{start}" '
                f'data-end-offset="{end}" title="{_e(title)}">')


def highlight(text: str, spans: list[tuple[int, int, int]], page: _Page) -> str:
    """``text`` escaped, with ``<mark>`` elements for ``spans`` (start, end, finding index).

    Spans are opened outermost first (earlier start, then later end, then index). Walking the
    text from boundary to boundary, the open elements always form a stack; when the spans
    covering the next piece differ from it beyond a common prefix, the elements past the prefix
    are closed and the missing ones opened, so crossing spans are split and the markup nests.
    """
    key = {i: (s, -e, i) for s, e, i in spans}
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for s, e, i in spans:
        starts.setdefault(s, []).append(i)
        ends.setdefault(e, []).append(i)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[tuple[int, int, int, list[int], bool]] = []  # finding, out index, start, covering, first
    opened: set[int] = set()
    active: set[int] = set()

    def close(at: int) -> None:
        i, index, start, covering, first = stack.pop()
        out[index] = page.mark_open(i, start, at, covering, first)
        out.append("</mark>")

    for a, b in zip(bounds, bounds[1:]):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        wanted = sorted(active, key=key.__getitem__)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep][0] == wanted[keep]:
            keep += 1
        while len(stack) > keep:
            close(a)
        for i in wanted[keep:]:
            out.append("")  # the opening tag, written when the element closes and its end is known
            stack.append((i, len(out) - 1, a, [s[0] for s in stack] + [i], i not in opened))
            opened.add(i)
        out.append(_source_text(text[a:b]))
    while stack:
        close(len(text))
    return "".join(out)


def _placed(finding: Finding, text: str | None) -> bool:
    return (text is not None and 0 <= finding.offset < finding.end_offset <= len(text)
            and text[finding.offset:finding.end_offset] == finding.text)


def render(report: Report, *, sources: dict[str, str] | None = None, encoding: str | None = None,
           show_suppressed: bool = False, title: str = "claimlint report", **_options: object) -> str:
    shown = [f for f in report.findings if f.suppressed is None or show_suppressed]
    page = _Page(shown)
    documents: dict[str, list[int]] = {}
    for i, f in enumerate(shown):
        documents.setdefault(f.path, []).append(i)
    found = source_texts(documents, sources, encoding)
    texts: dict[str, str | None] = {path: found.get(path) for path in documents}
    placed = {i: _placed(f, texts[f.path]) for i, f in enumerate(shown)}

    style = _STYLE + "".join(
        f".c{i}{{--rgb:{','.join(map(str, _colour(c)))}}}\n"
        f"body.off-c{i} .hl.c{i}{{background:transparent;box-shadow:none}}\n"
        for i, c in enumerate(page.categories))
    script = _SCRIPT
    csp = (f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    data = {"findings": [{
        "path": f.path, "rule": f.rule, "name": f.name, "category": f.category, "severity": f.severity,
        "message": f.message, "text": f.text, "line": f.line, "column": f.column, "end_line": f.end_line,
        "end_column": f.end_column, "offset": f.offset, "end_offset": f.end_offset,
        "suggestion": f.suggestion, "use_instead": _hint(f) or None,
        "url": f.url if f.url and f.url.startswith(("https://", "http://")) else None,
        "suppressed": f.suppressed.model_dump() if f.suppressed else None,
        "cls": page.cls[f.category], "placed": placed[i],
    } for i, f in enumerate(shown)]}

    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n',
        f"<title>{_e(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n",
        _header(report, title),
        '<div class="layout">\n<aside class="sidebar">\n',
        _legend(report, page),
        _by_rule(report),
        _errors(report),
        _clean(report),
        "</aside>\n<main>\n",
    ]
    if not documents:
        parts.append('<section class="card empty"><p>No findings to show.</p></section>\n')
    for n, (path, indices) in enumerate(documents.items()):
        parts.append(_document(n, path, indices, texts[path], placed, page))
    parts += [
        "</main>\n</div>\n",
        '<aside id="details" class="panel" hidden aria-live="polite" aria-label="Finding details">'
        '<button type="button" id="details-close" class="close" aria-label="Close">×</button>'
        '<div id="details-body"></div></aside>\n',
        f'<script type="application/json" id="claimlint-data">{_json_for_script(data)}</script>\n',
        '<pre id="selftest" hidden></pre>\n',
        f"<script>{script}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _header(report: Report, title: str) -> str:
    s = report.summary
    active = report.active_findings
    baselined = sum(1 for f in report.findings if f.suppressed is not None and f.suppressed.kind == "baseline")
    facts = [_plural(s.files, "file"), _plural(s.findings, "finding")]
    facts += [f"{n} {k}" if k == "info" else _plural(n, k) for k, n in s.by_severity.items()]
    if s.suppressed - baselined:
        facts.append(f"{s.suppressed - baselined} suppressed")
    if baselined:
        facts.append(f"{baselined} baselined")
    errors = sum(1 for e in report.errors if e.level == "error")
    if errors:
        facts.append(_plural(errors, "file error"))
    status = "fail" if active or errors else "ok"
    return (f'<header class="top {status}"><h1>{_e(title)}</h1>'
            f'<p class="facts">{" · ".join(_e(x) for x in facts)}</p>'
            f'<p class="tool">{_e(report.tool.name)} {_e(report.tool.version)}</p></header>\n')


def _swatch(page_cls: str) -> str:
    return f'<span class="swatch {page_cls}" aria-hidden="true"></span>'


def _legend(report: Report, page: _Page) -> str:
    counts: dict[str, int] = {}
    for f in report.active_findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    rows = []
    for c in page.categories:
        rows.append(f'<tr><td><button type="button" class="toggle" data-cls="{page.cls[c]}" aria-pressed="true" '
                    f'title="Show or hide these highlights">{_swatch(page.cls[c])}{_e(c)}</button></td>'
                    f'<td class="n">{counts.get(c, 0)}</td></tr>')
    body = "".join(rows) or '<tr><td colspan="2" class="muted">No findings.</td></tr>'
    return ('<section class="card legend" id="by-category"><h2>Legend · findings by category</h2>'
            f'<table><tbody>{body}</tbody></table></section>\n')


def _by_rule(report: Report) -> str:
    counts: dict[str, tuple[Finding, int]] = {}
    for f in report.active_findings:
        first, n = counts.get(f.rule, (f, 0))
        counts[f.rule] = (first, n + 1)
    if not counts:
        return ""
    rows = "".join(
        f'<tr><td class="rule">{_e(rule)}</td><td class="name">{_e(f.name)}</td>'
        f'<td><span class="sev sev-{_e(f.severity)}">{_e(f.severity)}</span></td><td class="n">{n}</td></tr>'
        for rule, (f, n) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0])))
    return ('<section class="card" id="by-rule"><h2>Findings by rule</h2>'
            f'<table><tbody>{rows}</tbody></table></section>\n')


def _errors(report: Report) -> str:
    if not report.errors:
        return ""
    rows = "".join(
        f'<li class="{_e(e.level)}"><span class="level">{_e(e.level)}</span> '
        f'<span class="where">{_e(e.path)}{":" + str(e.line) if e.line else ""}</span> {_e(e.message)}</li>'
        for e in report.errors)
    return f'<section class="card errors" id="file-errors"><h2>File errors</h2><ul>{rows}</ul></section>\n'


def _clean(report: Report) -> str:
    flagged = {f.path for f in report.active_findings}
    clean = [p for p in dict.fromkeys(report.paths) if p not in flagged]
    if not clean:
        return ""
    items = "".join(f"<li>{_e(p)}</li>" for p in clean)
    return f'<section class="card clean" id="clean-files"><h2>No findings</h2><ul>{items}</ul></section>\n'


def _document(n: int, path: str, indices: list[int], text: str | None, placed: dict[int, bool], page: _Page) -> str:
    shown = page.shown
    active = [i for i in indices if shown[i].suppressed is None]
    head = (f'<section class="card doc" id="doc-{n}" data-path="{_e(path)}"><h2 class="path">{_e(path)}</h2>'
            f'<p class="muted">{_plural(len(active), "finding")}'
            + (f", {len(indices) - len(active)} suppressed" if len(indices) > len(active) else "") + "</p>")
    if text is None:
        body = '<p class="note">The file could not be read again to show its text.</p>'
    else:
        spans = [(shown[i].offset, shown[i].end_offset, i) for i in indices if placed[i]]
        body = f'<div class="source" data-path="{_e(path)}">{highlight(text, spans, page)}</div>'
    rows = []
    for i in sorted(indices, key=lambda i: (shown[i].offset, shown[i].end_offset, i)):
        f = shown[i]
        note = "" if placed[i] else ' <em class="note">(not highlighted: the file changed after it was linted)</em>'
        sup = f' <em class="note">(suppressed: {_e(f.suppressed.reason)})</em>' if f.suppressed else ""
        rows.append(f'<tr class="row" tabindex="0" data-finding="{i}"><td class="where">{f.line}:{f.column}</td>'
                    f'<td><span class="sev sev-{_e(f.severity)}">{_e(f.severity)}</span></td>'
                    f'<td class="rule">{_e(f.rule)}</td><td>{_swatch(page.cls[f.category])}{_e(f.category)}</td>'
                    f'<td>{_e(f.message)}{note}{sup}</td></tr>')
    table = ('<table class="findings"><thead><tr><th>Line</th><th>Severity</th><th>Rule</th><th>Category</th>'
             f'<th>Message</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return f"{head}{body}{table}</section>\n"


_STYLE = """
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6475;--line:#dde2ea;--bg:#f3f5f8;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px;padding:12px 20px;background:#1f2937;color:#fff;border-bottom:4px solid #16a34a}
header.top.fail{border-bottom-color:#dc2626}
header.top h1{margin:0;font-size:18px}
header.top p{margin:0}
.panel .sev,h3 .sev{margin-right:6px}
header.top .tool{margin-left:auto;color:#aab3c2;font-size:12px}
.layout{display:grid;grid-template-columns:340px minmax(0,1fr);gap:16px;padding:16px 20px;align-items:start}
.sidebar{position:sticky;top:16px;max-height:calc(100vh - 32px);overflow:auto}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 14px}
.card h2{margin:0 0 8px;font-size:12px;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.doc h2.path{font:600 15px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;text-transform:none;letter-spacing:0;color:var(--fg);margin:0}
.muted{color:var(--muted)}
.doc>.muted{margin:2px 0 10px;font-size:13px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid #eef1f5}
th{font-size:12px;color:var(--muted);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
td.name{overflow-wrap:anywhere;font-size:13px}
td.rule,td.where{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;white-space:nowrap}
.swatch{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;border-radius:3px;background:rgba(var(--rgb),.28);box-shadow:inset 0 -3px 0 rgb(var(--rgb))}
.toggle{all:unset;cursor:pointer;display:inline-flex;align-items:center}
.toggle:focus-visible{outline:2px solid #2563eb}
.toggle[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.sev{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;font-weight:600;text-transform:uppercase;background:#e5e7eb;color:#374151}
.sev-error{background:#fee2e2;color:#991b1b}
.sev-warning{background:#fef3c7;color:#92400e}
.sev-info{background:#e0f2fe;color:#075985}
.errors ul{margin:0;padding:0;list-style:none}
.clean ul{margin:0;padding-left:18px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px;overflow-wrap:anywhere}
.errors li{padding:4px 0;border-bottom:1px solid #eef1f5;overflow-wrap:anywhere}
.errors .level{font-size:11px;font-weight:700;text-transform:uppercase;color:#92400e}
.errors .error .level{color:#991b1b}
.errors .where{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.source{font:13.5px/2 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4;background:#fbfcfd;border:1px solid #eef1f5;border-radius:6px;padding:8px 12px;margin:0 0 12px}
mark.hl{color:inherit;background:rgba(var(--rgb),.22);box-shadow:inset 0 -2px 0 rgb(var(--rgb));border-radius:2px;cursor:pointer}
mark.hl mark.hl{padding-bottom:3px}
mark.hl mark.hl mark.hl{padding-bottom:6px}
mark.hl.suppressed{background:rgba(var(--rgb),.07);box-shadow:inset 0 -1px 0 rgb(var(--rgb))}
mark.hl.selected{outline:2px solid #111827;outline-offset:1px}
mark.hl:focus-visible{outline:2px dashed #111827}
.findings tr.row{cursor:pointer}
.findings tr.row:hover,.findings tr.selected{background:#f1f5ff}
.note{color:var(--muted)}
.panel{position:fixed;right:20px;bottom:20px;width:420px;max-width:calc(100vw - 40px);max-height:60vh;overflow:auto;background:#fff;border:1px solid #c9d1dd;border-radius:10px;box-shadow:0 12px 32px rgba(15,23,42,.22);padding:12px 16px;z-index:10}
.panel .close{position:absolute;top:6px;right:8px;border:0;background:none;font-size:20px;line-height:1;cursor:pointer;color:var(--muted)}
.panel .item{padding:8px 0;border-top:1px solid #eef1f5}
.panel .item:first-child{border-top:0}
.panel h3{margin:0 24px 4px 0;font-size:14px}
.panel h3 .rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.panel p{margin:4px 0}
.panel .quote{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:#f6f7f9;padding:2px 6px;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
.panel .label{font-weight:600}
@media (max-width:900px){.layout{grid-template-columns:1fr}.sidebar{position:static;max-height:none}}
@media print{.panel,.sidebar .toggle{display:none}.layout{display:block}}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("claimlint-data").textContent);
  var findings = data.findings;
  var panel = document.getElementById("details");
  var body = document.getElementById("details-body");

  function add(parent, tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    parent.appendChild(node);
    return node;
  }
  function fragments(i) { return document.querySelectorAll('.hl[data-finding="' + Number(i) + '"]'); }
  function clear() {
    document.querySelectorAll(".selected").forEach(function (n) { n.classList.remove("selected"); });
  }
  function close() { clear(); panel.hidden = true; body.textContent = ""; }

  function show(ids, scroll) {
    clear();
    body.textContent = "";
    ids.forEach(function (i) {
      var f = findings[i];
      if (!f) return;
      var item = add(body, "div", "item");
      var h = add(item, "h3");
      add(h, "span", "swatch " + f.cls);
      add(h, "span", "rule", f.rule);
      h.appendChild(document.createTextNode(" " + f.name));
      var meta = add(item, "p", "muted");
      add(meta, "span", "sev sev-" + f.severity, f.severity);
      meta.appendChild(document.createTextNode(" " + f.category + " \u00b7 " + f.path + ":" + f.line + ":" + f.column));
      add(item, "p", "quote", f.text);
      add(item, "p", null, f.message);
      if (f.suggestion) { var s = add(item, "p"); add(s, "span", "label", "Suggestion: "); s.appendChild(document.createTextNode(f.suggestion)); }
      if (f.use_instead) { var u = add(item, "p"); add(u, "span", "label", "Use instead: "); u.appendChild(document.createTextNode(f.use_instead)); }
      if (f.suppressed) add(item, "p", "note", "Suppressed (" + f.suppressed.kind + "): " + f.suppressed.reason);
      if (!f.placed) add(item, "p", "note", "Not highlighted: the file changed after it was linted.");
      if (f.url && /^https?:\/\//.test(f.url)) {
        var a = add(add(item, "p"), "a", null, "Rule documentation");
        a.href = f.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      }
      fragments(i).forEach(function (n) { n.classList.add("selected"); });
      document.querySelectorAll('tr.row[data-finding="' + Number(i) + '"]').forEach(function (n) { n.classList.add("selected"); });
    });
    panel.hidden = false;
    if (scroll) {
      var first = fragments(ids[0])[0] || document.querySelector('tr.row[data-finding="' + Number(ids[0]) + '"]');
      if (first) first.scrollIntoView({block: scroll});
    }
  }

  function activate(target) {
    var mark = target.closest(".hl");
    if (mark) {
      var ids = [];
      for (var n = mark; n; n = n.parentElement && n.parentElement.closest(".hl")) {
        var i = Number(n.getAttribute("data-finding"));
        if (ids.indexOf(i) < 0) ids.push(i);
      }
      show(ids, null);
      return true;
    }
    var row = target.closest("tr.row");
    if (row) { show([Number(row.getAttribute("data-finding"))], "center"); return true; }
    return false;
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    if (t.closest("#details-close")) { close(); return; }
    var toggle = t.closest(".toggle");
    if (toggle) {
      var cls = toggle.getAttribute("data-cls");
      var off = document.body.classList.toggle("off-" + cls);
      toggle.setAttribute("aria-pressed", off ? "false" : "true");
      return;
    }
    if (t.closest("#details")) return;
    activate(t);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { close(); return; }
    if ((ev.key === "Enter" || ev.key === " ") && ev.target instanceof Element && ev.target.matches(".hl, tr.row")) {
      ev.preventDefault();
      activate(ev.target);
    }
  });
  var m = /^#f-(\d+)$/.exec(location.hash);
  if (m && findings[Number(m[1])]) show([Number(m[1])], null);  // the browser scrolls to the anchor

  if (/[?&]selftest(=|&|$)/.test(location.search)) {
    var out = {title: document.title, scripts: document.scripts.length, images: document.images.length,
               marks: [], findings: {}, panel: null};
    var marks = Array.prototype.slice.call(document.querySelectorAll(".source .hl"));
    marks.forEach(function (mk) {
      mk.scrollIntoView({block: "center"});
      var r = mk.getBoundingClientRect();
      var cs = getComputedStyle(mk);
      var hit = false;
      Array.prototype.forEach.call(mk.getClientRects(), function (rc) {
        if (rc.width <= 0 || rc.height <= 0) return;
        var h = document.elementFromPoint(rc.left + rc.width / 2, rc.top + rc.height / 2);
        if (h && (h === mk || mk.contains(h))) hit = true;
      });
      var i = mk.getAttribute("data-finding");
      out.marks.push({finding: Number(i), rule: mk.getAttribute("data-rule"),
        category: mk.getAttribute("data-category"), offset: Number(mk.getAttribute("data-offset")),
        end_offset: Number(mk.getAttribute("data-end-offset")), text: mk.textContent,
        x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height,
        background: cs.backgroundColor, visibility: cs.visibility, display: cs.display, hit: hit});
      out.findings[i] = (out.findings[i] || "") + mk.textContent;
    });
    if (marks.length) {
      marks[0].click();
      out.panel = {hidden: panel.hidden, text: body.textContent,
                   selected: document.querySelectorAll(".hl.selected").length};
      close();
    }
    window.scrollTo(0, 0);
    document.getElementById("selftest").textContent = JSON.stringify(out);
  }
})();
"""
