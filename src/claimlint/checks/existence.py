"""``existence``: flag phrases, regexes or cue sets wherever they occur in prose."""

from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..rule_model import ExistenceCheck, Rule
from .base import Hit, RunCheck, keep


def pattern_group(rule: Rule) -> tuple[str, list[str], list[str], bool]:
    """The phrases and regexes this rule adds to the shared pattern index."""
    check = rule.check
    assert isinstance(check, ExistenceCheck)
    return "rule:" + rule.id, list(check.phrases), list(check.regex), True


def compile_check(rule: Rule) -> RunCheck:
    check = rule.check
    assert isinstance(check, ExistenceCheck)
    keys = ["rule:" + rule.id] + ["cue:" + c for c in check.cues]
    suggest = {k.lower(): v for k, v in check.suggest.items()}
    blocks = set(check.blocks)

    def run(analysis: Analysis) -> Iterable[Hit]:
        spans: list[tuple[int, int]] = []
        for key in keys:
            spans.extend(analysis.hits.get(key, ()))
        spans.sort()
        last_end = -1
        hits = []
        for start, end in spans:
            if start < last_end:  # overlapping matches: keep the first, longest
                continue
            sentence = analysis.sentence_at(start)
            if sentence is None or analysis.in_reference_list(sentence):
                continue
            if blocks and analysis.block_kind(sentence) not in blocks:
                continue
            last_end = end
            text = analysis.text_of(start, end).lower()
            hits.append(Hit(start, end, suggest.get(text)))
        return keep(rule, analysis, hits)

    return run
