"""The one spaCy pipeline: blank English, abbreviation-aware sentences, block boundaries.

Built once per process (``get_pipeline``). No trained model is needed; a user
may name one with ``--model`` and its tokenizer is taught the same exceptions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

#: Tokens ending in "." that never end a sentence.
ABBREVIATIONS = (
    "al.", "e.g.", "i.e.", "vs.", "approx.", "Fig.", "fig.", "Figs.", "figs.", "Dr.", "Drs.",
    "Prof.", "Mr.", "Mrs.", "Ms.", "St.", "No.", "no.", "Nos.", "ca.", "cf.", "resp.", "Ref.",
    "Refs.", "ref.", "Vol.", "vol.", "pp.", "p.", "Ph.D.", "M.D.", "Inc.", "Ltd.", "Co.", "Jr.",
    "Sr.", "Eq.", "Tab.", "Suppl.", "approx", "viz.", "Mt.", "Gen.", "Sept.", "Oct.", "Nov.",
    "Dec.", "Jan.", "Feb.", "Aug.", "Apr.", "Univ.", "Dept.", "est.", "min.", "max.", "mg.",
    "U.S.", "U.K.", "E.U.",
)

BLOCK_SEPARATOR = "\n\n"


def _block_boundaries(doc):
    """Start a sentence after every block separator (a whitespace token holding two newlines)."""
    for i, token in enumerate(doc[:-1]):
        if token.is_space and "\n\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def get_pipeline(model: str | None = None) -> Language:
    """The shared pipeline. ``model`` is an installed spaCy package name, or None for blank English."""
    import spacy
    from spacy.attrs import ORTH
    from spacy.language import Language

    if not Language.has_factory("claimlint_block_boundaries"):
        Language.component("claimlint_block_boundaries")(_block_boundaries)
    if model:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
    else:
        nlp = spacy.blank("en")
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimlint_block_boundaries", last=True)
    return nlp
