"""``claimlint explain ID``: a rule's documentation as readable text."""

from __future__ import annotations

import textwrap

from .rule_model import Rule


def _para(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=88)


def explain_rule(rule: Rule) -> str:
    lines = [
        f"{rule.id} {rule.name} [{rule.category}, {rule.severity}]",
        "",
        rule.summary,
        "",
        "What it does",
        _para(rule.docs.what),
        "",
        "Why it matters",
        _para(rule.docs.why),
        "",
        "Example",
        textwrap.indent(rule.docs.example.strip(), "    "),
        "",
        "Use instead",
        _para(rule.docs.instead),
        "",
        "References",
        *[f"  - {ref}" for ref in rule.references],
    ]
    if not rule.default_enabled:
        lines += ["", f"Opt-in: enable it with --extend-select {rule.id} or extend-select in config."]
    if rule.aliases:
        lines += ["", f"Also known as: {', '.join(rule.aliases)}"]
    return "\n".join(lines) + "\n"
