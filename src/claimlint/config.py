"""Configuration: ``[tool.claimlint]`` in pyproject.toml or a ``.claimlint.toml``.

Found by walking up from the linted path. Unknown keys, unknown rule ids and
bad values are errors with ``path:line: what is wrong``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .files import DEFAULT_MAX_FILE_BYTES, parse_size
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
    #: Larger files are reported as an error and skipped: bytes, or "5M", "500k" (at most 64M).
    max_file_size: int = DEFAULT_MAX_FILE_BYTES

    @field_validator("max_file_size", mode="before")
    @classmethod
    def _size(cls, value: object) -> int:
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return parse_size(value)
        raise ValueError("expected a size such as 5M, 500k or 1048576")
    #: Where the file was found (set by ``find_config``).
    source: str | None = Field(default=None, exclude=True)
    #: Settings given on the command line (their errors are not the config file's).
    cli_settings: list[str] = Field(default_factory=list, exclude=True)


TABLE = re.compile(r"\s*\[\s*([^\]]+?)\s*\]")
KEY = re.compile(r"""\s*["']?([^"'=\s]+)["']?[ \t]*=""")


def _line_of_key(text: str, loc: tuple[object, ...] | str, prefix: str = "") -> int | None:
    """The line where a (possibly nested) key of the claimlint table is set."""
    if isinstance(loc, str):
        loc = (loc,)
    table = ""
    keys: list[tuple[str, int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        header = TABLE.match(line)
        if header and not line.lstrip().startswith("[["):
            table = header.group(1)
            continue
        key = KEY.match(line)
        if key:
            keys.append((".".join(p for p in (table, key.group(1)) if p), number, line))
    parts = [prefix] if prefix else []
    target = ".".join(parts + [str(p) for p in loc])
    for full, number, _ in keys:
        if full == target:
            return number
    if len(loc) > 1:  # an inline table: severity = { CL101 = "error" }
        parent = ".".join(parts + [str(loc[0])])
        for full, number, line in keys:
            if full == parent and str(loc[1]) in line:
                return number
        return _line_of_key(text, loc[:1], prefix)
    return None


def _prefix(path: Path, data: dict) -> str:
    if path.name == "pyproject.toml" or "claimlint" in data.get("tool", {}):
        return "tool.claimlint"
    return ""


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
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise RuleError(path, None, "invalid TOML: nested too deeply") from None
    prefix = _prefix(path, data)
    if prefix:
        data = data.get("tool", {}).get("claimlint", {})
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        where = ".".join(str(p) for p in err["loc"])
        line = _line_of_key(text, tuple(err["loc"]), prefix) if err["loc"] else None
        raise RuleError(path, line, f"{where}: {message}") from None
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


def config_line(config: Config, key: str | tuple[str, ...]) -> int | None:
    """The line of ``key`` in the file the config came from, for error messages."""
    if not config.source:
        return None
    path = Path(config.source)
    text = _peek(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return _line_of_key(text, key, _prefix(path, data))
