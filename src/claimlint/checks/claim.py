"""``claim``: flag efficacy-claim sentences, e.g. those with no citation nearby."""

from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..rule_model import ClaimCheck, Rule
from .base import Hit, RunCheck, keep


def supported(analysis: Analysis, sentence_index: int, window: int) -> bool:
    """A citation in the sentence, in the next ``window`` sentences, or in the
    sentence that ends a study description which directly follows the claim."""
    sentences = analysis.sentences
    sentence = sentences[sentence_index]
    if analysis.cited(sentence):
        return True
    for step in range(1, window + 1):
        i = sentence_index + step
        if i >= len(sentences):
            return False
        following = sentences[i]
        if analysis.cited(following):
            return True
        # "X helps Y. In a trial of 60 adults, ... . They improved (Lee, 2017)."
        if analysis.has_cue("study_intro", following.start, following.end) and i + 1 < len(sentences):
            after = sentences[i + 1]
            if after.block == following.block and analysis.cited(after):
                return True
    return False


def compile_check(rule: Rule) -> RunCheck:
    check = rule.check
    assert isinstance(check, ClaimCheck)

    def run(analysis: Analysis) -> Iterable[Hit]:
        hits = []
        for claim in analysis.claims:
            if claim.hedged and not check.hedged:
                continue
            if supported(analysis, claim.sentence, check.citation_window):
                continue
            hits.append(Hit(claim.start, claim.end))
        return keep(rule, analysis, hits)

    return run
