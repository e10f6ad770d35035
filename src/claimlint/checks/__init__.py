"""The check types, registered in one dict: ``check.type`` in a rule -> its compiler."""

from __future__ import annotations

from typing import Callable

from ..rule_model import Rule
from . import citation, claim, document_requires, evidence_scope, existence
from .base import Hit, RunCheck

CHECK_TYPES: dict[str, Callable[[Rule], RunCheck]] = {
    "existence": existence.compile_check,
    "claim": claim.compile_check,
    "evidence-scope": evidence_scope.compile_check,
    "document-requires": document_requires.compile_check,
    "citation": citation.compile_check,
}

#: Check types that judge the whole document: one finding per document at most.
DOCUMENT_LEVEL = frozenset({"document-requires"})

__all__ = ["CHECK_TYPES", "DOCUMENT_LEVEL", "Hit", "RunCheck"]
