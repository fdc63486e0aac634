"""The questionnaire definition (a FHIR R4 Questionnaire) as small dataclasses.

The file is checked twice at load: by fhir.resources (is it FHIR?) and by
`_check` (can the chat walk it: known types, references to earlier questions,
options for choices...). A bad definition fails at start-up, not mid-chat.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Union

import yaml
from fhir.resources.R4B.questionnaire import Questionnaire

DEFAULT_PATH = Path(__file__).resolve().parent / "definition.yml"

EXT = "http://example.org/fhir/StructureDefinition/intake-"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

TYPES = frozenset("group display string text date integer decimal boolean choice "
                  "open-choice attachment".split())
QUESTION_TYPES = TYPES - {"group", "display"}
CHOICE_TYPES = frozenset({"choice", "open-choice"})
FORMATS = frozenset("name phone email zip child_birth_date age partial_date".split())
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
# enableWhen answer[x] keys, and how each is compared with a stored answer.
ANSWER_KEYS = ("answerBoolean", "answerCoding", "answerString", "answerInteger",
               "answerDecimal", "answerDate")


class DefinitionError(ValueError):
    """The questionnaire file cannot drive the intake."""


@dataclass(frozen=True)
class Option:
    code: str
    display: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnableWhen:
    question: str
    operator: str
    answer: Any  # bool, int, float, str (a code for answerCoding, ISO text for dates)


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    type: str
    required: bool = False
    repeats: bool = False
    options: tuple[Option, ...] = ()
    enable_when: tuple[EnableWhen, ...] = ()
    enable_behavior: str = "all"
    why: Optional[str] = None
    red_flag: bool = False
    # The answer is the parent's own questions ("how long will she need the harness?"):
    # never answered as a question, always kept (definition: intake-collects-questions).
    collects_questions: bool = False
    prefill: Optional[str] = None
    hidden: bool = False
    label: Optional[str] = None
    format: Optional[str] = None
    keywords: tuple[str, ...] = ()
    same_as: Optional[str] = None
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    max_length: Optional[int] = None
    summary: Optional[str] = None  # label in the short chat summary (key items only)
    last_name: Optional[str] = None  # first-name item: the last-name item offered the rest
    min_age_months: Optional[int] = None  # asked only of a child this old (intake-min-age-months)
    children: tuple["Item", ...] = ()

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES

    @property
    def short_label(self) -> str:
        return self.label or self.text

    def option(self, code: str) -> Optional[Option]:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True, eq=False)  # eq=False: hashable by identity despite `raw`
class Definition:
    id: str
    url: str
    version: str
    title: str
    items: tuple[Item, ...]
    raw: dict  # the FHIR JSON, for export and for the web page
    messages: Mapping[str, str]  # code -> sentence the chat says (intake-messages extension)
    # False over a channel that must not carry health information (SMS): the chat's
    # messages then never repeat an answer (bot/questionnaire/private.py)
    quotes_answers: bool = True

    def walk(self, items: Optional[tuple[Item, ...]] = None) -> Iterator[Item]:
        """Every item, depth first, in questionnaire order."""
        for item in self.items if items is None else items:
            yield item
            yield from self.walk(item.children)

    def questions(self) -> list[Item]:
        return [i for i in self.walk() if i.is_question]

    def item(self, link_id: str) -> Item:
        return self._by_id[link_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Item]:
        return {item.link_id: item for item in self.walk()}

    @functools.cached_property
    def birth_date_link(self) -> Optional[str]:
        """The child's birth date question (format child_birth_date), if any."""
        return next((i.link_id for i in self.walk() if i.format == "child_birth_date"), None)

    def birth_date(self, answers: dict[str, Any]) -> Optional[date]:
        """The child's birth date among `answers`, when given as a full date."""
        value = answers.get(self.birth_date_link or "")
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    @functools.cached_property
    def parents(self) -> dict[str, Optional[Item]]:
        """linkId -> enclosing group (None at top level)."""
        result: dict[str, Optional[Item]] = {}

        def visit(items, parent):
            for item in items:
                result[item.link_id] = parent
                visit(item.children, item)
        visit(self.items, None)
        return result


# ---------------------------------------------------------------- enableWhen

