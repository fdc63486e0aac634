"""Which service questions a parent's message asks (bot/faq.py, bot/data/faq_topics.yml).

The messages are written the way parents text: shorthand, typos, several questions at
once, long stories that end in a question. Each case names the topics expected, in
the order asked.
"""
import re

import pytest
import yaml

from bot.dialogue.replies import say

from bot import faq
from bot.faq import MAX_ANSWERS, asks_for_advice, is_question, questions_in, response_for
from bot.settings import REPO_ROOT

DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())

STORY_SPINE = (
    "Hi, my daughter is 14 and has scoliosis. Her curve went from 30 to 45 degrees this "
    "year and her surgeon in Macon wants to do a spinal fusion this summer. We'd like a "
    "second opinion before we decide. How does this work and what does it cost?")
STORY_HIP = (
    "Hello. My son is 12 and was diagnosed with Perthes last year. Our ortho in Valdosta "
    "says he needs an osteotomy but we're not sure. We would love another set of eyes on "
    "it. What do we need to send you, and who would be looking at it?")
STORY_BABY = (
    "hello!! my daughter has hip dysplasia, she is 8 months old and in a pavlik harness. "
    "we live in savannah and the drive to atlanta is so hard w a baby. is there a way to "
    "do this without coming in? how much is the hip one?")
STORY_FUSION = (
    "We've been going back and forth with her surgeon about a spinal fusion. She's 13 "
    "with a 52 degree curve. Honestly we just want to know we are doing the right thing. "
    "Does insurance pay for this and how soon would we get an answer")
STORY_AUGUSTA = (
    "my kid is 16 with scoliosis, our surgeon in augusta wants to fuse T4 to L2. if yall "
    "say its a good idea we might do it there or come to you. can your surgeons do the "
    "surgery if we decide to? and what happens after the review")
STORY_NO_DIAGNOSIS = (
    "My son's back looks uneven when he bends over and his shoulders aren't level. We "
    "haven't seen anyone yet. Should I take him to the pediatrician first?")
STORY_LONG_MULTI = (
    "ok so my granddaughter lives with me, shes 11, hip dysplasia, they did a closed "
    "reduction as a baby and now the surgeon says she needs a PAO. i have peachcare for "
    "her. does peachcare cover the review? how do i pay? and can i send the xrays from "
    "my phone because i dont have a computer")
STORY_COLUMBUS = (
    "Hi there! My 15 year old son has a 38 degree curve and they want to brace him. We are "
    "in Columbus GA. Is this something yall can help with?")
STORY_MONEY = (
    "Good morning. My granddaughter (10) was just told she has scoliosis, 22 degrees. The "
    "doctor wants to watch it. I'm raising her on my own. What does this cost and do you do "
    "payment plans?")
STORY_BRUNSWICK = (
    "We're in Brunswick. How long does the whole thing take start to finish? Also what forms "
    "do we have to fill out?")

