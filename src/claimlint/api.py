"""The library API: lint text or paths into a ``Report``. Never prints, never exits.

    >>> from claimlint import lint_text
    >>> report = lint_text("Our serum cures acne.", format="text")
    >>> [f.rule for f in report.findings]
    ['CL501', 'CL201', 'CL401']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import __version__
from .bibliography import load_bibliography
from .config import Config, config_line, find_config
from .engine import Engine
from .files import InputError, discover, over_size_limit, read_file
from .loader import RuleError, RulePack, builtin_rules_dir, load_pack, rule_files
from .models import Diagnostic, Finding, Report, ToolInfo
from .rule_model import Rule
from .sources import format_for_path, read_document
from .suppress import apply_suppressions

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Cache

_ENGINES: dict[tuple, Engine] = {}
#: The rule files' stamp each engine of ``_ENGINES`` was built from.
_STAMPS: dict[tuple, tuple] = {}


def rule_dirs_for(config: Config) -> list[Path]:
    dirs = [builtin_rules_dir()]
    base = Path(config.source).parent if config.source else Path.cwd()
    dirs += [(base / d) for d in config.rule_dirs]
    return dirs


def load_rule_pack(config: Config | None = None) -> RulePack:
    return load_pack(rule_dirs_for(config or Config()))


def select_rules(pack: RulePack, config: Config) -> list[Rule]:
    """The rules a config selects, in id order. Unknown names are errors."""

    def resolve(key: str, setting: str) -> list[Rule]:
        rules = pack.resolve(key)
        if not rules:
            if setting.replace("-", "_") in config.cli_settings or not config.source:
                raise RuleError("command line", None, f"--{setting}: unknown rule id, name or category '{key}'")
            where = (setting, key) if setting == "severity" else setting
            raise RuleError(config.source, config_line(config, where),
                            f"{setting}: unknown rule id, name or category '{key}'")
        return rules

    if config.select:
        chosen = {r.id for key in config.select for r in resolve(key, "select")}
    else:
        chosen = {r.id for r in pack.rules.values() if r.default_enabled}
    chosen |= {r.id for key in config.extend_select for r in resolve(key, "extend-select")}
    chosen -= {r.id for key in config.ignore for r in resolve(key, "ignore")}
    for key in config.severity:
        resolve(key, "severity")
    rules = [pack.rules[i] for i in sorted(chosen)]
    return rules  # product profiles are applied per document (front matter may name one)


def severities_for(pack: RulePack, config: Config) -> dict[str, str]:
    out: dict[str, str] = {}
    # categories first, then names and ids, so the most specific wins
    for key, level in sorted(config.severity.items(), key=lambda kv: kv[0] in {r.category for r in pack.rules.values()}, reverse=True):
        for rule in pack.resolve(key):
            out[rule.id] = level
    return out


def get_engine(config: Config | None = None, *, check_rule_files: bool = False) -> Engine:
    """The engine for a config, built once per process and reused.

    With ``check_rule_files`` (each ``lint_paths`` run), the rule files' sizes and modification
    times are part of the key, so a long-running program that edits a rule gets a new engine
    (and the old one is dropped); without it (``lint_text``, called per document) the rules are
    read once per process.
    """
    config = config or Config()
    dirs = rule_dirs_for(config)
    key: tuple = (tuple(str(d) for d in dirs), tuple(config.select), tuple(config.extend_select),
                  tuple(config.ignore), tuple(sorted(config.severity.items())), config.profile, config.model)
    # taken before the rules are read, so an edit made while they are read shows next time
    stamp = _rule_files_stamp(dirs) if check_rule_files or key not in _ENGINES else None
    if stamp is not None and key in _ENGINES and _STAMPS.get(key) != stamp:
        del _ENGINES[key]  # a rule file changed since this engine was built
    engine = _ENGINES.get(key)
    if engine is None:
        pack = load_rule_pack(config)
        try:
            engine = Engine(pack, select_rules(pack, config), severities_for(pack, config), model=config.model,
                        profile=config.profile)
        except (OSError, ImportError) as exc:
            raise RuleError("command line" if "model" in config.cli_settings else (config.source or "config"), None,
                            f"model: cannot load the spaCy pipeline {config.model!r} ({exc.__class__.__name__}); "
                            "install it, or leave --model out to use the built-in blank English pipeline") from None
        _ENGINES[key] = engine
        _STAMPS[key] = stamp
    return engine


def _rule_files_stamp(dirs: list[Path]) -> tuple:
    """(path, size, modification time) of every rule and cue file the loader would read."""
    stamp = []
    for directory in dirs:
        for path in rule_files(directory):
            try:
                st = path.stat()
            except OSError:
                continue
            stamp.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


def _bibliography(config: Config) -> list[str]:
    return load_bibliography(config.bib) if config.bib else []


def lint_document_text(engine: Engine, text: str, path: str, format: str, bibliography: list[str]) -> tuple[list[Finding], list[Diagnostic]]:
    document = read_document(text, path, format)
    findings = engine.lint(document, bibliography)
    return apply_suppressions(document, engine.pack, findings, {c.rule.id for c in engine.rules})


def lint_text(text: str, *, format: str = "markdown", path: str | None = None, config: Config | None = None) -> Report:
    """Lint one document given as a string. ``format`` is markdown, html or text."""
    config = config or Config()
    engine = get_engine(config)
    findings, problems = lint_document_text(engine, text, path or "<text>", format, _bibliography(config))
    report = Report(tool=ToolInfo(version=__version__), findings=findings, errors=problems, paths=[path or "<text>"])
    report.summary.files = 1
    return report.summarise()


def lint_paths(paths: Iterable[str], *, config: Config | None = None, input_format: str | None = None,
               encoding: str | None = None, jobs: int = 1, cache: Cache | None = None) -> Report:
    """Lint files and folders. Unreadable files become ``errors``; the rest are still linted.

    ``jobs > 1`` spreads a large run over that many worker processes (the report is the same,
    see ``claimlint.parallel``; call it under ``if __name__ == "__main__":`` in a script).
    ``cache`` (a ``claimlint.cache.Cache``) skips files linted before with the same content,
    rules and config; without one nothing is written.
    """
    from .parallel import lint_files

    paths = list(paths)
    if config is None:
        config = find_config(Path(paths[0]) if paths else Path.cwd())
    files, missing = discover(paths, config.include or None, config.exclude)
    report = Report(tool=ToolInfo(version=__version__))
    report.errors += [Diagnostic(path=m, message="no such file or directory") for m in missing]
    oversized = {p: m for p in files if (m := over_size_limit(p, config.max_file_size))}  # never read
    report.errors += [Diagnostic(path=p, message=m) for p, m in oversized.items()]
    files = [p for p in files if p not in oversized]
    for result in lint_files(files, config, input_format=input_format, encoding=encoding, jobs=jobs, cache=cache):
        report.findings += result.findings
        report.errors += result.errors
        if result.linted:
            report.summary.files += 1
            report.paths.append(result.path)
    return report.summarise()


def report_sources(report: Report, encoding: str | None = None, known: dict[str, str] | None = None) -> dict[str, str]:
    """path -> decoded text of each file the report has findings in, read as ``lint_paths`` read it.

    ``known`` texts (e.g. standard input) are kept; files that can no longer be read are left out.
    """
    from .fingerprint import source_texts

    return source_texts((f.path for f in report.findings), known, encoding)
