"""The one spaCy pipeline: blank English, abbreviation-aware sentences, block boundaries.

Built once per process (``get_pipeline``). No trained model is needed; a user
may name one with ``--model`` and its tokenizer is taught the same exceptions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
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


#: Characters that end a sentence, and those that may close it after the stop ("...!)").
SENTENCE_END = re.compile(r"[.!?\u2026\u203c\u2047-\u2049\u3002\uff01\uff1f]+")
CLOSERS = frozenset("\"')]}\u00bb\u201d\u2019")


def sentence_starts(doc, text: str | None = None) -> list[int]:
    """Token indices that start a sentence: after a stop ("." "!" "?", closers kept with it)
    and after every block separator (a blank line). Works on the text and token offsets,
    so the cost grows with the number of sentences, not of tokens."""
    n = len(doc)
    if not n:
        return []
    if text is None:
        text = doc.text  # rebuilt from the tokens: pass the text when you have it
    token_starts = doc.to_array("IDX").tolist()
    starts = {0}
    for m in SENTENCE_END.finditer(text):
        i = bisect_left(token_starts, m.start())
        if i >= n or token_starts[i] != m.start():
            continue  # the stop is inside a token: "al.", "e.g.", "2.5"
        j = bisect_left(token_starts, m.end())
        while j < n and text[token_starts[j]] in CLOSERS and (j + 1 == n or token_starts[j + 1] > token_starts[j]):
            if text[token_starts[j] - 1:token_starts[j]].isspace():
                break  # an opening quote after a space starts the next sentence
            j += 1
        if j < n:
            starts.add(j)
    pos = text.find("\n\n")
    while pos != -1:
        after = pos + 2
        while after < len(text) and text[after].isspace():
            after += 1
        j = bisect_left(token_starts, after)
        if j < n:
            starts.add(j)
        pos = text.find("\n\n", after)
    return sorted(starts)


def _set_sentences(doc):
    """The pipeline component: sentence starts from ``sentence_starts``, set in one call."""
    import numpy
    from spacy.attrs import SENT_START

    if len(doc):
        # spaCy stores SENT_START as uint64: -1 (not a start) wraps around, as spaCy itself expects
        values = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")
        values[sentence_starts(doc), 0] = 1
        doc.from_array([SENT_START], values)
    return doc


def import_spacy():
    """Import spaCy without loading its command-line package.

    ``import spacy`` imports ``spacy.cli`` (typer and every CLI command) only to expose
    ``spacy.info``: about 0.1 s at every start of a pre-commit hook. We stand a stub in
    for the import and take it out again, so a later ``import spacy.cli`` loads the real one.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stubs = {}
    if "spacy.cli" not in sys.modules:
        def info(*args, **kwargs):  # the real one, on demand
            from spacy.cli.info import info as real_info

            return real_info(*args, **kwargs)

        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []  # a package, so "spacy.cli.info" can be looked up
        cli_info = types.ModuleType("spacy.cli.info")
        cli_info.info = info
        cli.info = cli_info
        stubs = {"spacy.cli": cli, "spacy.cli.info": cli_info}
        sys.modules.update(stubs)
    try:
        import spacy
    finally:
        for name, module in stubs.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


@lru_cache(maxsize=4)
def get_pipeline(model: str | None = None) -> Language:
    """The shared pipeline. ``model`` is an installed spaCy package name, or None for blank English."""
    spacy = import_spacy()
    from spacy.attrs import ORTH
    from spacy.language import Language

    if not Language.has_factory("claimlint_sentences"):
        Language.component("claimlint_sentences")(_set_sentences)
    if model:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
    else:
        from spacy.lang.en import English

        nlp = English()  # what spacy.blank("en") builds, without resolving a config first
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("claimlint_sentences")
    # spaCy refuses texts over 1,000,000 characters (ValueError E088), a guard sized for its
    # parser and NER. Document size is bounded by claimlint's own limit instead
    # (--max-file-size; files.DEFAULT_MAX_FILE_BYTES), so the pipeline takes any text it is given.
    nlp.max_length = max(nlp.max_length, 2**62)
    return nlp
