"""The case as a FHIR R4 Bundle (type collection) for the coordinator system: the child
(Patient), the parent who asked (RelatedPerson), the answers (QuestionnaireResponse),
one DocumentReference per stored file (its metadata and download address, never its
bytes), the signed fee agreement (Consent) and the review's progress (Task).

Every entry's fullUrl is a urn:uuid made with uuid5 from the case's address, so the
same case gives the same ids on every export and a receiver can update in place.
Plain dicts out (JSON-ready); tests parse them with fhir.resources' R4B models.
"""
from __future__ import annotations

import base64
import uuid
from typing import Any, Optional

from bot import cases, checklist
from bot.db import utcnow
from bot.portal import consent, form
from bot.questionnaire import load_definition, to_questionnaire_response
from bot.settings import Settings
from bot.staff import workflow

ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
# guardian_relationship's options (questionnaire/definition.yml) -> v3-RoleCode; an
# open-choice free-text answer ("aunt") is kept as text only.
RELATIONSHIPS = {"mother": ("MTH", "mother"), "father": ("FTH", "father"),
                 "grandparent": ("GRPRN", "grandparent"), "guardian": ("GUARD", "guardian")}
UNKNOWN_RELATIONSHIP = "Parent or guardian who made the request"

# Our status -> FHIR Task.status (businessStatus keeps ours exactly). Every status in
# workflow.ALL_STATUSES must be here: task_status raises for any other.
TASK_STATUS = {
    checklist.INTAKE_STARTED: "requested",        # the family asked; items still coming
    checklist.AWAITING_DOCUMENTS: "requested",
    checklist.DOCUMENTS_RECEIVED: "received",     # the coordinator has it, fee not yet taken
    workflow.FEE_COLLECTED: "accepted",           # we will do it; no team on it yet
    workflow.ASSIGNED: "accepted",
    workflow.IN_REVIEW: "in-progress",
    workflow.OPINION_SENT: "completed",           # the opinion is the task's output
    workflow.CLOSED: "completed",
    workflow.WITHDRAWN: "cancelled",              # the family stopped it
    workflow.NOT_ELIGIBLE: "rejected",            # we declined it
}
# Where the coordinator portal serves a stored file (bot/portal/coordinator/case_page.py).
DOWNLOAD_PATH = "/coordinator/cases/{case_id}/documents/{doc_id}/download"
LOINC = "http://loinc.org"


def case_bundle(case_id: int, settings: Settings) -> dict:
    """The Bundle for one case; LookupError for an unknown case."""
    url = settings.database_url
    detail = cases.case_detail(case_id, url=url)
    linked = cases.case_summary(detail["linked_case_id"], url=url) \
        if detail["linked_case_id"] else None
    state = form.state_of(detail, linked, settings)
    signed = consent.latest(case_id, url)
    return build_bundle(detail, state, signed, settings)


def build_bundle(detail: dict, state: dict, signed: Optional[dict],
                 settings: Settings) -> dict:
    """The Bundle from what case_bundle loaded (no database)."""
    ids = _Ids(settings.public_base_url, detail["id"])
    identifier = ids.identifier(detail["reference"])
    entries = [(ids.patient, patient(detail, identifier))]
    guardian = related_person(detail, ids.patient)
    if guardian:
        entries.append((ids.guardian, guardian))
    response = to_questionnaire_response(load_definition(), state, subject_ref=ids.patient,
                                         authored=detail["updated_at"])
    response["identifier"] = identifier
    if guardian:  # the parent both wrote and gave the answers
        response["author"] = response["source"] = {"reference": ids.guardian}
    entries.append((ids.response, response))
    entries += [(ids.document(doc["id"]), document_reference(doc, ids))
                for doc in detail["documents"]]
    if signed:
        entries.append((ids.consent, consent_resource(signed, ids, bool(guardian))))
    entries.append((ids.task, task(detail, identifier, ids)))
    return {"resourceType": "Bundle", "type": "collection", "identifier": identifier,
            "timestamp": utcnow().replace(microsecond=0).isoformat() + "Z",
            "entry": [{"fullUrl": full_url, "resource": resource}
                      for full_url, resource in entries]}


class _Ids:
    """Stable urn:uuid fullUrls per case (the Patient's and the response's as before)."""

    def __init__(self, base: str, case_id: int):
        self.base, self.case_id = base, case_id
        self.case_url = f"{base}/cases/{case_id}"
        self.patient, self.response = self._urn("patient"), self._urn("response")
        self.guardian, self.consent = self._urn("guardian"), self._urn("consent")
        self.task = self._urn("task")

    def _urn(self, part: str) -> str:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.case_url}/{part}')}"

    def document(self, doc_id: int) -> str:
        return self._urn(f"documents/{doc_id}")

    def download(self, doc_id: int) -> str:
        return self.base + DOWNLOAD_PATH.format(case_id=self.case_id, doc_id=doc_id)

    def identifier(self, reference: str) -> dict:
        return {"system": f"{self.base}/fhir/case-reference", "value": reference}


