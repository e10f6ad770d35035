"""``claimlint check --statistics``: how many active findings each rule and each category produced.

Printed after the report, like ruff's ``--statistics``::

    Findings by rule:
        2  CL501  cure-claim
        1  CL101  vague-evidence-phrase

    Findings by category:
        2  absolute-claim
        1  evidence-language

Most frequent first, then by id / name. Suppressed findings are not counted
(a last line says how many there were).
"""

from __future__ import annotations

from collections import Counter

from .models import Report


def render_statistics(report: Report) -> str:
    active = report.active_findings
    if not active:
        lines = ["Findings by rule: none"]
    else:
        names = {f.rule: f.name for f in active}
        rules = Counter(f.rule for f in active)
        categories = Counter(f.category for f in active)
        width = len(str(max(rules.values())))
        id_width = max(len(r) for r in rules)
        lines = ["Findings by rule:"]
        lines += [f"  {n:>{width}}  {rule:<{id_width}}  {names[rule]}"
                  for rule, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines += ["", "Findings by category:"]
        width = len(str(max(categories.values())))
        lines += [f"  {n:>{width}}  {category}"
                  for category, n in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))]
    suppressed = len(report.findings) - len(active)
    if suppressed:
        lines += ["", f"{suppressed} suppressed finding{'s' if suppressed != 1 else ''} not counted."]
    return "\n".join(lines) + "\n"
