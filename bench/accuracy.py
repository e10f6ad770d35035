#!/usr/bin/env python3
"""Detection quality on a labelled corpus: runs the shared scorer against claimlint.

    python bench/accuracy.py ../shared/eval/dev            # the table
    python bench/accuracy.py ../shared/eval/dev --markdown # the table as Markdown, for the README

The corpus folder holds docs/ and gold/ (see ../shared/eval/README.md); the scorer is
looked for at CORPUS/../score.py unless --scorer names it. Nothing here is part of the
test suite: the labelled pages are for measuring only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shlex
import subprocess
import sys
from pathlib import Path

ORDER = ["evidence-language", "uncited-claim", "animal-to-human", "missing-caveat", "absolute-claim", "vague-source"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="folder with docs/ and gold/")
    ap.add_argument("--scorer", type=Path, help="path to score.py (default: CORPUS/../score.py)")
    ap.add_argument("--cmd", default=f"{shlex.quote(sys.executable)} -m claimlint check --format json",
                    help="the linter command (the docs folder is appended)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    scorer = args.scorer or args.corpus.resolve().parent / "score.py"
    if not scorer.is_file():
        print(f"accuracy: no scorer at {scorer} (use --scorer)", file=sys.stderr)
        return 2
    proc = subprocess.run([sys.executable, str(scorer), str(args.corpus), "--cmd", args.cmd, "--json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr or proc.stdout, file=sys.stderr)
        return proc.returncode
    data = json.loads(proc.stdout)
    scores = data["scores"]
    cats = [c for c in ORDER if c in scores]
    # Categories the corpus does not label: their findings can't be scored here.
    unlabelled = {c: scores[c]["fp"] for c in sorted(scores) if c not in ORDER}
    from claimlint import __version__

    print(f"claimlint {__version__}, {data['docs']} documents of {args.corpus}, {datetime.date.today().isoformat()}")
    if args.markdown:
        print("\n| category | tp | fp | fn | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
        for c in cats:
            m = scores[c]
            print(f"| {c} | {m['tp']} | {m['fp']} | {m['fn']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    else:
        print(f"{'category':20} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>6} {'rec':>6} {'f1':>6}")
        for c in cats:
            m = scores[c]
            print(f"{c:20} {m['tp']:5} {m['fp']:5} {m['fn']:5} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
    if unlabelled:
        print("\nNot labelled in this corpus (findings, unscored): "
              + ", ".join(f"{c} {n}" for c, n in unlabelled.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
