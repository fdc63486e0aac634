"""The upload link asked for again, or a link that does not open: a fresh link (within
the day's limit), what to try, and the coordinator when a link cannot help."""
from __future__ import annotations

from bot import intake
from bot.dialogue import intake_flow
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import Conversation


def resend(conv: Conversation, conversation_id: str, trouble: bool = False) -> list[Reply]:
    """"send me the link again" (`trouble`: "the link doesn't work"): a new link, then
    the question the form is at. A locked link or the day's limit: the coordinator."""
    if not conv.case_ids:
        conv.set("offer", "screening")
        return [say("utter_no_case_yet")]
    resent = intake.resend_link(conversation_id, conv.case_ids)
    if not resent.sent:  # locked or too many re-sends today: the coordinator helps
        out = [say("utter_link_locked" if resent.refused == "locked" else "utter_link_limit")]
    elif trouble:  # how to open it, and who to call if it still won't
        out = [say("utter_link_trouble", link=resent.sent.link), say("utter_link_trouble_help")]
    else:
        out = [say("utter_link_again", link=resent.sent.link)]
    if intake_flow.is_active(conv) and not intake_flow.is_paused(conv):
        out.append(intake_flow.prompt(conv))
    return out
