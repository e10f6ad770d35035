"""Every rule's own ``examples`` (fail / pass / todo), one pytest case each.

``claimlint test-rules`` and this file share ``claimlint.testing``; a failing
case id names the rule and the example, e.g. ``CL101-fail-0``.
"""

from __future__ import annotations

import pytest

from claimlint.loader import RuleError, builtin_rules_dir, load_pack
from claimlint.testing import example_cases, run_case

try:
    PACK = load_pack([builtin_rules_dir()])
    CASES = example_cases(PACK)
    LOAD_ERROR = None
except RuleError as exc:  # report a broken pack as one failing test, not a collection error
    PACK, CASES, LOAD_ERROR = None, [], str(exc)


def test_the_builtin_pack_loads():
    assert LOAD_ERROR is None, LOAD_ERROR
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_example(case):
    result = run_case(PACK, case)
    assert result.ok, f"{case.id}: {result.detail}\n    {case.example.text.strip()[:300]!r}"
