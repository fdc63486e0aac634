"""Rasa NLU pipeline components (Rasa glue; the rules they apply live in bot/)."""
