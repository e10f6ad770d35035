"""Batch mode: ``claimlint check --stdin-jsonl`` reads one JSON document per line and
streams one JSON result per line, in order, flushing after each.

The CLI runs in-process with ``sys.stdin`` replaced (as the ``-`` tests of
test_cli.py do); one test drives a real ``python -m claimlint`` process through
pipes to show the results really stream, one line in, one line out.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest

from claimlint import lint_text
from claimlint.batch import lint_jsonl
from claimlint.models import Finding

ROOT = Path(__file__).resolve().parents[1]
CURE = "Our serum cures acne."
HTML = "<html><body>\n<h1>Joint care</h1>\n<p>Turmeric has been shown to ease joint pain.</p>\n</body></html>\n"
CLEAN = "The clinic is open Monday to Friday."
FINDING_FIELDS = set(Finding.model_fields) - {"fix_hint"}  # fix_hint is not part of the JSON contract


def jsonl(*items: object) -> bytes:
    """One line per item: dicts are dumped as JSON, strings are taken as they are."""
    return "".join((json.dumps(i) if not isinstance(i, str) else i) + "\n" for i in items).encode("utf-8")


@pytest.fixture
def batch(cli, monkeypatch):
    """``batch(data, *args)``: run ``check --stdin-jsonl`` on ``data``; (exit code, parsed lines, stderr)."""

    def _run(data: bytes, *args: str):
        monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))
        result = cli("check", "--stdin-jsonl", *args)
        lines = [json.loads(line) for line in result.out.splitlines()]
        assert result.out.endswith("\n") or not result.out
        return result.code, lines, result.err

    return _run


def expected(text: str, path: str, format: str = "markdown") -> list[dict]:
    return lint_text(text, format=format, path=path).model_dump(mode="json")["findings"]


def test_each_line_gets_its_result_in_order_and_a_malformed_line_does_not_stop_the_stream(batch):
    code, lines, err = batch(jsonl(
        {"id": "home", "text": "# Acne care\n\n" + CURE + "\n"},
        '{"id": "broken", "text": ',  # truncated JSON in the middle
        {"id": 7, "text": HTML, "format": "html"},
        {"id": "clean", "text": CLEAN},
    ))
    assert err == ""
    assert code == 1
    assert [line.get("id") for line in lines] == ["home", None, 7, "clean"]

    home, broken, joint, clean = lines
    assert set(home) == {"id", "findings", "errors"}
    assert home["errors"] == []
    assert home["findings"] == expected("# Acne care\n\n" + CURE + "\n", "home")
    assert [f["rule"] for f in home["findings"]] == ["CL501", "CL201", "CL401"]
    cure = home["findings"][0]
    assert set(cure) == FINDING_FIELDS
    assert (cure["path"], cure["text"], cure["line"], cure["column"], cure["end_line"], cure["end_column"]) == \
        ("home", "cures", 3, 11, 3, 16)

    assert set(broken) == {"id", "line", "error"}
    assert broken["line"] == 2 and broken["error"].startswith("invalid JSON")

    assert joint["findings"] == expected(HTML, "7", "html")
    shown = next(f for f in joint["findings"] if f["rule"] == "CL101")
    assert (shown["text"], shown["line"], shown["column"]) == ("has been shown to", 3, 13)
    assert clean == {"id": "clean", "findings": [], "errors": []}


@pytest.mark.parametrize(
    "line, id_, message",
    [
        ('{"id": "a"}', "a", "text: Field required"),
        ('{"id": "b", "text": 42}', "b", "text: Input should be a valid string"),
        ('{"id": "c", "text": "x", "format": "pdf"}', "c", "format: Input should be 'markdown', 'html' or 'text'"),
        ('{"id": "d", "text": "x", "format": 3}', "d", "format:"),
        ('{"id": true, "text": "x"}', None, "id:"),
        ('{"id": ["e"], "text": "x"}', None, "id:"),
        ('{"id": "f", "text": "x", "colour": "red"}', "f", "colour: unknown field"),
        ('{"id": "g", "path": "/etc/passwd"}', "g", "field 'path' is not accepted"),
        ('{"id": "h", "text": "x", "file": "notes.md"}', "h", "field 'file' is not accepted"),
        ('["text"]', None, "expected a JSON object"),
        ('"just a string"', None, "expected a JSON object"),
        ("{'single': 'quotes'}", None, "invalid JSON"),
    ],
)
def test_malformed_lines_are_reported_with_their_line_number(batch, line, id_, message):
    code, lines, _ = batch(jsonl({"id": "first", "text": CLEAN}, line, {"id": "last", "text": CLEAN}))
    assert code == 0  # a bad line is reported in the stream, not as a usage error
    assert len(lines) == 3
    assert lines[0] == {"id": "first", "findings": [], "errors": []}
    assert lines[2] == {"id": "last", "findings": [], "errors": []}
    bad = lines[1]
    assert set(bad) == {"id", "line", "error"}
    assert (bad["id"], bad["line"]) == (id_, 2)
    assert message in bad["error"]


def test_invalid_utf8_line_is_an_error_line(batch):
    data = jsonl({"id": 1, "text": CLEAN}) + b'{"id": 2, "text": "Caf\xe9"}\n' + jsonl({"id": 3, "text": CLEAN})
    code, lines, _ = batch(data)
    assert code == 0
    assert [line.get("id") for line in lines] == [1, None, 3]
    assert lines[1]["line"] == 2 and "UTF-8" in lines[1]["error"].upper()


def test_blank_lines_are_skipped_but_counted(batch):
    code, lines, _ = batch(b"\n" + jsonl({"id": "a", "text": CLEAN}) + b"   \n\n" + b"nope\n")
    assert [line.get("id") for line in lines] == ["a", None]
    assert lines[1]["line"] == 5


def test_format_defaults_to_markdown(batch):
    text = "Our serum `cures` acne.\n\nOur balm cures eczema.\n"
    code, lines, _ = batch(jsonl({"id": "md", "text": text}, {"id": "txt", "text": text, "format": "text"}),
                           "--select", "CL501")
    assert [f["line"] for f in lines[0]["findings"]] == [3]  # code spans are not prose in markdown
    assert [f["line"] for f in lines[1]["findings"]] == [1, 3]
    assert code == 1


def test_exit_code_follows_fail_on_over_all_documents(batch):
    warning_only = "Probiotics have been found to ease bloating.\n"
    docs = jsonl({"id": 1, "text": CLEAN}, {"id": 2, "text": warning_only}, "not json")
    assert batch(docs)[0] == 1
    assert batch(docs, "--fail-on", "error")[0] == 0
    assert batch(jsonl({"id": 1, "text": CLEAN}, "not json", {"text": 1}))[0] == 0
    assert batch(jsonl({"id": 1, "text": CLEAN}, {"id": 2, "text": CURE}), "--fail-on", "error")[0] == 1


def test_suppressed_findings_are_listed_but_do_not_fail(batch):
    text = "# Acne\n\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\nOur serum cures acne.\n"
    code, lines, _ = batch(jsonl({"id": "s", "text": text}), "--select", "CL501")
    assert code == 0
    [finding] = lines[0]["findings"]
    assert finding["suppressed"] == {"kind": "inline", "line": 3, "reason": "quoting the regulator"}


def test_directive_problems_are_the_documents_errors_not_the_runs(batch):
    text = "<!-- claimlint-disable-next-line CL501 -->\nOur serum cures acne.\n"  # no reason given
    code, lines, _ = batch(jsonl({"id": "r", "text": text}), "--select", "CL501")
    assert lines[0]["errors"] and lines[0]["errors"][0]["path"] == "r"
    assert code in (0, 1)  # never 2: only usage errors are


def test_empty_input_prints_nothing_and_passes(batch):
    assert batch(b"") == (0, [], "")


def test_stdin_without_a_binary_buffer_is_read_as_text(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(jsonl({"id": "t", "text": CURE}, "oops").decode()))
    result = cli("check", "--stdin-jsonl", "--select", "CL501")
    lines = [json.loads(x) for x in result.out.splitlines()]
    assert [f["rule"] for f in lines[0]["findings"]] == ["CL501"]
    assert lines[1] == {"id": None, "line": 2, "error": lines[1]["error"]}
    assert result.code == 1


def test_input_format_sets_the_default_format(batch):
    text = "Our serum `cures` acne.\n\nOur balm cures eczema.\n"
    _, lines, _ = batch(jsonl({"id": 1, "text": text}, {"id": 2, "text": text, "format": "markdown"}),
                        "--select", "CL501", "--input-format", "text")
    assert [[f["line"] for f in line["findings"]] for line in lines] == [[1, 3], [3]]


@pytest.mark.parametrize("extra", [["page.md"], ["-"], ["--output", "out.jsonl"], ["--stdin-filename", "a.md"]])
def test_paths_or_output_with_stdin_jsonl_are_usage_errors(batch, extra):
    code, lines, err = batch(jsonl({"text": CURE}), *extra)
    assert code == 2 and lines == []
    assert "--stdin-jsonl" in err


def test_a_bad_config_is_an_error_before_any_line_is_read(batch):
    code, lines, err = batch(jsonl({"text": CURE}), "--select", "NO-SUCH-RULE")
    assert code == 2 and lines == []
    assert "NO-SUCH-RULE" in err


def test_each_result_is_written_and_flushed_before_the_next_line_is_read(engine, workdir, monkeypatch):
    from claimlint.cli import main

    events: list[str] = []

    class Stdin:
        def __iter__(self):
            for i, item in enumerate([{"id": 0, "text": CURE}, "bad", {"id": 2, "text": CLEAN}]):
                events.append(f"read {i}")
                yield (json.dumps(item) if not isinstance(item, str) else item) + "\n"

    class Stdout:
        def write(self, text: str) -> int:
            events.append("write " + str(json.loads(text).get("id")))
            return len(text)

        def flush(self) -> None:
            events.append("flush")

    monkeypatch.setattr("sys.stdin", Stdin())
    monkeypatch.setattr("sys.stdout", Stdout())
    assert main(["check", "--stdin-jsonl"]) == 1
    assert events == ["read 0", "write 0", "flush", "read 1", "write None", "flush", "read 2", "write 2", "flush"]


def test_lint_jsonl_is_a_lazy_generator(engine):
    consumed: list[int] = []

    def lines():
        for i in range(3):
            consumed.append(i)
            yield json.dumps({"id": i, "text": CLEAN})

    results = lint_jsonl(lines())
    assert consumed == []
    assert next(results)["id"] == 0 and consumed == [0]
    assert [r["id"] for r in results] == [1, 2]


def test_a_real_process_answers_each_line_as_it_arrives(tmp_path):
    """One line in, one result out, while standard input is still open."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    proc = subprocess.Popen([sys.executable, "-m", "claimlint", "check", "--stdin-jsonl"], cwd=tmp_path, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got: list[str] = []

    def read_one() -> None:
        got.append(proc.stdout.readline().decode())

    try:
        for i, text in enumerate([CURE, CLEAN]):
            proc.stdin.write(jsonl({"id": i, "text": text}))
            proc.stdin.flush()
            reader = threading.Thread(target=read_one, daemon=True)
            reader.start()
            reader.join(timeout=60)
            assert not reader.is_alive(), "no result while standard input was still open"
            assert json.loads(got[-1])["id"] == i
        proc.stdin.close()
        assert proc.wait(timeout=60) == 1
        assert proc.stdout.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream and not stream.closed:
                stream.close()
