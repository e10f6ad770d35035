"""Citations the reader can follow: the page's own reference list and --bib bibliographies."""

from __future__ import annotations

import json

CLAIM = "Exosome serum thickened hair in a 12-week trial (Moreau et al., 2019).\n"
NUMBERED = "Zinc lozenges shortened colds in adults [2].\n"


def orphan_texts(result) -> list[str]:
    return [f["text"] for f in result.json()["findings"] if f["rule"] == "CL602"]


def test_author_year_without_a_reference_list_is_flagged(cli, write):
    write("page.md", CLAIM)
    result = cli("check", "--format", "json", "--select", "CL602", "page.md")
    assert result.code == 1
    assert orphan_texts(result) == ["(Moreau et al., 2019)"]


def test_author_year_found_in_the_reference_list_passes(cli, write):
    write("page.md", CLAIM + "\n## References\n\n1. Moreau A, Petit L. Exosome serum and hair density. 2019.\n")
    result = cli("check", "--format", "json", "--select", "CL602", "page.md")
    assert result.code == 0, result.out
    assert orphan_texts(result) == []


def test_author_year_with_the_wrong_year_is_still_flagged(cli, write):
    write("page.md", CLAIM + "\n## References\n\n1. Moreau A, Petit L. Exosome serum and hair density. 2017.\n")
    result = cli("check", "--format", "json", "--select", "CL602", "page.md")
    assert orphan_texts(result) == ["(Moreau et al., 2019)"]


def test_numbered_citation_needs_an_entry_with_that_number(cli, write):
    write("ok.md", NUMBERED + "\n## Sources\n\n1. Hemila H. Zinc and colds. 2011.\n2. Science M. Zinc lozenges. 2017.\n")
    write("short.md", NUMBERED + "\n## Sources\n\n1. Hemila H. Zinc and colds. 2011.\n")
    assert orphan_texts(cli("check", "--format", "json", "--select", "CL602", "ok.md")) == []
    assert orphan_texts(cli("check", "--format", "json", "--select", "CL602", "short.md")) == ["[2]"]


def test_reference_list_entries_are_not_linted_as_prose(cli, write):
    # A reference title that "cures" must not be read as the page's own claim.
    write("page.md", CLAIM + "\n## References\n\n1. Moreau A. Does exosome serum cure baldness? 2019.\n")
    result = cli("check", "--format", "json", "--select", "CL501,CL201", "page.md")
    assert [f["rule"] for f in result.json()["findings"]] == []


def test_bibtex_bibliography_resolves_the_citation(cli, write):
    write("page.md", CLAIM)
    write("refs.bib", "@article{moreau2019,\n  author = {Moreau, Anne and Petit, Luc},\n"
                      "  title = {Exosome serum and hair density},\n  year = {2019}\n}\n")
    result = cli("check", "--format", "json", "--select", "CL602", "--bib", "refs.bib", "page.md")
    assert result.code == 0, result.out
    assert orphan_texts(result) == []


def test_csl_json_bibliography_resolves_the_citation(cli, write):
    write("page.md", CLAIM)
    write("refs.json", json.dumps([{"id": "m19", "author": [{"family": "Moreau", "given": "Anne"}],
                                    "issued": {"date-parts": [[2019, 3]]}, "title": "Exosome serum"}]))
    result = cli("check", "--format", "json", "--select", "CL602", "--bib", "refs.json", "page.md")
    assert orphan_texts(result) == []


def test_bibliography_without_the_entry_leaves_the_finding(cli, write):
    write("page.md", CLAIM)
    write("refs.json", json.dumps([{"author": [{"family": "Lee"}], "issued": {"date-parts": [[2019]]}}]))
    result = cli("check", "--format", "json", "--select", "CL602", "--bib", "refs.json", "page.md")
    assert orphan_texts(result) == ["(Moreau et al., 2019)"]


def test_malformed_csl_json_is_an_error_with_its_line(cli, write):
    write("page.md", CLAIM)
    write("refs.json", '[\n  {"author": [\n')
    result = cli("check", "--select", "CL602", "--bib", "refs.json", "page.md")
    assert result.code == 2
    assert "refs.json:3: invalid CSL-JSON" in result.err


def test_missing_bibliography_is_an_error(cli, write):
    write("page.md", CLAIM)
    result = cli("check", "--bib", "nope.bib", "page.md")
    assert result.code == 2
    assert "nope.bib: cannot read bibliography" in result.err


def test_citation_in_the_next_sentence_supports_a_claim(cli, write):
    write("page.md", "Magnesium improves sleep in older adults. In a 2012 trial this held (Abbasi et al., 2012).\n")
    result = cli("check", "--format", "json", "--select", "CL201", "page.md")
    assert [f["rule"] for f in result.json()["findings"]] == []


def test_et_al_does_not_split_the_sentence_from_its_citation(cli, write):
    write("page.md", "Magnesium improves sleep (Abbasi et al., 2012). Book a session today.\n")
    result = cli("check", "--format", "json", "--select", "CL201", "page.md")
    assert result.json()["findings"] == []
