"""The webhook's checks: Twilio's signature over the public URL, then the fields."""
from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from bot.channels import sms_request
from bot.channels.sms_request import Refused
from bot.settings import Settings

TOKEN = "f" * 32
PUBLIC = "https://intake.example.org"
PATH = "/webhooks/sms/webhook"
FORM = {"MessageSid": "SM" + "a" * 32, "From": "+14045550142", "To": "+15005550006",
        "Body": "my son has scoliosis", "NumMedia": "0"}


def settings(**kw) -> Settings:
    return Settings(twilio_auth_token=TOKEN, public_base_url=PUBLIC, **kw)


def sign(url: str, form: dict, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def test_a_post_twilio_signed_for_the_public_url_passes():
    url = sms_request.signed_url(PATH, "", "10.0.0.9", {}, settings())
    assert url == PUBLIC + PATH
    sms_request.check_signature(url, FORM, sign(PUBLIC + PATH, FORM), settings())


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl",
                                       sign(PUBLIC + PATH, FORM, token="e" * 32),
                                       sign("http://localhost:5005" + PATH, FORM)])
def test_a_missing_or_forged_signature_is_refused(signature):
    with pytest.raises(Refused) as refused:
        sms_request.check_signature(PUBLIC + PATH, FORM, signature, settings())
    assert refused.value.status == 403


def test_a_field_changed_after_signing_is_refused():
    signature = sign(PUBLIC + PATH, FORM)
    with pytest.raises(Refused):
        sms_request.check_signature(PUBLIC + PATH, {**FORM, "From": "+14045550100"}, signature,
                                    settings())


def test_without_a_token_nothing_is_checked():
    sms_request.check_signature(PUBLIC + PATH, FORM, None, Settings(twilio_auth_token=None))


def test_forwarded_proto_is_believed_only_from_a_trusted_proxy():
    s = Settings(public_base_url="http://intake.example.org", trusted_proxies=("10.0.0.0/8",))
    headers = {"x-forwarded-proto": "https"}
    assert sms_request.signed_url(PATH, "", "10.1.2.3", headers, s).startswith("https://")
    assert sms_request.signed_url(PATH, "", "203.0.113.7", headers, s).startswith("http://")
    assert sms_request.signed_url(PATH, "", "10.1.2.3", {"x-forwarded-proto": "gopher"},
                                  s).startswith("http://")


def test_the_query_string_is_part_of_the_signed_url():
    assert sms_request.signed_url(PATH, "a=1", None, {}, settings()) == PUBLIC + PATH + "?a=1"


def test_fields_are_read():
    posted = sms_request.parse({**FORM, "From": ["+14045550142"]})
    assert (posted.phone, posted.text, posted.media) == ("+14045550142", FORM["Body"], [])


def test_control_characters_are_dropped_line_breaks_kept():
    posted = sms_request.parse({**FORM, "Body": "hi\x00 there\x1b[31m\x7f\nbye\ttab"})
    assert posted.text == "hi there[31m\nbye\ttab"


@pytest.mark.parametrize("sender", ["+1 (404) 555-0142", "whatsapp:+14045550142",
                                    "tel:+14045550142", "+14045550142;ext=2", "1-800-FLOWERS",
                                    "\uff0b\uff11\uff14\uff10\uff14\uff15\uff15\uff15\uff10"
                                    "\uff11\uff14\uff12", "4045550142", "+1404555014"])
def test_only_an_e164_sender_is_an_sms_parent(sender):
    with pytest.raises(Refused):
        sms_request.parse({**FORM, "From": sender})


def test_media_fields_are_collected_up_to_twilios_limit():
    form = {**FORM, "NumMedia": "12"}
    for n in range(12):
        form[f"MediaUrl{n}"] = f"https://api.twilio.com/m/{n}"
        form[f"MediaContentType{n}"] = "image/jpeg"
    posted = sms_request.parse(form)
    assert len(posted.media) == sms_request.MAX_MEDIA
    assert posted.media[0] == {"url": "https://api.twilio.com/m/0", "content_type": "image/jpeg"}


@pytest.mark.parametrize("change", [
    {"MessageSid": ""}, {"MessageSid": "SM123"}, {"MessageSid": "XX" + "a" * 32},
    {"MessageSid": "SM" + "a" * 32 + "' OR 1=1"}, {"From": "not a number"}, {"From": ""},
    {"Body": "x" * 1601}, {"NumMedia": "lots"}])
def test_a_post_that_is_not_a_text_is_refused(change):
    with pytest.raises(Refused) as refused:
        sms_request.parse({**FORM, **change})
    assert refused.value.status == 400


def test_blank_fields_are_kept_because_twilio_signs_them():
    form = sms_request.Form.parse(b"Body=&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm")
    signature = sign(PUBLIC + PATH, {"Body": "", "NumMedia": "1",
                                     "MediaUrl0": "https://api.twilio.com/m"})
    sms_request.check_signature(PUBLIC + PATH, form, signature, settings())


@pytest.mark.parametrize("body", [b"Body=%ff%fe", b"\xff\xfe=1", b"&".join([b"a=1"] * 300)])
def test_a_body_that_is_no_twilio_form_is_refused(body):
    with pytest.raises(Refused) as refused:
        sms_request.Form.parse(body)
    assert refused.value.status == 400
