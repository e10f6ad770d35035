"""``citation``: author-year or numbered markers that point at nothing.

A marker resolves when the document has a reference list holding an entry with
the marker's author and year (or number), or when a bibliography given with
``--bib`` holds one.
"""

from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..rule_model import CitationCheck, Rule
from .base import Hit, RunCheck, keep


def compile_check(rule: Rule) -> RunCheck:
    check = rule.check
    assert isinstance(check, CitationCheck)
    kinds = set(check.markers)

    def run(analysis: Analysis) -> Iterable[Hit]:
        hits = []
        for marker in analysis.markers:
            if marker.kind not in kinds:
                continue
            sentence = analysis.sentence_at(marker.start)
            if sentence is None or analysis.in_reference_list(sentence):
                continue
            if not analysis.references.resolves(marker, analysis.bibliography):
                hits.append(Hit(marker.start, marker.end))
        return keep(rule, analysis, hits)

    return run
