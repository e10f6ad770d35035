"""The gated regex scan finds exactly what running every regex with ``finditer`` finds.

``RegexSet`` tries a regex only where one of the literal keys its matches start with occurs;
if a key were wrong, a finding would silently go missing. These tests compare it with the
plain scan for every regex of the shipped rule pack, on the bundled examples, on the rules'
own examples and on texts hypothesis makes up from the rules' own words, with odd whitespace,
letters that IGNORECASE treats alike (``ſ``/``s``, the Kelvin sign), and characters whose
lower case is longer than themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimlint.analysis.prefilter import RegexSet, _fold, pattern_keys

ROOT = Path(__file__).resolve().parents[1]


def plain_scan(regexes: list[tuple[str, re.Pattern[str]]], text: str) -> list[tuple[str, int, int]]:
    return sorted((key, m.start(), m.end()) for key, rx in regexes for m in rx.finditer(text) if m.end() > m.start())


@pytest.fixture(scope="module")
def pack_set(engine) -> RegexSet:
    return engine.analyzer.index._regex_set


def test_the_rule_pack_is_mostly_gated(pack_set):
    # The point of the prefilter: only a handful of regexes are scanned over the whole text.
    assert len(pack_set.regexes) > 200
    assert len(pack_set.full_scan) <= 5


def test_same_matches_on_the_bundled_examples(pack_set):
    pages = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "examples").glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert sorted(pack_set.finditer(text)) == plain_scan(pack_set.regexes, text), page.name


def test_same_matches_on_every_rule_example(engine, pack_set):
    texts = []
    for rule in engine.pack.rules.values():
        texts += [case.text for case in rule.examples.fail] + [str(getattr(case, "text", case)) for case in rule.examples.passing]
    assert len(texts) > 100
    for text in texts:
        assert sorted(pack_set.finditer(text)) == plain_scan(pack_set.regexes, text), text


def test_keys_read_from_a_pattern():
    keys, anchored = pattern_keys(r"\bthe\s+longer\s+you\b")
    assert keys == {"the lo"} and anchored  # six characters, any run of spaces as one
    keys, anchored = pattern_keys(r"\b(?:a|an|one)\s+study")
    assert keys == {"a stud", "an stu", "one st"} and anchored
    # a lookbehind start and an optional "#1" start: not at a word start, so tried anywhere
    keys, anchored = pattern_keys(r"(?:(?:#\s?1)\s+)?\b(?:doctors?)-recommended")
    assert keys == {"#1 doc", "# 1 do", "doctor"} and not anchored
    # starts that do not narrow the search: scanned in full
    assert pattern_keys(r"[A-Z][a-z]+ saw results", 0) is None
    assert pattern_keys(r"\b\w+ly proven") is None
    assert pattern_keys(r"\b(?:a|b)\w+") is None


def test_folding_keeps_every_position():
    text = "İstanbul\u00a0Klinik\tſerum\u2003done"
    folded = _fold(text)
    assert len(folded) == len(text)
    assert folded == "istanbul klinik serum done"


def test_a_small_set_with_tricky_text():
    sources = [("k", r"\bserum\s+cures\b", re.I), ("n", r"\bno\.?\s?1\b", re.I), ("s", r"\bstudies\s+show", re.I)]
    rs = RegexSet(sources)
    regexes = [(key, re.compile(pattern, flags)) for key, pattern, flags in sources]
    assert not rs.full_scan
    text = "The ſerum\n\ncures. No.1 and no 1! STUDIES\u00a0SHOW; ſtudies show"
    assert sorted(rs.finditer(text)) == plain_scan(regexes, text)
    assert ("k", 4, 16) in rs.finditer(text)  # "ſerum\n\ncures"


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.fixture(scope="module")
def pack_words(pack_set) -> list[str]:
    words = set()
    for _, pattern, _ in pack_set.sources:
        words.update(re.findall(r"[A-Za-z]{2,}", pattern))
    return sorted(words)


SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", ". ", ", ", "-", "'", " (", ") ", " [1] ", "\n\n"]
ODD = ["ſ", "K", "İ", "ı", "%", "10", "3", "#1", "I've", "é", "ﬁ"]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_same_matches_on_made_up_text(pack_set, pack_words, data):
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(pack_words), st.sampled_from(ODD)), min_size=1, max_size=60))
    seps = data.draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)))
    upper = data.draw(st.booleans())
    text = "".join(p + s for p, s in zip(pieces, seps))
    if upper:
        text = text.title()
    assert sorted(pack_set.finditer(text)) == plain_scan(pack_set.regexes, text)


def test_regexes_are_compiled_when_a_text_needs_them():
    rs = RegexSet([("a", r"\bcures\s+acne\b", re.I), ("b", r"\bregrows\s+hair\b", re.I)])
    assert rs._compiled == [None, None]
    assert rs.finditer("This cures acne.") == [("a", 5, 15)]
    assert rs._compiled[0] is not None and rs._compiled[1] is None  # "regrows" never appeared
    assert rs.compiled(1).pattern == r"\bregrows\s+hair\b" and rs.compiled(1).flags & re.I


def test_an_ascii_word_boundary_is_honoured():
    # Under (?a), \b also stands inside "éacne": the pattern must be tried there too.
    sources = [("k", r"(?a)\bacne\b", re.I), ("u", r"\bacne\b", re.I)]
    rs = RegexSet(sources)
    text = "Éacne, acne."
    regexes = [(key, re.compile(pattern, flags)) for key, pattern, flags in sources]
    assert sorted(rs.finditer(text)) == plain_scan(regexes, text)
    assert ("k", 1, 5) in rs.finditer(text)
