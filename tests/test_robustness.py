"""Bad input never ends in a traceback: a clear message, and the rest of the run goes on.

What ``tests/test_cli.py`` already proves is not repeated here (invalid UTF-8 with its byte
offset, ``--encoding latin-1``, UTF-16 with the platform's BOM, binary files, empty and
whitespace-only files, linted files never written), nor what ``test_config.py`` and
``test_rules_loading.py`` prove (``path:line:`` errors for malformed config and rule files)
or ``test_sources.py`` at the reader level (malformed markup, deep nesting, a 1 MB line).
This file adds the rest, end to end through ``claimlint.cli.main``: byte-order marks of
every kind, files over the size limit (a 50 MB file, linted in a subprocess whose peak
memory is measured), a megabyte on one line, files that vanish or cannot be read during
the run, FIFOs and symlink loops in folders, regexes that would backtrack catastrophically,
YAML alias bombs, and configs, rule files, baselines and bibliographies nested too deeply.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from claimlint.files import DEFAULT_MAX_FILE_BYTES
from claimlint.regex_safety import backtracking_risk

ROOT = Path(__file__).resolve().parents[1]
CURE_MD = "# Acne care\n\nOur serum cures acne.\n"
LINUX = Path("/proc/self/status").exists() and hasattr(os, "mkfifo")
linux_only = pytest.mark.skipif(not LINUX, reason="FIFOs, process groups and /proc")
CLEAN_MD = "# Opening hours\n\nThe clinic is open Monday to Friday.\n"


def run_python(code: str, *, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def errors_by_path(report: dict) -> dict[str, str]:
    return {e["path"]: e["message"] for e in report["errors"]}


# -- encodings ------------------------------------------------------------------------------------

PAGE = "# Café care\n\nÜnïcödé 🌿 intro.\r\nOur serum cures acne.\n"


@pytest.mark.parametrize("name, data", [
    ("utf8-bom", b"\xef\xbb\xbf" + PAGE.encode("utf-8")),
    ("utf16-le", b"\xff\xfe" + PAGE.encode("utf-16-le")),
    ("utf16-be", b"\xfe\xff" + PAGE.encode("utf-16-be")),
])
def test_byte_order_marks_give_the_positions_of_plain_utf8(cli, write, assert_positions, name, data):
    write("plain.md", PAGE)
    write(f"{name}.md", data)
    expected = cli("check", "--format", "json", "plain.md").json()["findings"]
    report = cli("check", "--format", "json", f"{name}.md").json()
    assert report["errors"] == []
    assert expected and [{**f, "path": "plain.md"} for f in report["findings"]] == expected
    assert_positions(PAGE, report["findings"])


def test_invalid_utf8_after_a_bom_counts_bytes_from_the_start_of_the_file(cli, write):
    write("bom.md", b"\xef\xbb\xbf# Menu\n\nOur caf\xe9.\n")
    write("page.md", CURE_MD)
    report = cli("check", "--format", "json", "bom.md", "page.md").json()
    assert errors_by_path(report)["bom.md"].startswith("not valid UTF-8 at byte 18 ")  # 3 bytes of BOM + 15
    assert {f["path"] for f in report["findings"]} == {"page.md"}


def test_truncated_utf16_is_an_error_and_the_other_files_are_linted(cli, write):
    write("half.txt", b"\xff\xfe" + "Our serum cures acne.".encode("utf-16-le") + b"\x00")
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--no-source", "half.txt", "page.md")
    assert result.code == 2
    assert "half.txt: error: not valid UTF-16 at byte " in result.out
    assert [f["path"] for f in result.findings()] == ["page.md"]
    assert "Traceback" not in result.out + result.err


# -- size: a 50 MB file, a megabyte on one line, the limit itself -----------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage")
def test_a_50_mb_file_is_skipped_with_an_error_in_bounded_time_and_memory(workdir):
    """Linting costs ~1.4 s and ~150 MB per MB (README "Reliability"): 50 MB would take minutes and
    several GB, so files over ``--max-file-size`` (default 5M) are reported and never read.
    The run is a subprocess of a fresh interpreter, so RUSAGE_CHILDREN is this run's alone."""
    unit = b"The clinic is open Monday to Friday. Our serum cures acne.\n\n"
    (workdir / "huge.md").write_bytes(unit * (50 * 1024 * 1024 // len(unit) + 1))
    (workdir / "page.md").write_text(CURE_MD, encoding="utf-8")
    probe = run_python("""
        import json, resource, subprocess, sys, time
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "claimlint", "check", "--format", "json", "--no-cache",
                               "huge.md", "page.md"], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                          "seconds": seconds, "peak_mb": peak_mb}))
    """, cwd=workdir)
    assert probe.returncode == 0, probe.stderr
    run = json.loads(probe.stdout)
    print(f"\n50 MB file: {run['seconds']:.1f} s, peak RSS {run['peak_mb']:.0f} MB")
    assert run["code"] == 2 and "Traceback" not in run["err"], run["err"]
    report = json.loads(run["out"])
    size = (workdir / "huge.md").stat().st_size
    assert errors_by_path(report) == {
        "huge.md": f"file is {size} bytes, over the {DEFAULT_MAX_FILE_BYTES}-byte limit (--max-file-size, "
                   "max-file-size in config); skipped"}
    assert {f["path"] for f in report["findings"]} == {"page.md"}
    assert run["peak_mb"] < 1500
    assert run["seconds"] < 60


def test_max_file_size_option_config_stdin_and_batch(cli, write, monkeypatch):
    import io

    write("page.md", CURE_MD + "\n" + "The clinic is open Monday to Friday.\n" * 60)  # ~2.3 KB
    size = Path("page.md").stat().st_size
    result = cli("check", "--max-file-size", "2k", "--no-source", "page.md")
    assert (result.code, result.findings()) == (2, [])
    assert f"page.md: error: file is {size} bytes, over the 2048-byte limit" in result.out
    assert cli("check", "--max-file-size", "3k", "page.md").code == 1
    assert cli("check", "--max-file-size", "3KB", "page.md").code == 1

    write(".claimlint.toml", 'max-file-size = "1k"\n')
    assert "over the 1024-byte limit" in cli("check", "page.md").out
    assert cli("check", "--max-file-size", "1M", "page.md").code == 1  # the command line wins

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(Path("page.md").read_bytes())))
    result = cli("check", "-")
    assert result.code == 2 and "<stdin>: error: over the 1024-byte limit (--max-file-size)" in result.err

    line = json.dumps({"id": "big", "text": "x" * 2000}) + "\n" + json.dumps({"id": "ok", "text": CURE_MD}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    results = [json.loads(x) for x in cli("check", "--stdin-jsonl").out.splitlines()]
    assert "over the 1024-byte limit" in results[0]["error"] and results[1]["id"] == "ok"


@pytest.mark.parametrize("args, config, message", [
    (["--max-file-size", "lots"], None, "expected a size such as 5M, 500k or 1048576, got 'lots'"),
    (["--max-file-size", "65M"], None, "the size must be between 1 byte and 64M"),
    ([], 'select = ["CL501"]\nmax-file-size = "0"\n', ".claimlint.toml:2: max-file-size: the size must be"),
    ([], "max-file-size = true\n", ".claimlint.toml:1: max-file-size: expected a size"),
])
def test_bad_max_file_size_is_a_usage_error(cli, write, args, config, message):
    write("page.md", CURE_MD)
    if config:
        write(".claimlint.toml", config)
    result = cli("check", *args, "page.md")
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


def test_a_megabyte_on_one_line_is_linted(cli, write, assert_positions):
    """Over spaCy's own 1,000,000-character guard (it used to end in ValueError E088)."""
    unit = "The clinic is open Monday to Friday, and parking is free for every visitor. "
    line = "Our serum cures acne. " + unit * (1_050_000 // len(unit)) + "Turmeric has been shown to ease joint pain."
    for name in ("one-line.md", "one-line.html"):  # plain text too at the reader level (test_sources.py)
        write(name, line)
        started = time.perf_counter()
        report = cli("check", "--format", "json", name).json()
        assert time.perf_counter() - started < 30
        assert report["errors"] == []
        assert_positions(line, report["findings"])
        found = {(f["rule"], f["text"]) for f in report["findings"]}
        assert {("CL501", "cures"), ("CL101", "has been shown to")} <= found, name


# -- markup at its limits ---------------------------------------------------------------------------

def test_html_nested_ten_thousand_deep(cli, write, assert_positions):
    depth = 10_000
    page = "<div>" * depth + "<p>Our serum cures acne.</p>" + "</div>" * depth
    write("deep.html", page)
    write("unclosed.html", "<span><div>" * depth + "Our serum cures acne.")
    for name, text in (("deep.html", page), ("unclosed.html", Path("unclosed.html").read_text())):
        report = cli("check", "--format", "json", "--select", "CL501", name).json()
        assert [(f["rule"], f["offset"]) for f in report["findings"]] == [("CL501", text.index("cures"))]
        assert_positions(text, report["findings"])


def test_unclosed_fences_and_tags(cli, write, assert_positions):
    md = "Our serum cures acne.\n\n```text\nThe cream cures warts.\n"
    html = "<p>Our serum cures acne.<div><b>The cream cures <i>warts.<p><table><tr><td>The balm cures gout"
    write("fence.md", md)
    write("tags.html", html)
    report = cli("check", "--format", "json", "--select", "CL501", "fence.md", "tags.html").json()
    assert report["errors"] == []
    cures = [(f["path"], f["offset"]) for f in report["findings"]]
    # the unclosed fence runs to the end of the file: what is inside is code, not prose
    assert cures == [("fence.md", md.index("cures")),
                     ("tags.html", html.index("cures")), ("tags.html", html.index("cures <i>warts")),
                     ("tags.html", html.index("cures gout"))]
    assert_positions(md, [f for f in report["findings"] if f["path"] == "fence.md"])
    assert_positions(html, [f for f in report["findings"] if f["path"] == "tags.html"])


# -- files that change under the run -------------------------------------------------------------------

@pytest.fixture
def fail_open(monkeypatch):
    """``fail_open({"gone.md": how})``: ``os.open`` of those files fails; ``how`` is an exception to
    raise, or "delete" to remove the file for real just before it is opened."""
    real_open = os.open

    def install(plan: dict[str, object]):
        def fake_open(path, flags, *args, **kwargs):
            how = plan.get(os.path.basename(os.fsdecode(path)))
            if how == "delete":
                os.unlink(path)
            elif callable(how):
                how = how()
            if isinstance(how, BaseException):
                raise how
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)

    return install


def test_files_that_vanish_or_cannot_be_read_during_the_run(cli, write, fail_open):
    for name in ("gone.md", "locked.md", "broken.md", "page.md"):
        write(f"site/{name}", CURE_MD)
    fail_open({"gone.md": "delete",
               "locked.md": PermissionError(errno.EACCES, "Permission denied"),
               "broken.md": OSError(errno.EIO, "Input/output error")})
    result = cli("check", "--no-cache", "--select", "CL501", "--no-source", "site")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert "site/gone.md: error: file not found (removed during the run, or a broken symbolic link)" in result.out
    assert "site/locked.md: error: permission denied" in result.out
    assert "site/broken.md: error: cannot read: Input/output error" in result.out
    assert [f["path"] for f in result.findings()] == ["site/page.md"]
    assert result.out.rstrip().endswith("in 1 file. 3 file errors.")


def test_a_file_that_vanishes_after_it_was_linted_still_gets_its_report(cli, write, fail_open):
    write("page.md", CURE_MD)
    opened = []

    def second_open_fails():  # the first open lints it; the second (the source line) finds it gone
        opened.append(1)
        return FileNotFoundError(errno.ENOENT, "No such file or directory") if len(opened) > 1 else None

    fail_open({"page.md": second_open_fails})
    result = cli("check", "--no-cache", "--select", "CL501", "page.md")
    assert result.code == 1 and len(opened) >= 2
    assert result.rules() == ["CL501"] and "Traceback" not in result.out + result.err


@linux_only
def test_a_fifo_in_a_folder_is_an_error_not_a_hang(workdir):
    """Opening a FIFO for reading blocks until a writer comes: files are opened non-blocking and
    only regular files are read. A subprocess, so that a regression fails instead of hanging."""
    (workdir / "site").mkdir()
    (workdir / "site" / "page.md").write_text(CURE_MD, encoding="utf-8")
    os.mkfifo(workdir / "site" / "pipe.md")
    os.mkfifo(workdir / "named.md")
    done = run_python("""
        import sys
        from claimlint.cli import main
        sys.exit(main(["check", "--no-cache", "--select", "CL501", "--no-source", "site", "named.md"]))
    """, cwd=workdir, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "site/pipe.md: error: not a regular file (a pipe, socket or device); skipped" in done.stdout
    assert "named.md: error: not a regular file" in done.stdout
    assert "site/page.md:3:11: CL501" in done.stdout


@linux_only
def test_symlink_loops_and_broken_links_in_folders(cli, write, workdir):
    write("site/a.md", CURE_MD)
    write("site/sub/b.md", CURE_MD)
    os.symlink("..", workdir / "site/sub/up")  # a loop: site/sub/up/sub/up/...
    os.symlink(workdir / "site", workdir / "site/sub/again")  # the same loop, absolute
    os.symlink("self.md", workdir / "site/self.md")  # a link to itself
    os.symlink("../a.md", workdir / "site/sub/twin.md")  # another name for a.md
    os.symlink("nowhere.md", workdir / "site/dangling.md")
    started = time.perf_counter()
    report = cli("check", "--no-cache", "--format", "json", "--select", "CL501", "site").json()
    assert time.perf_counter() - started < 20
    assert sorted(f["path"] for f in report["findings"]) == ["site/a.md", "site/sub/b.md"]  # each once
    errors = errors_by_path(report)
    assert errors["site/self.md"] == "cannot read: Too many levels of symbolic links"
    assert errors["site/dangling.md"].startswith("file not found")
    assert set(errors) == {"site/self.md", "site/dangling.md"}


# -- rule packs and configs that would hang or crash the run ---------------------------------------

RULE = """\
id: XY902
name: miracle-cream
category: house-style
severity: error
summary: The house ban on "miracle cream"
message: '"{{text}}" is banned house wording.'
docs:
  what: Flags the phrase "miracle cream" anywhere in prose.
  why: Our legal team has banned this phrase after a complaint.
  example: Try our miracle cream today.
  instead: Describe what the cream does.
references:
  - https://example.org/house-style
check:
  type: existence
  regex:
    - '\\bmiracle cream\\b'
    - '{regex}'
examples:
  fail:
    - text: Try our miracle cream today.
      flags: [miracle cream]
  pass:
    - Try our moisturiser today.
"""
RULE_PATH = "house/XY902-miracle-cream.yaml"


@pytest.mark.parametrize("regex", [r"(a+)+b", r"(\w+\s?)*$", r"(.*)*x", r"(?:\s*\w+)+!", r"(\w{1,5})+!"])
def test_a_regex_that_can_backtrack_catastrophically_is_refused_at_load_time(cli, write, regex):
    write(RULE_PATH, RULE.format(regex=regex))
    write("page.md", "Try our miracle cream today.\n")
    started = time.perf_counter()
    result = cli("check", "--rules-dir", "house", "page.md")
    assert time.perf_counter() - started < 10
    assert result.code == 2 and result.out == ""
    prefix = f"claimlint: error: {Path(RULE_PATH).resolve()}:18: check.regex.1: regex {regex!r} may backtrack catastrophically"
    assert result.err.startswith(prefix), result.err
    for command in (["test-rules", "house"], ["rules", "--config", "cfg.toml"]):
        write("cfg.toml", 'rule-dirs = ["house"]\n')
        assert "may backtrack catastrophically" in cli(*command).err


def test_a_catastrophic_regex_in_a_shared_cue_file_is_refused(cli, write):
    write(RULE_PATH, RULE.format(regex=r"\bwonder cream\b"))
    write("house/_shared/house.yaml", "cues:\n  house-words:\n    regex:\n      - '\\bmiracles?\\b'\n      - '(x+x+)+y'\n")
    write("page.md", "Try our miracle cream today.\n")
    result = cli("check", "--rules-dir", "house", "page.md")
    assert result.code == 2
    assert result.err.startswith(f"claimlint: error: {Path('house/_shared/house.yaml').resolve()}:5: "
                                 "cues.house-words.regex.1: regex '(x+x+)+y' may backtrack catastrophically")


def test_a_safe_regex_with_nested_repeats_is_accepted(cli, write):
    write(RULE_PATH, RULE.format(regex=r"(?:\w+\s)+miracle|\d{1,3}(?:\s*,\s*\d{1,3})*"))
    write("page.md", "Try our miracle cream today.\n")
    assert cli("check", "--rules-dir", "house", "--select", "XY902", "page.md").code == 1


@pytest.mark.parametrize("pattern", [r"(a+)+", r"(\w+\s?)*", r"(.*)*", r"(\s*\w+)+$", r"(a{1,5})+", r"((a+)b?)+",
                                     r"(?:x|(a+))+", r"(a*)*", r"(a+){1,100}", r"(?:[a-z]+-?)+x"])
def test_nested_unbounded_repeats_are_detected(pattern):
    assert backtracking_risk(pattern)


@pytest.mark.parametrize("pattern", [r"(?:\w+\s)+", r"(?:\s+\w+)*", r"\d{1,3}(?:\s*[-,]\s*\d{1,3})*", r"(ab)+",
                                     r"(?:[\w'+()-]+\s+){0,5}", r"a+b+", r"(?:a+b)+", r"(?:,\s*\d+)+", r"(a++)+",
                                     r"(?>a+)+", r"(?:\w+[- ])*\w+", r"\bcures?\b", r"(a+){1,3}"])
def test_safe_repeats_are_not_flagged(pattern):
    assert backtracking_risk(pattern) is None


def test_the_builtin_pack_has_no_catastrophic_regex(engine):
    pack = engine.pack
    patterns = [p for cue in pack.cues.values() for p in cue.regex]
    patterns += [p for rule in pack.rules.values() for p in getattr(rule.check, "regex", [])]
    assert len(patterns) > 100
    assert [p for p in patterns if backtracking_risk(p)] == []


def test_the_detector_is_right_about_real_backtracking():
    """What is flagged really is slow on a short text; what passes really is fast."""
    import re

    text = "a" * 24 + "!"
    started = time.perf_counter()
    re.match(r"(?:a+)+$", text)
    slow = time.perf_counter() - started
    started = time.perf_counter()
    re.match(r"(?:a+b)+$", text * 1000)
    fast = time.perf_counter() - started
    assert backtracking_risk(r"(?:a+)+$") and backtracking_risk(r"(?:a+b)+$") is None
    assert slow > 0.05 > fast


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("path", [RULE_PATH, "house/_shared/bomb.yaml"])
def test_a_yaml_alias_bomb_is_refused_quickly(cli, write, path):
    write(RULE_PATH, RULE.format(regex=r"\bwonder cream\b"))
    write(path, BILLION_LAUGHS)
    write("page.md", "Try our miracle cream today.\n")
    started = time.perf_counter()
    result = cli("check", "--rules-dir", "house", "page.md")
    assert time.perf_counter() - started < 10
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err == (f"claimlint: error: {Path(path).resolve()}: "
                          "YAML expands to more than 200000 nodes (alias bomb?)\n")


def test_yaml_nested_too_deeply_is_an_error_not_a_crash(workdir):
    """ruamel's C loader recurses in C and would crash the interpreter (SIGSEGV) on ~30,000
    levels; such files go to the Python loader, whose RecursionError is reported. A subprocess,
    so that a regression is a failed test rather than a dead test run."""
    (workdir / "house").mkdir()
    depth = 30_000
    (workdir / RULE_PATH).write_text("id: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    (workdir / "page.md").write_text(CURE_MD, encoding="utf-8")
    done = run_python("""
        import sys
        from claimlint.cli import main
        sys.exit(main(["check", "--no-cache", "--rules-dir", "house", "page.md"]))
    """, cwd=workdir, timeout=120)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert done.stderr.endswith(f"{RULE_PATH}: invalid YAML: nested too deeply\n"), done.stderr[-2000:]


@pytest.mark.parametrize("body", ["select = " + "[" * 50_000 + "]" * 50_000,
                                  "x = " + "{a = " * 50_000 + "1" + "}" * 50_000])
def test_toml_nested_too_deeply_is_an_error(cli, write, body):
    write(".claimlint.toml", body + "\n")
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert result.err == f"claimlint: error: {Path('.claimlint.toml').resolve()}: invalid TOML: nested too deeply\n"


def test_a_huge_pyproject_is_read_quickly(cli, write):
    other = "".join(f'key{i} = "{"v" * 40}"\n' for i in range(100_000))  # ~5 MB of another tool's settings
    write("pyproject.toml", f"[tool.other]\n{other}\n[tool.claimlint]\nselect = [\"CL501\"]\n")
    write("page.md", CURE_MD)
    started = time.perf_counter()
    result = cli("check", "--no-source", "page.md")
    assert time.perf_counter() - started < 20
    assert (result.code, result.rules()) == (1, ["CL501"])
    write("pyproject.toml", f"[tool.other]\n{other}\n[tool.claimlint]\ncolour = 1\n")
    result = cli("check", "page.md")
    assert result.code == 2 and "pyproject.toml:100004: colour: unknown key" in result.err


@pytest.mark.parametrize("option, name, content, message", [
    ("--baseline", "b.json", "[" * 100_000 + "]" * 100_000, "b.json: malformed baseline: not valid JSON: nested too deeply"),
    ("--bib", "refs.json", "[" * 100_000 + "]" * 100_000, "refs.json: invalid CSL-JSON: nested too deeply"),
])
def test_json_nested_too_deeply_is_an_error(cli, write, option, name, content, message):
    write(name, content)
    write("page.md", CURE_MD)
    result = cli("check", option, name, "page.md")
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("content", ['[{"issued": [1]}]', '[{"author": 3}]', '[{"issued": {"date-parts": 5}}]',
                                     '{"items": 5}', '[{"author": [{"family": 7}], "issued": {"date-parts": [[{}]]}}]'])
def test_a_csl_json_of_the_wrong_shape_is_not_a_crash(cli, write, content):
    write("refs.json", content)
    write("page.md", CURE_MD)
    result = cli("check", "--bib", "refs.json", "--select", "CL501", "page.md")
    assert (result.code, result.rules()) == (1, ["CL501"])


# -- nothing lost: an interrupted run ---------------------------------------------------------------
# (claimlint never writing the files it lints, and baselines written atomically, are proven in
# test_cli.py::test_linted_files_are_never_written and test_baseline.py.)

def _big_site(root: Path, files: int = 300) -> None:
    page = "## Section\n\nThe clinic is open Monday to Friday. Our serum cures acne and has been shown to help.\n\n"
    text = page * (100_000 // len(page))  # ~100 KB a file, ~30 MB in all: far longer than the test waits
    (root / "site").mkdir()
    for i in range(files):
        (root / "site" / f"page{i:03}.md").write_text(text, encoding="utf-8")


def _interrupt(workdir: Path, *options: str, group: bool) -> tuple[subprocess.CompletedProcess, float]:
    """Start ``python -m claimlint check --format json --output out.json site``, wait until it is
    linting (spaCy loaded, then one more second), send SIGINT to it (``group``: to its whole process
    group, as Ctrl-C in a terminal does). Returns the finished process and how long it took to stop."""
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p)
    proc = subprocess.Popen([sys.executable, "-m", "claimlint", "check", "--format", "json", "--output", "out.json",
                             *options, "site"], cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            if rss_kb > 80_000:  # spaCy is imported: the run is under way
                break
            time.sleep(0.05)
        time.sleep(1.0)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        if group:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=60)
        stopped = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for _ in range(100):  # and no worker is left behind
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("processes of the interrupted run are still alive")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), stopped


@linux_only
def test_an_interrupted_run_exits_130_and_writes_no_report(workdir):
    _big_site(workdir)
    done, stopped = _interrupt(workdir, "--jobs", "2", group=False)
    print(f"\nSIGINT: stopped after {stopped:.2f} s")
    assert (done.returncode, done.stderr, done.stdout) == (130, "claimlint: interrupted\n", "")
    assert not (workdir / "out.json").exists()
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".out.json")] == []  # no temp file left
    assert stopped < 10


@linux_only
def test_ctrl_c_keeps_the_previous_report_untouched(workdir):
    _big_site(workdir)
    old = '{"version": 1, "findings": [], "note": "yesterday"}\n'
    (workdir / "out.json").write_text(old, encoding="utf-8")
    done, _ = _interrupt(workdir, "--jobs", "1", group=True)
    assert (done.returncode, done.stderr) == (130, "claimlint: interrupted\n")
    assert (workdir / "out.json").read_text(encoding="utf-8") == old
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".out.json")] == []
