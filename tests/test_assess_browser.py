"""Team assessment in chromium: the page on the real built site, and on a copy with a retired entry.

Held to the same golden files as ``kb report`` (tests/test_assess.py): importing a fixture and
exporting it gives the committed reports byte for byte, and every bad file gets the committed
message. Every request is logged; none may leave 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from assess_helpers import CASES, FIXTURES, VALIDATION, case_bytes, html_body, kb_report
from conftest import ROOT, axe_script, static_host
from find_helpers import serve_sitemap_locally
from kb.assess import Assessment, fill, migrate, page_data
from kb.cite import Site, project_version
from kb.corpus import load_corpus
from test_assess import SITE, STRINGS

pytestmark = pytest.mark.browser

READY = "#kb-assess[data-ready=true]"
FILE_INPUT = ".kb-assess__open input[type=file]"


def select(page: Any, challenge: str) -> Any:
    """The status control of a challenge in the table on screen."""
    return page.locator(f".kb-assess-table:not([hidden]) [data-challenge={challenge}] select")


def shown(page: Any) -> Any:
    """The table of the chosen version (the other one is hidden)."""
    return page.locator(".kb-assess-table:not([hidden])")


def item(page: Any, challenge: str) -> Any:
    return page.locator(f".kb-assess-table:not([hidden]) [data-challenge={challenge}]")


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY)


def download(page: Any, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = info.value.path()
    assert path is not None
    return Path(path).read_bytes()


def import_file(page: Any, name: str, content: bytes) -> None:
    page.set_input_files(
        FILE_INPUT, files=[{"name": name, "mimeType": "application/json", "buffer": content}]
    )


def drop_file(page: Any, name: str, content: bytes) -> None:
    """Drop a file on the drop zone, as a drag from the desktop does."""
    page.evaluate(
        """([name, text]) => {
          const data = new DataTransfer();
          data.items.add(new File([text], name, {type: "application/json"}));
          const zone = document.querySelector(".kb-assess__drop");
          zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true,
            cancelable: true}));
          zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true,
            cancelable: true}));
        }""",
        [name, content.decode("utf-8")],
    )


def wait_refusal(page: Any, name: str) -> None:
    """Wait for the message about file ``name`` (files are read asynchronously)."""
    page.wait_for_function(
        "name => document.querySelector('.kb-assess [role=alert]').textContent"
        ".startsWith('Could not open ' + name + ':')",
        arg=name,
    )


def messages(page: Any, role: str) -> str:
    return str(page.locator(f".kb-assess [role={role}]").inner_text())


def saved(page: Any) -> Any:
    text = page.evaluate("localStorage.getItem('deploying-ml-kb-assessment')")
    return json.loads(text) if text else None


def outside(requests: list[str], base: str) -> list[str]:
    local = urlsplit(base).netloc
    return [
        u
        for u in requests
        if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).netloc != local
    ]


def test_fill_reload_share_export_import_and_nothing_leaves_the_machine(
    browser: Any, served_site_without_search: str, tmp_path: Path
) -> None:
    requests: list[str] = []
    first = browser.new_context(accept_downloads=True)
    first.grant_permissions(["clipboard-read", "clipboard-write"])
    first.on("request", lambda r: requests.append(r.url))
    page = first.new_page()
    open_page(page, served_site_without_search + "assess/")

    # Fill: a name, a date, three statuses, a note and a team link.
    page.get_by_label("Assessment name").fill("Platform team: launch review")
    page.get_by_label("Date").fill("2025-03-14")
    select(page, "concept-drift").select_option("facing")
    select(page, "data-discovery").select_option("mitigated")
    select(page, "authorship").select_option("not-relevant")
    item(page, "concept-drift").locator("summary").click()
    shown(page).get_by_label("Note on Concept drift").fill("Retrain monthly | alert on PSI")
    shown(page).get_by_label("Team link for Concept drift").fill(
        "https://wiki.example.org/ml/drift"
    )
    assert "kb-assess-status--facing" in str(item(page, "concept-drift").get_attribute("class"))
    summary = page.locator(".kb-assess__summary")
    assert summary.locator("tr", has_text="Model deployment").inner_text().split("\t") == [
        "Model deployment", "8", "0", "0", "1", "0",
    ]  # fmt: skip

    # Reload: restored from localStorage.
    page.reload()
    page.wait_for_selector(READY)
    assert "Restored the assessment saved in this browser." in messages(page, "status")
    assert select(page, "concept-drift").input_value() == "facing"
    assert select(page, "data-discovery").input_value() == "mitigated"
    assert page.get_by_label("Assessment name").input_value() == "Platform team: launch review"
    assert page.get_by_label("Date").input_value() == "2025-03-14"
    assert shown(page).get_by_label("Note on Concept drift").input_value() == (
        "Retrain monthly | alert on PSI"
    )
    assert item(page, "concept-drift").locator("summary").inner_text() == (
        "Note and link (filled in)"
    )

    # Share: the whole assessment sits in the fragment of the link.
    page.get_by_role("button", name="Copy share link").click()
    page.wait_for_selector("text=Copied the share link.")
    link = page.get_by_label("Share link").input_value()
    assert link.startswith(served_site_without_search + "assess/#assessment=")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert "Copied the share link." in messages(page, "status")

    # A fresh context (no storage) opens the link: restored, then the fragment is dropped.
    second = browser.new_context()
    second.on("request", lambda r: requests.append(r.url))
    other = second.new_page()
    open_page(other, link)
    assert "Opened the assessment from the share link." in messages(other, "status")
    assert select(other, "concept-drift").input_value() == "facing"
    assert shown(other).get_by_label("Note on Concept drift").input_value() == (
        "Retrain monthly | alert on PSI"
    )
    assert other.evaluate("location.hash") == ""
    other.reload()
    other.wait_for_selector(READY)
    assert select(other, "authorship").input_value() == "not-relevant"
    second.close()

    # Export: the page's Markdown is what kb report makes of the exported file.
    exported = download(page, "Save assessment file")
    markdown = download(page, "Download Markdown")
    (tmp_path / "exported.json").write_bytes(exported)
    report = kb_report(tmp_path / "exported.json")
    assert report.returncode == 0, report.stderr.decode()
    assert report.stderr == b""
    assert markdown == report.stdout
    assert b"| \xe2\x96\xb2 Facing | Retrain monthly \\| alert on PSI | [link](" in markdown
    document = json.loads(exported)
    assert document["format"] == "deploying-ml-kb-assessment"
    assert document["format_version"] == 1
    assert set(document["corpus"]) == {"version", "data_sha256"}

    # A broken file: a clear message, and the assessment is kept as it was.
    before = saved(page)
    import_file(page, "broken.json", b'{"format": "deploying-ml-kb-assessment", "challen')
    wait_refusal(page, "broken.json")
    alert = messages(page, "alert")
    assert alert.startswith("Could not open broken.json: not valid JSON (")
    assert alert.endswith("The assessment on screen is unchanged.")
    assert saved(page) == before
    assert select(page, "concept-drift").input_value() == "facing"

    # An old file, dropped on the page, naming a renamed challenge: mapped, with a notice.
    old = json.loads(exported)
    old["challenges"] = {"hardware-aware-optimisation": {"status": "watching", "note": "Phones"}}
    drop_file(page, "old.json", json.dumps(old).encode())
    page.wait_for_selector(".kb-assess__changes")
    notice = messages(page, "status")
    assert "Opened old.json." in notice
    assert (
        "hardware-aware-optimisation is now “Hardware-aware optimization”: its entry was "
        "moved there." in notice
    )
    assert select(page, "hardware-aware-optimization").input_value() == "watching"
    assert select(page, "concept-drift").input_value() == "not-assessed"
    # The assessment it replaced can come back.
    page.get_by_role("button", name="Undo").click()
    assert select(page, "concept-drift").input_value() == "facing"
    first.close()

    assert len(requests) > 10
    assert not [u for u in requests if "assessment=" in u]  # the fragment never leaves
    assert outside(requests, served_site_without_search) == []


@pytest.mark.parametrize("name", FIXTURES)
def test_an_imported_fixture_exports_the_golden_reports(
    browser: Any, served_site_without_search: str, name: str
) -> None:
    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_page(page, served_site_without_search + "assess/")
    import_file(page, f"{name}.json", (CASES / f"{name}.json").read_bytes())
    page.wait_for_selector(f"text=Opened {name}.json.")
    assert download(page, "Download Markdown") == (CASES / f"{name}.md").read_bytes()
    assert download(page, "Download CSV") == (CASES / f"{name}.csv").read_bytes()

    page.get_by_role("button", name="Copy as a table").click()
    page.wait_for_selector("text=Copied the report as a table")
    clipboard = page.evaluate(
        """async () => {
          const [item] = await navigator.clipboard.read();
          const text = async (type) => (await item.getType(type)).text();
          return {types: item.types, html: await text("text/html"),
                  plain: await text("text/plain")};
        }"""
    )
    assert set(clipboard["types"]) == {"text/html", "text/plain"}
    assert clipboard["plain"] == (CASES / f"{name}.md").read_text(encoding="utf-8")
    golden = html_body((CASES / f"{name}.html").read_text(encoding="utf-8"))
    # What the button renders, byte for byte (from the state the page saved) ...
    assert page.evaluate(RENDER_HTML) == golden
    # ... and what the clipboard holds: the same markup, as Chromium re-serialises it.
    assert page.evaluate(SERIALISE, clipboard["html"]) == page.evaluate(SERIALISE, golden)

    exported = Assessment.model_validate(json.loads(download(page, "Save assessment file")))
    original = Assessment.model_validate(json.loads((CASES / f"{name}.json").read_bytes()))
    fields = ("name", "date", "table_version", "challenges")
    assert [getattr(exported, f) for f in fields] == [getattr(original, f) for f in fields]
    context.close()


RENDER_HTML = """() => {
  const core = window.kbAssessCore;
  const embedded = document.getElementById("kb-assess-embedded").content;
  const json = (id) => JSON.parse(embedded.getElementById(id).textContent);
  const data = json("kb-assess-data"), strings = json("kb-assess-strings");
  const saved = new TextEncoder().encode(localStorage.getItem("deploying-ml-kb-assessment"));
  return core.renderHtml(core.readAssessment(saved, data, strings), data, strings);
}"""

SERIALISE = """(html) => {
  const template = document.createElement("template");
  template.innerHTML = html.replace(/^<meta charset=['"]utf-8['"]>/, "");
  for (const a of template.content.querySelectorAll("a[href]")) {
    a.setAttribute("href", decodeURI(a.getAttribute("href")));  // Chromium encodes "|" as %7C
  }
  return template.innerHTML;
}"""


def test_the_page_gives_each_case_of_the_validation_table_its_answer(
    page: Any, served_site_without_search: str
) -> None:
    """The page's half of the one validation table (kb report's half: test_assess.py), through
    the page's own import, in one page load: a refused file leaves the assessment as it was; an
    accepted one opens, and its CSV export defuses formulas as kb report does."""
    open_page(page, served_site_without_search + "assess/")
    select(page, "concept-drift").select_option("watching")
    for case in VALIDATION:
        name = case["name"]
        before = saved(page)
        page.evaluate(CLEAR_MESSAGES)
        import_file(page, name, case_bytes(case))
        page.wait_for_function(MESSAGE_SHOWN)
        alert, status = messages(page, "alert"), messages(page, "status")
        if "message" not in case:
            assert case["accepted"] is True
            assert (alert, status.splitlines()[0]) == ("", f"Opened {name}."), name
            if "csv" in case:
                note_cell = '"' + case["csv"] + '"'
                assert f',"Facing",{note_cell},' in page.evaluate(EXPORT_CSV), name
            continue
        if case.get("same_in_browser", True):
            expected = f"Could not open {name}: {case['message']}."
            assert alert == f"{expected} The assessment on screen is unchanged.", name
        else:
            prefix = case["message"].split("(")[0]
            assert alert.startswith(f"Could not open {name}: {prefix}("), alert
        assert saved(page) == before, name


BOXES = "document.querySelectorAll('.kb-assess [role=alert], .kb-assess [role=status]')"
CLEAR_MESSAGES = f"() => {{ for (const box of {BOXES}) box.replaceChildren(); }}"
MESSAGE_SHOWN = f"() => [...{BOXES}].some(box => box.textContent)"
EXPORT_CSV = """() => {
  const core = window.kbAssessCore;
  const embedded = document.getElementById("kb-assess-embedded").content;
  const json = (id) => JSON.parse(embedded.getElementById(id).textContent);
  const data = json("kb-assess-data"), strings = json("kb-assess-strings");
  const saved = new TextEncoder().encode(localStorage.getItem("deploying-ml-kb-assessment"));
  return core.renderCsv(core.readAssessment(saved, data, strings), data, strings);
}"""


def backups(page: Any) -> list[str]:
    """The texts of the backups the page kept, oldest first."""
    return list(
        page.evaluate(
            """() => Object.keys(localStorage)
              .filter(k => k.startsWith("deploying-ml-kb-assessment.backup."))
              .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()))
              .map(k => localStorage.getItem(k))"""
        )
    )


def share_link(base: str, document: dict[str, Any]) -> str:
    text = json.dumps(document, separators=(",", ":")).encode()
    return base + "#assessment=" + base64.urlsafe_b64encode(text).decode().rstrip("=")


def test_what_the_page_cannot_read_is_kept_and_a_share_link_asks_first(
    browser: Any, served_site_without_search: str
) -> None:
    """Never lose work: an unreadable saved state becomes a backup the user is told of and can
    download; a date the format refuses is never saved; a share link opened in another tab asks
    before it replaces saved work, and Undo brings the work back."""
    url = served_site_without_search + "assess/"
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    newer = json.dumps({**VALID_FILE, "format_version": 2, "name": "Made by a newer page"})
    page.evaluate("text => localStorage.setItem('deploying-ml-kb-assessment', text)", newer)
    page.reload()
    page.wait_for_selector(READY)
    problem = (
        "made with a newer version of this page (file format 2; this page reads format 1 and older)"
    )
    assert messages(page, "alert") == fill(STRINGS["ui.unreadable"], problem=problem)
    listed = page.locator(".kb-assess__backups")
    assert listed.is_visible()
    assert problem in listed.inner_text()
    with page.expect_download() as info:
        listed.get_by_role("button", name="Download: assessment-backup-1.json").click()
    assert Path(str(info.value.path())).read_text(encoding="utf-8") == newer
    assert select(page, "concept-drift").input_value() == "not-assessed"  # starts blank ...
    select(page, "concept-drift").select_option("facing")
    assert backups(page) == [newer]  # ... and the next edit leaves the copy alone

    # A five-digit year: shown as refused, never saved; the reload restores the assessment.
    date = page.get_by_label("Date")
    date.fill("2025-03-14")
    date.fill("20255-03-14")
    assert date.get_attribute("aria-invalid") == "true"
    assert page.get_by_text(STRINGS["ui.date_invalid"]).is_visible()
    assert saved(page)["date"] == "2025-03-14"
    page.reload()
    page.wait_for_selector(READY)
    assert (date.input_value(), select(page, "concept-drift").input_value()) == (
        "2025-03-14",
        "facing",
    )
    mine = saved(page)

    # A share link in another tab: it asks; the saved work stays until the user chooses.
    shared = {
        **VALID_FILE,
        "name": "Shared",
        "challenges": {"data-discovery": {"status": "mitigated"}},
    }
    other = context.new_page()
    open_page(other, share_link(url, shared))
    assert STRINGS["ui.link_choice"] in messages(other, "status")
    assert select(other, "concept-drift").input_value() == "facing"
    assert saved(other) == mine
    other.get_by_role("button", name=STRINGS["ui.link_open"]).click()
    assert select(other, "data-discovery").input_value() == "mitigated"
    assert saved(other)["name"] == "Shared"
    assert other.evaluate("location.hash") == ""
    assert json.loads(backups(other)[-1]) == mine
    # The first tab follows instead of overwriting it at its next edit, and lists the backup.
    page.wait_for_function(
        "() => document.querySelector('.kb-assess-table:not([hidden]) "
        "[data-challenge=data-discovery] select').value === 'mitigated'"
    )
    assert STRINGS["ui.changed_elsewhere"] in messages(page, "status")
    page.wait_for_function("() => document.querySelectorAll('.kb-assess__backup').length === 2")
    # Undo brings the work back; the shared assessment is kept in its turn.
    other.get_by_role("button", name=STRINGS["ui.undo"]).click()
    assert saved(other) == mine
    assert select(other, "concept-drift").input_value() == "facing"
    assert [json.loads(b).get("name") for b in backups(other)] == [
        "Made by a newer page",
        "Shared",
    ]

    # Keep mine: nothing changes, and the link leaves the address bar.
    third = context.new_page()
    open_page(third, share_link(url, shared))
    third.get_by_role("button", name=STRINGS["ui.link_keep"]).click()
    assert STRINGS["ui.link_kept"] in messages(third, "status")
    assert (saved(third), third.evaluate("location.hash")) == (mine, "")
    context.close()


VALID_FILE: dict[str, Any] = {
    "format": "deploying-ml-kb-assessment",
    "format_version": 1,
    "corpus": {"version": "0.1.0", "data_sha256": "0" * 64},
    "table_version": "acm_2022",
}


# A site where a challenge has been retired: the miniature corpus's lifecycle project
# (conftest.lifecycle_project), where country-level-regulations is merged into data-discovery.
RETIRED, SUCCESSOR = "country-level-regulations", "data-discovery"


@pytest.fixture(scope="session")
def retired_site(lifecycle_project: Path) -> Iterator[str]:
    """The lifecycle project's site, served on 127.0.0.1 (no search index: no test here
    searches)."""
    with static_host(lifecycle_project / "site", search=False) as base:
        yield base


def test_a_retired_challenge_maps_to_its_successor(
    browser: Any, retired_site: str, lifecycle_project: Path, tmp_path: Path
) -> None:
    old = {
        "format": "deploying-ml-kb-assessment",
        "format_version": 1,
        "corpus": {"version": "0.1.0", "data_sha256": "0" * 64},
        "table_version": "acm_2022",
        "name": "Made before the merge",
        "challenges": {RETIRED: {"status": "facing", "note": "Rules differ by country"}},
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    requests: list[str] = []
    context = browser.new_context(accept_downloads=True)
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    open_page(page, retired_site + "assess/")
    assert item(page, RETIRED).count() == 0  # a retired entry leaves the matrix
    import_file(page, "old.json", path.read_bytes())
    page.wait_for_selector(".kb-assess__changes")
    assert messages(page, "status").splitlines()[-1] == (
        "“Country-level regulations” (country-level-regulations) was retired: its entry now "
        "applies to “Data discovery”."
    )
    assert select(page, SUCCESSOR).input_value() == "facing"
    assert (
        shown(page).get_by_label("Note on Data discovery").input_value()
        == "Rules differ by country"
    )

    # The page and the command line of that project agree on the mapping and the report.
    corpus = load_corpus(lifecycle_project / "data")
    site = Site(SITE.name, SITE.url, project_version(lifecycle_project))
    expected, changes = migrate(Assessment.model_validate(old), page_data(corpus, site))
    exported = Assessment.model_validate(json.loads(download(page, "Save assessment file")))
    assert exported.challenges == expected.challenges
    assert [c.kind for c in changes] == ["retired"]
    report = kb_report(path, cwd=lifecycle_project)
    assert report.returncode == 0
    assert "was retired: its entry now applies to “Data discovery”." in report.stderr.decode()
    assert download(page, "Download Markdown") == report.stdout
    context.close()
    assert outside(requests, retired_site) == []


def test_keyboard_alone_sets_a_status_writes_a_note_and_clears(
    page: Any, served_site_without_search: str
) -> None:
    open_page(page, served_site_without_search + "assess/")
    status = select(page, "data-profiling")
    status.focus()
    page.keyboard.press("ArrowDown")
    assert status.input_value() == "not-relevant"
    page.keyboard.press("Tab")  # to "Note and link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Profiling runs nightly")
    assert (
        shown(page).get_by_label("Note on Data profiling").input_value() == "Profiling runs nightly"
    )
    assert saved(page)["challenges"]["data-profiling"] == {
        "note": "Profiling runs nightly",
        "status": "not-relevant",
    }

    # Clearing asks first: dismissed, nothing changes; accepted, everything goes.
    asked: list[str] = []

    def answer(accept: bool) -> None:
        page.once(
            "dialog", lambda d: (asked.append(d.message), d.accept() if accept else d.dismiss())
        )

    clear = page.get_by_role("button", name="Clear assessment")
    answer(False)
    clear.focus()
    page.keyboard.press("Enter")
    assert status.input_value() == "not-relevant"
    answer(True)
    page.keyboard.press("Enter")
    assert status.input_value() == "not-assessed"
    assert asked == [STRINGS["ui.confirm_clear"]] * 2
    assert saved(page)["challenges"] == {}
    assert STRINGS["ui.cleared"] in messages(page, "status")
    # What was cleared is kept as a backup, and comes back.
    page.get_by_role("button", name="Undo").click()
    assert status.input_value() == "not-relevant"


def test_the_version_switch_shows_the_2020_table_and_its_counts(
    page: Any, served_site_without_search: str
) -> None:
    open_page(page, served_site_without_search + "assess/")
    select(page, "privacy-aware-training").select_option("facing")  # listed in 2022 only
    page.get_by_role("radio", name="arXiv 2020").check()
    assert page.locator(".kb-assess-table:not([hidden])").get_attribute("data-version") == (
        "arxiv_2020"
    )
    assert item(page, "privacy-aware-training").count() == 0
    total = page.locator(".kb-assess__summary:not(.kb-assess__summary--additions)")
    assert total.locator(".kb-assess__total").inner_text().split("\t") == [
        "Total", "38", "0", "0", "0", "0",
    ]  # fmt: skip
    assert "Privacy-aware training (Facing)" in page.locator(".kb-assess__extras").inner_text()
    assert saved(page)["table_version"] == "arxiv_2020"


def added(page: Any, challenge: str) -> Any:
    """The status control of a challenge beyond Table 1 (shown with either version)."""
    return page.locator(f".kb-assess-additions [data-challenge={challenge}] select")


def test_the_additions_are_assessed_with_either_version_and_counted_apart(
    page: Any, served_site_without_search: str
) -> None:
    open_page(page, served_site_without_search + "assess/")
    section = page.locator(".kb-assess-additions")
    assert section.get_by_role("heading", name="Beyond Table 1").is_visible()
    assert section.locator(".kb-origin--kb").inner_text() == "Added by this knowledge base"
    assert section.locator("select").count() == 12
    added(page, "model-ownership-in-production").select_option("facing")
    added(page, "unclear-requirements").select_option("mitigated")
    card = page.locator(".kb-assess-additions [data-challenge=model-ownership-in-production]")
    assert "kb-assess-status--facing" in str(card.get_attribute("class"))
    table1 = page.locator(".kb-assess__summary:not(.kb-assess__summary--additions)")
    beyond = page.locator(".kb-assess__summary--additions")
    assert beyond.locator("caption").inner_text() == STRINGS["ui.summary_additions"]
    expected = ["Total", "10", "0", "0", "1", "1"]
    assert beyond.locator(".kb-assess__total").inner_text().split("\t") == expected
    assert table1.locator(".kb-assess__total").inner_text().split("\t") == [
        "Total", "44", "0", "0", "0", "0",
    ]  # fmt: skip
    # The other version: the additions stay, with their statuses, and are not its extras.
    page.get_by_role("radio", name="arXiv 2020").check()
    assert section.is_visible()
    assert added(page, "model-ownership-in-production").input_value() == "facing"
    assert page.locator(".kb-assess__extras").is_hidden()
    assert beyond.locator(".kb-assess__total").inner_text().split("\t") == expected
    assert saved(page)["challenges"] == {
        "model-ownership-in-production": {"status": "facing"},
        "unclear-requirements": {"status": "mitigated"},
    }


def test_an_old_share_link_without_additions_opens_and_reports_as_before(
    browser: Any, served_site_without_search: str
) -> None:
    """A link shared before there were additions: it opens, and the page's reports are the
    golden ones (whose Table 1 part test_assess.py holds to the report before the additions)."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    document = json.loads((CASES / "team.json").read_bytes())
    open_page(page, share_link(served_site_without_search + "assess/", document))
    assert "Opened the assessment from the share link." in messages(page, "status")
    assert download(page, "Download Markdown") == (CASES / "team.md").read_bytes()
    assert download(page, "Download CSV") == (CASES / "team.csv").read_bytes()
    assert page.evaluate(RENDER_HTML) == html_body((CASES / "team.html").read_text("utf-8"))
    context.close()


