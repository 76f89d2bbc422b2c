"""Open data: the api/ files of the built site, their schemas, citations and JSON-LD."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import posixpath
import re
import subprocess
import sys
import tomllib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
import yaml
from conftest import ROOT, SITE_URL, real_corpus
from kb.cite import SURVEY, Site, bib_escape, bib_name, bibtex
from kb.corpus import FOLDERS, load_corpus
from kb.export import export_files, write_files
from kb.i18n import theme_strings
from kb.models import MODELS, CaseStudy, Challenge, Entity, PaperSection, Reference, Stage
from kb.render import render_site

CORPUS = real_corpus()
ENTITIES = [e for model in MODELS for e in CORPUS.all(model)]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
MINI_SITE = Site("Mini KB", "https://example.org/kb", "9.9.9")


def load_json(site: Path, rel: str) -> Any:
    return json.loads((site / rel).read_text(encoding="utf-8"))


def validator(site: Path, schema_name: str) -> jsonschema.Draft202012Validator:
    schema = load_json(site, f"api/schema/{schema_name}")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def read_csv(site: Path, rel: str) -> tuple[list[str], list[dict[str, str]]]:
    with (site / rel).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


# The built site ------------------------------------------------------------------------------


@pytest.mark.slow
def test_exports_say_their_format_version_and_an_old_shape_is_rejected(built_site: Path) -> None:
    """Format 2: case studies list industries; 3: entries carry translations; 4: entries say
    their origin. A consumer can tell the shape it is reading, and an older one fails
    validation."""
    corpus = load_json(built_site, "api/corpus.json")
    assert corpus["format_version"] == 4
    case = next(c for c in corpus["collections"]["case-studies"] if c["id"] == "duke-sepsis-watch")
    assert case["data"]["industries"] == ["healthcare"]
    assert "industry" not in case["data"]
    entry = load_json(built_site, "api/case-studies/warfarin-dosing-poisoning.json")
    assert entry["format_version"] == 4
    assert entry["data"]["origin"] == "survey"
    assert entry["data"]["industries"] == ["security-research", "healthcare"]
    check = validator(built_site, "case-studies.entry.schema.json")
    assert not list(check.iter_errors(entry))
    old = {**entry, "format_version": 1}
    old["data"] = {**{k: v for k, v in entry["data"].items() if k != "industries"}}
    old["data"]["industry"] = "security-research"
    messages = " ".join(e.message for e in check.iter_errors(old))
    assert "4 was expected" in messages
    assert "'industries' is a required property" in messages
    two = {k: v for k, v in entry.items() if k != "translations"} | {"format_version": 2}
    messages = " ".join(e.message for e in check.iter_errors(two))
    assert "'translations' is a required property" in messages
    three = {**entry, "format_version": 3}
    three["data"] = {k: v for k, v in entry["data"].items() if k != "origin"}
    messages = " ".join(e.message for e in check.iter_errors(three))
    assert "'origin' is a required property" in messages
    assert entry["translations"]["ja"]["state"] == "translated"
    industries = load_json(built_site, "api/industries/healthcare.json")
    backlinks = {(b["collection"], b["id"]) for b in industries["backlinks"]}
    assert ("case-studies", "healthcare-ml-poisoning-attacks") in backlinks


@pytest.mark.slow
def test_corpus_json_validates_against_its_published_schema(built_site: Path) -> None:
    corpus = load_json(built_site, "api/corpus.json")
    assert corpus["version"] == VERSION
    assert corpus["schema"] == SITE_URL + "api/schema/corpus.schema.json"
    assert re.fullmatch(r"[0-9a-f]{64}", corpus["data_sha256"])
    errors = list(validator(built_site, "corpus.schema.json").iter_errors(corpus))
    assert not errors, errors[0].message
    assert {k: len(v) for k, v in corpus["collections"].items()} == {
        folder: len(CORPUS.entities[folder]) for folder in FOLDERS
    }


@pytest.mark.slow
def test_published_schemas_reject_a_document_that_breaks_them(built_site: Path) -> None:
    check = validator(built_site, "corpus.schema.json")
    corpus = load_json(built_site, "api/corpus.json")
    entry = corpus["collections"]["challenges"][0]
    entry["data"]["colour"] = "red"  # unknown field in the data
    corpus["collections"]["steps"][0]["links"][0]["collection"] = "stagez"
    del corpus["collections"]["references"][0]["backlinks"]
    messages = sorted(e.message for e in check.iter_errors(corpus))
    assert len(messages) == 3, messages
    assert any("'colour' was unexpected" in m for m in messages)
    assert any("'stagez' is not one of" in m for m in messages)
    assert any("'backlinks' is a required property" in m for m in messages)


@pytest.mark.slow
def test_every_entry_json_validates_against_its_published_schema(built_site: Path) -> None:
    checks = {m.folder: validator(built_site, f"{m.folder}.entry.schema.json") for m in MODELS}
    data_checks = {m.folder: validator(built_site, f"{m.folder}.schema.json") for m in MODELS}
    for entity in ENTITIES:
        doc = load_json(built_site, f"api/{entity.folder}/{entity.id}.json")
        errors = list(checks[entity.folder].iter_errors(doc))
        assert not errors, (entity.id, errors[0].message)
        assert not list(data_checks[entity.folder].iter_errors(doc["data"])), entity.id
        assert doc["schema"] == f"{SITE_URL}api/schema/{entity.folder}.entry.schema.json"
        assert (doc["collection"], doc["id"], doc["version"]) == (entity.folder, entity.id, VERSION)
        assert doc["url"] == f"{SITE_URL}{entity.folder}/{entity.id}/"
    assert sorted(p.name for p in (built_site / "api" / "challenges").iterdir()) == sorted(
        f"{c}.json" for c in CORPUS.entities["challenges"]
    )


@pytest.mark.slow
def test_published_data_schemas_are_the_committed_ones(built_site: Path) -> None:
    for path in sorted((ROOT / "data" / "schema").glob("*.schema.json")):
        assert (built_site / "api" / "schema" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.slow
def test_corpus_json_round_trips_to_the_entities_of_the_yaml(built_site: Path) -> None:
    corpus = load_json(built_site, "api/corpus.json")
    for model in MODELS:
        rebuilt = [model.model_validate(e["data"]) for e in corpus["collections"][model.folder]]
        assert {e.id: e for e in rebuilt} == CORPUS.entities[model.folder]


@pytest.mark.slow
def test_corpus_json_resolves_relations_and_backlinks(built_site: Path) -> None:
    collections = load_json(built_site, "api/corpus.json")["collections"]
    entries = {(e["collection"], e["id"]): e for items in collections.values() for e in items}
    challenge = entries[("challenges", "concept-drift")]
    assert challenge["stage"] == CORPUS.stage_of(CORPUS.get(Challenge, "concept-drift")).id
    checked = 0
    for path in sorted((ROOT / "data" / "case-studies").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        case = entries[("case-studies", raw["id"])]
        assert [
            (k["field"], k["id"]) for k in case["links"] if k["collection"] == "challenges"
        ] == [("challenges", c) for c in raw["challenges"]]
        for challenge_id in raw["challenges"]:
            target = entries[("challenges", challenge_id)]
            back = [(b["collection"], b["id"], b["field"]) for b in target["backlinks"]]
            assert ("case-studies", raw["id"], "challenges") in back
            assert (
                target["url"]
                == next(k for k in case["links"] if k["id"] == challenge_id)["url"]
                == f"{SITE_URL}challenges/{challenge_id}/"
            )
            checked += 1
    assert checked >= len(collections["case-studies"])


class ArticleLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag == "a" and self.depth:
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.folder)
def test_every_entry_page_links_to_its_json_file_which_exists(
    built_site: Path, model: type[Entity]
) -> None:
    for entity in CORPUS.all(model):
        here = f"{entity.folder}/{entity.id}/"
        parser = ArticleLinks()  # from the article on: the parser counts nothing before it
        html = (built_site / here / "index.html").read_text(encoding="utf-8")
        parser.feed(html[html.index("<article") :])
        targets = [
            posixpath.normpath(posixpath.join(here, h)) for h in parser.hrefs if ".json" in h
        ]
        expected = f"api/{entity.folder}/{entity.id}.json"
        assert expected in targets, (entity.id, targets)
        for target in targets:
            assert (built_site / target).is_file(), (entity.id, target)
        assert load_json(built_site, expected)["id"] == entity.id


EXPECTED_HEADERS = {
    "challenges": [
        "id",
        "title",
        "summary",
        "origin",
        "provenance.confidence",
        "provenance.note",
        "status",
        "replaced_by",
        "retired_reason",
        "redirect_from",
        "placements.arxiv_2020",
        "placements.acm_2022",
        "step",
        "related",
        "in_production",
        "aliases",
        "keywords",
        "references",
        "no_case_study",
        "stage",
        "url",
        "api_url",
    ],
    "steps": [
        "id",
        "title",
        "summary",
        "origin",
        "provenance.confidence",
        "provenance.note",
        "status",
        "replaced_by",
        "retired_reason",
        "redirect_from",
        "stage",
        "order",
        "sections.arxiv_2020",
        "sections.acm_2022",
        "url",
        "api_url",
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.folder)
def test_collection_csv_loads_with_expected_headers_and_one_row_per_file(
    built_site: Path, model: type[Entity]
) -> None:
    header, rows = read_csv(built_site, f"api/{model.folder}.csv")
    if model.folder in EXPECTED_HEADERS:
        assert header == EXPECTED_HEADERS[model.folder]
    assert header[:6] == [
        "id",
        "title",
        "summary",
        "origin",
        "provenance.confidence",
        "provenance.note",
    ]
    assert header[-2:] == ["url", "api_url"]
    for field in model.model_fields:  # every field has a column, nested ones dotted
        assert any(h == field or h.startswith(field + ".") for h in header), field
    files = sorted(p.stem for p in (ROOT / "data" / model.folder).glob("*.yaml"))
    assert len(rows) == len(files)
    assert sorted(row["id"] for row in rows) == files
    for row in rows:
        assert row["url"] == f"{SITE_URL}{model.folder}/{row['id']}/"


@pytest.mark.slow
def test_csv_cells_hold_lists_one_item_per_line(built_site: Path) -> None:
    _, rows = read_csv(built_site, "api/case-studies.csv")
    for row in rows:
        raw = yaml.safe_load((ROOT / "data" / "case-studies" / f"{row['id']}.yaml").read_text())
        assert row["challenges"].splitlines() == raw["challenges"]
        assert row["figures"].splitlines() == raw.get("figures", [])
        assert row["source"] == (raw["source"] or "")


@pytest.mark.slow
def test_relations_csv_lists_every_reference_between_entries(built_site: Path) -> None:
    header, rows = read_csv(built_site, "api/relations.csv")
    assert header == ["source_collection", "source_id", "field", "target_collection", "target_id"]
    assert len(rows) == len(CORPUS.refs)
    found = {tuple(row.values()) for row in rows}
    collections = load_json(built_site, "api/corpus.json")["collections"]
    from_json = {
        (e["collection"], e["id"], k["field"], k["collection"], k["id"])
        for items in collections.values()
        for e in items
        for k in e["links"]
    }
    assert found == from_json
    raw = yaml.safe_load((ROOT / "data" / "challenges" / "concept-drift.yaml").read_text())
    for version, step in raw["placements"].items():
        assert ("challenges", "concept-drift", f"placements.{version}", "steps", step) in found


BIB_ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),$", re.MULTILINE)


@pytest.mark.slow
def test_bibtex_file_has_one_entry_per_reference_shown_on_its_page(built_site: Path) -> None:
    text = (built_site / "api" / "references.bib").read_text(encoding="utf-8")
    keys = [key for _, key in BIB_ENTRY.findall(text)]
    assert sorted(keys) == sorted(CORPUS.entities["references"])
    assert text.count("{") == text.count("}")
    for ref in CORPUS.all(Reference):
        html = (built_site / "references" / ref.id / "index.html").read_text(encoding="utf-8")
        blocks = [
            unescape(re.sub(r"<[^>]+>", "", b)).strip()
            for b in re.findall(r"<pre[^>]*>(.*?)</pre>", html, re.DOTALL)
        ]
        assert bibtex(ref).strip() in blocks, ref.id
        assert bibtex(ref) in text


@pytest.mark.slow
def test_entry_pages_have_a_cite_section_before_provenance(built_site: Path) -> None:
    for entity in ENTITIES:
        html = (built_site / entity.folder / entity.id / "index.html").read_text(encoding="utf-8")
        assert html.index('id="cite"') < html.index('id="provenance"'), entity.id
        assert f"{SITE_URL}{entity.folder}/{entity.id}/" in html
        assert f"kb-{entity.folder}-{entity.id}" in html
    # The snippets repeat on every page: search must not return every page for "Paleyes".
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "kb-challenges-" not in index
    assert "Cite this entry" not in index


class HeadJsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.capture = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif tag == "script" and self.in_head and dict(attrs).get("type") == "application/ld+json":
            self.capture = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        elif tag == "script":
            self.capture = False

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.scripts[-1] += data


EXPECTED_TYPES = {
    "stages": {"DefinedTerm"},
    "paper": {"CreativeWork"},
    "steps": {"DefinedTerm"},
    "challenges": {"DefinedTerm"},
    "solutions": {"DefinedTerm"},
    "case-studies": {"CreativeWork"},
    "industries": {"DefinedTerm"},
    "references": {
        "ScholarlyArticle",
        "Article",
        "Book",
        "Report",
        "BlogPosting",
        "CreativeWork",
    },
}


@pytest.mark.slow
def test_entry_pages_carry_schema_org_json_ld_in_their_head(built_site: Path) -> None:
    for entity in ENTITIES:
        parser = HeadJsonLd()  # the head alone: the parser counts nothing outside it
        html = (built_site / entity.folder / entity.id / "index.html").read_text()
        parser.feed(html.partition("</head>")[0] + "</head>")
        assert len(parser.scripts) == 1, entity.id
        data = json.loads(parser.scripts[0])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in EXPECTED_TYPES[entity.folder], entity.id
        assert data["@id"] == f"{SITE_URL}{entity.folder}/{entity.id}/"
        assert data["name"] == entity.title
        if isinstance(entity, PaperSection):
            assert data["isPartOf"]["@id"] == f"https://doi.org/{SURVEY['doi']}"
        elif entity.addition:  # this knowledge base's own, resting on its cited sources
            assert "isBasedOn" not in data, entity.id
        elif not isinstance(entity, Reference):
            assert data["isBasedOn"]["@id"] == f"https://doi.org/{SURVEY['doi']}"
    home = HeadJsonLd()
    home.feed((built_site / "index.html").read_text().partition("</head>")[0] + "</head>")
    assert home.scripts == []


def test_theme_override_escapes_json_ld_so_data_cannot_close_the_script() -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "base.html": "<head>{% block extrahead %}{% endblock %}</head>",
                "main.html": (ROOT / "overrides" / "main.html").read_text(),
            }
        )
    )
    env.filters["url"] = lambda path: path  # MkDocs' theme filter (main.html links a script)
    evil = {"name": "</script><script>alert(1)</script> & <!--"}
    # The theme's strings, as the build puts them in the engine configuration (English).
    strings = {text: text for text in theme_strings(ROOT / "overrides")}
    html = env.get_template("main.html").render(
        page={"meta": {"jsonld": evil}}, config={"extra": {"kb_text": strings}}
    )
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert script is not None
    assert "<" not in script[1]
    assert "&" not in script[1]
    assert json.loads(script[1]) == evil


@pytest.mark.slow
def test_readme_example_fetches_the_challenges_of_one_stage(
    served_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Open data") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    # The example reads the address of any deployment from KB_SITE_URL: run it as written.
    assert 'os.environ.get("KB_SITE_URL"' in code[1]
    monkeypatch.setenv("KB_SITE_URL", served_site)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code[1], {})
    stage = re.search(r'\["stage"\] == "([a-z-]+)"', code[1])
    assert stage is not None
    expected = [
        f"{c.id}: {c.title}"
        for c in CORPUS.all(Challenge)
        if CORPUS.stage_of(c) == CORPUS.get(Stage, stage[1])
    ]
    assert expected
    assert out.getvalue().splitlines() == expected


# Citations -----------------------------------------------------------------------------------


def test_citation_cff_cites_the_project_version_and_the_survey() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert cff["version"] == VERSION
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "url" not in cff  # no published site yet: its address comes from the deployment
    repo_line = re.search(r"^repo_url: .*$", mkdocs, re.MULTILINE)
    assert repo_line is not None
    assert f'"{cff["repository-code"]}"' in repo_line[0]  # the default of KB_REPO_URL
    assert f"site_name: {cff['title']}" in mkdocs
    (survey,) = cff["references"]
    assert survey["doi"] == SURVEY["doi"]
    assert survey["title"] == SURVEY["title"]
    assert survey["journal"] == SURVEY["journal"]
    assert (survey["volume"], survey["issue"], survey["year"]) == (
        SURVEY["volume"],
        SURVEY["issue"],
        SURVEY["year"],
    )
    names = [f"{a['given-names']} {a['family-names']}" for a in survey["authors"]]
    assert names == SURVEY["authors"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saleema Amershi", "Saleema Amershi"),
        ("et al.", "others"),
        ("Algorithmia", "{Algorithmia}"),
        ("The Royal Society", "{The Royal Society}"),
        ("VDI (Association of German Engineers)", "{VDI (Association of German Engineers)}"),
        ("NeurIPS 2019 organisers", "{NeurIPS 2019 organisers}"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("dotscience", "{dotscience}"),
    ],
)
def test_bibtex_author_names(name: str, expected: str) -> None:
    assert bib_name(name) == expected


def test_bibtex_escapes_latex_specials() -> None:
    assert bib_escape("50% of R&D_{x} #1 $2 ~a^b \\c") == (
        r"50\% of R\&D\_\{x\} \#1 \$2 \textasciitilde{}a\textasciicircum{}b \textbackslash{}c"
    )


# The exporter on the mini corpus --------------------------------------------------------------


def test_export_is_deterministic_and_uses_the_site_url(mini_data: Path) -> None:
    first = export_files(load_corpus(mini_data), MINI_SITE)
    assert first == export_files(load_corpus(mini_data), MINI_SITE)
    assert list(first) == sorted(first)
    corpus = json.loads(first["api/corpus.json"])
    assert corpus["schema"] == "https://example.org/kb/api/schema/corpus.schema.json"
    assert corpus["version"] == "9.9.9"
    schema = json.loads(first["api/schema/corpus.schema.json"])
    assert schema["$id"] == corpus["schema"]
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(corpus))


def test_data_hash_follows_the_data_not_the_formatting(mini_data: Path) -> None:
    before = json.loads(export_files(load_corpus(mini_data), MINI_SITE)["api/corpus.json"])
    path = mini_data / "challenges" / "data-discovery.yaml"
    path.write_text(path.read_text() + "\n# a comment\n")
    same = json.loads(export_files(load_corpus(mini_data), MINI_SITE)["api/corpus.json"])
    assert same["data_sha256"] == before["data_sha256"]
    path.write_text(path.read_text().replace("title: ", "title: Re-", 1))
    changed = json.loads(export_files(load_corpus(mini_data), MINI_SITE)["api/corpus.json"])
    assert changed["data_sha256"] != before["data_sha256"]


def test_write_files_rewrites_only_changes_and_prunes_stale_exports(
    mini_data: Path, tmp_path: Path
) -> None:
    files = export_files(load_corpus(mini_data), MINI_SITE)
    out = tmp_path / "out"
    assert write_files(files, out) == list(files)
    assert write_files(files, out) == []
    (out / "api" / "challenges" / "gone.json").write_text("{}")
    (out / "keep.md").write_text("not an export")
    assert write_files(files, out) == []
    assert not (out / "api" / "challenges" / "gone.json").exists()
    assert (out / "keep.md").exists()


def test_render_without_a_site_has_no_cite_section_or_json_ld(mini_data: Path) -> None:
    corpus = load_corpus(mini_data)
    bare = render_site(corpus)["case-studies/twitter-data-dispersion.md"]
    assert "#cite" not in bare
    assert "jsonld:" not in bare
    page = render_site(corpus, MINI_SITE)["case-studies/twitter-data-dispersion.md"]
    assert "## Cite this entry { #cite data-search-exclude }" in page
    assert "https://example.org/kb/case-studies/twitter-data-dispersion/" in page
    assert "[this entry as JSON](../api/case-studies/twitter-data-dispersion.json)" in page
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["jsonld"]["@type"] == "CreativeWork"
    assert front["jsonld"]["about"] == [
        {"@id": f"https://example.org/kb/challenges/{c}/"}
        for c in corpus.get(CaseStudy, "twitter-data-dispersion").challenges
    ]


def test_cli_build_writes_the_open_data_beside_the_pages(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    command = [sys.executable, str(ROOT / "scripts" / "build.py"), "--data", str(mini_data)]
    result = subprocess.run(
        [*command, "build", "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    docs = out / "en" / "docs"  # the English edition's docs: the site's root
    corpus = json.loads((docs / "api" / "corpus.json").read_text())
    assert corpus["schema"] == SITE_URL + "api/schema/corpus.schema.json"
    page = (docs / "challenges" / "data-discovery.md").read_text()
    link = re.search(r"\[this entry as JSON\]\(([^)]+)\)", page)
    assert link is not None
    assert (docs / "challenges" / link[1]).resolve() == (
        docs / "api" / "challenges" / "data-discovery.json"
    ).resolve()