def patient(detail: dict, identifier: dict) -> dict:
    child = detail["child"]
    resource: dict[str, Any] = {"resourceType": "Patient", "identifier": [identifier]}
    if child["first_name"] or child["last_name"]:
        name: dict[str, Any] = {"use": "official"}
        if child["last_name"]:
            name["family"] = child["last_name"]
        if child["first_name"]:
            name["given"] = [child["first_name"]]
        resource["name"] = [name]
    sex = detail["answers"].get("child_sex")
    if sex in ("female", "male"):  # the question's only options; FHIR's codes too
        resource["gender"] = sex
    if child["birth_date"]:
        resource["birthDate"] = child["birth_date"]
    return resource


def related_person(detail: dict, patient_ref: str) -> Optional[dict]:
    """The parent or guardian who filled in the request; None when nothing is known."""
    guardian = detail["guardian"]
    relationship = relationship_of(detail["answers"].get("guardian_relationship"))
    if not any(guardian.values()) and relationship is None:
        return None
    resource: dict[str, Any] = {"resourceType": "RelatedPerson", "active": True,
                                "patient": {"reference": patient_ref},
                                "relationship": [relationship or {"text": UNKNOWN_RELATIONSHIP}]}
    if guardian["name"]:
        resource["name"] = [{"text": guardian["name"]}]  # typed whole: not split into parts
    telecom = []
    if guardian["phone"]:
        telecom.append({"system": "phone", "value": guardian["phone"], "use": "mobile"})
    if guardian["email"]:
        telecom.append({"system": "email", "value": guardian["email"]})
    if telecom:
        resource["telecom"] = telecom
    return resource


def relationship_of(answer: Any) -> Optional[dict]:
    """A guardian_relationship answer as a CodeableConcept."""
    if isinstance(answer, dict):  # open-choice "other": the parent's own words
        text = str(answer.get("text") or "").strip()
        return {"text": text} if text else None
    if not answer:
        return None
    found = RELATIONSHIPS.get(str(answer))
    option = load_definition().item("guardian_relationship").option(str(answer))
    text = option.display if option else str(answer)
    if found is None:
        return {"text": text}
    code, display = found
    return {"coding": [{"system": ROLE_CODES, "code": code, "display": display}],
            "text": text}


def document_reference(doc: dict, ids: _Ids) -> dict:
    """Metadata and the coordinator download address; the bytes stay on our server."""
    label = checklist.LABELS.get(doc["kind"]) or checklist.UNSORTED_LABELS.get(doc["kind"])
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference", "status": "current",
        "type": {"text": doc["kind"]}, "subject": {"reference": ids.patient},
        "date": doc["received_at"],
        "content": [{"attachment": {
            "contentType": doc["content_type"], "url": ids.download(doc["id"]),
            "size": doc["size"], "title": doc["name"], "creation": doc["received_at"]}}],
        "identifier": [sha256_identifier(doc["sha256"])]}
    if label:
        resource["description"] = label
    return resource


def consent_resource(signed: dict, ids: _Ids, has_guardian: bool) -> dict:
    """The newest signature. Scope "treatment", not "patient-privacy": the signed text
    (portal/consent_v1.md) agrees to a health service, the document review, and to its
    fee; it says nothing about who may see or share information, which is what a
    privacy consent records."""
    resource: dict[str, Any] = {
        "resourceType": "Consent", "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                        "consentscope", "code": "treatment",
                              "display": "Treatment"}]},
        "category": [{"coding": [{"system": LOINC, "code": "59284-0",
                                  "display": "Consent Document"}]}],
        "patient": {"reference": ids.patient},
        "dateTime": signed["signed_at"],
        # R4 wants a policy or policyRule (ppc-1): the parent opted in by signing.
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                             "v3-ActCode", "code": "OPTIN"}]},
        "identifier": [sha256_identifier(signed["text_sha256"])],
        "sourceAttachment": {
            "contentType": "text/markdown; charset=utf-8",
            "title": f"Fee agreement {signed['text_version']}, signed by "
                     f"{signed['signer_name']}",
            "creation": signed["signed_at"]}}
    if has_guardian:
        resource["performer"] = [{"reference": ids.guardian,
                                  "display": signed["signer_name"]}]
    else:
        resource["performer"] = [{"display": signed["signer_name"]}]
    return resource


def task(detail: dict, identifier: dict, ids: _Ids) -> dict:
    return {"resourceType": "Task", "identifier": [identifier],
            "status": task_status(detail["status"]),
            "businessStatus": {"text": detail["status"]}, "intent": "order",
            "code": {"text": f"Second opinion document review – {detail['program']}"},
            "focus": {"reference": ids.response}, "for": {"reference": ids.patient},
            "authoredOn": detail["created_at"], "lastModified": detail["updated_at"]}


def task_status(status: str) -> str:
    try:
        return TASK_STATUS[status]
    except KeyError:
        raise ValueError(f"case status {status!r} has no FHIR Task status") from None


def sha256_identifier(hex_digest: str) -> dict:
    """The SHA-256 we keep, as an RFC 6920 "ni" URI. Not Attachment.hash: FHIR R4 defines
    that as SHA-1, and a receiver checking it would reject ours."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(hex_digest)).decode("ascii").rstrip("=")
    return {"system": "urn:ietf:rfc:3986", "value": f"ni:///sha-256;{digest}"}