def condition_met(cond: EnableWhen, answers: dict[str, Any]) -> bool:
    """FHIR semantics: with several answers (repeats) '=' needs any match and '!='
    needs none; a question with no answer only satisfies exists=false."""
    value = answers.get(cond.question)
    if cond.operator == "exists":
        return (value is not None) == bool(cond.answer)
    if value is None:
        return False
    values = value if isinstance(value, list) else [value]
    values = [v.get("code", v) if isinstance(v, dict) else v for v in values]
    if cond.operator == "=":
        return cond.answer in values
    if cond.operator == "!=":
        return cond.answer not in values
    compare = {">": lambda a: a > cond.answer, "<": lambda a: a < cond.answer,
               ">=": lambda a: a >= cond.answer, "<=": lambda a: a <= cond.answer}
    try:
        return any(compare[cond.operator](v) for v in values)
    except TypeError:  # a free-text answer against a number: not met
        return False


def item_enabled(item: Item, answers: dict[str, Any]) -> bool:
    if not item.enable_when:
        return True
    results = [condition_met(c, answers) for c in item.enable_when]
    return any(results) if item.enable_behavior == "any" else all(results)


def old_enough(definition: Definition, item: Item, answers: dict[str, Any],
               today: Optional[date] = None) -> bool:
    """intake-min-age-months: False only when the birth date says the child is younger."""
    if item.min_age_months is None:
        return True
    born = definition.birth_date(answers)
    if born is None:
        return True
    today = today or date.today()
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    return months >= item.min_age_months


def enabled(definition: Definition, item: Item, answers: dict[str, Any],
            today: Optional[date] = None) -> bool:
    """The item and every enclosing group are enabled (and the child old enough)."""
    parents = definition.parents
    node: Optional[Item] = item
    while node is not None:
        if not item_enabled(node, answers) or not old_enough(definition, node, answers, today):
            return False
        node = parents[node.link_id]
    return True


# ---------------------------------------------------------------- loading

def _extensions(raw: dict) -> dict[str, Any]:
    """Extension url -> its value[x]."""
    found = {}
    for ext in raw.get("extension", ()):
        value = next((v for k, v in ext.items() if k.startswith("value")), None)
        found[ext["url"]] = value
    return found


def _words(value: Optional[str]) -> tuple[str, ...]:
    return tuple(w.strip() for w in (value or "").split(",") if w.strip())


def _option(raw: dict) -> Option:
    coding = raw.get("valueCoding")
    if not coding:  # valueString / valueInteger options: the value is its own code
        value = str(next(v for k, v in raw.items() if k.startswith("value")))
        coding = {"code": value, "display": value}
    return Option(code=str(coding["code"]), display=coding.get("display", coding["code"]),
                  synonyms=_words(_extensions(raw).get(EXT + "synonyms")))


def _enable_when(raw: dict) -> EnableWhen:
    keys = [k for k in ANSWER_KEYS if k in raw]
    if len(keys) != 1:
        raise DefinitionError(f"enableWhen on {raw.get('question')!r} needs one answer[x]")
    answer = raw[keys[0]]
    if keys[0] == "answerCoding":
        answer = answer["code"]
    return EnableWhen(question=raw["question"], operator=raw["operator"], answer=answer)


def _item(raw: dict) -> Item:
    ext = _extensions(raw)
    return Item(
        link_id=raw["linkId"], text=raw.get("text", ""), type=raw["type"],
        required=bool(raw.get("required", False)), repeats=bool(raw.get("repeats", False)),
        options=tuple(_option(o) for o in raw.get("answerOption", ())),
        enable_when=tuple(_enable_when(c) for c in raw.get("enableWhen", ())),
        enable_behavior=raw.get("enableBehavior", "all"),
        why=ext.get(EXT + "why"), red_flag=bool(ext.get(EXT + "red-flag", False)),
        collects_questions=bool(ext.get(EXT + "collects-questions", False)),
        prefill=ext.get(EXT + "prefill"), hidden=bool(ext.get(HIDDEN, False)),
        label=ext.get(EXT + "label"), format=ext.get(EXT + "format"),
        keywords=tuple(k.lower() for k in _words(ext.get(EXT + "keywords"))),
        same_as=ext.get(EXT + "same-as"),
        min_value=ext.get(MIN_VALUE), max_value=ext.get(MAX_VALUE),
        max_length=raw.get("maxLength"),
        summary=ext.get(EXT + "summary"), last_name=ext.get(EXT + "last-name"),
        min_age_months=ext.get(EXT + "min-age-months"),
        children=tuple(_item(c) for c in raw.get("item", ())),
    )


