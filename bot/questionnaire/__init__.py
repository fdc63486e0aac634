"""The medical history questionnaire: one FHIR-shaped definition (definition.yml)
driving the chat walk-through, the web form, validation and the FHIR export.
Pure Python, no Rasa."""
from bot.questionnaire.answers import Parsed, parse_answer
from bot.questionnaire.engine import (Outcome, apply, is_yes, new_state, next_item, progress,
                                      prompt, render)
from bot.questionnaire.fhir import apply_form, to_questionnaire_response, web_form_fields
from bot.questionnaire.model import Definition, DefinitionError, Item, load_definition
from bot.questionnaire.summary import short_summary, short_summary_lines, summary, summary_lines

__all__ = [
    "Definition", "DefinitionError", "Item", "Outcome", "Parsed", "apply", "apply_form",
    "is_yes", "load_definition", "new_state", "next_item", "parse_answer", "progress",
    "prompt", "render", "short_summary", "short_summary_lines", "summary", "summary_lines",
    "to_questionnaire_response", "web_form_fields",
]