CASES = [
    # --- one question, plain --------------------------------------------------
    ("how does this work?", ["what_is"]),
    ("What is a second opinion document review?", ["what_is"]),
    ("so what exactly is this", ["what_is"]),
    ("can you tell me more about the spine review", ["what_is"]),
    ("Who reviews the x-rays?", ["reviewers"]),
    ("will a real surgeon look at her scans?", ["reviewers"]),
    ("how many doctors review it", ["reviewers"]),
    ("how long does it take to get the results", ["timeline"]),
    ("When will we hear back?", ["timeline"]),
    ("whats the turnaround", ["timeline"]),
    ("does she become your patient after this?", ["become_patient"]),
    ("do we have to switch doctors", ["become_patient"]),
    ("can we keep our surgeon?", ["become_patient"]),
    ("can we meet the team in person afterwards?", ["meet_in_person"]),
    ("do yall do virtual visits", ["visit_options"]),
    ("can we just book an appointment instead", ["visit_options"]),
    ("do you do second opinions for a broken arm?", ["eligibility_rules"]),
    ("how much is it", ["cost"]),
    ("price?", ["cost"]),
    ("whats the fee for the hip one", ["cost"]),
    ("is it free", ["cost"]),
    ("does insurance cover it", ["insurance"]),
    ("we have peachcare, does that cover the review?", ["insurance"]),
    ("do you take BCBS?", ["insurance"]),
    ("how do i pay", ["payment"]),
    ("when is payment due?", ["payment"]),
    ("What do I need to send?", ["documents"]),
    ("do you need a referral", ["documents"]),
    ("what paperwork is there", ["documents"]),
    # --- questions the page does not answer: say who can --------------------
    ("is there a payment plan", ["payment_help"]),
    ("we cant afford $500, is there any financial help?", ["payment_help"]),
    ("Do you offer any discounts?", ["payment_help"]),
    ("can yall do the surgery", ["surgery_here"]),
    ("can your surgeons operate on her?", ["surgery_here"]),
    ("if she needs the fusion can your surgeons do it", ["surgery_here"]),
    ("what happens after the review", ["after_review"]),
    ("what happens after we get the opinion?", ["after_review"]),
    ("what if yall disagree with our surgeon?", ["disagree"]),
    ("What if your team says something different than our doctor?", ["disagree"]),
    ("can i send everything from my phone? i dont have a computer", ["send_from_phone"]),
    ("can i just text you pics of the xrays", ["send_from_phone"]),
    ("my son turned 18 last month, who signs the consent form?", ["adult_child_form"]),
    ("she is 19 now, does she have to fill out the forms herself?", ["adult_child_form"]),
    ("what are your hours", ["office_hours"]),
    ("when can i call the coordinator?", ["office_hours"]),
    ("is anyone there on saturday", ["office_hours"]),
    ("should i take her to the pediatrician first?", ["see_doctor_first"]),
    ("do we need a diagnosis first", ["see_doctor_first"]),
    ("who can use this service", ["eligibility_rules"]),
    ("we live in alabama can we still use it", ["eligibility_rules"]),
    ("is it only for georgia?", ["eligibility_rules"]),
    # --- the same words, another question -----------------------------------
    ("how much is a video visit", ["visit_cost"]),
    ("How much does a clinic appt cost?", ["visit_cost"]),
    ("what would the surgery cost", ["visit_cost"]),
    ("how long is the wait for a visit", ["visit_wait"]),
    ("how soon can she be seen in clinic?", ["visit_wait"]),
    ("With the review do I actually get to talk to the doctor?", ["talk_to_doctor"]),
    ("whats the difference between the review and a video visit", ["talk_to_doctor"]),
    ("What is the age cutoff?", ["age_limit"]),
    ("what does referral mean?", ["referral_meaning"]),
    ("will they actually look at the MRI?", ["imaging"]),
    ("ok so what happens next", ["next_steps"]),
    ("when will someone call me about the fee", ["fee_call"]),
    # --- found by a parent tester: the request's status, payment, calls, who answers ---
    ("i already signed it!! what else is left", ["case_status"]),
    ("whats still missing on my request?", ["case_status"]),
    ("is there anything else we need to send?", ["case_status"]),
    ("whats the status of my request", ["case_status"]),
    ("did yall get everything?", ["case_status"]),
    ("did you get my xrays?", ["documents_received"]),
    ("has my referral come through yet?", ["documents_received"]),
    ("did my card go through?", ["charged"]),
    ("was I charged?", ["charged"]),
    ("have you charged my card yet", ["charged"]),
    ("when will the coordinator call me about the 500", ["fee_call"]),
    ("when will they call about the $500", ["fee_call"]),
    ("can the coordinator call after 6?", ["call_time"]),
    ("could they call me on saturday instead", ["call_time"]),
    ("i can only take calls after 5:30, is that ok", ["call_time"]),
    ("is this a real doctor or AI?", ["bot_or_doctor"]),
    ("am i talking to a nurse?", ["bot_or_doctor"]),
    ("are you a real person?", ["bot_or_doctor"]),
    ("r u a real person or a bot", ["bot_or_doctor"]),
    ("am i talking to a real person?", ["bot_or_doctor"]),
    ("my twins both have scoliosis, is it one review or two?", ["two_children"]),
    ("can i start a new request for my other child", ["two_children"]),
    ("can it be rushed? surgery is scheduled for dec 21", ["rush"]),
    ("can dfcs pay it instead of me?", ["payment_help"]),
    ("is a fracture covered by the second opinion?", ["other_problems"]),
    ("does the review cover broken bones?", ["other_problems"]),
    ("Can the leg fracture be reviewed too?", ["other_problems"]),
    ("can yall look at his knee too", ["other_problems"]),
    ("does medicaid cover the clinic visit", ["visit_insurance"]),
    ("do yall take peachcare for video visits?", ["visit_insurance"]),
    ("will insurance pay for the surgery if she needs it", ["visit_insurance"]),
    ("does insurance cover the review", ["insurance"]),
    ("how much is the review if she already had surgery?", ["cost"]),
    ("she hasnt been diagnosed yet, can we still do this?", ["see_doctor_first"]),
    # --- several questions at once ------------------------------------------
    ("how much is it, does insurance cover it and how long does it take?",
     ["cost", "insurance", "timeline"]),
    ("do u take amex? and when will we hear back", ["payment", "timeline"]),
    ("how much for the spine review and do you do video visits", ["cost", "visit_options"]),
    ("do yall do video visits and how much are they", ["visit_options", "visit_cost"]),
    ("does medicaid cover the visit? does it cover the review?", ["visit_insurance", "insurance"]),
    ("how long does the review take and how long is the wait for an appointment",
     ["timeline", "visit_wait"]),
    ("whats the cost, and is there a payment plan", ["cost", "payment_help"]),
    ("who looks at the records and when will we know", ["reviewers", "timeline"]),
    ("can we meet the doctors after and does he become a patient?",
     ["meet_in_person", "become_patient"]),
    ("what do you need from us and can i upload it from my phone",
     ["documents", "send_from_phone"]),
    ("how much, insurance, how long, who reviews, what paperwork, virtual visit?",
     ["cost", "insurance", "timeline"]),
    ("hw much 4 the spine review n do u take peachcare", ["cost", "insurance"]),
    # --- long stories ending in questions -----------------------------------
    (STORY_SPINE, ["what_is", "cost"]),
    (STORY_HIP, ["documents", "reviewers"]),
    (STORY_BABY, ["what_is", "cost"]),
    (STORY_FUSION, ["insurance", "timeline"]),
    (STORY_AUGUSTA, ["surgery_here", "after_review"]),
    (STORY_NO_DIAGNOSIS, ["see_doctor_first"]),
    (STORY_LONG_MULTI, ["insurance", "payment", "send_from_phone"]),
    (STORY_COLUMBUS, ["eligibility_rules"]),
    (STORY_MONEY, ["cost", "payment_help"]),
    (STORY_BRUNSWICK, ["timeline", "documents"]),
    ("i'm not sure she has been officially diagnosed, the pediatrician just said her back "
     "looks curved. do we need to go somewhere first?", ["see_doctor_first"]),
    # --- more ways to say the new questions ---------------------------------
    ("Would your surgeons be able to do the fusion if we decide to go with yall?", ["surgery_here"]),
    ("does getting the review mean we have to get the surgery there", ["become_patient"]),
    ("what if the team thinks she needs surgery and our doc doesnt", ["disagree"]),
    ("so after yall review it then what", ["after_review"]),
    ("is the fee refundable if you cant review it", ["payment_help"]),
    ("Is there any help for families who can't pay the full amount?", ["payment_help"]),
    ("what number do i call", ["office_hours"]),
    ("My daughter is 19 and in college. Can she fill out the forms herself or do I?",
     ["adult_child_form"]),
    ("my son is 20, can he still do this?", ["eligibility_rules"]),
    ("i sent the records yesterday, did you get them?", ["documents_received"]),
    ("how long is a video visit", ["visit_options"]),
    ("does peachcare cover telehealth", ["visit_insurance"]),
    ("how much will the PAO surgery cost at childrens", ["visit_cost"]),
    ("Do you review MRIs too or just x-rays?", ["documents"]),
    ("is the review done by a real person or AI", ["reviewers"]),
    ("how much is the review, and how much is a video visit?", ["cost", "visit_cost"]),
    ("can we do a telehealth appt instead? how much is that", ["visit_options", "visit_cost"]),
    ("do you do video visits? how much is the review?", ["visit_options", "cost"]),
    ("ok whats the coordinators hours", ["office_hours"]),
    ("Is there a payment plan? We can't do $500 at once", ["payment_help"]),
    ("is the $500 covered by insurance or is it out of pocket?", ["insurance"]),
    ("is a video visit covered by our insurance?", ["visit_insurance"]),
    ("How long for a video visit appointment?", ["visit_wait"]),
    ("she's 21 now but still on our insurance. is this available for someone who is 21?",
     ["eligibility_rules"]),
    ("will the surgeon call us with the results", ["after_review"]),
    ("do you take checks", ["payment"]),
    ("Do you do second opinions for ACL tears? My son is 17 and we're in Rome GA",
     ["eligibility_rules"]),
    # --- telling is asking, for insurance only ------------------------------
    ("my son, 12 yrs old, has scoliosis, 40 degrees. we have medicaid (amerigroup). savannah 31405",
     ["insurance"]),
    # --- Spanish (accents dropped when reading) -----------------------------
    ("hola, ¿cuánto cuesta la segunda opinión y cuánto tiempo tarda?", ["cost", "timeline"]),
    ("Mi hija tiene escoliosis. ¿Ustedes pueden hacer la cirugía en Atlanta si decidimos?",
     ["surgery_here"]),
    # --- SMS shorthand and typos --------------------------------------------
    ("hw much", ["cost"]),
    ("insurence?", ["insurance"]),
    ("do ya'll accept medicade", ["insurance"]),
    ("wat do i need 2 send", ["documents"]),
    ("wen will we get results", ["timeline"]),
    ("r u open sat", ["office_hours"]),
    ("pmt plan?", ["payment_help"]),
    ("cn i pay w my debit card", ["payment"]),
    ("how much is the 2nd opnion", ["cost"]),
    ("ok so like how does the whole thing work lol", ["what_is"]),
    ("does ins cover", ["insurance"]),
    ("whos doing the review", ["reviewers"]),
    ("can ya'll do her surgery", ["surgery_here"]),
    ("how long til we hear back", ["timeline"]),
    ("Can I send u pics of the xray?", ["send_from_phone"]),
    ("wht r ur office hrs", ["office_hours"]),
    # --- nothing asked --------------------------------------------------------
    ("hello there", []),
    ("thank you so much", []),
    ("my daughter has scoliosis and we live in macon 31201", []),
    ("his surgeon wants to do a spinal fusion, we want a second opinion first", []),
    ("she is 18", []),
    ("we already paid the $500 last week and sent everything", []),
    ("yes", []),
    ("14", []),
    ("how long should she wear the brace each day?", []),
    ("how much does she have to wear the brace", []),
    ("her curve is 45 degrees and the doctor wants surgery soon", []),
    ("my son has had hip pain for 3 weeks and is limping. no diagnosis yet. Macon", []),
    ("can you send me to someone on the phone, i have a lot of questions", []),
    ("she had x-rays and an mri in october", []),
    ("her pediatrician is dr jones at coastal pediatrics", []),
    ("i signed the fee agreement and uploaded her xrays", []),
    ("can someone call me", []),
    ("are you a bot?", []),  # the bot-challenge reply, not the doctors'
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_topics_asked(text, expected):
    assert questions_in(text) == expected


def test_enough_realistic_cases():
    assert len(CASES) >= 80
    assert sum(len(e) > 1 for _, e in CASES) >= 15


# --- the NLU intent ---------------------------------------------------------------
def test_intent_alone_answers_a_button():
    assert questions_in("", "ask_cost", 1.0) == ["cost"]


def test_confident_intent_comes_first():
    assert questions_in("and how long?", "ask_cost", 0.9) == ["cost", "timeline"]


def test_unsure_intent_does_not_count():
    assert questions_in("what about that one", "ask_cost", 0.59) == []
    assert questions_in("what about that one", "ask_cost", 0.6) == ["cost"]


@pytest.mark.parametrize("text,intent,expected", [
    ("how much is a video visit", "ask_cost", ["visit_cost"]),
    ("how much is a video visit", "ask_visit_options", ["visit_cost"]),
    ("can yall do the surgery", "ask_become_patient", ["surgery_here"]),
    ("does medicaid cover the clinic visit", "ask_insurance", ["visit_insurance"]),
    ("how long is the wait for a visit", "ask_timeline", ["visit_wait"]),
    ("should i take her to the pediatrician first", "ask_documents", ["see_doctor_first"]),
    ("how long should she wear the brace", "ask_timeline", []),
])
def test_patterns_overrule_a_contradicted_intent(text, intent, expected):
    assert questions_in(text, intent, 0.95) == expected


def test_intent_that_is_no_service_question_is_ignored():
    assert questions_in("hello", "greet", 0.99) == []
    assert questions_in("how much is it", "greet", 0.99) == ["cost"]


def test_a_confident_intent_counts_without_a_question_mark():
    text = "we'd be interested in knowing the fees"
    assert questions_in(text) == []  # a statement: patterns alone don't answer it
    assert questions_in(text, "ask_cost", 0.8) == ["cost"]


def test_answers_are_capped():
    text = "how much, insurance, how long, who reviews, what paperwork, virtual visit?"
    assert len(questions_in(text, "ask_cost", 0.9)) == MAX_ANSWERS


# --- the older API ------------------------------------------------------------------
def test_wrappers_still_work():
    assert faq.responses_for("ask_cost", "how much is it, and how long does it take?") == [
        "utter_cost", "utter_timeline"]
    assert faq.responses_for("greet", "hello there") == []
    assert faq.is_question_intent("ask_payment") and not faq.is_question_intent("greet")
    assert not faq.is_question_intent(None)


# --- the data -----------------------------------------------------------------------
def test_every_topic_has_patterns_and_a_domain_response():
    topics = faq.load_topics()
    assert all(t.patterns for t in topics.values())
    assert {response_for(k) for k in topics} <= DOMAIN["responses"].keys()


def test_every_topic_is_asked_by_some_case():
    asked = {t for _, expected in CASES for t in expected}
    assert asked == set(faq.load_topics())


def test_existing_intents_keep_their_topics():
    intents = {t.intent: k for k, t in faq.load_topics().items() if t.intent}
    assert intents == {f"ask_{k}": k for k in (
        "what_is", "reviewers", "timeline", "become_patient", "meet_in_person",
        "visit_options", "cost", "insurance", "payment", "documents")}


def _text(topic):
    return DOMAIN["responses"][response_for(topic)][0]["text"]


def test_answers_say_what_the_page_says():
    assert "not billed to insurance" in _text("insurance")
    rendered = say(response_for("insurance")).text
    assert "$500" in rendered and "$167" in rendered
    assert "Insurance does not cover" not in _text("insurance")


@pytest.mark.parametrize("topic,who", [
    ("visit_cost", "{scheduling_phone}"), ("visit_insurance", "{scheduling_phone}"),
    ("visit_wait", "{scheduling_phone}"), ("surgery_here", "{scheduling_phone}"),
    ("payment_help", "{coordinator_phone}"), ("adult_child_form", "{coordinator_phone}"),
    ("office_hours", "{coordinator_phone}"),
])
def test_unanswered_questions_say_who_can_answer(topic, who):
    text = _text(topic)
    assert who in text
    # No fee, no day count, no legal age rule invented for these.
    assert not re.search(r"\$\d|\bdays?\b|\bmust\b|\blaw\b|\blegal", text)


def test_office_hours_gives_the_hours():
    assert "{coordinator_hours}" in _text("office_hours")


# --- questions --------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "how much is it", "is it covered?", "do u take amex", "Can yall help us",
    "i wonder if insurance pays", "tell me about the review", "ok so whats next",
    "my daughter is 14 can yall help", "hi! quick question, does it hurt to wait",
    "wondering about the cost", "Would like to know the price", "insurance?",
    "hw long does it take", "any info on the hip review",
])
def test_is_question(text):
    assert is_question(text)


