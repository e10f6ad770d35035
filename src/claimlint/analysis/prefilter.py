"""Run many regexes over a text in about one pass: gate each by the literal text it starts with.

Most rule and cue regexes start with one of a few literal words
(``\\b(?:studies|research)\\s+show``). Scanning the whole text once per regex costs one
pass per pattern; instead we read from Python's own regex parser the short literal keys
(lower-case, any whitespace written as one space) that every match of a pattern starts
with, find in one C-level scan (a trie-shaped "trigger" regex over the folded text) the
positions where some key starts, and try there only the patterns that own that key.
Patterns whose start cannot be reduced to selective keys are scanned in full, as before.
The matches are the same as ``finditer``'s for every pattern: same starts, same ends,
non-overlapping (``tests/test_prefilter.py`` checks this against the real rule pack).
"""

from __future__ import annotations

import re
from collections import defaultdict

import _sre

try:  # Python 3.11+
    from re import _compiler as sre_compiler
    from re import _constants as sre_c
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as sre_compiler  # type: ignore[no-redef]
    import sre_constants as sre_c  # type: ignore[no-redef]

from .. import regex_facts
from ..regexes import RULE_FLAGS, compile_parsed, parse
from ..regexes import compiled as compiled_regex

#: Keys are cut to this many characters.
KEY = 6
#: Give up on patterns with more keys than this.
MAX_KEYS = 1000
#: Candidate lists remembered across documents (per distinct text head).
MAX_REMEMBERED = 50_000

DIGITS = "0123456789"
#: Every character ``\s`` matches (str.isspace, as the regex engine uses), folded to " ".
SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _fold_table() -> dict[int, int]:
    """Whitespace to " ", and the letters the regex engine's IGNORECASE treats as one
    (``s`` and the long ``ſ``, ``k`` and the Kelvin sign, ...) to one of them."""
    table = {ord(c): ord(" ") for c in SPACES}
    extra = getattr(sre_compiler, "_EXTRA_CASES", None) or getattr(sre_compiler, "_ignorecase_fixes", None) or {}
    for lower, others in extra.items():
        first = min((lower, *others))
        for member in (lower, *others):
            if member != first:
                table[member] = first
    return table


FOLD = _fold_table()
SPACE_RUN = re.compile(" {2,}")
_ASCII_FLAG = re.compile(r"\(\?[a-zA-Z-]*a")
#: Per key length n: the next n characters of a folded text, a run of spaces counting as one.
HEAD: dict[int, re.Pattern[str]] = {}
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", sre_c.MAX_REPEAT))

# A start: (key so far, exact, anchored). ``exact``: the items read so far match exactly
# ``key`` (so the next item's text follows it); ``anchored``: a ``\b`` stands before the key.
Start = tuple[str, bool, bool]


