"""The engine: compile a rule pack once, then lint documents into findings."""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass

from .analysis import CORE_CUES, TOPIC_PREFIX, Analysis, Analyzer
from .checks import CHECK_TYPES, DOCUMENT_LEVEL, Hit, RunCheck
from .checks.existence import pattern_group
from .document import Document
from .loader import RuleError, RulePack
from .models import Finding, Severity
from .nlp import get_pipeline
from .rule_model import ExistenceCheck, Rule

PROFILES = ("cosmetic", "supplement", "procedure", "drug", "general")




@dataclass
class CompiledRule:
    rule: Rule
    run: RunCheck
    severity: Severity


class Engine:
    """A rule pack compiled against the shared pipeline. Build once, lint many."""

    def __init__(self, pack: RulePack, rules: list[Rule], severities: dict[str, Severity] | None = None,
                 model: str | None = None, profile: str = "general"):
        missing = [c for c in CORE_CUES if c not in pack.cues]
        if missing:
            raise RuleError("rules/_shared", None, f"missing core cue sets: {', '.join(missing)}")
        self.pack = pack
        self.profile = profile
        severities = severities or {}
        self.rules = [
            CompiledRule(r, CHECK_TYPES[r.check.type](r), severities.get(r.id, r.severity)) for r in rules
        ]
        groups = [("cue:" + name, cue.phrases, cue.regex, True) for name, cue in pack.cues.items()]
        groups += [pattern_group(r) for r in rules if isinstance(r.check, ExistenceCheck)]
        topics = tuple(sorted(n for n in pack.cues if n.startswith(TOPIC_PREFIX)))
        self.analyzer = Analyzer(get_pipeline(model), groups, topics)
        self._document_rules = {r.id for r in rules if r.check.type in DOCUMENT_LEVEL}

    def analyze(self, document: Document, bibliography: list[str] | None = None) -> Analysis:
        return self.analyzer.analyze(document, bibliography)

    def lint(self, document: Document, bibliography: list[str] | None = None) -> list[Finding]:
        if not document.blocks:
            return []
        analysis = self.analyze(document, bibliography)
        profile = self.document_profile(document)
        hits = [(compiled, hit) for compiled in self.rules
                if not compiled.rule.profiles or profile == "general" or profile in compiled.rule.profiles
                for hit in compiled.run(analysis)]
        kept = _one_per_category(hits, self._document_rules)
        findings = [self._finding(document, analysis, compiled, hit) for compiled, hit in kept]
        findings.sort(key=lambda f: (f.offset, f.end_offset, f.rule))
        return findings

    def document_profile(self, document: Document) -> str:
        """The product type a page is about: its front matter's ``profile:``, else the config's.

        A profile limits the rules written for other product types (a drug-claim rule for
        cosmetics does not run on a procedure page); "general" runs them all.
        """
        named = str(document.front_matter.get("profile", "")).strip().lower()
        return named if named in PROFILES else self.profile

    @staticmethod
    def _finding(document: Document, analysis: Analysis, compiled: CompiledRule, hit: Hit) -> Finding:
        rule = compiled.rule
        start, end = analysis.prose.original_span(hit.start, hit.end)
        line, column = document.line_col(start)
        end_line, end_column = document.line_col(end)
        matched = analysis.text_of(hit.start, hit.end)
        return Finding(
            path=document.path,
            rule=rule.id,
            name=rule.name,
            category=rule.category,
            severity=compiled.severity,
            message=rule.render_message(hit.label or matched),
            text=document.text[start:end],
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            offset=start,
            end_offset=end,
            suggestion=hit.suggestion,
            fix_hint=rule.docs.instead.strip(),
        )


def _one_per_category(hits: list[tuple[CompiledRule, Hit]], document_rules: set[str]) -> list[tuple[CompiledRule, Hit]]:
    """Of hits of one category that overlap, keep the most severe (then the lowest id).

    Two evidence-language rules matching "have also demonstrated" are one problem
    to the writer, not two. Document-level findings are kept as they are.
    """
    rank = {"error": 0, "warning": 1, "info": 2}
    kept: list[tuple[CompiledRule, Hit]] = []
    # category -> spans already kept; they never overlap, so sorted by start, only the
    # neighbours of a new span's place can overlap it
    taken: dict[str, list[tuple[int, int]]] = {}
    for compiled, hit in sorted(hits, key=lambda ch: (rank[ch[0].severity], ch[0].rule.id, ch[1].start)):
        rule = compiled.rule
        if rule.id in document_rules:
            kept.append((compiled, hit))
            continue
        spans = taken.setdefault(rule.category, [])
        i = bisect_left(spans, (hit.start, hit.end))
        if any(s < hit.end and hit.start < e for s, e in spans[max(0, i - 1):i + 1]):
            continue
        insort(spans, (hit.start, hit.end))
        kept.append((compiled, hit))
    return kept

