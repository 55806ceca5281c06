"""CBS keys found from CBS's own titles. CBS renumbers the keys of a dimension (and of its topics)
from one table to the next, but keeps the titles a person recognises ("JZ Totaal jeugdzorg",
"JH 1 Totaal jeugdhulp"). config/bronnen.yaml therefore names forms of care, age groups and
topics by title; the fetch resolves them against each table's own lists, and the cleaning stage
against the dimension files (or the resolution the fetch recorded in the sidecar).

A configured title is matched after normalising what CBS varies without changing the meaning
(`normal`: typographic and straight apostrophes and quotes, non-breaking spaces, letter case,
surrounding and repeated spaces); a title that starts with `^` is a regular expression that must
match the whole (normalised) title. Where CBS renamed an entry between tables ("Jeugdzorgregio's"
in 2016, "Jeugdregio's" later), the configuration gives a list of alternative titles: any of them
may match, but still exactly one entry of the list."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jeugdmonitor.errors import ConfigError

# characters CBS writes in one table and not in the next, mapped to the one form compared
_SAME_MEANING = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u200b": "", "\ufeff": "",
})

Wanted = str | Sequence[str]  # a configured title, or a list of alternatives


class TitleMatchError(ConfigError):
    """A configured CBS title matches no key, or more than one, in a table's own list."""


def normal(text: str) -> str:
    """A title as compared: apostrophes and quotes straight, every kind of space a single space,
    surrounding spaces gone, lower case (CBS varies these between tables, the meaning stays)."""
    return " ".join(str(text).translate(_SAME_MEANING).split()).casefold()


def alternatives(wanted: Wanted) -> list[str]:
    """The titles a configured entry accepts: one title, or each of a list; a `^` pattern is
    checked to compile, so a typo in config/bronnen.yaml stops with its own message."""
    titles = [wanted] if isinstance(wanted, str) else [str(t) for t in wanted]
    if not titles:
        raise ConfigError("config/bronnen.yaml: een lege lijst titels")
    for title in titles:
        if title.startswith("^"):
            try:
                re.compile(title)
            except re.error as error:
                raise ConfigError(f"config/bronnen.yaml: titel {title!r} is geen reguliere expressie ({error})") from error
    return titles


def label(wanted: Wanted) -> str:
    """A configured entry as a message names it."""
    return " of ".join(repr(t) for t in alternatives(wanted))


def matches(wanted: Wanted, title: str) -> bool:
    """Whether a table's `title` is (one of) the configured title(s)."""
    found = normal(title)
    for option in alternatives(wanted):
        if option.startswith("^"):
            if re.fullmatch(option.translate(_SAME_MEANING), found, flags=re.IGNORECASE):
                return True
        elif normal(option) == found:
            return True
    return False


def _listing(entries: Sequence[Mapping[str, Any]], limit: int = 15) -> str:
    shown = ", ".join(f"{str(e.get('Key', '')).strip()!r} {' '.join(str(e.get('Title', '')).split())!r}"
                      for e in entries[:limit])
    return shown + (f" … ({len(entries)} in totaal)" if len(entries) > limit else "")


def match(entries: Sequence[Mapping[str, Any]], wanted: Mapping[str, Wanted], where: str) -> dict[str, Mapping[str, Any]]:
    """Name -> the one entry (Key/Title row) whose Title matches the name's configured title(s).
    Raises TitleMatchError (exit 2) listing the candidates when a name matches none or several
    entries, or two names the same entry."""
    for titles in wanted.values():
        alternatives(titles)
    found: dict[str, Mapping[str, Any]] = {}
    problems: list[str] = []
    for name, titles in wanted.items():
        hits = [e for e in entries if matches(titles, str(e.get("Title", "")))]
        if len(hits) == 1:
            found[name] = hits[0]
        elif not hits:
            problems.append(f"titel {label(titles)} komt niet voor")
        else:
            problems.append(f"titel {label(titles)} past bij {len(hits)} sleutels: {_listing(hits)}")
    taken: dict[str, list[str]] = {}
    for name, entry in found.items():
        taken.setdefault(str(entry.get("Key", "")).strip(), []).append(name)
    problems += [f"sleutel {key!r} past bij meer dan één titel {names}" for key, names in taken.items() if len(names) > 1]
    if problems:
        raise TitleMatchError(f"{where}: {'; '.join(problems)} (config/bronnen.yaml noemt CBS-titels, de sleutels "
                              f"komen uit de tabel zelf). Wel in de lijst: {_listing(entries)}")
    return found


def resolve(entries: Sequence[Mapping[str, Any]], titles: Sequence[str], where: str) -> dict[str, str]:
    """Configured title -> the one key (as the list spells it, padding included) whose Title it
    matches. `entries`: Key/Title rows (a dimension list, or the topics of DataProperties);
    `where`: what the list is, for the message (e.g. "84134NED/VormenVanJeugdzorg").
    Raises TitleMatchError (exit 2) listing the candidates when a title matches none or several."""
    return {title: str(entry.get("Key", "")) for title, entry in match(entries, {str(t): str(t) for t in titles}, where).items()}


def titles_of(entry: Mapping[str, Any] | str) -> list[str]:
    """The CBS titles a configured entry names: the keys of a mapping (`vormen`: title -> workbook
    name) or the one title it is (`totaal_geslacht`: "Totaal mannen en vrouwen")."""
    return [entry] if isinstance(entry, str) else [str(title) for title in entry]


def topic_entries(properties: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The topics of a table's DataProperties (not its dimensions or topic groups)."""
    return [p for p in properties if p.get("Type") == "Topic"]
