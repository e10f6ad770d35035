"""Run many regexes over a text in about one pass: gate each by the words it can start with.

Most rule and cue regexes start at a word boundary with one of a few literal words
(``\\b(?:studies|research)\\s+show``). Scanning the whole text once per regex costs one
pass per pattern; instead we read the literal prefixes each pattern can start with
(from Python's own regex parser), index them, walk the text's words once, and try a
pattern only where one of its prefixes starts a word. Patterns whose start cannot be
reduced to literal prefixes are scanned in full, as before. The matches are the same
as ``finditer``'s for every pattern: same starts, same ends, non-overlapping.
"""

from __future__ import annotations

import re
from collections import defaultdict

try:  # Python 3.11+
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

#: Prefixes are cut to this many characters (the index key length).
KEY = 4
#: Give up on patterns with more alternatives than this at their start.
MAX_PREFIXES = 400
WORD_START = re.compile(r"\b\w")


DIGITS = {str(d) for d in range(10)}


def _class_chars(av: list) -> set[str] | None:
    chars: set[str] = set()
    for o, a in av:
        if o is sre_c.LITERAL:
            chars.add(chr(a).lower())
        elif o is sre_c.CATEGORY and a is sre_c.CATEGORY_DIGIT:
            chars |= DIGITS
        else:
            return None
    return chars


def _items_prefixes(items: list, depth: int = 0) -> set[str] | None:
    """Literal prefixes (lower-case, at most KEY chars) one of which starts every match."""
    prefixes = {""}
    for idx, (op, av) in enumerate(items):
        if all(len(p) >= KEY for p in prefixes):
            break
        if op is sre_c.LITERAL:
            prefixes = {p + chr(av).lower() if len(p) < KEY else p for p in prefixes}
            continue
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT) and prefixes == {""}:
            continue  # zero-width before the first character
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and prefixes == {""} and depth < 8:
            low, _high, inner = av
            rest = list(items[idx + 1:])
            with_inner = _items_prefixes(list(inner) + rest, depth + 1)
            if low >= 1:
                return with_inner
            without = _items_prefixes(rest, depth + 1)  # an optional start: either way
            if with_inner is None or without is None:
                return None
            return with_inner | without
        if op is sre_c.SUBPATTERN:
            inner = _items_prefixes(list(av[-1]), depth + 1)
            alternatives = inner
        elif op is sre_c.BRANCH:
            alternatives = set()
            for branch in av[1]:
                sub = _items_prefixes(list(branch), depth + 1)
                if sub is None:
                    return None
                alternatives |= sub
        elif op is sre_c.IN and _class_chars(av) is not None:
            alternatives = _class_chars(av)
        else:
            # repeats, classes, wildcards, zero-width assertions in the middle: stop here
            break
        if alternatives is None or "" in alternatives:
            break
        prefixes = {(p + a)[:KEY] if len(p) < KEY else p for p in prefixes for a in alternatives}
        if len(prefixes) > MAX_PREFIXES:
            return None
        if any(len(a) < KEY for a in alternatives):
            break  # an alternative ended early: later items may not follow it directly
    prefixes = {p for p in prefixes if p}
    return prefixes or None


def punctuation_start(pattern: re.Pattern[str]) -> set[str] | None:
    """The punctuation characters a pattern's matches start with ("[3]", "(Lee, 2020)")."""
    try:
        parsed = [item for item in sre_parse.parse(pattern.pattern, pattern.flags)
                  if item[0] not in (sre_c.ASSERT, sre_c.ASSERT_NOT)]
    except re.error:  # pragma: no cover
        return None
    if not parsed:
        return None
    op, av = parsed[0]
    if op is sre_c.LITERAL:
        chars = {chr(av)}
    elif op is sre_c.IN:
        chars = _class_chars(av) or set()
    else:
        return None
    if chars and all(not c.isalnum() and not c.isspace() for c in chars):
        return chars
    return None


def word_prefixes(pattern: re.Pattern[str]) -> set[str] | None:
    """The prefixes a pattern's matches start with, if every match starts a word."""
    try:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except re.error:  # pragma: no cover - compiled already
        return None
    lead = [item for item in parsed if item[0] not in (sre_c.ASSERT, sre_c.ASSERT_NOT)][:1]
    if lead != [(sre_c.AT, sre_c.AT_BOUNDARY)]:
        return None
    prefixes = _items_prefixes(parsed)
    if prefixes is None or not all(p[:1].isalnum() for p in prefixes):
        return None
    return prefixes


class RegexSet:
    """A list of (key, regex); ``finditer`` yields (key, start, end) like running each regex."""

    def __init__(self, regexes: list[tuple[str, re.Pattern[str]]]):
        self.regexes = regexes
        self.index: dict[str, list[int]] = defaultdict(list)
        self.punct_index: dict[str, list[int]] = defaultdict(list)
        self.full_scan: list[int] = []
        for i, (_, rx) in enumerate(regexes):
            prefixes = word_prefixes(rx)
            if prefixes is not None:
                for p in prefixes:
                    self.index[p].append(i)
                continue
            marks = punctuation_start(rx)
            if marks is not None:
                for c in marks:
                    self.punct_index[c].append(i)
                continue
            self.full_scan.append(i)
        self.key_lengths = sorted({len(k) for k in self.index})
        self.punct = re.compile("[" + re.escape("".join(sorted(self.punct_index))) + "]") if self.punct_index else None

    def finditer(self, text: str):
        found: list[tuple[str, int, int]] = []
        for i in self.full_scan:
            key, rx = self.regexes[i]
            found.extend((key, m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start())
        lower = text.lower()
        index, lengths, regexes = self.index, self.key_lengths, self.regexes
        last_end = [-1] * len(regexes)
        candidates: dict[str, list[int]] = {}  # per distinct word start, the patterns to try
        if self.punct is not None:
            for p in self.punct.finditer(text):
                pos = p.start()
                for i in self.punct_index[p.group()]:
                    if pos < last_end[i]:
                        continue
                    m = regexes[i][1].match(text, pos)
                    if m and m.end() > pos:
                        last_end[i] = m.end()
                        found.append((regexes[i][0], pos, m.end()))
        top = lengths[-1] if lengths else 0
        for w in WORD_START.finditer(lower):
            pos = w.start()
            head = lower[pos:pos + top]
            todo = candidates.get(head)
            if todo is None:
                todo = sorted({i for n in lengths for i in index.get(head[:n], ())})
                candidates[head] = todo
            for i in todo:
                if pos < last_end[i]:
                    continue
                m = regexes[i][1].match(text, pos)
                if m and m.end() > pos:
                    last_end[i] = m.end()
                    found.append((regexes[i][0], pos, m.end()))
        return found