def _check_item(item: Item, seen: dict[str, Item], keywords: dict[str, str]) -> None:
    where = f"item {item.link_id!r}"
    if item.link_id in seen:
        raise DefinitionError(f"{where}: duplicate linkId")
    if item.type not in TYPES:
        raise DefinitionError(f"{where}: unknown type {item.type!r}")
    if (item.type == "group") != bool(item.children):
        raise DefinitionError(f"{where}: groups, and only groups, have child items")
    if not item.is_question and (item.required or item.repeats):
        raise DefinitionError(f"{where}: a {item.type} cannot be required or repeat")
    if item.type in CHOICE_TYPES and not item.options:
        raise DefinitionError(f"{where}: a choice needs answerOption")
    if item.format and item.format not in FORMATS:
        raise DefinitionError(f"{where}: unknown format {item.format!r}")
    if item.red_flag and item.type != "boolean":
        raise DefinitionError(f"{where}: only a yes/no question can be a red flag")
    if item.same_as and item.same_as not in seen:
        raise DefinitionError(f"{where}: same-as must name an earlier question")
    for cond in item.enable_when:
        _check_condition(where, cond, seen)
    for word in item.keywords:  # a correction must point at one question only
        if keywords.setdefault(word, item.link_id) != item.link_id:
            raise DefinitionError(f"{where}: keyword {word!r} also used by {keywords[word]!r}")
    seen[item.link_id] = item
    for child in item.children:
        _check_item(child, seen, keywords)


def _check_condition(where: str, cond: EnableWhen, seen: dict[str, Item]) -> None:
    # Only earlier questions: the chat asks in order, so a later one is unknown yet.
    target = seen.get(cond.question)
    if target is None or not target.is_question:
        raise DefinitionError(f"{where}: enableWhen needs an earlier question, "
                              f"not {cond.question!r}")
    if cond.operator not in OPERATORS:
        raise DefinitionError(f"{where}: unknown operator {cond.operator!r}")
    if target.type in CHOICE_TYPES and cond.operator != "exists" \
            and target.option(str(cond.answer)) is None:
        raise DefinitionError(f"{where}: {cond.question!r} has no option {cond.answer!r}")


def from_dict(raw: dict) -> Definition:
    """Validate a FHIR Questionnaire dict and build the Definition."""
    if raw.get("resourceType") != "Questionnaire":
        raise DefinitionError("not a FHIR Questionnaire")
    try:
        Questionnaire.parse_obj(raw)
    except Exception as exc:  # pydantic's error lists every bad field
        raise DefinitionError(f"not valid FHIR: {exc}") from exc
    items = tuple(_item(i) for i in raw.get("item", ()))
    seen: dict[str, Item] = {}
    keywords: dict[str, str] = {}
    for item in items:
        _check_item(item, seen, keywords)
    for item in seen.values():
        target = seen.get(item.last_name) if item.last_name else None
        if item.last_name and (item.format != "name" or target is None
                               or target.format != "name" or target is item):
            raise DefinitionError(f"item {item.link_id!r}: last-name must link two name "
                                  f"questions, not {item.last_name!r}")
        if item.summary is not None and (not item.is_question or not item.summary.strip()):
            raise DefinitionError(f"item {item.link_id!r}: a summary label needs a question")
        if item.min_age_months is not None and (
                not isinstance(item.min_age_months, int) or not any(
                    i.format == "child_birth_date" for i in seen.values())):
            raise DefinitionError(f"item {item.link_id!r}: min-age-months needs a whole number "
                                  f"and a child_birth_date question")
    messages = {e["url"]: e["valueString"] for e in
                next((x.get("extension", ()) for x in raw.get("extension", ())
                      if x["url"] == EXT + "messages"), ())}
    return Definition(id=raw.get("id", ""), url=raw["url"], version=str(raw.get("version", "")),
                      title=raw.get("title", ""), items=items, raw=raw, messages=messages)


def load_definition(path: Union[str, Path, None] = None) -> Definition:
    """The questionnaire; the default file is parsed once per process."""
    return _load_default() if path is None else _load(Path(path))


def _load(path: Path) -> Definition:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)  # YAML is a superset of JSON: .json files load too
    return from_dict(raw)


@functools.lru_cache(maxsize=1)
def _load_default() -> Definition:
    return _load(DEFAULT_PATH)
