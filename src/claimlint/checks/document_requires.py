"""``document-requires``: a page that promotes a treatment must also say something.

If the document holds at least ``min_claims`` efficacy claims and none of the
``any_of`` cues occurs (occurrences right after a ``not_after`` cue, such as
"no side effects", don't count), one finding points at the first claim.
"""

from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..rule_model import DocumentRequiresCheck, Rule
from .base import Hit, RunCheck

#: How far before a required cue a denial ("no", "without", "free of") cancels it.
DENIAL_REACH = 24


def _satisfied(analysis: Analysis, check: DocumentRequiresCheck) -> bool:
    end = len(analysis.prose.text)
    for cue in check.any_of:
        for start, _ in analysis.cue(cue, 0, end):
            sentence = analysis.sentence_at(start)
            lo = max(sentence.start if sentence else 0, start - DENIAL_REACH)
            if not any(analysis.has_cue(d, lo, start) for d in check.not_after):
                return True
    return False


def compile_check(rule: Rule) -> RunCheck:
    check = rule.check
    assert isinstance(check, DocumentRequiresCheck)

    def run(analysis: Analysis) -> Iterable[Hit]:
        claims = analysis.claims
        if len(claims) < check.min_claims or _satisfied(analysis, check):
            return []
        first = claims[0]
        return [Hit(first.start, first.end)]

    return run
