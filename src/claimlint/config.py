"""Configuration: ``[tool.claimlint]`` in pyproject.toml or a ``.claimlint.toml``.

Found by walking up from the linted path. Unknown keys, unknown rule ids and
bad values are errors with ``path:line: what is wrong``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .loader import RuleError
from .models import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = (".claimlint.toml", "pyproject.toml")
Profile = Literal["cosmetic", "supplement", "procedure", "drug", "general"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Config(BaseModel):
    """Settings; command-line options override them."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    #: Rules to run, by id, name or category (default: every rule enabled by default).
    select: list[str] = Field(default_factory=list)
    #: Rules to add to the selection (e.g. opt-in rules).
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    #: Severity overrides by id, name or category.
    severity: dict[str, Severity] = Field(default_factory=dict)
    #: Extra rule directories (an organisation's own pack), relative to the config file.
    rule_dirs: list[str] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    fail_on: Severity = "warning"
    profile: Profile = "general"
    #: A BibTeX or CSL-JSON bibliography that citations may resolve to.
    bib: str | None = None
    #: An installed spaCy pipeline to use instead of blank English (optional).
    model: str | None = None
    #: Where the file was found (set by ``find_config``).
    source: str | None = Field(default=None, exclude=True)


def _line_of_key(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_config(path: Path) -> Config:
    """Read one config file. pyproject.toml without ``[tool.claimlint]`` gives defaults."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, f"cannot read config: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            m = re.search(r"line (\d+)", str(exc))
            line = int(m.group(1)) if m else None
        raise RuleError(path, line, f"invalid TOML: {str(exc).split(' (at')[0]}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("claimlint", {})
    elif "tool" in data and "claimlint" in data.get("tool", {}):
        data = data["tool"]["claimlint"]
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        where = ".".join(str(p) for p in err["loc"])
        raise RuleError(path, _line_of_key(text, key) if key else None, f"{where}: {message}") from None
    config.source = str(path)
    return config


def find_config(start: Path) -> Config:
    """The nearest config file at or above ``start``; defaults when there is none."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for directory in [here, *here.parents]:
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and "[tool.claimlint" not in _peek(candidate):
                    continue
                return load_config(candidate)
    return Config()


def _peek(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def config_line(config: Config, key: str) -> int | None:
    """The line of ``key`` in the file the config came from, for error messages."""
    if not config.source:
        return None
    return _line_of_key(_peek(Path(config.source)), key)
