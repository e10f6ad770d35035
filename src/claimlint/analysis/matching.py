"""Run every phrase list and regex of the rule pack once per document.

Phrase lists share one spaCy ``PhraseMatcher`` (on ``LOWER``, over the
normalised analysis text); regexes are compiled once, when a text first needs them, and run over
the same string. Each pattern group has a key (``cue:NAME`` or ``rule:ID``) and the
result is, for each key, the sorted list of (start, end) character spans.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from ..regexes import RULE_FLAGS
from .prefilter import RegexSet

Span = tuple[int, int]


class PatternIndex:
    """Phrase and regex pattern groups, compiled once, matched once per document."""

    def __init__(self, nlp, groups: Iterable[tuple[str, list[str], list[str], bool]]):
        from spacy.matcher import PhraseMatcher

        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        sources: list[tuple[str, str, int]] = []
        self._keys: dict[int, str] = {}
        for key, phrases, regexes, ignorecase in groups:
            if phrases:
                patterns = list(nlp.tokenizer.pipe(p.lower() for p in phrases))
                self._matcher.add(key, patterns)
                self._keys[nlp.vocab.strings[key]] = key
            flags = RULE_FLAGS if ignorecase else 0
            sources += [(key, pattern, flags) for pattern in regexes]
        self._regex_set = RegexSet(sources)

    def match(self, doc, text: str) -> dict[str, list[Span]]:
        found: dict[str, list[Span]] = defaultdict(list)
        if len(self._matcher):
            matches = self._matcher(doc)
            if matches:
                idx = doc.to_array("IDX").tolist()
                lengths = doc.to_array("LENGTH").tolist()
                for match_id, start, end in matches:
                    found[self._keys[match_id]].append((idx[start], idx[end - 1] + lengths[end - 1]))
        for key, start, end in self._regex_set.finditer(text):
            found[key].append((start, end))
        for spans in found.values():
            spans.sort()
        return found
