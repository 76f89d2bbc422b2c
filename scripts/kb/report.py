"""Reports of a team assessment: Markdown for a wiki, CSV for a spreadsheet, HTML for rich copy.

Each renderer is a pure function of an :class:`~kb.assess.Assessment`, the page data
(:func:`kb.assess.page_data`) and the interface strings. ``kb-assess.js`` holds a line-for-line
twin of every function here, so that the page's exports and ``kb report`` agree byte for byte;
``tests/cases/assess/`` holds the golden reports both must reproduce. Change both together.

A report lists the challenges of the chosen version of Table 1 by stage and step, then any
assessed challenge that this version does not list, then the challenges this knowledge base adds
beyond Table 1 (the same for either version), then what to read next for the challenges marked
facing. The summary counts the two parts apart, each with its own total (no grand total: Table 1's
figures stay those of the survey's table). Text from the file is escaped for each format; CSV
cells that a spreadsheet would run as a formula are defused with a leading apostrophe
(:func:`csv_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kb.assess import PATTERNS, STATUSES, Assessment, ChallengeEntry, fill

FORMATS = ("md", "csv", "html")

_NOT_ASSESSED = ChallengeEntry(status="not-assessed")
_SPACE = re.compile("[ \t\n\v\f\r\u0085\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!~$])")
_FORMULA = re.compile(PATTERNS["formula"])
_TABLE = '<table border="1" cellpadding="4" cellspacing="0">'

Sections = list[tuple[str, list[tuple[str, str]]]]
"""``[(stage, [(step, challenge), ...]), ...]``: the rows of a report, grouped by stage."""


def layout(a: Assessment, data: Mapping[str, Any]) -> tuple[Sections, list[str], Sections]:
    """``(sections, extras, additions)`` for the chosen table: its sections by stage, the
    challenges the file assesses that this version of Table 1 does not list, and the sections
    of the challenges this knowledge base adds beyond Table 1 (never extras).
    """
    sections = _sections(_table(a, data)["stages"])
    additions = _sections(data["additions"])
    listed = {c for part in (sections, additions) for _, items in part for _, c in items}
    extras = sorted(
        c
        for c, e in a.challenges.items()
        if c not in listed and c in data["challenges"] and _assessed(e)
    )
    return sections, extras, additions


def _sections(stages: Iterable[Mapping[str, Any]]) -> Sections:
    return [
        (stage["id"], [(step["id"], c) for step in stage["steps"] for c in step["challenges"]])
        for stage in stages
    ]


def _table(a: Assessment, data: Mapping[str, Any]) -> Mapping[str, Any]:
    return next(t for t in data["tables"] if t["id"] == a.table_version)


def _assessed(e: ChallengeEntry) -> bool:
    return e.status != "not-assessed" or bool(e.note) or bool(e.link)


def _entry(a: Assessment, challenge: str) -> ChallengeEntry:
    return a.challenges.get(challenge, _NOT_ASSESSED)


def _counts(a: Assessment, items: Iterable[tuple[str, str]]) -> list[int]:
    found: list[str] = [_entry(a, c).status for _, c in items]
    return [found.count(status) for status in STATUSES]


def _facing(a: Assessment, sections: Sections, extras: list[str], additions: Sections) -> list[str]:
    ordered = [c for _, items in sections for _, c in items] + extras
    ordered += [c for _, items in additions for _, c in items]
    return [c for c in ordered if _entry(a, c).status == "facing"]


def collapse(text: str) -> str:
    """Runs of white space (line breaks included) as one space, none at either end."""
    return _SPACE.sub(" ", text).strip(" ")


# Markdown ---------------------------------------------------------------------------------


def md(text: str) -> str:
    """Text that Markdown shows literally on one line (GitHub, GitLab, Obsidian, Backlog)."""
    text = collapse(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """A link target that no Markdown table or link syntax can cut short."""
    return url.replace("(", "%28").replace(")", "%29").replace("|", "%7C")


def _md_link(item: Mapping[str, Any]) -> str:
    return f"[{md(item['title'])}]({md_url(item['url'])})"


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(a: Assessment, data: Mapping[str, Any], s: Mapping[str, str]) -> str:
    """The report as Markdown for a wiki page."""
    sections, extras, additions = layout(a, data)
    table, site = _table(a, data), data["site"]

    def status(c: str) -> str:
        st = _entry(a, c).status
        return md(_icon(data, st) + " " + s[f"status.{st}"])

    def cells(c: str) -> list[str]:
        e = _entry(a, c)
        link = f"[{md(s['report.link_text'])}]({md_url(e.link)})" if e.link else ""
        return [_md_link(data["challenges"][c]), status(c), md(e.note), link]

    out = [f"# {md(a.name or s['report.untitled'])}", ""]
    if a.date:
        out.append(f"- {md(s['report.date'])}: {md(a.date)}")
    out.append(f"- {md(s['report.table'])}: {md(table['label'])}")
    out.append(
        f"- {md(s['report.kb'])}: {_md_link({'title': site['name'], 'url': site['url']})}"
        f" {md(site['version'])}"
    )

    def summary(first: str, part: Sections) -> list[str]:
        rows = [_md_row([md(first), *(md(s[f"status.{st}"]) for st in STATUSES)])]
        rows.append("|---|" + "---:|" * len(STATUSES))
        totals = [0] * len(STATUSES)
        for stage, items in part:
            counts = _counts(a, items)
            totals = [t + n for t, n in zip(totals, counts, strict=True)]
            rows.append(_md_row([_md_link(data["stages"][stage]), *map(str, counts)]))
        return [*rows, _md_row([f"**{md(s['report.total'])}**", *map(str, totals)])]

    def steps(heading: str, stage: str, items: list[tuple[str, str]]) -> list[str]:
        rows = ["", f"{heading} {md(data['stages'][stage]['title'])}", ""]
        rows += [_md_row([md(s["report.step"]), *head]), "|---|---|---|---|---|"]
        return rows + [_md_row([_md_link(data["steps"][step]), *cells(c)]) for step, c in items]

    out += ["", f"## {md(s['report.summary'])}", "", *summary(s["report.stage"], sections)]
    if additions:
        out += ["", *summary(s["report.additions"], additions)]
    head = [md(s[k]) for k in ("report.challenge", "report.status", "report.note", "report.link")]
    for stage, items in sections:
        out += steps("##", stage, items)
    if extras:
        out += ["", f"## {md(fill(s['report.extras'], table=table['label']))}", ""]
        out += [_md_row(head), "|---|---|---|---|"]
        out += [_md_row(cells(c)) for c in extras]
    if additions:
        out += ["", f"## {md(s['report.additions'])}", "", md(s["report.additions_intro"])]
        for stage, items in additions:
            out += steps("###", stage, items)
    facing = _facing(a, sections, extras, additions)
    if facing:
        out += ["", f"## {md(s['report.next'])}", "", md(s["report.next_intro"])]
        for c in facing:
            challenge = data["challenges"][c]
            cases = [_md_link(data["case_studies"][x]) for x in challenge["case_studies"]]
            solutions = [
                f"{_md_link(data['solutions'][x])} ({md(_kind(data, s, x))})"
                for x in challenge["solutions"]
            ]
            out += ["", f"### {_md_link(challenge)}", ""]
            out.append(f"- {md(s['report.cases'])}: {', '.join(cases) or md(s['report.none'])}")
            out.append(
                f"- {md(s['report.solutions'])}: {', '.join(solutions) or md(s['report.none'])}"
            )
    return "\n".join(out) + "\n"


def _icon(data: Mapping[str, Any], status: str) -> str:
    return str(next(x["icon"] for x in data["statuses"] if x["id"] == status))


def _kind(data: Mapping[str, Any], s: Mapping[str, str], solution: str) -> str:
    return s["kind." + data["solutions"][solution]["kind"]]


def _tint(data: Mapping[str, Any], status: str) -> str:
    return str(next(x["tint"] for x in data["statuses"] if x["id"] == status))


# CSV --------------------------------------------------------------------------------------


def csv_cell(text: str) -> str:
    """One quoted CSV field, with an apostrophe before what a spreadsheet would run as a formula.

    That is ``= + - @`` or their full-width forms (Japanese spreadsheets run both) after any
    leading blanks, line breaks included, or a leading tab or carriage return
    (``PATTERNS["formula"]``, which the page's ``csvCell`` uses too). The open data of ``api/``
    (kb/export.py) is left as it is: raw data for programs, from the reviewed corpus.
    """
    if _FORMULA.match(text):
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def render_csv(a: Assessment, data: Mapping[str, Any], s: Mapping[str, str]) -> str:
    """One row per challenge: the chosen table's, then the assessed ones it does not list, then
    the additions beyond Table 1 (their stage and step name them apart).

    UTF-8 with a byte-order mark and CRLF line ends, which spreadsheets open without asking.
    """
    sections, extras, additions = layout(a, data)
    keys = ("stage", "step", "challenge", "id", "url", "status", "note", "link")
    rows = [[s[f"report.{k}"] for k in keys]]

    def row(stage: str, step: str, c: str) -> list[str]:
        e, challenge = _entry(a, c), data["challenges"][c]
        status = s[f"status.{e.status}"]
        return [stage, step, challenge["title"], c, challenge["url"], status, e.note, e.link or ""]

    def part(sections: Sections) -> list[list[str]]:
        return [
            row(data["stages"][stage]["title"], data["steps"][step]["title"], c)
            for stage, items in sections
            for step, c in items
        ]

    rows += part(sections) + [row("", "", c) for c in extras] + part(additions)
    return "\ufeff" + "".join(",".join(csv_cell(x) for x in r) + "\r\n" for r in rows)


# HTML -------------------------------------------------------------------------------------


def h(text: str) -> str:
    """Text escaped for HTML content and attribute values."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _h_link(item: Mapping[str, Any]) -> str:
    return f'<a href="{h(item["url"])}">{h(collapse(item["title"]))}</a>'


def _h_row(cells: Iterable[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def render_html(a: Assessment, data: Mapping[str, Any], s: Mapping[str, str]) -> str:
    """The report as an HTML fragment of headings and real tables (what rich copy pastes)."""
    sections, extras, additions = layout(a, data)
    table, site = _table(a, data), data["site"]

    def cells(c: str) -> str:
        e = _entry(a, c)
        tint = _tint(data, e.status)
        style = f' style="background-color:{tint}"' if tint else ""
        status = h(_icon(data, e.status) + " " + s[f"status.{e.status}"])
        link = f'<a href="{h(e.link)}">{h(s["report.link_text"])}</a>' if e.link else ""
        return (
            f"<td>{_h_link(data['challenges'][c])}</td><td{style}>{status}</td>"
            f"<td>{h(collapse(e.note))}</td><td>{link}</td>"
        )

    out = [f"<h1>{h(collapse(a.name or s['report.untitled']))}</h1>", "<ul>"]
    if a.date:
        out.append(f"<li>{h(s['report.date'])}: {h(a.date)}</li>")
    out.append(f"<li>{h(s['report.table'])}: {h(table['label'])}</li>")
    kb = _h_link({"title": site["name"], "url": site["url"]})
    out += [f"<li>{h(s['report.kb'])}: {kb} {h(site['version'])}</li>", "</ul>"]

    def summary(first: str, part: Sections) -> list[str]:
        head = [h(first), *(h(s[f"status.{st}"]) for st in STATUSES)]
        rows = [_TABLE, "<thead>" + _h_row(head, "th") + "</thead>", "<tbody>"]
        totals = [0] * len(STATUSES)
        for stage, items in part:
            counts = _counts(a, items)
            totals = [t + n for t, n in zip(totals, counts, strict=True)]
            rows.append(_h_row([_h_link(data["stages"][stage]), *map(str, counts)]))
        total = "".join(f"<td>{n}</td>" for n in totals)
        return [*rows, f"<tr><th>{h(s['report.total'])}</th>{total}</tr>", "</tbody>", "</table>"]

    def steps(tag: str, stage: str, items: list[tuple[str, str]]) -> list[str]:
        rows = [f"<{tag}>{h(data['stages'][stage]['title'])}</{tag}>", _TABLE]
        rows.append("<thead>" + _h_row([h(s["report.step"]), *head], "th") + "</thead>")
        rows.append("<tbody>")
        rows += [f"<tr><td>{_h_link(data['steps'][step])}</td>{cells(c)}</tr>" for step, c in items]
        return [*rows, "</tbody>", "</table>"]

    out += [f"<h2>{h(s['report.summary'])}</h2>", *summary(s["report.stage"], sections)]
    if additions:
        out += summary(s["report.additions"], additions)
    head = [h(s[k]) for k in ("report.challenge", "report.status", "report.note", "report.link")]
    for stage, items in sections:
        out += steps("h2", stage, items)
    if extras:
        out += [f"<h2>{h(fill(s['report.extras'], table=table['label']))}</h2>", _TABLE]
        out += ["<thead>" + _h_row(head, "th") + "</thead>", "<tbody>"]
        out += [f"<tr>{cells(c)}</tr>" for c in extras]
        out += ["</tbody>", "</table>"]
    if additions:
        out += [f"<h2>{h(s['report.additions'])}</h2>", f"<p>{h(s['report.additions_intro'])}</p>"]
        for stage, items in additions:
            out += steps("h3", stage, items)
    facing = _facing(a, sections, extras, additions)
    if facing:
        out += [f"<h2>{h(s['report.next'])}</h2>", f"<p>{h(s['report.next_intro'])}</p>"]
        for c in facing:
            challenge = data["challenges"][c]
            cases = [_h_link(data["case_studies"][x]) for x in challenge["case_studies"]]
            solutions = [
                f"{_h_link(data['solutions'][x])} ({h(_kind(data, s, x))})"
                for x in challenge["solutions"]
            ]
            out += [f"<h3>{_h_link(challenge)}</h3>", "<ul>"]
            out.append(
                f"<li>{h(s['report.cases'])}: {', '.join(cases) or h(s['report.none'])}</li>"
            )
            out.append(
                f"<li>{h(s['report.solutions'])}: "
                f"{', '.join(solutions) or h(s['report.none'])}</li>"
            )
            out.append("</ul>")
    return "\n".join(out) + "\n"


def html_document(fragment: str, a: Assessment, s: Mapping[str, str]) -> str:
    """A standalone HTML page around the fragment (what ``kb report --format html`` prints)."""
    title = h(collapse(a.name or s["report.untitled"]))
    return (
        f'<!doctype html>\n<html lang="{h(s["meta.lang"])}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{fragment}</body>\n</html>\n"
    )


def render(a: Assessment, data: Mapping[str, Any], s: Mapping[str, str], fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "md":
        return render_markdown(a, data, s)
    if fmt == "csv":
        return render_csv(a, data, s)
    if fmt == "html":
        return html_document(render_html(a, data, s), a, s)
    raise ValueError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})")
