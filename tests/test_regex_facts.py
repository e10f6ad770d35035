"""What one run learns about the rule pack's regexes is kept in the cache folder and used by the
next run, which then neither checks nor compiles those regexes again, and reports the same.
A damaged or foreign facts file is ignored; ``--no-cache`` reads and writes none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimlint import cache as cache_module
from claimlint import regex_facts, regexes
from claimlint.api import _ENGINES

HOUSE_RULE = """\
id: XY902
name: miracle-balm
category: house-style
severity: error
summary: The house ban on "miracle balm"
message: '"{text}" is banned house wording.'
docs:
  what: Flags "miracle balm" and "miracle-balm".
  why: Our legal team banned it.
  example: Our miracle balm heals.
  instead: Say what the balm does.
references:
  - https://example.org/house-style
check:
  type: existence
  regex: ['\\bmiracle[\\s-]+balms?\\b']
examples:
  fail:
    - text: Our miracle balm heals.
      flags: [miracle balm]
  pass:
    - Our balm soothes.
"""
PATTERN = r"\bmiracle[\s-]+balms?\b"


@pytest.fixture
def fresh(monkeypatch, write, workdir: Path):
    """A process that has learned nothing yet: no facts, no parse trees, no engines."""
    monkeypatch.delenv(cache_module.ENV_CACHE_DIR, raising=False)
    monkeypatch.setattr(regex_facts, "_facts", {})
    monkeypatch.setattr(regex_facts, "_loaded_from", set())
    monkeypatch.setattr(regex_facts, "_changed", False)
    regexes._parse.cache_clear()
    regexes.compiled.cache_clear()
    saved = dict(_ENGINES)
    _ENGINES.clear()
    write("house/XY902-miracle-balm.yaml", HOUSE_RULE)
    write("site/shop.md", "# Shop\n\nOur miracle-balm cures eczema.\n")
    yield workdir
    _ENGINES.clear()
    _ENGINES.update(saved)


def forget(monkeypatch) -> None:
    """As a new process would start: nothing in memory, only what is on disk."""
    monkeypatch.setattr(regex_facts, "_facts", {})
    monkeypatch.setattr(regex_facts, "_loaded_from", set())
    monkeypatch.setattr(regex_facts, "_changed", False)
    regexes._parse.cache_clear()
    regexes.compiled.cache_clear()
    _ENGINES.clear()


def facts_file(workdir: Path) -> Path:
    found = list((workdir / ".claimlint_cache").glob("regexes-*.json"))
    assert len(found) == 1
    return found[0]


def test_the_next_run_uses_what_the_first_learned(cli, fresh, write, monkeypatch):
    first = cli("check", "--format", "json", "--rules-dir", "house", "site")
    assert "XY902" in [f["rule"] for f in first.json()["findings"]]
    stored = {(e["pattern"], e["flags"]): e for e in json.loads(facts_file(fresh).read_text())["patterns"]}
    mine = stored[(PATTERN, regexes.RULE_FLAGS)]
    assert mine["valid"] is True and mine["keys"] == ["miracl"] and mine["anchored"] is True and mine["code"]

    write("site/shop.md", "# Shop\n\nTwo miracle balms cure eczema.\n")  # the findings cache misses
    expected = cli("check", "--format", "json", "--no-cache", "--rules-dir", "house", "site")
    forget(monkeypatch)

    def no_more(*args, **kwargs):
        raise AssertionError("checked or compiled again although the facts were kept")

    monkeypatch.setattr(regexes, "check", no_more)
    monkeypatch.setattr("claimlint.rule_model.check_regex", no_more)
    monkeypatch.setattr(regexes._sre_compiler, "_code", no_more)
    monkeypatch.setattr(regexes, "_sre_parse", None)  # parsing would fail
    again = cli("check", "--format", "json", "--rules-dir", "house", "site")
    assert (again.code, again.out) == (expected.code, expected.out)
    assert "XY902" in [f["rule"] for f in again.json()["findings"]]


def test_a_damaged_facts_file_is_ignored(cli, fresh, monkeypatch):
    first = cli("check", "--format", "json", "--no-cache", "--rules-dir", "house", "site")
    cli("check", "--format", "json", "--rules-dir", "house", "site")
    path = facts_file(fresh)
    for damage in ("{not json", json.dumps({"patterns": "nope"}),
                   json.dumps({"patterns": [{"pattern": PATTERN, "flags": regexes.RULE_FLAGS, "keys": [7],
                                             "anchored": "yes", "code": "!!", "valid": True}]})):
        path.write_text(damage)
        forget(monkeypatch)
        for other in (fresh / ".claimlint_cache").iterdir():  # make the findings cache miss
            if other.is_dir():
                for entry in other.iterdir():
                    entry.unlink()
        result = cli("check", "--format", "json", "--rules-dir", "house", "site")
        assert (result.code, result.out) == (first.code, first.out), damage


def test_no_cache_writes_no_facts(cli, fresh):
    cli("check", "--no-cache", "--rules-dir", "house", "site")
    assert not (fresh / ".claimlint_cache").exists()


def test_a_bad_regex_is_still_reported_after_a_run_with_facts(cli, fresh, write, monkeypatch):
    cli("check", "--rules-dir", "house", "site")
    forget(monkeypatch)
    write("house/XY902-miracle-balm.yaml", HOUSE_RULE.replace("balms?\\b", "balms?(\\b"))
    result = cli("check", "--rules-dir", "house", "site")
    assert result.code == 2
    assert "invalid regex" in result.err and "XY902-miracle-balm.yaml" in result.err
