"""CBS keys found from CBS's own titles. CBS renumbers the keys of a dimension (and of its topics)
from one table to the next, but keeps the titles a person recognises ("JZ Totaal jeugdzorg",
"JH 1 Totaal jeugdhulp"). config/bronnen.yaml therefore names forms of care, age groups and
topics by title; the fetch resolves them against each table's own lists, and the cleaning stage
against the dimension files (or the resolution the fetch recorded in the sidecar).

A configured title is matched exactly (surrounding and repeated spaces ignored); a title that
starts with `^` is a regular expression that must match the whole title."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jeugdmonitor.errors import ConfigError


class TitleMatchError(ConfigError):
    """A configured CBS title matches no key, or more than one, in a table's own list."""


def normal(text: str) -> str:
    """A title as compared: surrounding and repeated spaces ignored."""
    return " ".join(str(text).split())


def _matches(wanted: str, title: str) -> bool:
    if wanted.startswith("^"):
        return re.fullmatch(wanted, normal(title)) is not None
    return normal(wanted) == normal(title)


def _listing(entries: Sequence[Mapping[str, Any]], limit: int = 15) -> str:
    shown = ", ".join(f"{str(e.get('Key', '')).strip()!r} {normal(e.get('Title', ''))!r}" for e in entries[:limit])
    return shown + (f" … ({len(entries)} in totaal)" if len(entries) > limit else "")


def resolve(entries: Sequence[Mapping[str, Any]], titles: Sequence[str], where: str) -> dict[str, str]:
    """Configured title -> the one key (as the list spells it, padding included) whose Title it
    matches. `entries`: Key/Title rows (a dimension list, or the topics of DataProperties);
    `where`: what the list is, for the message (e.g. "84134NED/VormenVanJeugdzorg").
    Raises TitleMatchError (exit 2) listing the candidates when a title matches none or several."""
    for title in titles:
        if str(title).startswith("^"):
            try:
                re.compile(str(title))
            except re.error as error:
                raise ConfigError(f"config/bronnen.yaml: titel {title!r} is geen reguliere expressie ({error})") from error
    resolved: dict[str, str] = {}
    problems: list[str] = []
    for title in titles:
        found = [e for e in entries if _matches(str(title), str(e.get("Title", "")))]
        if len(found) == 1:
            resolved[str(title)] = str(found[0].get("Key", ""))
        elif not found:
            problems.append(f"titel {title!r} komt niet voor")
        else:
            problems.append(f"titel {title!r} past bij {len(found)} sleutels: {_listing(found)}")
    taken: dict[str, list[str]] = {}
    for title, key in resolved.items():
        taken.setdefault(key.strip(), []).append(title)
    problems += [f"sleutel {key!r} past bij meer dan één titel {names}" for key, names in taken.items() if len(names) > 1]
    if problems:
        raise TitleMatchError(f"{where}: {'; '.join(problems)} (config/bronnen.yaml noemt CBS-titels, de sleutels "
                              f"komen uit de tabel zelf). Wel in de lijst: {_listing(entries)}")
    return resolved


def topic_entries(properties: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The topics of a table's DataProperties (not its dimensions or topic groups)."""
    return [p for p in properties if p.get("Type") == "Topic"]
