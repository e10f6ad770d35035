"""Shared fixtures for the user-facing suite: run the CLI in-process, write files.

Everything runs in a fresh ``tmp_path`` that is also the working directory, so
neither this checkout's own ``pyproject.toml`` nor anything else outside the
test's folder can change what the linter does. The spaCy pipeline is built once
per session (``engine``); the API caches engines per process after that.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: An organisation's own rule, as a user would write it (tests change its category or flags).
WONDER_RULE = """\
id: XY901
name: wonder-cream
category: house-style
severity: error
summary: The house ban on "wonder cream"
message: '"{text}" is banned house wording: describe what the cream does.'
docs:
  what: Flags the phrase "wonder cream" anywhere in prose.
  why: Our legal team has banned this phrase after a complaint.
  example: Try our wonder cream today.
  instead: Describe what the cream does, e.g. "a rich moisturiser for dry skin".
references:
  - https://example.org/house-style
check:
  type: existence
  phrases: [wonder cream]
examples:
  fail:
    - text: Try our wonder cream today.
      flags: [wonder cream]
  pass:
    - Try our moisturiser today.
"""

#: ``path:line:col: CLxxx [category] message`` -- one finding in text output.
FINDING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{2}\d{3}) \[(?P<category>[a-z0-9-]+)\] (?P<message>.+)$"
)


@dataclass
class Result:
    """What the user sees after one ``claimlint ...`` command."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def findings(self) -> list[dict[str, str]]:
        """The finding header lines of text output, parsed."""
        return [m.groupdict() for m in map(FINDING_LINE.match, self.out.splitlines()) if m]

    def rules(self) -> list[str]:
        return [f["rule"] for f in self.findings()]


@pytest.fixture(scope="session")
def engine():
    """The default engine (and with it the spaCy pipeline), built once per session."""
    from claimlint.api import get_engine

    return get_engine()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty working directory for one test, with the network switched off."""
    import socket

    def no_network(*args: object, **kwargs: object):
        raise AssertionError("claimlint tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(workdir: Path) -> Callable[..., Path]:
    """``write("docs/a.md", text)``: create a file (and its folders) under the test folder.

    Text is written as UTF-8 bytes exactly as given (no newline translation);
    pass ``bytes`` for anything else.
    """

    def _write(relpath: str, content: str | bytes) -> Path:
        path = workdir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture
def cli(engine, workdir: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """``cli("check", "a.md")``: run ``claimlint.cli.main`` in-process and capture what it prints."""
    from claimlint.cli import main

    def _run(*args: object) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``, counting lines by ``\\n``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.fixture
def assert_positions() -> Callable[[str, list[Any]], None]:
    """Check that every finding's line/column pairs agree with its offsets and its text."""

    def _check(original: str, findings: list[Any]) -> None:
        for f in findings:
            d = f if isinstance(f, dict) else f.model_dump()
            where = f"{d['rule']} {d['text']!r}"
            assert 0 <= d["offset"] < d["end_offset"] <= len(original), where
            assert original[d["offset"] : d["end_offset"]] == d["text"], where
            assert line_col(original, d["offset"]) == (d["line"], d["column"]), where
            assert line_col(original, d["end_offset"]) == (d["end_line"], d["end_column"]), where

    return _check


@pytest.fixture(autouse=True)
def _cache_outside_the_test_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``claimlint check`` caches results by default (``.claimlint_cache`` in the working folder):
    give each test its own cache, outside the folder it lints, so listings stay as the test wrote them
    and no test is answered from another's results. ``test_cache.py`` unsets it to test the default."""
    monkeypatch.setenv("CLAIMLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache") / ".claimlint_cache"))
