"""Thin rasa_sdk adapters over bot/. The action server loads every module here."""
