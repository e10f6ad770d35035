"""``evidence-scope``: claims whose only support is animal, cell or tissue work.

Two findings: the in-sentence leap (a non-human result and, in the same
sentence, the reader or people: "in mice ... so it can help you"), and the
document-level one: a claim about a topic (hair, inflammation, ...) for which
every study the document describes is non-human.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..analysis import NON_HUMAN_MODELS, Analysis
from ..analysis.claims import models_in
from ..rule_model import EvidenceScopeCheck, Rule
from .base import Hit, RunCheck, keep


#: Words that carry a result over to the reader: "..., so you can ...", "which means you ...".
CONNECTOR = re.compile(r"\b(?:so|which means|meaning|expect|too|as well|the same|just as)\b", re.IGNORECASE)
#: People as the subjects of a result, side by side with a non-human one: "in humans ... in mice".
IN_PEOPLE = re.compile(r"\bin (?:humans|people|patients)\b", re.IGNORECASE)


def _leaps(analysis: Analysis) -> Iterable[Hit]:
    for sentence in analysis.prose_sentences:
        s, e = sentence.start, sentence.end
        animal = [h for m in NON_HUMAN_MODELS for h in analysis.cue(m, s, e)]
        if not animal or analysis.has_cue("species_caveat", s, e):
            continue
        first_model = min(animal)
        people = [p for p in analysis.cue("people", s, e) if p[0] > first_model[1]]
        if people and (CONNECTOR.search(analysis.prose.text, first_model[1], people[0][0])
                       or any(analysis.has_cue(c, s, e) for c in ("efficacy", "outcome", "efficacy_near"))):
            yield Hit(people[0][0], people[0][1])
            continue
        leaps = analysis.cue("leap", s, e)
        if leaps:
            yield Hit(leaps[0][0], leaps[0][1])
            continue
        both = IN_PEOPLE.search(analysis.prose.text, s, e)
        if both:  # "linked to better memory in humans and shown to protect against it in mice"
            yield Hit(both.start(), both.end())


def _generalisations(analysis: Analysis) -> Iterable[Hit]:
    """ "These findings highlight its promise as ..." right after a non-human result."""
    sentences = analysis.sentences
    for sentence in analysis.prose_sentences:
        s, e = sentence.start, sentence.end
        general = analysis.cue("generalisation", s, e)
        if not general or sentence.index == 0 or analysis.has_cue("species_caveat", s, e):
            continue
        before = sentences[sentence.index - 1]
        models = models_in(analysis, before) | {m for m in NON_HUMAN_MODELS if analysis.has_cue(m, before.start, before.end)}
        if models and "human_study" not in models:
            yield Hit(general[0][0], general[0][1])


def _unsupported(analysis: Analysis) -> Iterable[Hit]:
    support: dict[str, set[str]] = {}
    study_sentences = set()
    for study in analysis.studies:
        study_sentences.add(study.sentence)
        for topic in study.topics:
            support.setdefault(topic, set()).update(study.models)
    # Every study the page describes is non-human: claims on the same topics, or on no
    # particular topic, rest on that work alone.
    non_human_topics = {t for t, models in support.items() if models - {"human_study"}}
    only_non_human = bool(analysis.studies) and all("human_study" not in s.models for s in analysis.studies)
    if only_non_human:  # "... particularly interesting for athletes" on a page of rat studies
        for sentence in analysis.prose_sentences:
            for start, end in analysis.cue("leap", sentence.start, sentence.end):
                yield Hit(start, end)
    for claim in analysis.claims:
        sentence = analysis.sentences[claim.sentence]
        if claim.sentence in study_sentences and models_in(analysis, sentence) - {"human_study"}:
            continue  # a result kept in its own species
        if analysis.has_cue("species_caveat", sentence.start, sentence.end):
            continue
        if only_non_human and (not claim.topics or claim.topics & non_human_topics):
            yield Hit(claim.start, claim.end)
            continue
        for topic in sorted(claim.topics):
            models = support.get(topic)
            if models and "human_study" not in models:
                yield Hit(claim.start, claim.end)
                break


def compile_check(rule: Rule) -> RunCheck:
    check = rule.check
    assert isinstance(check, EvidenceScopeCheck)

    def run(analysis: Analysis) -> Iterable[Hit]:
        hits: dict[int, Hit] = {}
        if check.leap:
            for hit in [*_leaps(analysis), *_generalisations(analysis)]:
                hits.setdefault(analysis.sentence_at(hit.start).index, hit)
        if check.document:
            for hit in _unsupported(analysis):
                hits.setdefault(analysis.sentence_at(hit.start).index, hit)
        return keep(rule, analysis, [hits[k] for k in sorted(hits)])

    return run
