"""``flashpoint cite``: a citation's answer (``projections/sources.py``) as publishable text.

*Militia killed in us-strikes-2021-06-27, as known on 2021-06-28: 4 to 5, disputed — 4 (two
Iraqi militia officials, via Associated Press); at least 5 (Syrian Observatory for Human
Rights, via Associated Press); several (Associated Press).* In markdown each source that has
a ``url`` is a link, followed by its archived copy where there is one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flashpoint.domain.claims import figure_words
from flashpoint.domain.estimates import estimate_words
from flashpoint.projections.sources import PARTY_WORDS

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def citation_lines(answer: Mapping[str, Any], *, markdown: bool = False) -> list[str]:
    """One sentence per figure of the citation; with ``history``, the claims each superseded."""
    known = answer["cut"]["known_on"] or answer["cut"]["as_known_on"]
    incident = _code(answer["incident"]) if markdown else answer["incident"]
    lines = []
    for figure in answer["figures"]:
        who = PARTY_WORDS.get(figure["party"], figure["party"])
        head = f"{who} {figure['figure']} in {incident}" + (f", as known on {known}" if known else "")
        said = estimate_words(figure["estimate"]) + (", disputed" if figure["disputed"] else "")
        sources = "; ".join(_said_by(source, markdown) for source in figure["sources"])
        lines.append(f"{head}: {said} — {sources}.")
        superseded = figure.get("superseded")
        if superseded:
            earlier = "; ".join(f"{_said_by(source, markdown)}, reported {source['reported']}" for source in superseded)
            lines.append(f"  Superseded: {earlier}.")
    return lines


def _said_by(source: Mapping[str, Any], markdown: bool) -> str:
    """``at least 5 (Syrian Observatory for Human Rights, via Associated Press)``."""
    name = source["source"]
    if markdown:
        name = _escaped(name)
        if source["url"]:
            name = f"[{name}]({source['url']})"
        if source["archived"]:
            name += f" ([archived]({source['archived']}))"
    via = source["via"]
    relayed = f", via {_escaped(via) if markdown else via}" if via else ""
    return f"{figure_words(source['qualifier'], source['figure'])} ({name}{relayed})"


def _escaped(text: str) -> str:
    """Report text as literal markdown: every character markdown could read as markup is escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def _code(text: str) -> str:
    return f"`{text.replace('`', '')}`"
