"""The analysed document: everything checks need, computed once per document.

``Analyzer`` is built once per rule pack (it owns the spaCy pipeline and the
compiled patterns); ``Analyzer.analyze(document)`` returns an ``Analysis`` with
sentences, cue hits, citation markers, the reference list, efficacy claims and
the studies the document describes. Every check reads these; none re-tokenises.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from ..document import Document
from .citations import Marker, ReferenceList, find_markers, find_reference_list
from .matching import PatternIndex, Span
from ..nlp import sentence_starts
from .prose import Prose, assemble

#: Cue sets the analysis itself reads; a rule pack must define them all.
CORE_CUES = (
    "citation", "hedge", "negation", "unproven", "efficacy", "efficacy_near", "outcome", "treatment", "subject",
    "study_intro", "animal_model", "cell_model", "tissue_model", "human_study", "people",
    "species_caveat", "caveat", "caveat_denial", "study_result", "leap", "generalisation", "reported_claim", "harm", "mechanism", "named_study", "result_report", "publication_detail",
)
TOPIC_PREFIX = "topic_"
NON_HUMAN_MODELS = ("animal_model", "cell_model", "tissue_model")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    block: int  # index into Prose.blocks


@dataclass(frozen=True)
class Claim:
    """A sentence asserting that a treatment produces a health outcome."""

    sentence: int
    start: int
    end: int
    topics: frozenset[str]
    hedged: bool


@dataclass(frozen=True)
class Study:
    """A sentence reporting a result from a study model (animal, cell, tissue, human)."""

    sentence: int
    models: frozenset[str]
    topics: frozenset[str]


@dataclass
class Analysis:
    document: Document
    prose: Prose
    sentences: list[Sentence]
    hits: dict[str, list[Span]]
    markers: list[Marker]
    references: ReferenceList
    topic_names: tuple[str, ...]
    bibliography: list[str] = field(default_factory=list)
    #: Regex sources of each cue set, for checks that need to test single words.
    cue_regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]

    # -- lookups -----------------------------------------------------------------
    def text_of(self, start: int, end: int) -> str:
        return self.prose.text[start:end]

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return None

    def hits_in(self, key: str, start: int, end: int) -> list[Span]:
        """Hits of ``key`` that overlap [start, end)."""
        spans = self.hits.get(key)
        if not spans:
            return []
        lo = bisect_left(spans, (start - 400, 0))
        return [s for s in spans[lo:bisect_left(spans, (end, 0))] if s[1] > start and s[0] < end]

    def has(self, key: str, start: int, end: int) -> bool:
        return bool(self.hits_in(key, start, end))

    def cue(self, name: str, start: int, end: int) -> list[Span]:
        return self.hits_in("cue:" + name, start, end)

    def has_cue(self, name: str, start: int, end: int) -> bool:
        return bool(self.cue(name, start, end))

    def in_reference_list(self, sentence: Sentence) -> bool:
        return sentence.block in self.references.blocks

    def block_kind(self, sentence: Sentence) -> str:
        return self.prose.blocks[sentence.block][2]

    @cached_property
    def prose_sentences(self) -> list[Sentence]:
        """Sentences outside the reference list: the ones checks read."""
        return [s for s in self.sentences if not self.in_reference_list(s)]

    def cited(self, sentence: Sentence) -> bool:
        return self.has_cue("citation", sentence.start, sentence.end)

    # -- derived evidence model ------------------------------------------------------
    @cached_property
    def claims(self) -> list[Claim]:
        from .claims import find_claims

        return find_claims(self)

    @cached_property
    def document_terms(self):
        from .claims import document_terms

        return document_terms(self)

    def cue_patterns(self, name: str) -> list[str]:
        return list(self.cue_regexes.get(name, ()))

    @cached_property
    def studies(self) -> list[Study]:
        from .claims import find_studies

        return find_studies(self)


class Analyzer:
    """Owns the pipeline and the compiled patterns of one rule pack."""

    def __init__(self, nlp, pattern_groups, topic_names: tuple[str, ...]):
        pattern_groups = list(pattern_groups)
        self.nlp = nlp
        self.index = PatternIndex(nlp, pattern_groups)
        self.topic_names = topic_names
        self.model_sentences = "parser" in nlp.pipe_names or "senter" in nlp.pipe_names
        self.cue_regexes = {key[4:]: tuple(regexes) + tuple(phrases)
                            for key, phrases, regexes, _ in pattern_groups if key.startswith("cue:")}

    def analyze(self, document: Document, bibliography: list[str] | None = None) -> Analysis:
        prose = assemble(document)
        doc = self.nlp.make_doc(prose.text)
        for name, component in self.nlp.pipeline:
            if name != "claimlint_sentences":  # ours runs below, with the text at hand
                doc = component(doc)
        hits = self.index.match(doc, prose.text)
        sentences = _sentences(doc, prose, hits.get("cue:citation", []), self.model_sentences)
        markers = find_markers(prose.text)
        block_texts = [(prose.text[s:e], kind) for s, e, kind in prose.blocks]
        references = find_reference_list(block_texts)
        return Analysis(document, prose, sentences, dict(hits), markers, references,
                        self.topic_names, list(bibliography or []), self.cue_regexes)


def _sentences(doc, prose: Prose, citations: list[Span], model_sentences: bool = False) -> list[Sentence]:
    block_starts = [b[0] for b in prose.blocks]
    text = prose.text
    out: list[Sentence] = []
    for start, end in sentence_spans(doc, text, model_sentences):
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        block = bisect_right(block_starts, start) - 1
        if out and out[-1].block == block and _only_citation(text, start, end, citations):
            prev = out.pop()
            out.append(Sentence(prev.index, prev.start, end, block))
            continue
        out.append(Sentence(len(out), start, end, block))
    return out


def sentence_spans(doc, text: str, model_sentences: bool) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence: a trained model's own boundaries when it has a
    parser or senter, else ours, computed from offsets without creating Token objects."""
    if model_sentences:
        return [(s.start_char, s.end_char) for s in doc.sents]
    token_starts = doc.to_array("IDX").tolist() if len(doc) else []
    bounds = [token_starts[i] for i in sentence_starts(doc, text)] + [len(text)]
    return list(zip(bounds[:-1], bounds[1:]))


def _only_citation(text: str, start: int, end: int, citations: list[Span]) -> bool:
    """A "sentence" that is nothing but a citation marker belongs to the sentence before."""
    if end - start > 120:
        return False
    rest = list(text[start:end])
    for s, e in citations[bisect_left(citations, (start - 200, 0)):bisect_left(citations, (end, 0))]:
        for i in range(max(s, start), min(e, end)):
            rest[i - start] = " "
    return not "".join(rest).strip(" .,;:()[]")