@pytest.mark.parametrize("text", [
    "hello", "thanks!", "my daughter has scoliosis", "we live in macon",
    "she is 14", "his surgeon wants to do a spinal fusion, we want a second opinion first",
    "ok sounds good", "31201", "have a good day",
    "my son has had hip pain for 3 weeks and is limping", "we have medicaid",
])
def test_is_not_question(text):
    assert not is_question(text)


# --- medical advice ---------------------------------------------------------------
ADVICE = [
    "should she have the surgery?",
    "is 45 degrees bad?",
    "do you think he needs a brace",
    "what would you recommend",
    "is it safe for her to play soccer",
    "will the brace fix it",
    "should we do the fusion or wait",
    "is a 30 degree curve bad",
    "does bracing work",
    "what exercises help scoliosis",
    "can scoliosis go away on its own",
    "will her curve get worse",
    "does my son need surgery for scfe",
    "how many hours a day should she wear the brace",
    "is vbt better than fusion",
    "can she still do gymnastics",
    "what would you do if it were your kid",
    "do you think the doctor is wrong",
    "is surgery really necessary at 45 degrees",
    "my doc says observe, is that right?",
    "is it normal for the pavlik harness to leave marks",
    "will physical therapy fix her hip",
    "should he stop sports",
    "what are the risks of spine surgery for kids",
    "can a chiropractor help scoliosis",
    "her curve went from 20 to 28 in 6 months is that fast",
    "is ibuprofen ok for her back pain",
    "can she play soccer w her brace",
    "ok so is 40 degrees a lot??",
    "what do u think, should she get the rods or wait",
    "is a brace enough or does she need surgery",
    "whats the best treatment for perthes",
    "My son is 12 and his surgeon wants to fuse his spine. Do you think he really needs it?",
    "can you look at her xray and tell me if its bad",
    "how long is recovery from a spinal fusion",
    "we were told to do PT first. is that the right call?",
    "Dr says it should heal with a brace. Would you agree with that?",
    "The surgeon wants to pin the left hip too. Should we do the other side?",
    "could it be hip dysplasia?",
    "our pediatrician sent us for an ultrasound next month. what should we do until then?",
    "Mi hijo de 12 años tiene escoliosis. ¿Debería operarse o usar el corsé?",
]

