"""Launchers for the Rasa server (glue: may import Rasa)."""
