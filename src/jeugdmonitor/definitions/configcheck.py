"""config/*.yaml checked against the JSON schemas in the package (jeugdmonitor/schemas/) before
any stage reads it, with every problem reported in Dutch: file, line, entry, and for a misspelt
name (a field, a KPI id, a region code) the nearest known name.

The schemas say which fields each entry has, which are required and of what type; the names a
file refers to (the KPI ids of config/kpis.yaml, the region codes of config/gemeenten.yaml) are
put into the schemas as enumerations before validating (`x-namen` marks where). The checks that
need more than one field at a time (a goal's rule and its value, mergers against the register)
stay in jeugdmonitor.definitions.config.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from jeugdmonitor import paths
from jeugdmonitor.errors import ConfigError

# the names a schema can refer to (`"x-namen": <kind>`): from which file and which mapping
NAME_SOURCES = {"kpi": ("kpis.yaml", "kpis"), "regio": ("gemeenten.yaml", "regio")}
NAME_LABELS = {"kpi": "KPI", "regio": "jeugdregio"}
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed: ten times faster
NEAREST_CUTOFF = 0.75  # difflib's similarity for "bedoelde u ...?": a typo, not another word
JSON_TYPES = {"object": "een mapping (velden met een waarde)", "array": "een lijst", "string": "tekst",
              "number": "een getal", "integer": "een geheel getal", "boolean": "ja of nee", "null": "leeg"}
# the YAML parser's problems (by the start of PyYAML's or libyaml's wording), in words a researcher can act on
YAML_PROBLEMS = {
    "mapping values are not allowed": "een dubbele punt waar die niet kan: klopt de inspringing van deze regel?",
    "could not find expected ':'": "een regel zonder dubbele punt na de naam",
    "did not find expected key": "de inspringing klopt niet met de regels erboven (of een aanhalingsteken erboven wordt niet gesloten)",
    "expected <block end>": "de inspringing klopt niet met de regels erboven",
    "found character": "een teken dat hier niet kan staan (een tab? spring in met spaties)",
    "found a tab character": "een tab: spring in met spaties",
    "found unexpected end of stream": "een aanhalingsteken of haakje dat niet gesloten wordt",
    "found undefined alias": "een onbekende verwijzing (*)",
    "found duplicate anchor": "een anker (&) dat twee keer voorkomt",
}


@dataclass(frozen=True)
class Document:
    """One config file as read: its data (dates as ISO text, as the schemas expect) and its YAML
    node tree, which knows the line of every entry."""

    name: str
    shown: str  # the file as a message names it (config/kpis.yaml)
    data: Any
    node: yaml.Node


def check(config_dir: Path | None = None) -> None:
    """Check every config file that has a schema; raise ConfigError naming every problem.

    A file that is not valid YAML stops the check at once (its entries cannot be read); the
    other problems are collected, so one run shows all of them."""
    config_dir = paths.CONFIG_DIR if config_dir is None else config_dir
    documents = [read_document(config_dir / f"{schema.stem}.yaml") for schema in schema_files()]
    names = known_names({d.name: d.data for d in documents})
    problems = [problem for document in documents for problem in document_problems(document, names)]
    if problems:
        raise ConfigError("de definities in config/ kloppen niet:\n" + "\n".join(f"  - {p}" for p in problems))


def schema_files() -> list[Path]:
    return sorted(paths.SCHEMA_DIR.glob("*.json"))


def read_document(path: Path) -> Document:
    """The file parsed, or ConfigError with its line and column and the YAML problem in Dutch."""
    shown = paths.display_path(path)
    if not path.is_file():
        raise ConfigError(f"{shown} ontbreekt")
    text = path.read_text(encoding="utf-8")
    loader = YAML_LOADER(text)
    try:  # parsed once: the node tree (lines) and the data built from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise ConfigError(_yaml_problem(shown, error, text)) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise ConfigError(f"{shown}: verwacht velden met een waarde op het hoogste niveau (naam: waarde)")
    return Document(name=path.name, shown=shown, data=_as_text_dates(data), node=node)


def _yaml_problem(shown: str, error: yaml.MarkedYAMLError, text: str) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"{shown}, regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else shown
    problem = str(error.problem or error.context or "")
    meaning = next((dutch for english, dutch in YAML_PROBLEMS.items() if problem.startswith(english)), None)
    detail = meaning or f"ongeldige YAML ({problem})"
    if mark is None or mark.line >= len(text.splitlines()):
        return f"{where}: {detail}"
    line = text.splitlines()[mark.line]
    return f"{where}: {detail}; de regel (^ wijst de plek aan):\n      {line}\n      {' ' * mark.column}^"


def _as_text_dates(value: Any) -> Any:
    """YAML reads `versie: 2026-12-06` as a date; the schemas (JSON) know it as text."""
    if isinstance(value, dict):
        return {k: _as_text_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text_dates(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def known_names(data: dict[str, Any]) -> dict[str, list[Any]]:
    """Per kind of name (`x-namen`), the names the config files define (sorted)."""
    names: dict[str, list[Any]] = {}
    for kind, (file_name, key) in NAME_SOURCES.items():
        defined = (data.get(file_name) or {}).get(key)
        names[kind] = sorted(str(n) for n in defined) if isinstance(defined, dict) else []
    return names


def schema_for(name: str, names: dict[str, list[Any]]) -> dict[str, Any]:
    """The schema of config file `name` with the known names put in where it refers to them."""
    schema = json.loads((paths.SCHEMA_DIR / Path(name).with_suffix(".json").name).read_text(encoding="utf-8"))
    for key, definition in schema.get("$defs", {}).items():
        kind = definition.get("x-namen")
        if kind is not None:  # a municipality outside the bundled regions has region null
            schema["$defs"][key] = {"x-namen": kind, "enum": [*names[kind], *([None] if kind == "regio" else [])]}
    return schema


def document_problems(document: Document, names: dict[str, list[Any]]) -> list[str]:
    """Every schema problem of `document`, in file order, each as one Dutch sentence."""
    schema = schema_for(document.name, names)
    validator = jsonschema.Draft202012Validator(schema)
    problems = [(line, f"{document.shown}, regel {line}: {text}") for line, text in duplicate_keys(document.node)]
    for error in validator.iter_errors(document.data):
        for path, text in describe(error, schema):
            problems.append((_line(document.node, path), f"{_where(document, path)}: {text}"))
    return [text for _, text in sorted(problems, key=lambda p: p[0])]


def duplicate_keys(node: yaml.Node) -> Iterator[tuple[int, str]]:
    """A name given twice in one mapping (a copied KPI not renamed): YAML keeps the last one
    without a word, so the first would silently be lost."""
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if str(key.value) in first:
                yield line, (f"{key.value!r} staat hier voor de tweede keer (eerder op regel {first[str(key.value)]}); "
                             "hernoem of verwijder er één")
            first.setdefault(str(key.value), line)
            yield from duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(item)


def describe(error: jsonschema.ValidationError, schema: dict[str, Any]) -> Iterator[tuple[list[Any], str]]:
    """The problems one schema error stands for: (path of the entry, Dutch sentence)."""
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed), key=list(error.instance).index):
            yield [*path, extra], f"onbekend veld {extra!r}{_nearest(str(extra), allowed)} (bekend: {', '.join(allowed)})"
    elif kind == "required":
        for field in error.validator_value:
            if field not in error.instance:
                yield path, f"veld {field!r} ontbreekt{_elsewhere(field, error.instance)}"
    elif kind == "enum":
        yield _enum_problem(error, path, schema)
    elif kind == "type":
        yield path, (f"verwacht {_types(error.validator_value)}, niet {error.instance!r}"
                     + _misplaced(path, error.validator_value, schema))
    else:
        yield path, _value_problem(error)


def _enum_problem(error: jsonschema.ValidationError, path: list[Any], schema: dict[str, Any]) -> tuple[list[Any], str]:
    choices = [str(v) for v in error.validator_value if v is not None]
    kind = error.schema.get("x-namen")
    if "propertyNames" in error.relative_schema_path:  # a key of the mapping at `path`
        path = [*path, error.instance]
    if kind is not None:
        file_name = NAME_SOURCES[kind][0]
        return path, f"onbekende {NAME_LABELS[kind]} {error.instance!r}: niet in config/{file_name}{_nearest(str(error.instance), choices)}"
    return path, f"onbekende waarde {error.instance!r}{_nearest(str(error.instance), choices)} (bekend: {', '.join(choices)})"


def _value_problem(error: jsonschema.ValidationError) -> str:
    """A value of the right type that breaks a limit (minimum, pattern, length, one of the forms)."""
    value, limit = error.instance, error.validator_value
    sentences = {
        "minimum": f"moet {limit} of meer zijn, niet {value!r}",
        "exclusiveMinimum": f"moet meer dan {limit} zijn, niet {value!r}",
        "maximum": f"moet {limit} of minder zijn, niet {value!r}",
        "minItems": f"verwacht ten minste {limit} elementen, niet {len(value) if isinstance(value, list) else value!r}",
        "maxItems": f"verwacht ten hoogste {limit} elementen, niet {len(value) if isinstance(value, list) else value!r}",
        "minLength": "mag niet leeg zijn",
        "minProperties": "mag niet leeg zijn",
        "pattern": f"{value!r} heeft niet de vorm {limit}",
        "const": f"moet {limit!r} zijn, niet {value!r}",
    }
    if error.validator in ("oneOf", "anyOf"):
        described = error.schema.get("description")
        return f"{value!r} past niet" + (f": verwacht {described}" if described else " in een van de toegestane vormen")
    return sentences.get(error.validator, f"ongeldige waarde {value!r} ({error.validator})")


def _nearest(word: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=NEAREST_CUTOFF)
    return f"; bedoelde u {close[0]!r}?" if close else ""


def _types(expected: str | list[str]) -> str:
    return " of ".join(JSON_TYPES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))


def _elsewhere(field: str, instance: Any) -> str:
    """A missing field that stands one level too deep, inside another field of this entry."""
    for key, value in instance.items() if isinstance(instance, dict) else ():
        if isinstance(value, dict) and field in value:
            return f" (het staat onder {key!r}: één niveau te diep ingesprongen?)"
    return ""


def _misplaced(path: list[Any], expected: str | list[str], schema: dict[str, Any]) -> str:
    """An entry that is a field name of the schema where a whole entry is expected: a field
    indented one level too little (e.g. a KPI's `decimalen` among the KPIs)."""
    if expected != "object" or not path or str(path[-1]) not in _field_names(schema):
        return ""
    return f" ({path[-1]!r} is een veld, geen eigen onderdeel: staat het één niveau te weinig ingesprongen?)"


def _field_names(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        found |= set(schema.get("properties", {}))
        for value in schema.values():
            found |= _field_names(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _field_names(value)
    return found


def _node_at(node: yaml.Node, path: Sequence[Any]) -> tuple[yaml.Node, yaml.Node | None]:
    """The deepest node on `path` that exists, and the key node it hangs under (None at the top)."""
    key_node = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(step)), None)
            if match is None:
                break
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            break
    return node, key_node


def _line(root: yaml.Node, path: Sequence[Any]) -> int:
    node, key_node = _node_at(root, path)
    return (key_node or node).start_mark.line + 1


def _where(document: Document, path: list[Any]) -> str:
    """`config/<file>, regel N (entry)`: the entry named as the file names it (a list item by its id)."""
    steps = []
    data = document.data
    for step in path:
        if isinstance(step, int) and isinstance(data, list):
            item = data[step] if step < len(data) else None
            label = next((item[k] for k in ("id", "code", "tabel", "nieuw") if isinstance(item, dict) and k in item), None)
            steps.append(f"{label}" if label is not None else f"nr. {step + 1}")
            data = item
        else:
            steps.append(str(step))
            data = data.get(step) if isinstance(data, dict) else None
    entry = f" ({' → '.join(steps)})" if steps else ""
    return f"{document.shown}, regel {_line(document.node, path)}{entry}"

