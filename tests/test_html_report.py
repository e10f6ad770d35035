"""``--format html``: a self-contained page with each document's text and its findings highlighted.

The first tests read the generated HTML with Python's parser: highlights nest
correctly when findings overlap or cross, each highlight's text is the document
text at its ``data-offset``/``data-end-offset``, everything is escaped, nothing
is loaded from outside. The browser tests open the page in headless Chromium
(Debian's ``chromium``; ``.ci/run`` installs it) with ``?selftest``, which makes
the page's own script write each highlight's text, box and visibility into
``<pre id="selftest">``; the test reads it from the dumped DOM and checks it
against the JSON report of the same run. Without Chromium these tests fail.

To refresh the screenshot in the docs, run

    CLAIMLINT_UPDATE_SCREENSHOT=1 .venv/bin/python -m pytest tests/test_html_report.py -k screenshot

and look at ``docs/html-report.png``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimlint.formatters import FORMATTERS, render
from claimlint.models import Diagnostic, Finding, Report, Suppression, ToolInfo


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--hide-scrollbars", "--mute-audio",
]
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "html-report.png"


# -- reading the page back ------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.sources: dict[str, str] = {}  # data-path -> text shown
        self.marks: list[dict] = []  # each <mark>: its attributes and text
        self.scripts: list[str] = []
        self._source: str | None = None
        self._open: list[dict] = []
        self._script: list[str] | None = None
        self._depth = 0
        self.feed(html)
        self.close()
        assert self._source is None and not self._open, "unclosed elements"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script = []
        if self._source is not None:
            assert tag == "mark", f"unexpected <{tag}> in a document's text"
            self._open.append({**a, "text": ""})
        elif tag == "div" and "source" in (a.get("class") or "").split():
            self._source = a["data-path"]
            self.sources[self._source] = ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if self._source is None:
            return
        if tag == "mark":
            assert self._open, "</mark> without <mark>"
            self.marks.append({**self._open.pop(), "path": self._source})
        else:
            assert tag == "div" and not self._open, f"</{tag}> closes a document's text with marks open"
            self._source = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if self._source is not None:
            self.sources[self._source] += data
            for m in self._open:
                m["text"] += data


def fragments_by_finding(marks: list[dict]) -> dict[int, str]:
    """Finding index -> the concatenated text of its highlight elements, in document order."""
    out: dict[int, list[tuple[int, str]]] = {}
    for m in marks:
        out.setdefault(int(m["data-finding"]), []).append((int(m["data-offset"]), m["text"]))
    return {i: "".join(t for _, t in sorted(parts)) for i, parts in out.items()}


# -- a hand-made report with overlapping, crossing and identical spans ---------------------------

DOC = (
    "Intro line.\r\n"
    "Our serum cures acne <fast> & safely, \"guaranteed\".\r\n"
    "<script>alert('x')</script><img src=x onerror=alert(1)>\n"
    "\tTabbed: no side effects, ever.\n"
    "Last word"
)


def _f(rule: str, category: str, start_text: str, end_text: str | None = None, *, occurrence: int = 0,
       severity: str = "warning", **extra) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = DOC.index(start_text, start + 1)
    end = DOC.index(end_text, start) + len(end_text) if end_text else start + len(start_text)
    def line_col(offset: int) -> tuple[int, int]:
        return DOC.count("\n", 0, offset) + 1, offset - (DOC.rfind("\n", 0, offset) + 1) + 1

    (line, column), (end_line, end_column) = line_col(start), line_col(end)
    return Finding(path="site/page.md", rule=rule, name=rule.lower() + "-name", category=category, severity=severity,
                   message=f"{rule} message about <{DOC[start:end]}>", text=DOC[start:end], line=line, column=column,
                   end_line=end_line, end_column=end_column, offset=start, end_offset=end, **extra)


def overlap_report() -> Report:
    findings = [
        _f("CL501", "absolute-claim", "cures acne", severity="error", suggestion="may help with",
           fix_hint="Claim no more\n than the evidence supports."),                            # outer
        _f("CL201", "uncited-claim", "cures"),                                                     # nested, same start
        _f("CL202", "uncited-claim", "acne <fast>"),                                               # crosses CL501's end
        _f("CL203", "uncited-claim", "cures acne"),                                                # identical to CL501
        _f("CL101", "evidence-language", "safely", '"guaranteed"', url="javascript:alert(1)"),    # touches, no overlap
        _f("CL701", "drug-claim", "Our", "acne"),                                                  # contains three
        _f("CL900", "a new \"category\" <b>", "<script>", "</script>"),                            # markup as text
        _f("CL503", "absolute-claim", "no side effects", "ever."),
        _f("CL504", "absolute-claim", "side", "ever.", severity="info"),                           # same end
        _f("CL999", "absolute-claim", "word"),                                                     # at the very end
        _f("CL300", "animal-to-human", "line.\r\nOur"),                                            # across a CRLF
        _f("CL301", "animal-to-human", "Intro", suppressed=Suppression(line=1, reason="quoted")),  # hidden by default
    ]
    report = Report(tool=ToolInfo(version="9.9.9"), findings=findings, errors=[
        Diagnostic(path="site/<bad>.md", message="not valid UTF-8 at byte 7 <script>alert(2)</script>"),
        Diagnostic(path="site/page.md", line=3, level="warning", message="unused suppression & more"),
    ])
    report.summary.files = 2
    return report.summarise()


def test_html_is_a_registered_format():
    assert "html" in FORMATTERS


def test_overlapping_and_crossing_findings_nest_and_split_correctly():
    report = overlap_report()
    page = Page(render(report, "html", sources={"site/page.md": DOC}))
    assert page.sources == {"site/page.md": DOC}  # the text, character for character (CR, tab, markup)
    shown = [f for f in report.findings if f.suppressed is None]
    for m in page.marks:  # each element's own offsets
        assert DOC[int(m["data-offset"]):int(m["data-end-offset"])] == m["text"], m
        f = shown[int(m["data-finding"])]
        assert (m["data-rule"], m["data-category"], m["data-severity"]) == (f.rule, f.category, f.severity)
        assert f.offset <= int(m["data-offset"]) < int(m["data-end-offset"]) <= f.end_offset
    assert fragments_by_finding(page.marks) == {i: f.text for i, f in enumerate(shown)}
    crossing = [m for m in page.marks if m["data-rule"] == "CL202"]
    assert len(crossing) == 2  # split where it leaves CL501 (and CL203 and CL701)
    assert [m["text"] for m in crossing] == ["acne", " <fast>"]
    ids = [m.get("id") for m in page.marks if m.get("id")]
    assert sorted(ids) == sorted(f"f-{i}" for i in range(len(shown)))  # one anchor per finding, on its first part


def test_suppressed_findings_are_hidden_unless_asked_for():
    report = overlap_report()
    hidden = Page(render(report, "html", sources={"site/page.md": DOC}))
    assert "CL301" not in {m["data-rule"] for m in hidden.marks}
    shown = Page(render(report, "html", sources={"site/page.md": DOC}, show_suppressed=True))
    marks = [m for m in shown.marks if m["data-rule"] == "CL301"]
    assert len(marks) == 1 and "suppressed" in marks[0]["class"].split()


def test_everything_from_the_report_and_the_page_is_escaped():
    html = render(overlap_report(), "html", sources={"site/page.md": DOC})
    page = Page(html)
    tags = [t for t, _ in page.tags]
    assert tags.count("script") == 2  # the data block and the page's own script
    assert "img" not in tags and "b" not in tags
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert "javascript:" not in " ".join(v or "" for _, attrs in page.tags for v in attrs.values())
    data = json.loads(page.scripts[0])
    assert data["findings"][4]["url"] is None  # a non-http URL is dropped
    assert "<" not in page.scripts[0] and "alert(2)" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert 'a new &quot;category&quot; &lt;b&gt;' in html


def test_page_is_self_contained():
    html = render(overlap_report(), "html", sources={"site/page.md": DOC})
    page = Page(html)
    assert not [t for t, a in page.tags if t in ("link", "iframe", "object", "embed", "img", "base")]
    assert not [a for t, a in page.tags if a.get("src")]
    assert "url(" not in html and "@import" not in html
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'") and "unsafe-inline" not in csp


def test_summary_by_category_and_rule_and_file_errors():
    html = render(overlap_report(), "html", sources={"site/page.md": DOC})
    legend = html[html.index('id="by-category"'):html.index('id="by-rule"')]
    assert re.search(r"absolute-claim</button></td><td class=\"n\">4<", legend)
    assert re.search(r"uncited-claim</button></td><td class=\"n\">3<", legend)
    by_rule = html[html.index('id="by-rule"'):html.index('id="file-errors"')]
    assert by_rule.count("<tr>") == 11  # the suppressed CL301 is not counted
    errors = html[html.index('id="file-errors"'):]
    assert "site/&lt;bad&gt;.md" in errors and "site/page.md:3" in errors and "unused suppression &amp; more" in errors


def test_finding_whose_text_moved_is_listed_not_highlighted():
    changed = "Something else entirely now.\n" + DOC
    page = Page(render(overlap_report(), "html", sources={"site/page.md": changed}))
    assert page.marks == []
    html = render(overlap_report(), "html", sources={"site/page.md": changed})
    assert html.count("not highlighted: the file changed after it was linted") == 11


def test_cli_writes_the_html_report(cli, write, workdir):
    write("page.md", "# Hair\n\nOur serum cures acne.\n")
    write("clean.md", "# Hair\n\nA gentle shampoo.\n")
    result = cli("check", "--format", "html", "--output", "report.html", "page.md", "clean.md")
    assert result.code == 1 and result.out == ""
    page = Page((workdir / "report.html").read_text(encoding="utf-8"))
    assert page.sources == {"page.md": "# Hair\n\nOur serum cures acne.\n"}
    assert {m["data-rule"] for m in page.marks} == {"CL201", "CL401", "CL501"}
    assert "clean.md" in (workdir / "report.html").read_text(encoding="utf-8")  # listed under "No findings"


# -- in the browser --------------------------------------------------------------------------------


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        pytest.fail("chromium is not installed: the HTML report tests need a headless browser. "
                    "Install Debian's package (apt-get install -y chromium); .ci/run does this in CI.")
    return path


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return proc


def selftest(tmp_path: Path, report_html: Path) -> dict:
    proc = run_chromium(tmp_path, "--window-size=1200,900", "--dump-dom", report_html.as_uri() + "?selftest")
    m = re.search(r'<pre id="selftest"[^>]*>(.*?)</pre>', proc.stdout, re.S)
    assert m and m.group(1), "the page's script did not write its self-test results:\n" + proc.stdout[-2000:]
    return json.loads(unescape(m.group(1)))


TRICKY = (
    "# Tonic\r\n\r\nOur serum cures acne and is 100% safe, guaranteed.\r\n\r\n"
    "<script>document.title = 'pwned'</script> In mice it regrew fur, so it will help you regrow your hair.\r\n"
)


@pytest.fixture
def browser_report(cli, write, workdir):
    """Two example pages and a tricky one (CRLF, a script tag as text), as HTML and JSON reports."""
    for name in ("clinic-landing-page.md", "supplement-product-page.html"):
        write(f"site/{name}", (ROOT / "examples" / name).read_bytes())
    write("site/tricky.md", TRICKY)
    result = cli("check", "--format", "html", "--output", "report.html", "site")
    assert result.code == 1, result.err
    expected = [f for f in cli("check", "--format", "json", "site").json()["findings"] if f["suppressed"] is None]
    assert len(expected) > 40
    return workdir / "report.html", expected


def test_browser_shows_each_finding_highlighted_where_it_is(tmp_path, browser_report):
    report_html, expected = browser_report
    result = selftest(tmp_path, report_html)
    assert result["title"] == "claimlint report"  # the page's text never ran as script
    assert result["scripts"] == 2 and result["images"] == 0
    texts = {int(i): t for i, t in result["findings"].items()}
    assert sorted(texts) == list(range(len(expected)))
    for i, f in enumerate(expected):
        assert texts[i] == f["text"], (i, f["rule"], f["path"], f["line"])
    y_by_finding: dict[int, float] = {}
    for m in result["marks"]:
        f = expected[m["finding"]]
        where = f"{f['path']}:{f['line']} {m['rule']} {m['text']!r}"
        assert (m["rule"], m["category"]) == (f["rule"], f["category"]), where
        assert f["offset"] <= m["offset"] < m["end_offset"] <= f["end_offset"], where
        assert m["width"] > 0 and m["height"] > 0, where
        assert m["visibility"] == "visible" and m["display"] != "none", where
        assert m["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), where
        assert m["hit"], f"{where}: covered by something else"
        y_by_finding.setdefault(m["finding"], m["y"])
    for path in {f["path"] for f in expected}:  # later lines are lower on the page
        ys = sorted((expected[i]["offset"], y) for i, y in y_by_finding.items() if expected[i]["path"] == path)
        assert all(a[1] <= b[1] + 1 for a, b in zip(ys, ys[1:])), path


def test_browser_click_opens_the_details_panel(tmp_path, browser_report):
    report_html, expected = browser_report
    panel = selftest(tmp_path, report_html)["panel"]
    first = expected[0]
    assert panel["hidden"] is False and panel["selected"] >= 1
    assert first["rule"] in panel["text"] and first["message"] in panel["text"]
    assert "Use instead:" in panel["text"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_browser_screenshot_of_the_example_report(cli, tmp_path, workdir, monkeypatch):
    monkeypatch.chdir(ROOT)  # paths in the report as a user at the repository root sees them
    out = workdir / "example-report.html"
    result = cli("check", "--format", "html", "--output", str(out), "examples/clinic-landing-page.md")
    assert result.code == 1, result.err
    shot = workdir / "html-report.png"
    run_chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", out.as_uri())
    assert _png_size(shot) == (1200, 900)
    assert shot.stat().st_size > 50_000  # text and colours, not a blank page
    if os.environ.get("CLAIMLINT_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
