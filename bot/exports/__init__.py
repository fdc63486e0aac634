"""Exports of a case for people and systems outside the workspace: the printable
summary (summary_pdf.py) and the FHIR R4 Bundle (fhir.py)."""
