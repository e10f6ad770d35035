"""Rule regexes: parsed once, compiled at most once, and only when a text needs them.

A rule pack holds a few hundred regexes. Loading it used to parse each one four times
(``re.compile`` when validating, the catastrophic-backtracking check, the prefilter's key
reader, ``re.compile`` again with the matching flags) and compile all of them, though a
small page tries only some. Here :func:`parse` keeps the one parse tree of each
(pattern, flags) that validation, the safety check and the prefilter all read, and
:func:`compile_parsed` turns that same tree into a pattern when one is first needed.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python 3.11+
    from re import _compiler as _sre_compiler  # type: ignore[attr-defined]
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _sre_compiler  # type: ignore[no-redef]
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: The flags every rule and cue regex is matched with (a plain int: the parser and compiler
#: test flags hundreds of times per pattern, and ``RegexFlag``'s ``&`` is slow Python code).
RULE_FLAGS = int(re.IGNORECASE)


def parse(pattern: str, flags: int = RULE_FLAGS):
    """The parse tree of ``pattern`` (shared: read it, never change it); raises ``re.error``."""
    return _parse(pattern, int(flags))


@lru_cache(maxsize=4096)
def _parse(pattern: str, flags: int):
    return _sre_parse.parse(pattern, flags)


def check(pattern: str, flags: int = RULE_FLAGS) -> None:
    """Raise ``re.error`` as ``re.compile`` would, without compiling: parse errors, and the one
    error the compiler itself finds, a look-behind whose width is not fixed."""
    tree = parse(pattern, flags)
    if "(?<=" in pattern or "(?<!" in pattern:  # only a look-behind can fail past the parser
        _check_lookbehinds(list(tree))


def _check_lookbehinds(items: list) -> None:
    for op, av in items:
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            direction, body = av
            if direction < 0:
                low, high = body.getwidth()
                if low != high:
                    raise re.error("look-behind requires fixed-width pattern")
            _check_lookbehinds(list(body))
        elif op is _c.SUBPATTERN:
            _check_lookbehinds(list(av[-1]))
        elif op is _c.BRANCH:
            for branch in av[1]:
                _check_lookbehinds(list(branch))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            _check_lookbehinds(list(av[2]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            _check_lookbehinds(list(av))
        elif op is _c.GROUPREF_EXISTS:
            _check_lookbehinds(list(av[1]))
            if av[2] is not None:
                _check_lookbehinds(list(av[2]))


def compile_parsed(pattern: str, flags: int = RULE_FLAGS) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the tree :func:`parse` already holds."""
    import _sre

    from . import regex_facts

    flags = int(flags)
    known = regex_facts.get(pattern, flags)
    if known is not None and "code" in known:  # compiled by an earlier run
        try:
            groupindex = dict(known["groupindex"])
            return _sre.compile(pattern, known["all_flags"], regex_facts.decode_code(known["code"]), known["groups"],
                                groupindex, _indexgroup(groupindex, known["groups"] + 1))
        except Exception:  # a damaged entry: compile it again
            pass
    try:
        tree = parse(pattern, flags)
        code = _sre_compiler._code(tree, flags)
        state = tree.state
        compiled = _sre.compile(pattern, flags | state.flags, code, state.groups - 1, state.groupdict,
                                _indexgroup(state.groupdict, state.groups))
    except re.error:
        raise
    except Exception:  # another Python's internals: the public way, which parses again
        return re.compile(pattern, flags)
    regex_facts.record(pattern, flags, code=regex_facts.encode_code(code), groups=state.groups - 1,
                       groupindex=dict(state.groupdict), all_flags=flags | state.flags)
    return compiled


def _indexgroup(groupindex: dict[str, int], groups: int) -> tuple:
    """Group number -> name (None for unnamed groups), as ``_sre.compile`` takes it."""
    names: list[str | None] = [None] * groups
    for name, index in groupindex.items():
        names[index] = name
    return tuple(names)


@lru_cache(maxsize=256)
def compiled(pattern: str, flags: int = RULE_FLAGS) -> re.Pattern[str]:
    """:func:`compile_parsed`, remembered: for patterns built from the rule pack at run time."""
    return compile_parsed(pattern, flags)
