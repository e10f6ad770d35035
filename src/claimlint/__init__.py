"""claimlint: a linter for health-marketing copy."""

__version__ = "0.1.0"

from .api import lint_paths, lint_text  # noqa: E402
from .config import Config  # noqa: E402
from .models import Diagnostic, Finding, Report  # noqa: E402

__all__ = ["Config", "Diagnostic", "Finding", "Report", "__version__", "lint_paths", "lint_text"]