NOT_ADVICE = [
    "his surgeon wants to do a spinal fusion, we want a second opinion first",
    "her curve is 45 degrees and the doctor said surgery. how much is the review?",
    "should i take her to the pediatrician first?",
    "should i go to the ER",
    "should we call 911?",
    "is this an emergency",
    "how much does it cost",
    "should we send the mri too?",
    "do you think you can help us",
    "is it safe to upload her records here",
    "will the review tell us if she needs surgery?",
    "can yall do the surgery",
    "she had surgery last year, can she still use the review?",
    "does she need a referral",
    "do we need a diagnosis first?",
    "my daughter was braced for 2 years and now they want to do surgery. can yall give a second opinion?",
    "what if you disagree with our surgeon",
    "is it ok to send pictures of the xrays",
    "should i fill out the consent form first",
    "what do you need from us",
    "will insurance pay for the surgery",
    "we were told he needs a brace, is a video visit possible?",
    "how long will it take to get the results",
    "what happens after the review",
    "should she bring her brace to the visit?",
    "do you think she qualifies",
    "what would you recommend, the spine review or a clinic visit?",
    "she is in a brace 18 hours a day and her curve is 38 degrees",
    "can she do the review if she is 18",
    "my son is 20, can he still do this?",
    "is it normal to wait this long",
    "let me know if you need anything else from me",
    "should we get a second opinion before surgery",
    "what should i do next to apply",
    "is it worth getting a second opinion",
    "hello",
]