def _fold(text: str) -> str:
    """Lower-case with every whitespace character as " ", one character for one character."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters whose full lower case is longer ("İ")
        lowered = "".join(chr(_sre.unicode_tolower(ord(c))) for c in text)
    return lowered.translate(FOLD)


def _class_chars(av: list) -> set[str] | None:
    """The (folded) characters a small character class matches, or None."""
    chars: set[str] = set()
    for op, arg in av:
        if op is sre_c.LITERAL:
            chars.add(_fold(chr(arg)))
        elif op is sre_c.RANGE and arg[1] - arg[0] < 12:
            chars.update(_fold(chr(c)) for c in range(arg[0], arg[1] + 1))
        elif op is sre_c.CATEGORY and arg is sre_c.CATEGORY_DIGIT:
            chars.update(DIGITS)
        elif op is sre_c.CATEGORY and arg is sre_c.CATEGORY_SPACE:
            chars.add(" ")
        else:
            return None
    return chars


def _item_starts(op, av, depth: int) -> set[Start] | None:
    """The starts of one parsed item, or None when it could start with anything."""
    if op is sre_c.LITERAL:
        return {(_fold(chr(av)), True, False)}
    if op is sre_c.IN:
        chars = _class_chars(av)
        return None if chars is None else {(c, True, False) for c in chars}
    if op is sre_c.CATEGORY and av is sre_c.CATEGORY_SPACE:
        return {(" ", True, False)}
    if op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
        return {(d, True, False) for d in DIGITS}
    if op is sre_c.AT:
        return {("", True, av is sre_c.AT_BOUNDARY)}
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
        return {("", True, False)}
    if depth > 12:
        return None
    if op is sre_c.SUBPATTERN:
        return _sequence_starts(list(av[-1]), depth + 1)
    if op is sre_c.BRANCH:
        starts: set[Start] = set()
        for branch in av[1]:
            sub = _sequence_starts(list(branch), depth + 1)
            if sub is None:
                return None
            starts |= sub
        return starts
    if op in _REPEATS:
        low, high, inner = av
        if _is_space(list(inner)):  # "\\s+", " *": any run of spaces is one " " in a key
            return {(" ", True, False)} if low >= 1 else {("", True, False), (" ", True, False)}
        sub = _sequence_starts(list(inner), depth + 1)
        if sub is None:
            return None
        if high != 1:  # after the first time round, the item may come again
            sub = {(key, False, anchored) for key, _, anchored in sub}
        if low == 0:
            sub.add(("", True, False))
        return sub
    return None


def _is_space(items: list) -> bool:
    if len(items) != 1:
        return False
    op, av = items[0]
    return (op is sre_c.LITERAL and av == 32) or (op is sre_c.CATEGORY and av is sre_c.CATEGORY_SPACE) or \
        (op is sre_c.IN and _class_chars(av) == {" "})


def _join(key: str, more: str) -> str:
    """Two pieces of a key, a run of spaces kept as one."""
    return key + (more[1:] if more[:1] == " " and key[-1:] == " " else more)


def _sequence_starts(items: list, depth: int = 0) -> set[Start] | None:
    """Starts of a sequence of items: keys of up to KEY characters that begin every match."""
    starts: set[Start] = {("", True, False)}
    for op, av in items:
        if all(not exact or len(key) >= KEY for key, exact, _ in starts):
            break
        item = _item_starts(op, av, depth)
        grown: set[Start] = set()
        for key, exact, anchored in starts:
            if not exact or len(key) >= KEY:
                grown.add((key[:KEY], False, anchored))
            elif item is None:
                grown.add((key, False, anchored))
            else:
                for more, more_exact, more_anchored in item:
                    joined = _join(key, more)
                    grown.add((joined[:KEY], more_exact and len(joined) < KEY,
                               anchored or (more_anchored and not key)))
        starts = grown
        if len(starts) > MAX_KEYS:
            return None
    return starts


def pattern_keys(pattern: str, flags: int = RULE_FLAGS) -> tuple[set[str], bool] | None:
    """The keys every match of ``pattern`` starts with and whether each match starts at a word
    boundary; None when they would not narrow the search (an empty key, a single letter)."""
    known = regex_facts.get(pattern, flags)
    if known is not None and "keys" in known:
        keys, anchored = known["keys"], known.get("anchored")
        if keys is None:
            return None
        if isinstance(keys, list) and keys and all(isinstance(k, str) and k for k in keys) and isinstance(anchored, bool):
            return set(keys), anchored
    found = _pattern_keys(pattern, flags)
    regex_facts.record(pattern, flags, keys=None if found is None else sorted(found[0]),
                       anchored=None if found is None else found[1])
    return found


def _pattern_keys(pattern: str, flags: int) -> tuple[set[str], bool] | None:
    try:
        starts = _sequence_starts(list(parse(pattern, flags)))
    except (re.error, RecursionError):  # pragma: no cover - validated when loaded
        return None
    if not starts:
        return None
    keys = {key for key, _, _ in starts}
    if any(not key or (len(key) == 1 and key.isalpha()) for key in keys):
        return None
    # At a word start, as the trigger's Unicode "\\b" sees it: not so under the ASCII flag
    # ("(?a)"), whose \\b also stands between "é" and "a".
    ascii_flag = bool(flags & re.ASCII) or _ASCII_FLAG.search(pattern) is not None
    anchored = (not ascii_flag and all(a for _, _, a in starts)
                and all(k[0].isalnum() or k[0] == "_" for k in keys))
    return keys, anchored


def _trie_regex(keys: set[str]) -> str:
    """A regex matching any of ``keys`` with at most one alternative per character."""
    tree: dict = {}
    for key in keys:
        node = tree
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        parts = [(" +" if c == " " else re.escape(c)) + render(child) for c, child in sorted(node.items()) if c]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if ends:
            return "(?:" + body + ")?" if len(parts) > 1 or len(body) > 1 else body + "?"
        return body

    return render(tree)


class RegexSet:
    """A list of (key, regex source, flags); ``finditer`` yields (key, start, end) like running
    each regex. A regex is compiled the first time a text needs it."""

    def __init__(self, sources: list[tuple[str, str, int]]):
        self.sources = sources
        self._compiled: list[re.Pattern[str] | None] = [None] * len(sources)
        indexes: dict[bool, dict[str, list[int]]] = {True: defaultdict(list), False: defaultdict(list)}
        self.full_scan: list[int] = []
        for i, (_, pattern, flags) in enumerate(sources):
            found = pattern_keys(pattern, flags)
            if found is None:
                self.full_scan.append(i)
                continue
            keys, anchored = found
            for key in keys:
                indexes[anchored][key].append(i)
        #: (trigger regex, key -> patterns, key lengths): at word starts, then anywhere.
        self.passes = []
        for anchored in (True, False):
            index = dict(indexes[anchored])
            if index:
                trie = _trie_regex(set(index))
                trigger = compiled_regex((r"\b(?=" if anchored else "(?=") + trie + ")", 0)
                lengths = sorted({len(k) for k in index}, reverse=True)
                self.passes.append((trigger, index, lengths, {}))
                HEAD.setdefault(lengths[0], re.compile(r"(?: +|[^ ]){1,%d}" % lengths[0]))

    def compiled(self, i: int) -> re.Pattern[str]:
        rx = self._compiled[i]
        if rx is None:
            _, pattern, flags = self.sources[i]
            rx = self._compiled[i] = compile_parsed(pattern, flags)
        return rx

    @property
    def regexes(self) -> list[tuple[str, re.Pattern[str]]]:
        """Every (key, compiled regex)."""
        return [(self.sources[i][0], self.compiled(i)) for i in range(len(self.sources))]

    def finditer(self, text: str) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        sources, compiled = self.sources, self._compiled
        for i in self.full_scan:
            rx = compiled[i] or self.compiled(i)
            found.extend((sources[i][0], m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start())
        folded = _fold(text)
        for trigger, index, lengths, remembered in self.passes:
            top = lengths[0]
            last_end: dict[int, int] = {}
            for hit in trigger.finditer(folded):
                pos = hit.start()
                head = folded[pos:pos + top]
                if "  " in head:  # keys hold a run of spaces as one
                    head = SPACE_RUN.sub(" ", HEAD[top].match(folded, pos).group())
                todo = remembered.get(head)
                if todo is None:
                    todo = sorted({i for n in lengths for i in index.get(head[:n], ())})
                    if len(remembered) < MAX_REMEMBERED:
                        remembered[head] = todo
                for i in todo:
                    if pos < last_end.get(i, 0):
                        continue
                    m = (compiled[i] or self.compiled(i)).match(text, pos)
                    if m is not None and m.end() > pos:
                        last_end[i] = m.end()
                        found.append((sources[i][0], pos, m.end()))
        return found
