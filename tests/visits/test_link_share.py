"""The pre-registration link can be shown and resent at any time; a dead link says whom to call."""
from datetime import timedelta

import reports_factories as rf
from sqlalchemy import select

from webapp.api_auth import hash_token
from webapp.audit.models import AuditEntry
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.prereg.models import PreregLink


def test_the_link_is_shown_again_by_api_and_page(upcoming, client, login):
    coord = rf.bearer(client, "koordinator")
    made = client.post(f"/api/v1/visits/{upcoming.id}/link", headers=coord).get_json()
    link = db.session.execute(select(PreregLink).where(PreregLink.revoked_at.is_(None))).scalar_one()
    # Looked up by hash; the stored copy is encrypted, not the token.
    assert link.token_hash == hash_token(made["token"])
    assert link.token_enc and made["token"] not in link.token_enc
    shown = client.get(f"/api/v1/visits/{upcoming.id}/link", headers=coord)
    assert shown.status_code == 200
    body = shown.get_json()
    assert (body["url"], body["token"], body["expires_at"]) == (made["url"], made["token"],
                                                                made["expires_at"])
    assert body["whatsapp_url"].startswith("https://wa.me/?text=") and made["url"] in body["message"]
    assert db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "prereg_link_shown")).scalars().first().actor == "koordinator"
    # Another coordinator session (not the creator's) sees the same link, with its QR.
    login("koordinator")
    page = client.get(f"/koordinator/kunjungan/{upcoming.id}").get_data(as_text=True)
    assert made["url"] in page and "wa.me" in page and "data:image" in page
    # Revoked: nothing to show.
    client.delete(f"/api/v1/visits/{upcoming.id}/link", headers=coord)
    gone = client.get(f"/api/v1/visits/{upcoming.id}/link", headers=coord)
    assert gone.status_code == 404 and gone.get_json()["code"] == "link_not_found"
    assert client.get(f"/api/v1/visits/{upcoming.id}/link",
                      headers=rf.bearer(client, "petugas1")).status_code == 403


def test_a_link_made_under_another_key_is_not_shown(upcoming, client, app):
    coord = rf.bearer(client, "koordinator")
    client.post(f"/api/v1/visits/{upcoming.id}/link", headers=coord)
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "rotated"
    try:
        answer = client.get(f"/api/v1/visits/{upcoming.id}/link", headers=coord)
    finally:
        app.config["SECRET_KEY"] = old
    assert answer.status_code == 404 and answer.get_json()["code"] == "link_not_found"


def test_a_dead_link_says_whom_to_call_and_nothing_else(upcoming, token, client, app):
    app.config["AGENCY_PHONE"] = "0254 123456"
    alive = client.get(f"/daftar/{token}")
    assert alive.status_code == 200 and upcoming.school.name in alive.get_data(as_text=True)
    link = db.session.execute(select(PreregLink).where(
        PreregLink.token_hash == hash_token(token))).scalar_one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for url in (f"/daftar/{token}", "/daftar/made-up-token"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 404 and "Tautan ini tidak berlaku lagi" in html
        assert app.config["AGENCY_NAME"] in html and "0254 123456" in html
        assert upcoming.school.name not in html and upcoming.date.isoformat() not in html
    api = client.get(f"/api/v1/prereg/{token}")
    assert api.status_code == 404 and upcoming.school.name not in api.get_data(as_text=True)
