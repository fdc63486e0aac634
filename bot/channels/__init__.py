"""Input channels. `input_filter` is pure; the channel classes are the only Rasa glue here."""
