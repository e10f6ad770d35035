"""``claim``: flag efficacy-claim sentences, e.g. those with no citation nearby."""

from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..analysis.claims import models_in
from ..rule_model import ClaimCheck, Rule
from .base import Hit, RunCheck, keep


#: Cue sets that identify a source well enough to support a claim next to it.
SOURCE_CUES = ("citation", "named_study")
#: How many blocks around a study's result report may identify the study.
STUDY_REACH = 2


def _sourced(analysis: Analysis, start: int, end: int) -> bool:
    return any(analysis.has_cue(cue, start, end) for cue in SOURCE_CUES)


def _reports_identified_study(analysis: Analysis, sentence) -> bool:
    """A sentence giving a study's results for its groups ("improved in the collagen group
    compared with placebo"), when the study is identified in the blocks around it."""
    s, e = sentence.start, sentence.end
    if not analysis.has_cue("result_report", s, e):
        return False
    blocks = analysis.prose.blocks
    lo = blocks[max(0, sentence.block - STUDY_REACH)][0]
    hi = blocks[min(len(blocks) - 1, sentence.block + STUDY_REACH)][1]
    return _sourced(analysis, lo, hi) or analysis.has_cue("publication_detail", lo, hi)


def kept_in_species(analysis: Analysis, sentence) -> bool:
    """A result reported for animals, cells or tissue, with no person in the sentence."""
    s, e = sentence.start, sentence.end
    models = models_in(analysis, sentence)
    return bool(models) and "human_study" not in models and not analysis.has_cue("people", s, e)


def supported(analysis: Analysis, sentence_index: int, window: int) -> bool:
    """A citation or a named study in the sentence, in the next ``window`` sentences, or in
    the sentence that ends a study description which directly follows the claim; or the
    sentence reports the results of a study the page identifies nearby."""
    sentences = analysis.sentences
    sentence = sentences[sentence_index]
    if _sourced(analysis, sentence.start, sentence.end) or _reports_identified_study(analysis, sentence):
        return True
    for step in range(1, window + 1):
        i = sentence_index + step
        if i >= len(sentences):
            return False
        following = sentences[i]
        if _sourced(analysis, following.start, following.end):
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
            if kept_in_species(analysis, analysis.sentences[claim.sentence]):
                continue  # "doubled follicles in mice" claims nothing for people (animal-to-human judges the leap)
            if supported(analysis, claim.sentence, check.citation_window):
                continue
            hits.append(Hit(claim.start, claim.end))
        return keep(rule, analysis, hits)

    return run
