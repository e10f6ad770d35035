"""Load rule packs and cue sets from YAML, with ``path:line: what is wrong`` errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .rule_model import Regex, Rule

MAX_YAML_BYTES = 2_000_000
MAX_YAML_NODES = 200_000
#: The C loader composes nested collections by C recursion and crashes the process (a
#: segfault, not an exception) somewhere past 10,000 levels. Every level of nesting takes
#: one of the characters "[{-:?", so a file with fewer of them than this is safe to give it;
#: others go to the pure-Python loader, whose recursion ends in a RecursionError (reported).
C_LOADER_MAX_INDICATORS = 5_000


class RuleError(Exception):
    """A rule, cue or config file is wrong. ``str()`` is ``path:line: message``."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class CueSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    phrases: list[str] = Field(default_factory=list)
    regex: list[Regex] = Field(default_factory=list)


class CueFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cues: dict[str, CueSet]


@dataclass
class RulePack:
    """Rules by id and the cue sets they share, with the file each came from."""

    rules: dict[str, Rule] = field(default_factory=dict)
    cues: dict[str, CueSet] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def resolve(self, key: str) -> list[Rule]:
        """Rules named by an id, an alias, a name or a category."""
        return [
            r
            for r in self.rules.values()
            if key in (r.id, r.name, r.category) or key in r.aliases
        ]


def builtin_rules_dir() -> Path:
    """The rule pack shipped in the wheel, or ``rules/`` of a source checkout."""
    packaged = Path(str(resources.files("claimlint"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def read_yaml(path: Path, *, fast: bool = False) -> Any:
    """Parse one YAML file safely.

    By default keeps line numbers (ruamel round-trip nodes) for error messages. With
    ``fast`` it uses the C safe loader and returns plain data; callers validate that
    first and parse again for line numbers only when something is wrong.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_YAML_BYTES:
        raise RuleError(path, None, f"file is larger than {MAX_YAML_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(path, None, f"not valid UTF-8 at byte {exc.start}") from None
    if fast and sum(text.count(c) for c in "[{-:?") > C_LOADER_MAX_INDICATORS:
        try:
            return plain(read_yaml(path))
        except RuleError as exc:
            exc.final = True  # found by the loader that keeps lines: no need to parse it again
            raise
    yaml = YAML(typ="safe" if fast else "rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(path, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise RuleError(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:  # ruamel composes nested collections recursively
        raise RuleError(path, None, "invalid YAML: nested too deeply") from None
    _count_nodes(path, data)
    return data


def _count_nodes(path: Path, data: Any) -> None:
    """Refuse documents that expand to huge trees (alias bombs)."""
    seen = 0
    stack = [data]
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            raise RuleError(path, None, f"YAML expands to more than {MAX_YAML_NODES} nodes (alias bomb?)")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def plain(node: Any) -> Any:
    """ruamel nodes -> plain dicts, lists and scalars for pydantic."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if node is not None and type(node).__module__.startswith("ruamel"):
        for base in (bool, int, float, str):
            if isinstance(node, base):
                return base(node)
    return node


def line_of(node: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node of ``loc`` that ruamel kept a position for."""
    line = None
    if isinstance(node, (CommentedMap, CommentedSeq)):
        line = node.lc.line + 1
    for key in loc:
        try:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        except (KeyError, TypeError, AttributeError):
            break
    return line


def validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    """Validate ``data`` against ``model``; the first error becomes a RuleError."""
    if data is None:
        raise RuleError(path, 1, "the file is empty: expected a mapping of keys")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise RuleError(path, 1, f"expected a mapping of keys at the top level, got {kind}")
    try:
        return model.model_validate(plain(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        field_path = ".".join(str(p) for p in loc) or "(top level)"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        raise RuleError(path, line_of(data, loc), f"{field_path}: {message}") from None


_UNION_TAGS = {"existence", "claim", "evidence-scope", "document-requires", "citation", "function-after"}


def _load_validated(model: type[BaseModel], path: Path) -> Any:
    """Validate a file parsed by the fast loader; on any problem, parse it again keeping
    line numbers so the error says ``path:line``."""
    try:
        data = read_yaml(path, fast=True)
        if isinstance(data, dict):
            return model.model_validate(data)
    except (RuleError, ValidationError) as exc:
        if getattr(exc, "final", False):
            raise
    return validate(model, read_yaml(path), path)


def load_cues(path: Path) -> dict[str, CueSet]:
    return dict(_load_validated(CueFile, path).cues)


def load_rule_file(path: Path) -> Rule:
    rule = _load_validated(Rule, path)
    expected = f"{rule.id}-{rule.name}"
    if path.stem != expected:
        raise RuleError(path, 1, f"file name must be '{expected}.yaml' (id-name)")
    return rule


def rule_files(directory: Path) -> list[Path]:
    """Every rule and cue file in a rule directory (``*.yaml``/``*.yml`` at any depth; cues
    under ``_shared/``), in the order they are read."""
    return sorted(Path(directory).rglob("*.y*ml")) if Path(directory).is_dir() else []


def load_pack(dirs: list[Path]) -> RulePack:
    """Load the rules and cues of several directories; later ones add to earlier ones."""
    pack = RulePack()
    for directory in dirs:
        if not directory.is_dir():
            raise RuleError(directory, None, "rule directory does not exist")
        for cue_path in sorted(directory.glob("_shared/*.y*ml")):
            for name, cue in load_cues(cue_path).items():
                if name in pack.cues and str(directory) == str(dirs[0]):
                    raise RuleError(cue_path, None, f"cue '{name}' is defined twice")
                pack.cues[name] = cue
        for rule_path in rule_files(directory):
            if "_shared" in rule_path.relative_to(directory).parts:
                continue
            rule = load_rule_file(rule_path)
            for key in [rule.id, *rule.aliases]:
                if key in pack.rules or any(key in r.aliases for r in pack.rules.values()):
                    raise RuleError(rule_path, 1, f"rule id '{key}' is already used by {pack.sources.get(key, 'another rule')}")
            if any(r.name == rule.name for r in pack.rules.values()):
                raise RuleError(rule_path, 1, f"rule name '{rule.name}' is already used")
            pack.rules[rule.id] = rule
            pack.sources[rule.id] = str(rule_path)
    for rule_id, rule in pack.rules.items():
        for cue in referenced_cues(rule):
            if cue not in pack.cues:
                path = pack.sources[rule_id]
                raise RuleError(path, _line_naming(path, cue), f"unknown cue '{cue}' (known: {', '.join(sorted(pack.cues))})")
    return pack


def _line_naming(path: str, word: str) -> int | None:
    """The first line of a file that names ``word`` as a YAML value."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"(?:[:\[,-]\s*|^\s*-\s*)['\"]?{re.escape(word)}['\"]?\s*(?:[,\]#]|$)")
    for number, line in enumerate(lines, 1):
        if pattern.search(line):
            return number
    return None


def referenced_cues(rule: Rule) -> list[str]:
    check = rule.check
    names = [c.cue for c in check.unless] + [c.cue for c in check.requires]
    names += list(getattr(check, "cues", []))
    names += list(getattr(check, "any_of", [])) + list(getattr(check, "not_after", []))
    return names
