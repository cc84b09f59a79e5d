"""What a phone may hold of a NIK: masked digits, a 4-bit tag, an opaque server-keyed id.

Threat model and the arithmetic behind these choices: SECURITY.md ("NIK on phones").
"""
import hashlib
import hmac

from flask import current_app

from webapp.identity import mask_nik

TAG_PREFIX = b"jemput-nik-tag/v1:"
KEY_LENGTH = 16  # hex digits of nik_key


def nik_tag(nik):
    """One hex digit of SHA-256: 16 buckets, so a tag narrows 10,000 candidates only to ~625."""
    return hashlib.sha256(TAG_PREFIX + nik.encode()).hexdigest()[0]


def _visit_key(visit_id):
    # Derived, not stored: every app server holding SECRET_KEY computes the same key.
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"jemput-nik-key/v1:{visit_id}".encode(), hashlib.sha256).digest()


def nik_key(visit_id, nik):
    """Opaque per-visit id of a NIK: equal NIKs give equal keys; without SECRET_KEY, no way back."""
    # 64 bits: injective on a visit's NIKs all the same (SECURITY.md), and 4 KB less per 500-student
    # roster on the wire (random hex does not compress). Phones compare the first 16 hex digits, so
    # a key of the former 128-bit form still stored on a phone matches (niktag.js KEY_LENGTH).
    return hmac.new(_visit_key(visit_id), nik.encode(), hashlib.sha256).hexdigest()[:KEY_LENGTH]


def nik_fields(visit_id, nik):
    """The NIK as a roster row or a relayed walk-in carries it."""
    if not isinstance(nik, str) or not nik:
        return {"nik_masked": None, "nik_tag": None, "nik_key": None}
    return {"nik_masked": mask_nik(nik), "nik_tag": nik_tag(nik), "nik_key": nik_key(visit_id, nik)}


def redacted_student(visit_id, student):
    """A walk-in's student object without its NIK and KK (masked forms instead)."""
    out = {k: v for k, v in student.items() if k not in ("nik", "kk")}
    out.update(nik_fields(visit_id, student.get("nik")))
    if isinstance(student.get("kk"), str) and student["kk"]:
        out["kk_masked"] = mask_nik(student["kk"])
    return out


def relayed(visit_id, body):
    """An event as other phones receive it: walk-ins carry no NIK or KK."""
    student = body.get("student")
    if body.get("type") != "walkin" or not isinstance(student, dict):
        return body
    return {**body, "student": redacted_student(visit_id, student)}


def own_walkins(visit_id, events):
    """{walk-in student id: redacted student} for accepted walk-ins, so the sender drops its NIK."""
    out = {}
    for ev in events:
        student = ev.get("student")
        if ev.get("type") == "walkin" and isinstance(student, dict) and student.get("id"):
            out[str(student["id"])] = redacted_student(visit_id, student)
    return out
