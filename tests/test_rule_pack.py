"""Hygiene of the shipped rule pack (``rules/``): ids, names, files, cues, docs, examples."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from claimlint.loader import RuleError, RulePack, builtin_rules_dir, load_cues, load_pack, referenced_cues

#: The categories the JSON contract fixes (DESIGN.md, "Categories").
CONTRACT_CATEGORIES = ("evidence-language", "uncited-claim", "animal-to-human", "missing-caveat",
                       "absolute-claim", "vague-source")
MIN_RULES = 25

RULES_DIR = builtin_rules_dir()
try:
    PACK, LOAD_ERROR = load_pack([RULES_DIR]), None
except RuleError as exc:  # one failing test instead of a collection error
    PACK, LOAD_ERROR = RulePack(), str(exc)
RULES = sorted(PACK.rules.values(), key=lambda r: r.id)
RULE_FILES = sorted(p for p in RULES_DIR.rglob("*.y*ml") if "_shared" not in p.relative_to(RULES_DIR).parts)


def by_id(rule_list):
    return pytest.mark.parametrize("rule", rule_list, ids=[r.id for r in rule_list])


def test_the_pack_loads():
    assert LOAD_ERROR is None, LOAD_ERROR


def test_the_pack_has_enough_rules():
    assert len(RULES) >= MIN_RULES, f"{len(RULES)} rules: {[r.id for r in RULES]}"


def test_every_rule_file_is_a_loaded_rule():
    assert len(RULE_FILES) == len(RULES)
    assert sorted(Path(PACK.sources[r.id]).resolve() for r in RULES) == sorted(p.resolve() for p in RULE_FILES)


def test_ids_and_aliases_are_unique():
    keys = Counter(key for r in RULES for key in [r.id, *r.aliases])
    assert [k for k, n in keys.items() if n > 1] == []


def test_names_are_unique_and_never_collide_with_categories_or_ids():
    names = Counter(r.name for r in RULES)
    assert [n for n, c in names.items() if c > 1] == []
    categories = {r.category for r in RULES}
    assert categories.isdisjoint(names)
    assert {r.id for r in RULES}.isdisjoint(names)


@by_id(RULES)
def test_file_name_is_id_dash_name(rule):
    path = Path(PACK.sources[rule.id])
    assert path.name == f"{rule.id}-{rule.name}.yaml"


@by_id(RULES)
def test_rule_sits_in_its_category_folder(rule):
    path = Path(PACK.sources[rule.id])
    assert path.parent.name == rule.category


def test_every_referenced_cue_exists():
    missing = {(r.id, cue) for r in RULES for cue in referenced_cues(r) if cue not in PACK.cues}
    assert missing == set()


def test_every_shared_cue_file_loads_and_names_are_not_redefined():
    seen: Counter[str] = Counter()
    for path in sorted((RULES_DIR / "_shared").glob("*.y*ml")):
        seen.update(load_cues(path).keys())
    assert seen and [name for name, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("category", CONTRACT_CATEGORIES)
def test_every_contract_category_has_a_default_enabled_rule(category):
    assert [r.id for r in RULES if r.category == category and r.default_enabled]


@by_id(RULES)
def test_rule_has_docs_references_and_examples(rule):
    for part in ("what", "why", "example", "instead"):
        assert getattr(rule.docs, part).strip(), part
    assert rule.summary.strip() and rule.message.strip()
    assert rule.references and all(ref.strip() for ref in rule.references)
    assert len(rule.examples.fail) >= 1
    assert len(rule.examples.passing) >= 1


@by_id(RULES)
def test_summary_does_not_repeat_what_the_cli_adds(rule):
    # `claimlint rules` appends "(opt-in)" itself
    assert "(opt-in)" not in rule.summary


@by_id(RULES)
def test_every_flag_of_a_fail_example_is_in_its_text(rule):
    for example in [*rule.examples.fail, *rule.examples.todo_fail]:
        for flag in example.flags:
            assert flag in example.text, (flag, example.text)

