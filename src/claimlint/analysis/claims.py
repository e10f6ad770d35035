"""Efficacy claims and study reports, from the cue hits of each sentence.

A claim is a sentence in which an efficacy predicate ("helps", "reduces",
"stimulates", "effective in") reaches a health target (a topic cue: hair,
inflammation, pain, ...), or that holds a self-contained outcome phrase
("regrows hair", "anti-aging"), about a treatment or the reader, and that is
not negated or framed as unproven. A study report is a sentence that names a
study model (mice, cell culture, tissue, a human trial); the model carries
over to the following sentences of the same block that report its results.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..regexes import RULE_FLAGS
from ..regexes import compiled as compiled_regex

if TYPE_CHECKING:  # pragma: no cover
    from . import Analysis, Claim, Sentence, Study

#: How far (in characters) a target may follow its predicate.
TARGET_REACH = 90
#: ... and a weaker predicate ("better", "essential for").
NEAR_REACH = 30
#: How far before a predicate a negation cancels it (within the same clause).
NEGATION_REACH = 30
#: A predicate right after these words states a purpose or a wish, not an effect:
#: "used to treat", "people looking to boost their energy".
PURPOSE = re.compile(
    r"(?:\bto\s+(?:(?:[\w'-]+,?\s+){1,6}(?:and|or)\s+|(?:[\w'-]+\s+){0,4}[\w'-]+,\s+)?"
    r"|\b(?:used|applied|administered|prescribed|indicated|approved)\b[^.;:]{0,40}?\bfor\s+"
    r"|\b(?:seeking|looking for|searching for|in search of|wanting|needing)\s+)$",
    re.IGNORECASE,
)
#: A predicate right after a determiner is a noun: "the healing process", "a boost".
DETERMINER = re.compile(r"\b(?:the|a|an|its|their)\s+$", re.IGNORECASE)
ADJECTIVAL = re.compile(r"\b(?:the|a|an|its|their)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
CHANGE_VERB = re.compile(
    r"(?:increas|improv|doubl|tripl|thicken|grow|grew|decreas|drop|fell|fall|fad|heal|regenerat|strengthen)\w*",
    re.IGNORECASE,
)
NOUN_OF_CHANGE = re.compile(r"\s+(?:in|of|for)\b", re.IGNORECASE)
#: ... except after verbs that make the infinitive the claim itself: "helps to reduce".
CLAIM_INFINITIVE = re.compile(
    r"\b(?:helps?|helped|helping|shown|proven|proved|found|reported|known|able|said|tells?|telling|signals?|signalling|signaling|thought|believed|claimed|"
    r"appears?|seems?|tends?|likely|designed|formulated|works?|continues?|goes?|starts?|begins?|"
    r"ability|abilities|power|capacity|potential|evidence|data|research)"
    r"(?:\s+(?:them|it|you|your body|the body|cells|your cells))?\s+to\s+$",
    re.IGNORECASE,
)
#: Discourse openers skipped before looking for the sentence's subject.
OPENER = re.compile(
    r"\W*(?:(?:additionally|furthermore|moreover|also|plus|besides|however|in addition|as a result|"
    r"in fact|overall|in short|finally|then|and|but|so|not only(?: (?:is|are|does|do|can|will))?),?\s+)+",
    re.IGNORECASE,
)
#: A short label opening a block ("Improved circulation: ...").
LABEL = re.compile(r"\W*(?:[\w'+()-]+\s+){0,5}[\w'+()-]+\s*:\s")
#: A title made of a participle or gerund ("Enhancing Brain Function") names a topic.
TITLE_PARTICIPLE = re.compile(r"\W*(?:\d+[.)]\s*)?[A-Za-z]+(?:ing|ed)\b")
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
#: A following sentence that takes the claim back: "However, this has not been shown."
RETRACTION = re.compile(r"\W*(?:however|but|yet|still|that said|unfortunately)\b", re.IGNORECASE)
CLAIM_BLOCK_KINDS = ("heading", "list_item", "table_cell", "alt_text")


def sentence_topics(analysis: Analysis, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
    found = {}
    for name in analysis.topic_names:
        spans = analysis.cue(name, start, end)
        if spans:
            found[name] = spans
    return found


STOPWORDS = frozenset("""
a an the and or of for to in on with by at from as is are be your you our we it its this that these those how
what why when which who does do can may will vs versus about into over under more most best top new guide
complete ultimate benefits benefit side effects risks treatment treatments therapy therapies procedure
written by dr md phd facts science behind look everything know need things ways tips review reviews
research researchers studies study results patients people doctors doctor clinical evidence journal
there here some many most other also however while although after before during then they their
if not no but all one two three first second why our us in on at an yes
""".split())
WORD = re.compile(r"[A-Za-z][A-Za-z0-9+\-']{2,}")


def document_terms(analysis: Analysis) -> re.Pattern[str] | None:
    """Words that name what this page is about: its title's content words and the proper
    names it repeats (so "Bacopa" or "hydrogen water" count as treatments on their page)."""
    text = analysis.prose.text
    words: set[str] = set()
    titles = [str(analysis.document.front_matter.get("title", ""))]
    titles += [text[s:e] for s, e, kind in analysis.prose.blocks[:3] if kind == "heading"][:1]
    for title in titles:
        words.update(w.lower() for w in WORD.findall(title))
    counts: dict[str, int] = {}
    for m in re.finditer(r"\b([A-Z][A-Za-z0-9+\-']{2,})", text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    words.update(w.lower() for w, n in counts.items() if n >= 3)
    topical = compiled_regex("|".join(
        f"(?:{p})" for name in analysis.topic_names for p in analysis.cue_patterns(name)) or "(?!)", RULE_FLAGS)
    words = {w for w in words if w not in STOPWORDS and not topical.fullmatch(w)}
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")", re.IGNORECASE)


def _about_treatment(analysis: Analysis, sentence: Sentence, predicate: int) -> bool:
    """The claim is made of a treatment (named before the predicate, or referred to by the
    sentence's first word), to the reader, or in a heading, list item or table cell."""
    s, e = sentence.start, sentence.end
    opener = OPENER.match(analysis.prose.text, s, e)
    first = opener.end() if opener else s
    terms = analysis.document_terms
    block_start = analysis.prose.blocks[sentence.block][0]
    return (
        analysis.has_cue("treatment", s, e)
        or bool(terms and terms.search(analysis.prose.text, s, e))
        # a paragraph about the treatment: its claims are the treatment's
        or (block_start < s and (analysis.has_cue("treatment", block_start, s)
                                 or bool(terms and terms.search(analysis.prose.text, block_start, s))))
        or any(hs <= first + 2 for hs, _ in analysis.cue("subject", first, min(e, first + 8)))
        or bool(SECOND_PERSON.search(analysis.prose.text, s, e))
        or analysis.block_kind(sentence) in CLAIM_BLOCK_KINDS
    )


def _purpose(text: str, sentence_start: int, pos: int) -> bool:
    """An infinitive of purpose ("applied to the skin to treat acne", "used to disinfect
    tools and treat wounds") describes use, not effect; "helps to reduce" is still a claim."""
    lo = max(sentence_start, pos - 70)
    m = PURPOSE.search(text, lo, pos)
    return bool(m) and not CLAIM_INFINITIVE.search(text, max(sentence_start, m.start() - 40), m.start() + 3)


def claim_in(analysis: Analysis, sentence: Sentence) -> Claim | None:
    from . import Claim

    s, e = sentence.start, sentence.end
    topics = sentence_topics(analysis, s, e)
    candidates: list[tuple[int, int]] = []
    reached: list[tuple[int, int]] = []
    text = analysis.prose.text
    if text[s:e].rstrip().endswith("?"):
        return None  # a question asks; it does not claim
    label = LABEL.match(text, s, e)
    title = analysis.block_kind(sentence) in CLAIM_BLOCK_KINDS and not text[e - 1] in ".!?"
    for ps, pe in analysis.cue("outcome", s, e):
        if (label and ps < label.end()) or (title and _title_participle(text, s, ps, pe)) or _purpose(text, s, ps):
            continue
        if " " not in text[ps:pe] and ADJECTIVAL.search(text, max(s, ps - 20), ps):
            continue  # "a good detoxifying sweat"
        if not _negated(analysis, s, ps):
            candidates.append((ps, pe))
            reached.append((ps, pe))
    if topics:
        targets = sorted(span for spans in topics.values() for span in spans)
        predicates = [(ps, pe, TARGET_REACH) for ps, pe in analysis.cue("efficacy", s, e)]
        predicates += [(ps, pe, NEAR_REACH) for ps, pe in analysis.cue("efficacy_near", s, e)]
        for ps, pe, limit in sorted(predicates):
            if _negated(analysis, s, ps) or _purpose(text, s, ps):
                continue
            if limit == TARGET_REACH and " " not in text[ps:pe] and DETERMINER.search(text, max(s, ps - 8), ps) \
                    and not NOUN_OF_CHANGE.match(text, pe):
                continue  # a verb used as a noun: "the healing process" (but "an increase in energy" claims)
            if (label and ps < label.end()) or (title and _title_participle(text, s, ps, pe)):
                continue
            reach = [t for t in targets if t[0] >= pe and t[0] - pe <= limit]
            if not reach and limit == TARGET_REACH and CHANGE_VERB.fullmatch(text, ps, pe):
                # the topic as subject: "the follicles doubled in number", "hair density improved"
                reach = [t for t in targets if ps - 40 <= t[1] <= ps and not re.search(r"[,;:]", text[t[1]:ps])][-1:]
            if reach:
                clause = _same_clause(analysis.prose.text, reach)
                candidates.append((ps, max(clause[-1][1], pe)))
                reached.extend(clause)
    if not candidates:
        return None
    candidates = [c for c in candidates if not _after_mechanism(analysis, s, c[0])]
    if not candidates:
        return None
    start = min(c[0] for c in candidates)
    if analysis.has_cue("unproven", s, e) or not _about_treatment(analysis, sentence, start) \
            or _retracted(analysis, sentence) or _about_harms(analysis, s, e, start):
        return None
    end = max(c[1] for c in candidates if c[0] == start)
    claim_topics = frozenset(
        name for name, spans in topics.items()
        if any(ts < re_ and rs < te for ts, te in spans for rs, re_ in reached)
    )
    return Claim(sentence.index, start, end, claim_topics, analysis.has_cue("hedge", s, e))


def _after_mechanism(analysis: Analysis, s: int, pos: int) -> bool:
    """The predicate describes how something works ("plays a key role in ... repair")."""
    text = analysis.prose.text
    return any(not re.search(r"[,;:]\s*(?:which|and|but)\b", text[me:pos])
               for _, me in analysis.cue("mechanism", s, pos))


def _about_harms(analysis: Analysis, s: int, e: int, predicate: int) -> bool:
    """The claim's clause states side effects or complications (and does not deny them):
    "Side effects are uncommon, although some men experience a loss of libido"."""
    text = analysis.prose.text
    for hs, _ in analysis.cue("harm", s, e):
        if hs > predicate and re.search(r",\s*(?:but|and|yet)\b|;", text[predicate:hs]):
            continue  # "... produces results, but it is also the source of side effects"
        if not analysis.has_cue("caveat_denial", max(s, hs - 24), hs) or "minimal" in text[max(s, hs - 24):hs].lower():
            return True
    return False


def _title_participle(text: str, sentence_start: int, ps: int, pe: int) -> bool:
    m = TITLE_PARTICIPLE.match(text, sentence_start)
    return bool(m) and m.end() >= pe and ps <= m.end()


def _negated(analysis: Analysis, sentence_start: int, pos: int) -> bool:
    """A negation shortly before ``pos`` with no clause break in between."""
    lo = max(sentence_start, pos - NEGATION_REACH)
    text = analysis.prose.text
    for ns, ne in analysis.cue("negation", lo, pos):
        if text[ns:ne + 5].lower().startswith("not only"):
            continue  # "not only is it effective, but ..." affirms
        if not any(ch in ",;:" for ch in text[ne:pos]):
            return True
    return False


def _retracted(analysis: Analysis, sentence: Sentence) -> bool:
    """One of the next two sentences of the block takes the claim back."""
    for i in (sentence.index + 1, sentence.index + 2):
        if i >= len(analysis.sentences):
            return False
        following = analysis.sentences[i]
        if following.block != sentence.block:
            return False
        if RETRACTION.match(analysis.prose.text, following.start, following.end) and \
                analysis.has_cue("unproven", following.start, following.end) and \
                not analysis.prose.text[following.start:following.end].rstrip().endswith("?"):
            return True
    return False


def _same_clause(text: str, targets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first target and those after it up to the end of its clause."""
    first = targets[0]
    out = [first]
    for target in targets[1:]:
        if any(ch in ",;:()" for ch in text[out[-1][1]:target[0]]):
            break
        out.append(target)
    return out


def find_claims(analysis: Analysis) -> list[Claim]:
    claims = []
    reported = _reported_blocks(analysis)
    for sentence in analysis.prose_sentences:
        if sentence.block in reported:
            continue
        claim = claim_in(analysis, sentence)
        if claim is not None:
            claims.append(claim)
    return claims


def _reported_blocks(analysis: Analysis) -> set[int]:
    """Blocks that list claims someone else makes: the items after a lead-in such as
    "Proponents suggest several benefits, including:" or "If your device claims any of these:"."""
    text = analysis.prose.text
    blocks = analysis.prose.blocks
    reported: set[int] = set()
    i = 0
    while i < len(blocks):
        start, end, _ = blocks[i]
        lead_in = text[start:end].rstrip().endswith(":") and analysis.has_cue("reported_claim", start, end)
        i += 1
        if not lead_in:
            continue
        while i < len(blocks):
            s, e, kind = blocks[i]
            if kind != "list_item" and not LABEL.match(text, s, e):
                break
            reported.add(i)
            i += 1
    return reported


def models_in(analysis: Analysis, sentence: Sentence) -> set[str]:
    s, e = sentence.start, sentence.end
    models = {m for m in ("animal_model", "cell_model", "tissue_model") if analysis.has_cue(m, s, e)}
    if analysis.has_cue("human_study", s, e):
        models.add("human_study")
    return models


def find_studies(analysis: Analysis) -> list[Study]:
    """Study reports, with the model of a study carried to the sentences that report it."""
    from . import Study

    studies: list[Study] = []
    carried: set[str] = set()
    carried_block = -1
    for sentence in analysis.prose_sentences:
        if sentence.block != carried_block:
            carried = set()
        models = models_in(analysis, sentence)
        is_intro = analysis.has_cue("study_intro", sentence.start, sentence.end)
        reports = analysis.has_cue("study_result", sentence.start, sentence.end)
        if models and not is_intro and not reports:
            models = set()  # "attracted attention in clinical research" reports no study
        if models and is_intro:
            carried, carried_block = set(models), sentence.block
        elif not models and carried and reports:
            models = set(carried)  # "The exosomes were found to ..." after "In a study of mice, ..."
        if not models:
            continue
        topics = frozenset(sentence_topics(analysis, sentence.start, sentence.end))
        studies.append(Study(sentence.index, frozenset(models), topics))
    return studies
