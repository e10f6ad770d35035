"""Refuse rule regexes that can backtrack catastrophically (ReDoS), at load time.

Python's ``re`` is a backtracking engine: ``(a+)+$`` takes exponential time on
``"aaaa...!"``, because the run of ``a`` can be split between the inner and the
outer loop in exponentially many ways. A user's rule pack is run over every page,
so such a pattern would hang a run (and a server's worker) on one unlucky text.

:func:`backtracking_risk` parses the pattern with ``re``'s own parser and looks for
a repeat (``*``, ``+``, ``{m,}``, or a large ``{m,n}``) whose body can *end* in a
variable-length repeat (everything after it in the body may match nothing) that
can consume a character the body can *start* with: then each iteration boundary
is ambiguous. That catches ``(a+)+``, ``(\\w+\\s?)*``, ``(.*)*``, ``(\\s*\\w+)+`` and
``(a{1,5})+`` and lets the usual, safe shapes through: ``(?:\\w+\\s)+``,
``(?:\\s+\\w+)*``, ``\\d{1,3}(?:\\s*,\\s*\\d{1,3})*``. It is a heuristic: it does not try
to prove overlapping alternations such as ``(a|aa)+`` slow.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]

from .regexes import parse

#: A group followed by an unbounded or large repeat: ")*", ")+", "){".
_REPEATED_GROUP = re.compile(r"\)[*+{]")
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}  # POSSESSIVE_REPEAT (3.11+) never gives characters back
#: A bounded repeat with at least this many iterations is treated as unbounded: ``(a+){1,100}`` is as slow.
LARGE_REPEAT = 32
#: Characters the sets are compared on: ASCII and Latin-1, plus a few classes of other scripts.
_SAMPLES = [chr(i) for i in range(256)] + list("ĀıſƒΩωЖжअ中ー０１\u2019\u201c\u2013\u2028\u3000\U0001f600")


def backtracking_risk(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """A short description of the nested repeat that may backtrack catastrophically, or None."""
    if not _REPEATED_GROUP.search(pattern) and not flags & re.VERBOSE and "(?x" not in pattern:
        return None  # only a repeated group can hold a nested repeat (verbose mode may space it out)
    try:
        parsed = parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None  # compiling reports it
    ignorecase = bool((flags | parsed.state.flags) & re.IGNORECASE)
    return _scan(list(parsed), ignorecase)


def _scan(items: list, ignorecase: bool) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            body = list(body)
            if high == _c.MAXREPEAT or high >= LARGE_REPEAT:
                starts = _first(body)
                for inner in _tail_repeats(body):
                    if _overlap(_first(list(inner[2])), starts, ignorecase):
                        return "a repeated group ends in a repeat that can match what the group starts with"
            found = _scan(body, ignorecase)
        else:
            found = None
            for child in _children(op, av):
                found = _scan(child, ignorecase)
                if found:
                    break
        if found:
            return found
    return None


def _children(op, av) -> list[list]:
    if op is _c.SUBPATTERN:
        return [list(av[-1])]
    if op is _c.BRANCH:
        return [list(alt) for alt in av[1]]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [list(av[1])]
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return [list(av)]
    if op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return [list(av[2])]
    if op is _c.GROUPREF_EXISTS:
        return [list(p) for p in av[1:] if p is not None]
    return []


def _nullable(op, av) -> bool:
    """Whether one item can match the empty string."""
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT, _c.GROUPREF, _c.GROUPREF_EXISTS):
        return True
    if op in _REPEATS or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return av[0] == 0 or _seq_nullable(list(av[2]))
    if op is _c.SUBPATTERN:
        return _seq_nullable(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq_nullable(list(av))
    if op is _c.BRANCH:
        return any(_seq_nullable(list(alt)) for alt in av[1])
    return False


def _seq_nullable(items: list) -> bool:
    return all(_nullable(op, av) for op, av in items)


def _tail_repeats(items: list) -> list:
    """Variable-length backtracking repeats that can end a match of ``items``."""
    out: list = []
    for op, av in reversed(items):
        if op in _REPEATS and av[1] != av[0] and av[1] >= 2:
            out.append(av)
        if op is _c.SUBPATTERN:
            out += _tail_repeats(list(av[-1]))
        elif op is _c.BRANCH:
            for alt in av[1]:
                out += _tail_repeats(list(alt))
        if not _nullable(op, av):
            break
    return out


def _first(items: list) -> list:
    """The single-character items a match of ``items`` can start with."""
    out: list = []
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN, _c.CATEGORY):
            out.append((op, av))
        elif op is _c.GROUPREF:
            out.append((_c.ANY, None))
        elif op in _REPEATS or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            out += _first(list(av[2]))
        elif op is _c.SUBPATTERN:
            out += _first(list(av[-1]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out += _first(list(av))
        elif op is _c.BRANCH:
            for alt in av[1]:
                out += _first(list(alt))
        if not _nullable(op, av):
            break
    return out


def _overlap(a: list, b: list, ignorecase: bool) -> bool:
    if not a or not b:
        return False
    for ch in _SAMPLES:
        variants = {v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1} if ignorecase else {ch}
        if any(_matches(item, v) for item in a for v in variants) and \
                any(_matches(item, v) for item in b for v in variants):
            return True
    return False


_CATEGORIES = {
    _c.CATEGORY_DIGIT: re.compile(r"\d"), _c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _c.CATEGORY_SPACE: re.compile(r"\s"), _c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _c.CATEGORY_WORD: re.compile(r"\w"), _c.CATEGORY_NOT_WORD: re.compile(r"\W"),
}


def _matches(item, ch: str) -> bool:
    op, av = item
    if op is _c.LITERAL:
        return ord(ch) == av
    if op is _c.NOT_LITERAL:
        return ord(ch) != av
    if op is _c.ANY:
        return True
    if op is _c.CATEGORY:
        pattern = _CATEGORIES.get(av)
        return True if pattern is None else bool(pattern.match(ch))
    if op is _c.IN:
        negate = False
        hit = False
        for sop, sav in av:
            if sop is _c.NEGATE:
                negate = True
            elif sop is _c.RANGE:
                hit = hit or sav[0] <= ord(ch) <= sav[1]
            elif sop is _c.RANGE_UNI_IGNORE:
                hit = hit or sav[0] <= ord(ch.lower()) <= sav[1]
            elif sop in (_c.LITERAL, _c.CATEGORY):
                hit = hit or _matches((sop, sav), ch)
            else:  # anything else: assume it may match
                hit = True
        return hit != negate
    return True