@pytest.mark.parametrize("text", ADVICE)
def test_asks_for_advice(text):
    assert asks_for_advice(text)


@pytest.mark.parametrize("text", NOT_ADVICE)
def test_does_not_ask_for_advice(text):
    assert not asks_for_advice(text)


def test_enough_advice_cases():
    assert len(ADVICE) >= 25 and len(NOT_ADVICE) >= 25


def test_advice_questions_get_no_service_answer():
    for text in ("how long should she wear the brace each day?", "will the brace fix it",
                 "is 45 degrees bad?", "should she have the surgery?"):
        assert questions_in(text) == [], text


# --- found by a parent tester -------------------------------------------------------
def test_nothing_is_charged_in_the_chat_or_on_the_page():
    text = _text("charged")
    assert "Nothing is charged" in text and "fee by phone" in text
    assert "{coordinator_phone}" in text


def test_a_call_at_another_time_is_asked_for_never_promised():
    text = _text("call_time")
    assert "{coordinator_hours}" in text and "you can ask" in text
    assert not re.search(r"\bwill call you (at|after)\b|\bwe can call\b", text)


def test_the_bot_says_what_it_is_and_who_reviews():
    text = _text("bot_or_doctor")
    assert "automated" in text and "not a doctor" in text
    assert "three Spine Program leaders" in text and "one Hip Program leader" in text