def test_an_invalid_team_link_is_refused_where_it_is_typed(
    page: Any, served_site_without_search: str
) -> None:
    open_page(page, served_site_without_search + "assess/")
    item(page, "feedback-loops").locator("summary").click()
    link = shown(page).get_by_label("Team link for Feedback loops")
    link.fill("javascript:alert(1)")
    assert link.get_attribute("aria-invalid") == "true"
    assert item(page, "feedback-loops").locator(".kb-assess__invalid").is_visible()
    assert saved(page) is None or "feedback-loops" not in saved(page)["challenges"]
    link.fill("https://tickets.example.org/ML-7")
    assert link.get_attribute("aria-invalid") == "false"
    assert saved(page)["challenges"]["feedback-loops"]["link"] == "https://tickets.example.org/ML-7"


def test_the_page_starts_after_instant_navigation(
    page: Any, served_site_without_search: str
) -> None:
    # Material navigates instantly only to pages its sitemap lists, at this address: without
    # this, the click was a full load, and the test proved nothing about instant navigation.
    serve_sitemap_locally(page, served_site_without_search)
    page.goto(served_site_without_search)
    page.wait_for_load_state("networkidle")  # the sitemap is in: links are now intercepted
    page.evaluate("window.__kbSamePage = true")
    page.locator(".md-tabs").get_by_role("link", name="Assess").click()
    page.wait_for_url("**/assess/")
    page.wait_for_selector(READY)
    assert page.evaluate("window.__kbSamePage") is True, "navigation was not instant"
    assert select(page, "concept-drift").count() == 1


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The (width, height) in points of every page of a PDF (Chromium writes plain objects)."""
    boxes = re.findall(rb"/Type\s*/Page\b.*?/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf, re.S)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.parametrize("version", ["acm_2022", "arxiv_2020"])
def test_a_full_assessment_prints_on_one_a4_landscape_page(
    page: Any, served_site_without_search: str, version: str
) -> None:
    open_page(page, served_site_without_search + "assess/")
    page.get_by_label("Assessment name").fill("Payments platform: quarterly review")
    page.get_by_label("Date").fill("2025-06-30")
    page.locator(f"input[value={version}]").check()
    statuses = ["facing", "watching", "mitigated", "not-relevant"]
    # Table 1 of the version, and the additions beyond it, printed beside it.
    controls = page.locator(".kb-assess-table:not([hidden]) select, .kb-assess-additions select")
    for i in range(controls.count()):
        controls.nth(i).select_option(statuses[i % len(statuses)])
    page.emulate_media(media="print")
    assert shown(page).locator(".kb-assess__label").first.is_visible()
    assert page.locator(".kb-assess-additions .kb-assess__label").last.is_visible()
    assert not controls.first.is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = pdf_pages(pdf)
    assert len(sizes) == 1, f"{len(sizes)} pages"
    width, height = sizes[0]
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)  # A4, landscape


def test_axe_finds_nothing_with_every_status_and_message_on_screen(
    browser: Any, served_site_without_search: str
) -> None:
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(served_site_without_search + "assess/")
        # A saved state this page cannot read: a backup with its buttons is listed.
        newer = json.dumps({**VALID_FILE, "format_version": 2})
        page.evaluate("text => localStorage.setItem('deploying-ml-kb-assessment', text)", newer)
        page.reload()
        page.wait_for_selector(".kb-assess__backup")
        for challenge, status in [
            ("data-discovery", "facing"),
            ("data-cleaning", "watching"),
            ("data-dispersion", "mitigated"),
            ("access-to-experts", "not-relevant"),
        ]:
            select(page, challenge).select_option(status)
        # A share link over this saved work: the question, with the backup listed.
        page.goto("about:blank")
        open_page(
            page,
            share_link(served_site_without_search + "assess/", {**VALID_FILE, "name": "Shared"}),
        )
        page.wait_for_selector(".kb-assess__choice")
        item(page, "data-discovery").locator("summary").click()
        shown(page).get_by_label("Team link for Data discovery").fill("not a link")
        page.get_by_label("Date").fill("20255-01-01")
        import_file(page, "broken.json", b"[]")
        wait_refusal(page, "broken.json")
        page.evaluate("document.querySelector('.kb-assess__share').hidden = false")
        # The click scrolls the page up, so Material fades in its "Back to top" button: let the
        # transitions end, or axe measures the button's colour half-way (a false contrast error).
        page.evaluate(
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
        page.evaluate(axe_script())
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        context.close()
        assert results["passes"]
        found += [
            f"{scheme} {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]} "
            f"{[n.get('failureSummary') for n in v['nodes']][:1]}"
            for v in results["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    assert found == []


@pytest.mark.parametrize("name", FIXTURES)
def test_the_japanese_page_exports_what_kb_report_lang_ja_prints(
    browser: Any, served_site_without_search: str, name: str
) -> None:
    """The Japanese assessment page and `kb report --lang ja` give the same report, byte for
    byte: its words and its links to the Japanese edition."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    open_page(page, served_site_without_search + "ja/assess/")
    import_file(page, f"{name}.json", (CASES / f"{name}.json").read_bytes())
    page.wait_for_function("document.querySelector('.kb-assess [role=status]')?.textContent")
    exported = download(page, "Markdownをダウンロード")
    context.close()
    script, fixture = str(ROOT / "scripts" / "build.py"), str(CASES / f"{name}.json")
    result = subprocess.run(
        [sys.executable, script, "report", fixture, "--lang", "ja"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert exported == result.stdout
    assert "/ja/challenges/" in exported.decode()
    assert re.search(r"[\u3040-\u30ff]", exported.decode())
