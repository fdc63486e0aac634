"""One rule sends every intent to action_turn: a new intent that the rule misses
would get no reply at all, so the rule must list every intent in the domain."""
import yaml

from bot.settings import REPO_ROOT


def test_every_intent_goes_to_the_dialogue():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    rules = yaml.safe_load((REPO_ROOT / "data" / "rules.yml").read_text())["rules"]
    [rule] = rules
    listed = {step["intent"] for step in rule["steps"][0]["or"]}
    assert listed == set(domain["intents"]) | {"nlu_fallback"}
    assert rule["steps"][1] == {"action": "action_turn"}


def test_the_dialogue_action_is_the_only_custom_one():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    assert set(domain["actions"]) == {"action_session_start", "action_turn"}
