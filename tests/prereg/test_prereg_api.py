"""Link-holder API: the list, add / edit / remove, live checks, locks, bad links, rate limit."""
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditEntry
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.prereg import links
from webapp.prereg.models import PreregLink
from webapp.visits.models import Student, Visit

EN = {"Accept-Language": "en"}


def base(token):
    return f"/api/v1/prereg/{token}"


def test_overview_shows_visit_school_counts_and_masked_students(client, token, upcoming):
    response = client.get(base(token))
    assert response.status_code == 200
    body = response.get_json()
    assert body["visit"]["id"] == upcoming.id and body["visit"]["date"] == "2026-12-04"
    assert body["school"]["npsn"] == "69900102" and body["locked"] is False
    assert body["counts"]["registered"] == len(body["students"]) == 60
    assert body["counts"]["eligible"] + body["counts"]["under_age"] == 60
    assert body["counts"]["under_age"] > 0  # the demo mixes ages
    raw = response.get_data(as_text=True)
    for student in upcoming.students:
        assert student.nik not in raw  # lists never carry a full NIK
    first = body["students"][0]
    assert first["nik_masked"].startswith("36") and "*" in first["nik_masked"]
    assert first["eligibility"]["status"] in ("under_age", "record_only", "record_and_print")


def test_add_student_201_with_warnings(client, token, student_data):
    response = client.post(f"{base(token)}/students", json=student_data(gender="P"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["nik"] == "3672021003090001" and body["class"] == "XII IPA 1"
    assert body["eligibility"]["status"] == "record_and_print"
    assert body["warnings"] == {"nik": [
        "Jenis kelamin pada NIK (L) berbeda dengan yang diisi (P)."]}
    student = db.session.get(Student, body["id"])
    assert student.source == "prereg" and student.consent is True


def test_add_student_422_names_fields_in_the_callers_language(client, token, student_data):
    bad = student_data(nik="36720210030900", birth_date="2009/13/45", gender="X")
    response = client.post(f"{base(token)}/students", json=bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["nik"] == ["NIK harus 16 digit angka (terisi 14 digit)."]
    assert set(errors) == {"nik", "birth_date", "gender"}
    english = client.post(f"{base(token)}/students", json=bad, headers=EN).get_json()["errors"]
    assert english["nik"] == ["NIK must be 16 digits (got 14)."]
    assert english["gender"] == ["Gender must be L or P."]
    unknown = client.post(f"{base(token)}/students", json=student_data(umur=17), headers=EN)
    assert unknown.status_code == 422 and unknown.get_json()["errors"] == {
        "umur": ["Unknown field."]}
    assert db.session.execute(select(func.count(Student.id)).where(
        Student.nik == "36720210030900")).scalar_one() == 0


def test_duplicate_nik_within_the_visit_is_refused(client, token, student_data):
    assert client.post(f"{base(token)}/students", json=student_data()).status_code == 201
    again = client.post(f"{base(token)}/students", json=student_data(name="Budi Dua"), headers=EN)
    assert again.status_code == 422
    assert again.get_json()["issues"]["nik"] == ["nik_duplicate"]
    assert "duplicate" in again.get_json()["errors"]["nik"][0]  # in the asked language


def test_edit_read_and_remove(client, token, student_data, upcoming):
    sid = client.post(f"{base(token)}/students", json=student_data()).get_json()["id"]
    response = client.put(f"{base(token)}/students/{sid}", json=student_data(name="Budi S."))
    assert response.status_code == 200 and response.get_json()["name"] == "Budi S."
    bad = client.put(f"{base(token)}/students/{sid}", json=student_data(birth_date=None))
    assert bad.status_code == 422 and "birth_date" in bad.get_json()["errors"]
    full = client.get(f"{base(token)}/students/{sid}").get_json()
    assert full["nik"] == "3672021003090001"
    assert db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "nik_viewed", AuditEntry.object_id == sid)).scalar_one()
    assert client.delete(f"{base(token)}/students/{sid}").status_code == 204
    assert client.delete(f"{base(token)}/students/{sid}").status_code == 404
    other = db.session.execute(select(Student).where(Student.visit_id != upcoming.id)).scalars().first()
    assert client.put(f"{base(token)}/students/{other.id}",
                      json=student_data()).status_code == 404  # another visit's student


def test_live_check_stores_nothing(client, token, student_data):
    response = client.post(f"{base(token)}/validate", json=student_data(nik="367202"), headers=EN)
    body = response.get_json()
    assert response.status_code == 200 and body["valid"] is False
    assert body["errors"] == {"nik": ["NIK must be 16 digits (got 6)."]}
    ok = client.post(f"{base(token)}/validate", json=student_data(kk="3672021003090001")).get_json()
    assert ok["valid"] is True and ok["eligibility"]["status"] == "record_and_print"
    assert ok["warnings"]["nik"] == ["NIK sama dengan No. KK; kemungkinan tertukar."]
    assert db.session.execute(select(func.count(Student.id)).where(
        Student.nik == "3672021003090001")).scalar_one() == 0


def _bad_link_is_silent(client, token, upcoming):
    response = client.get(base(token))
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and response.get_json()["code"] == "link_not_found"
    assert upcoming.school.name not in text and "2026-12-04" not in text
    assert client.post(f"{base(token)}/students", json={}).status_code == 404
    page = client.get(f"/daftar/{token}")
    assert page.status_code == 404 and upcoming.school.name not in page.get_data(as_text=True)


def test_wrong_expired_and_revoked_links_answer_404_with_nothing(client, token, upcoming):
    _bad_link_is_silent(client, token[:-1] + ("A" if token[-1] != "A" else "B"), upcoming)
    link = db.session.execute(select(PreregLink).where(PreregLink.revoked_at.is_(None))).scalar_one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _bad_link_is_silent(client, token, upcoming)
    link.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert client.get(base(token)).status_code == 200
    links.revoke_links(upcoming)
    _bad_link_is_silent(client, token, upcoming)


def test_list_locks_when_the_visit_opens(client, token, upcoming, student_data, app):
    upcoming.status = "open"
    db.session.commit()
    body = client.get(base(token)).get_json()
    assert body["locked"] is True
    response = client.post(f"{base(token)}/students", json=student_data(), headers=EN)
    assert response.status_code == 409 and response.get_json()["code"] == "list_locked"
    sid = body["students"][0]["id"]
    assert client.delete(f"{base(token)}/students/{sid}").status_code == 409
    assert client.get(f"{base(token)}/slips.pdf").status_code == 202  # printing still works (a job)
    app.config["PREREG_LOCK_ON_OPEN"] = False
    try:
        assert client.get(base(token)).get_json()["locked"] is False
        assert client.post(f"{base(token)}/students", json=student_data()).status_code == 201
    finally:
        app.config["PREREG_LOCK_ON_OPEN"] = True


def test_lock_setting_is_read_from_the_environment():
    from webapp.settings import load

    assert load("/tmp", {"SECRET_KEY": "x"})["PREREG_LOCK_ON_OPEN"] is True
    assert load("/tmp", {"SECRET_KEY": "x", "PREREG_LOCK_ON_OPEN": "false"})[
        "PREREG_LOCK_ON_OPEN"] is False


def test_closed_visit_is_always_locked(client, token, upcoming, student_data, app):
    app.config["PREREG_LOCK_ON_OPEN"] = False
    try:
        db.session.get(Visit, upcoming.id).status = "closed"
        db.session.commit()
        assert client.post(f"{base(token)}/students", json=student_data()).status_code == 409
    finally:
        app.config["PREREG_LOCK_ON_OPEN"] = True


@pytest.fixture
def limited(ctx, database_url):
    """A client of an app with rate limits on (the suite runs with them off)."""
    from webapp.app import create_app
    from webapp.extensions import limiter

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True})
    limiter.reset()
    yield app.test_client()
    limiter.reset()
    limiter.enabled = False


def test_link_endpoints_are_rate_limited(token, limited):
    from webapp.prereg.limits import LINK_LIMIT

    budget = int(LINK_LIMIT.split()[0])
    statuses = [limited.get(base(token)).status_code for _ in range(budget // 2)]
    statuses += [limited.get(f"/daftar/{token}").status_code for _ in range(budget // 2)]
    assert set(statuses) == {200}
    assert limited.get(base(token)).status_code == 429  # pages and API share one budget
    assert limited.get(f"/daftar/{token}").status_code == 429


def test_heavy_endpoints_have_a_tighter_limit(token, limited):
    from webapp.prereg.api import HEAVY_LIMIT

    budget = int(HEAVY_LIMIT.split()[0])
    codes = [limited.post(f"{base(token)}/imports", data={"file": (io.BytesIO(b"x"), "a.txt")},
                          content_type="multipart/form-data").status_code for _ in range(budget)]
    assert set(codes) == {422}
    response = limited.post(f"{base(token)}/imports", data={"file": (io.BytesIO(b"x"), "a.txt")},
                            content_type="multipart/form-data")
    assert response.status_code == 429
    assert json.loads(response.get_data())["code"] == "rate_limited"
