"""Run every rule's own examples: ``claimlint test-rules`` and pytest share this code.

- a ``fail`` example must give exactly its ``flags`` (the flagged text, in order),
  on its ``lines`` when given;
- a ``pass`` example must give no finding of the rule;
- a ``todo_fail`` must still be missed and a ``todo_pass`` must still be flagged
  (strict: once fixed, move the example to ``fail``/``pass``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import Engine
from .loader import RulePack, load_pack
from .rule_model import FailExample, PassExample, Rule
from .sources import read_document


@dataclass(frozen=True)
class ExampleCase:
    rule: Rule
    kind: str  # fail | pass | todo_fail | todo_pass
    index: int
    example: FailExample | PassExample

    @property
    def id(self) -> str:
        return f"{self.rule.id}-{self.kind}-{self.index}"


@dataclass(frozen=True)
class ExampleResult:
    case: ExampleCase
    ok: bool
    detail: str


def example_cases(pack: RulePack) -> list[ExampleCase]:
    cases = []
    for rule in sorted(pack.rules.values(), key=lambda r: r.id):
        ex = rule.examples
        for kind, items in (("fail", ex.fail), ("pass", ex.passing), ("todo_fail", ex.todo_fail), ("todo_pass", ex.todo_pass)):
            cases += [ExampleCase(rule, kind, i, item) for i, item in enumerate(items)]
    return cases


_ENGINES: dict[tuple[int, str], Engine] = {}


def _engine_for(pack: RulePack, rule: Rule) -> Engine:
    key = (id(pack), rule.id)
    if key not in _ENGINES:
        _ENGINES[key] = Engine(pack, [rule])
    return _ENGINES[key]


def run_case(pack: RulePack, case: ExampleCase) -> ExampleResult:
    engine = _engine_for(pack, case.rule)
    text = case.example.text
    document = read_document(text, f"<{case.id}>", case.example.format)
    found = [(f.text, f.line) for f in engine.lint(document) if f.rule == case.rule.id]
    got = f"got {[t for t, _ in found]}" + (f" on lines {[ln for _, ln in found]}" if found else "")
    if case.kind in ("fail", "todo_fail"):
        ex = case.example
        assert isinstance(ex, FailExample)
        matched = [t for t, _ in found] == list(ex.flags) and (not ex.lines or [ln for _, ln in found] == list(ex.lines))
        if case.kind == "fail":
            want = f"expected {list(ex.flags)}" + (f" on lines {list(ex.lines)}" if ex.lines else "")
            return ExampleResult(case, matched, f"{want}, {got}")
        return ExampleResult(case, not matched, "still missed (known)" if not matched else f"XPASS(strict: move it to fail:) {got}")
    if case.kind == "pass":
        return ExampleResult(case, not found, got)
    return ExampleResult(case, bool(found), "still flagged (known)" if found else "XPASS(strict: move it to pass:)")


def run_all(dirs: list[Path]) -> list[ExampleResult]:
    pack = load_pack(dirs)
    return [run_case(pack, case) for case in example_cases(pack)]
