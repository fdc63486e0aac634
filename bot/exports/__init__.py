"""Exports of a case for people and systems outside the workspace: the printable
summary for the review team (summary_pdf.py)."""
