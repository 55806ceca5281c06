"""The page templates (templates/pages/, Jinja, autoescaped) and the filters they format figures with.

Every sentence a reader sees lives in those templates; this module only loads them.
"""

from __future__ import annotations

import dataclasses
import linecache
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from jeugdmonitor import errors, paths
from jeugdmonitor.report import formatting

PAGES_DIR = paths.TEMPLATE_DIR / "pages"


def _with_unit(value: object, kpi: Any) -> str:
    """'10,1%', '8,1 per 1.000 jongeren', '82 dagen', '1 traject' (the singular where config gives one).
    A net figure with sign words in config says its sign in words after its size: '10 trajecten
    meer beëindigd dan gestart', not '−10 trajecten' (a negative number of trajectories)."""
    text = formatting.number(value, kpi.decimals)
    if kpi.sign_words and text != formatting.MISSING:
        above, below, zero = kpi.sign_words
        shown = formatting.shown(float(value), kpi.decimals)  # the sign of the figure as the page shows it
        if shown == 0:
            return zero
        return f"{_with_unit(abs(shown), dataclasses.replace(kpi, sign_words=None))} {below if shown < 0 else above}"
    if kpi.unit == "%":
        return f"{text}%"
    unit = kpi.unit_singular if kpi.unit_singular and text.lstrip("−-+") == "1" else kpi.unit
    return f"{text} {unit}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES_DIR),
        # HTML templates escape every value from data; plain-text templates (.txt.j2: chart text
        # alternatives) do not, and their text is escaped once where it enters the page
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,  # a misspelt name in a template is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update({
        "getal": formatting.number,
        "teken": formatting.value_with_mark,
        "jaar": formatting.year_label,
        "verschil": formatting.signed,
        "eenheid": _with_unit,
    })
    return env


ENVIRONMENT = _environment()


def check_templates() -> int:
    """Compile every page template once, before any page is built, and return how many there
    are: a syntax error stops the run at once with the template's file, line and that line's
    text (errors.TemplateError, exit 2), instead of failing in the kernel of every page."""
    found = sorted(PAGES_DIR.rglob("*.j2"))
    for path in found:
        source = path.read_text(encoding="utf-8")
        try:
            ENVIRONMENT.compile(source, path.relative_to(PAGES_DIR).as_posix(), str(path))
        except jinja2.TemplateSyntaxError as error:
            lines = source.splitlines()
            shown = lines[error.lineno - 1].strip() if 0 < (error.lineno or 0) <= len(lines) else ""
            raise errors.TemplateError(
                f"{paths.display_path(path)}, regel {error.lineno}: het sjabloon klopt niet ({error.message})"
                + (f"\n    {shown}" if shown else "")) from None
    return len(found)


def render(template: str, **context: Any) -> str:
    """The template rendered with `context`, as one HTML fragment without blank lines. An error
    while rendering (a value the template names but the context lacks, a filter given text) is
    raised once as errors.TemplateError naming the template's file and line."""
    try:
        text = ENVIRONMENT.get_template(template).render(**context)
    except (jinja2.TemplateRuntimeError, TypeError, ValueError, KeyError, AttributeError) as error:
        raise _at_template_line(error) from None
    return "\n".join(line for line in text.splitlines() if line.strip())


def _at_template_line(error: Exception) -> Exception:
    """`error` as TemplateError at the deepest template line it passed through (Jinja puts the
    template's own file and line in the traceback); `error` itself when it did not come from a
    template. Raised without the template frames: IPython cannot show a .j2 file's frames as
    Python source and then shows no error at all, which left a failed page without its cause."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return error
    where = frames[-1]
    shown = linecache.getline(where.filename, where.lineno or 0).strip()
    return errors.TemplateError(f"{paths.display_path(Path(where.filename))}, regel {where.lineno}: "
                                f"{type(error).__name__}: {error}" + (f"\n    {shown}" if shown else ""))


def word(name: str, *args: Any) -> str:
    """A short phrase from woorden.txt.j2 (a label, a title, the name of the country)."""
    macro = getattr(ENVIRONMENT.get_template("woorden.txt.j2").module, name)
    return " ".join(str(macro(*args)).split())


def render_text(template: str, **context: Any) -> str:
    """A plain-text template rendered as one line (chart text alternatives)."""
    if not template.endswith(".txt.j2"):
        raise ValueError(f"{template}: alleen .txt.j2-sjablonen zijn platte tekst")
    return " ".join(ENVIRONMENT.get_template(template).render(**context).split())


__all__ = ["Markup", "check_templates", "render", "render_text", "word"]
