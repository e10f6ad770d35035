"""The rule schema: what a YAML rule file may say, validated strictly at load time.

Every model forbids unknown keys, so a typo in a rule file is an error with its
``path:line`` and never a rule that silently does nothing.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .models import Severity
from .regex_safety import backtracking_risk
from . import regex_facts
from .regexes import RULE_FLAGS
from .regexes import check as check_regex

RULE_ID = r"^[A-Z]{2}\d{3}$"
RULE_NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"

Within = Literal["left", "right", "sentence", "previous-sentence", "next-sentence", "block", "document"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Context(Strict):
    """A context condition: a cue seen near the match.

    ``left``/``right`` look ``chars`` characters before/after the match in its
    sentence; the others look at the whole sentence, its neighbours, the block
    or the document.
    """

    cue: str
    within: Within = "sentence"
    chars: int = Field(default=30, ge=1, le=400)


def _compiles(pattern: str) -> str:
    if (regex_facts.get(pattern, RULE_FLAGS) or {}).get("valid") is True:
        return pattern  # checked by an earlier run (see regex_facts)
    try:
        check_regex(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
    risk = backtracking_risk(pattern)
    if risk:  # a nested repeat such as (a+)+ can hang a run on one unlucky page (ReDoS)
        raise ValueError(f"regex {pattern!r} may backtrack catastrophically ({risk}); "
                         "make the inner or the outer repeat unambiguous, e.g. (?:\\w+\\s)+ instead of (\\w+\\s?)+")
    regex_facts.record(pattern, RULE_FLAGS, valid=True)
    return pattern


#: A regex, checked one by one so an error points at the line of the pattern.
Regex = Annotated[str, AfterValidator(_compiles)]


class CheckBase(Strict):
    unless: list[Context] = Field(default_factory=list)
    requires: list[Context] = Field(default_factory=list)


class ExistenceCheck(CheckBase):
    """Flags phrases, regexes or cue sets wherever they appear in prose."""

    type: Literal["existence"]
    phrases: list[str] = Field(default_factory=list)
    regex: list[Regex] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    #: Lower-cased matched text -> a compliant replacement (fills ``suggestion``).
    suggest: dict[str, str] = Field(default_factory=dict)
    #: Only in blocks of these kinds (empty: all prose).
    blocks: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _needs_a_pattern(self) -> ExistenceCheck:
        if not (self.phrases or self.regex or self.cues):
            raise ValueError("an existence check needs at least one of phrases, regex or cues")
        return self


class ClaimCheck(CheckBase):
    """Flags efficacy-claim sentences (a treatment producing a health outcome)."""

    type: Literal["claim"]
    #: How many following sentences may carry the citation that supports the claim.
    citation_window: int = Field(default=1, ge=0, le=3)
    #: Flag hedged claims ("may help") too.
    hedged: bool = True


class EvidenceScopeCheck(CheckBase):
    """Flags claims whose only support in the document is animal, cell or tissue work."""

    type: Literal["evidence-scope"]
    #: Also flag the in-sentence leap ("in mice ... so it can help you").
    leap: bool = True
    #: Flag claims whose topic is supported only by non-human studies in the document.
    document: bool = True


class DocumentRequiresCheck(CheckBase):
    """If the document promotes a treatment, one of ``any_of`` cues must appear."""

    type: Literal["document-requires"]
    any_of: list[str] = Field(min_length=1)
    #: Occurrences preceded by one of these cues (within a few words) don't count.
    not_after: list[str] = Field(default_factory=list)
    #: The document must hold at least this many claims before the requirement applies.
    min_claims: int = Field(default=1, ge=1)


class CitationCheck(CheckBase):
    """Flags citation markers that resolve to no reference the reader can find."""

    type: Literal["citation"]
    markers: list[Literal["author-year", "numbered"]] = Field(default_factory=lambda: ["author-year", "numbered"])


Check = Annotated[
    Union[ExistenceCheck, ClaimCheck, EvidenceScopeCheck, DocumentRequiresCheck, CitationCheck],
    Field(discriminator="type"),
]


class Docs(Strict):
    what: str = Field(min_length=10)
    why: str = Field(min_length=10)
    example: str = Field(min_length=5)
    instead: str = Field(min_length=5)


class FailExample(Strict):
    text: str
    #: The exact text of each finding, in order.
    flags: list[str] = Field(min_length=1)
    #: The line of each finding, when given.
    lines: list[int] = Field(default_factory=list)
    format: Literal["text", "markdown", "html"] = "text"

    @model_validator(mode="after")
    def _lines_match_flags(self) -> FailExample:
        if self.lines and len(self.lines) != len(self.flags):
            raise ValueError("'lines' must give one line per entry of 'flags'")
        return self


class PassExample(Strict):
    text: str
    format: Literal["text", "markdown", "html"] = "text"


def _as_pass(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class Examples(Strict):
    fail: list[FailExample] = Field(min_length=1)
    # "pass" is a Python keyword: the YAML key is "pass".
    passing: list[Annotated[PassExample, Field()]] = Field(alias="pass", min_length=1)
    todo_fail: list[FailExample] = Field(default_factory=list)
    todo_pass: list[PassExample] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("passing", "todo_pass", mode="before")
    @classmethod
    def _strings_are_texts(cls, value: object) -> object:
        return [_as_pass(v) for v in value] if isinstance(value, list) else value


class Rule(Strict):
    id: str = Field(pattern=RULE_ID)
    name: str = Field(pattern=RULE_NAME)
    category: str = Field(pattern=RULE_NAME)
    severity: Severity
    summary: str = Field(min_length=5)
    #: The finding's message; ``{text}`` is replaced by the matched words.
    message: str = Field(min_length=5)
    docs: Docs
    references: list[str] = Field(min_length=1)
    check: Check
    examples: Examples
    #: Off unless selected by id, name or category in config or on the command line.
    default_enabled: bool = True
    aliases: list[str] = Field(default_factory=list)
    #: Product profiles the rule applies to (empty: all).
    profiles: list[Literal["cosmetic", "supplement", "procedure", "drug", "general"]] = Field(default_factory=list)

    def render_message(self, text: str) -> str:
        return self.message.replace("{text}", text)
