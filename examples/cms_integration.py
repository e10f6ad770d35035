"""Lint a CMS page through a running ``claimlint serve`` and print the findings as annotations.

Try it (two terminals)::

    claimlint serve --port 8080
    python examples/cms_integration.py examples/clinic-landing-page.md

Standard library only: a CMS plug-in would do the same on save or preview.
"""

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

SERVICE = "http://127.0.0.1:8080"


def lint_page(page_id: str, text: str, fmt: str) -> dict:
    body = json.dumps({"id": page_id, "text": text, "format": fmt}).encode("utf-8")
    request = urllib.request.Request(f"{SERVICE}/v1/lint", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:  # the service always explains itself in JSON
        sys.exit(f"claimlint service: {json.load(exc)['error']['message']}")


def main(path: str) -> int:
    page = Path(path)
    fmt = {".md": "markdown", ".html": "html", ".htm": "html"}.get(page.suffix.lower(), "text")
    report = lint_page(page.name, page.read_text(encoding="utf-8"), fmt)
    for f in report["findings"]:
        if f["suppressed"]:
            continue
        annotation = {"range": [f["offset"], f["end_offset"]], "at": f"{f['line']}:{f['column']}",
                      "level": f["severity"], "rule": f["rule"], "note": f["message"]}
        if f["suggestion"]:
            annotation["replace_with"] = f["suggestion"]
        print(json.dumps(annotation, ensure_ascii=False))
    print(f"{report['summary']['findings']} annotations for {page.name}", file=sys.stderr)
    return 1 if report["summary"]["findings"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/clinic-landing-page.md"))
