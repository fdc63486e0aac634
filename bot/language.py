"""Is a message in Spanish, or asking for Spanish? Pure Python, no Rasa.

The full Spanish experience comes later; for now a Spanish message (or a request for
Spanish) gets a short Spanish reply and a call-back with an interpreter. A word list
is enough for that decision: parents' Spanish texts are full of function words that
English texts never use.
"""
from __future__ import annotations

import re
import unicodedata

# Words that are Spanish and (almost) never English; accents are stripped first.
_SPANISH_WORDS = frozenset("""
hola buenas buenos dias tardes noches gracias por favor mi mis hijo hija hijos nino nina ninos
tiene tengo tenemos anos meses quiero queremos necesito necesitamos ayuda cuanto cuesta cuando
como donde que quien porque pero tambien escoliosis cadera columna espalda displasia doctor
medico cirugia segunda opinion vivimos vive estamos somos hablar habla hablan espanol ingles
senor senora puede pueden usted ustedes seguro aseguranza precio revision radiografias
nuestra nuestro muy bien esta estan del los las una uno con sin para sobre desde hasta
""".split())
# English words that look like Spanish ones above, to ignore if both appear.
_SHARED = frozenset({"doctor", "me", "no", "a", "y", "e", "con", "sin", "precio"})
_ASKS_FOR_SPANISH = re.compile(
    r"\b(spanish|espanol|en espanol|habla\w* espanol|interpreter|interprete|translator|"
    r"traductor)\b", re.I)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return text.lower()


def spanish_share(text: str) -> float:
    words = re.findall(r"[a-z]+", _plain(text))
    if not words:
        return 0.0
    hits = sum(w in _SPANISH_WORDS and w not in _SHARED for w in words)
    return hits / len(words)


def is_spanish(text: str) -> bool:
    """Written in Spanish: at least two Spanish words making a fair share of the text."""
    words = re.findall(r"[a-z]+", _plain(text))
    hits = sum(w in _SPANISH_WORDS and w not in _SHARED for w in words)
    return hits >= 2 and hits / max(len(words), 1) >= 0.25 or (hits >= 1 and len(words) <= 2
                                                                 and words[0] in {"hola", "gracias"})


def asks_for_spanish(text: str) -> bool:
    """"do you speak spanish", "hay alguien que hable español?", "I need an interpreter"."""
    return bool(_ASKS_FOR_SPANISH.search(_plain(text)))
