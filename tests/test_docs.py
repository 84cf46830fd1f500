"""Every Python example in README.md and docs/*.md runs (in a scratch folder)."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks():
    for f in FILES:
        for i, code in enumerate(BLOCK.findall(f.read_text())):
            yield pytest.param(f, code, id=f"{f.name}#{i}")


@pytest.mark.parametrize("path,code", list(_blocks()))
def test_python_example_runs(path, code, tmp_path, monkeypatch):
    import importlib.util

    for extra in ("torch", "onnx"):   # optional extras: their examples run where installed
        if re.search(rf"^import .*\b{extra}\b|^from {extra}\b", code, re.M) and \
                importlib.util.find_spec(extra) is None:
            pytest.skip(f"the example needs the optional {extra!r} extra")
    monkeypatch.chdir(tmp_path)
    os.environ.setdefault("MPLBACKEND", "Agg")
    exec(compile(code, f"{path.name}", "exec"), {"__name__": "__docs__"})


def test_there_are_examples():
    assert len(list(_blocks())) >= 2


def test_documentation_and_api_reference_build(tmp_path):
    """The docs site, with the API reference generated from docstrings, builds with no
    warning (broken links, missing pages, unparsable docstrings)."""
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                        str(tmp_path / "site"), "--config-file", str(ROOT / "mkdocs.yml")],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr[-2000:]
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    assert "canonical_complex" in api and "ChainComplex" in api


# ---- the contract lives in docs/ ---------------------------------------------------------
#: the name of the old contract file, spelled so that this file does not contain it
_OLD = "SP" + "EC"


def _repository_files(*suffixes):
    """The repository's files (tracked, and new ones not ignored) with these suffixes."""
    import subprocess

    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = sorted({p for p in out.splitlines() if p.endswith(suffixes)})
    return [p for p in files if (ROOT / p).is_file()]


def _headings(page):
    """The headings of a docs page: their text (inline code unquoted) and their anchors."""
    from markdown.extensions.toc import slugify

    text = re.sub(r"```.*?```", "", (ROOT / "docs" / page).read_text(), flags=re.S)
    titles = [t.replace("`", "").strip() for t in re.findall(r"^#+ (.+)$", text, re.M)]
    return titles, {slugify(t, "-") for t in titles}


def test_no_file_cites_the_old_contract():
    """Code, tests, docs and configuration cite docs/*.md, not the old contract file or any
    file outside the repository."""
    word = re.compile(r"\b" + _OLD + r"\b")
    outside = re.compile(r"\.\./shared|" + _OLD + r"\.md")
    bad = []
    for path in _repository_files(".py", ".md", ".toml"):
        if path == "tests/test_docs.py":
            continue
        text = (ROOT / path).read_text(errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            if word.search(line) or outside.search(line):
                bad.append(f"{path}:{n}: {line.strip()[:90]}")
    assert bad == []


def test_the_bounds_report_cites_the_definition_in_docs():
    """The bounds report names its decision region by the page that defines it."""
    from polytopo.analysis import expressivity

    assert "docs/definitions.md" in expressivity.DECISION_REGION
    assert "negative = {x ∈ D : f(x) ≤ 0}" in (ROOT / "docs" / "definitions.md").read_text()


#: ``docs/<page>.md`` followed by a section: ``, Report)``, `` (Report)``, ``, "Limits")``
CITATION = re.compile(r"docs/([\w.-]+\.md)(?:#([\w-]+)|(?:,\s+|\s+\()\"?([A-Z][\w '-]*?)\"?\))?")


def test_every_cited_docs_page_and_section_exists():
    """Every ``docs/<page>.md`` named in code, help strings, tests and pages exists, and a
    section cited with it (``docs/cli.md, "Bad input and failures"``, ``docs/formats.md
    (Report)``, ``docs/cli.md#limits``) is a heading of that page (a cited section may be
    the start of the heading's text)."""
    cited, bad = 0, []
    for path in _repository_files(".py", ".md", ".toml"):
        text = (ROOT / path).read_text(errors="replace")
        for m in CITATION.finditer(text):
            page, anchor, section = m.groups()
            where = f"{path}: docs/{page}"
            cited += 1
            if not (ROOT / "docs" / page).is_file():
                bad.append(f"{where}: no such page")
                continue
            titles, anchors = _headings(page)
            if anchor and anchor not in anchors:
                bad.append(f"{where}#{anchor}: no such heading")
            if section:
                section = " ".join(section.split())
                if not any(re.match(re.escape(section) + r"\b", t, re.I) for t in titles):
                    bad.append(f"{where}, {section!r}: no such heading")
    assert bad == [] and cited > 20


def test_links_between_docs_pages_reach_their_headings():
    """``[text](page.md#anchor)`` inside docs/ and README.md: the page has that heading
    (mkdocs checks pages, not anchors)."""
    link = re.compile(r"\]\((?:docs/)?([\w.-]+\.md)#([\w-]+)\)")
    bad, seen = [], 0
    for f in FILES:
        for page, anchor in link.findall(f.read_text()):
            seen += 1
            if anchor not in _headings(page)[1]:
                bad.append(f"{f.name}: {page}#{anchor}")
    assert bad == [] and seen >= 5


def test_the_contract_pages_say_what_users_rely_on():
    """The definitions, formats and command line the code cites are written down."""
    definitions = (ROOT / "docs" / "definitions.md").read_text()
    networks = (ROOT / "docs" / "networks.md").read_text()
    for term in ("scalar unit", "max unit", "argmax set", "pattern"):
        assert f"**{term}**" in networks.lower().replace("**a ", "**"), term
    for term in ("Canonical polyhedral complex", "n_regions", "f_vector", "Decision sets",
                 "Rank of a region", "Low-rank set", "Data manifold", "Homology"):
        assert f"**{term}" in definitions, term
    formats, _ = _headings("formats.md")
    assert [t.split(" (")[0] for t in formats[1:]] == [
        "Network", "Network version 2: units and graphs", "Domain and manifold",
        "Regions file", "Report"]
    cli = (ROOT / "docs" / "cli.md").read_text()
    failures = cli.split("## Bad input and failures")[1].split("\n## ")[0]
    for status in ("`0` success", "`2` bad input", "`3` a\nlimit", "`130` interrupted"):
        assert status in failures, status
    assert "weights_only=True" in failures and "written whole or not at all" in failures
    assert "(architecture.md)" in (ROOT / "docs" / "index.md").read_text()
