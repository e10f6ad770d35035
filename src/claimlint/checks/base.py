"""What every check type shares: the hit it yields and the context conditions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from ..analysis import Analysis, Sentence
from ..rule_model import Context, Rule


@dataclass(frozen=True)
class Hit:
    """A span of the analysis text to report, with an optional suggested rewrite."""

    start: int
    end: int
    suggestion: str | None = None
    #: Words for the message's ``{text}`` when they differ from the span's own text.
    label: str | None = None


#: A compiled check: given an analysed document, yields its hits.
RunCheck = Callable[[Analysis], Iterable[Hit]]


#: What ends a clause for ``left`` context: a coordinating "and"/"but", ";", or a sentence stop.
CLAUSE_BREAK = re.compile(r"\s(?:and|but|yet)\s|[;.!?]")


def _neighbour(analysis: Analysis, sentence: Sentence, step: int) -> Sentence | None:
    i = sentence.index + step
    if 0 <= i < len(analysis.sentences):
        other = analysis.sentences[i]
        if other.block == sentence.block or step > 0:
            return other
    return None


def context_holds(analysis: Analysis, ctx: Context, start: int, end: int) -> bool:
    """Whether cue ``ctx.cue`` occurs in the place ``ctx.within`` names, around [start, end)."""
    sentence = analysis.sentence_at(start)
    if sentence is None:
        return False
    if ctx.within == "left":
        # Only in the same clause: "no fetal cells and virtually zero risk" is not a denial of the risk.
        text = analysis.prose.text
        return any(not CLAUSE_BREAK.search(text, hit_end, start)
                   for _, hit_end in analysis.cue(ctx.cue, max(sentence.start, start - ctx.chars), start))
    if ctx.within == "right":
        return analysis.has_cue(ctx.cue, end, min(sentence.end, end + ctx.chars))
    if ctx.within == "sentence":
        return analysis.has_cue(ctx.cue, sentence.start, sentence.end)
    if ctx.within in ("previous-sentence", "next-sentence"):
        other = _neighbour(analysis, sentence, -1 if ctx.within == "previous-sentence" else 1)
        return other is not None and analysis.has_cue(ctx.cue, other.start, other.end)
    if ctx.within == "block":
        b_start, b_end, _ = analysis.prose.blocks[sentence.block]
        return analysis.has_cue(ctx.cue, b_start, b_end)
    return analysis.has_cue(ctx.cue, 0, len(analysis.prose.text))


def passes_context(rule: Rule, analysis: Analysis, start: int, end: int) -> bool:
    """``requires`` all hold and no ``unless`` holds."""
    check = rule.check
    if any(context_holds(analysis, c, start, end) for c in check.unless):
        return False
    return all(context_holds(analysis, c, start, end) for c in check.requires)


def keep(rule: Rule, analysis: Analysis, hits: Iterable[Hit]) -> Iterable[Hit]:
    for hit in hits:
        if passes_context(rule, analysis, hit.start, hit.end):
            yield hit
