"""Coordinator pages: plan and edit visits; open, share, replace and revoke the link."""
import html
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from webapp.api_auth import hash_token
from webapp.auth.models import Team
from webapp.extensions import db
from webapp.prereg import links
from webapp.prereg.models import PreregLink
from webapp.schools.models import School
from webapp.visits.models import Visit


def _ids():
    school = db.session.execute(select(School).where(School.npsn == "69900106")).scalar_one()
    team = db.session.execute(select(Team).order_by(Team.id)).scalars().first()
    return school, team


def test_coordinator_plans_a_visit(demo, client, login):
    login("koordinator")
    assert client.get("/koordinator/kunjungan/baru").status_code == 200
    school, team = _ids()
    day = date.today() + timedelta(days=30)
    response = client.post("/koordinator/kunjungan/baru", data={
        "school_id": school.id, "date": day.isoformat(), "team_id": team.id, "stations": "3",
        "target": "120", "notes": "Aula lantai 2"})
    assert response.status_code == 303
    visit = db.session.execute(select(Visit).where(Visit.school_id == school.id)).scalar_one()
    assert (visit.date, visit.stations, visit.target, visit.status) == (day, 3, 120, "planned")
    assert response.location.endswith(f"/koordinator/kunjungan/{visit.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert school.name in page and "Aula lantai 2" in page


def test_plan_errors_name_the_field(demo, client, login):
    login("koordinator")
    school, team = _ids()
    response = client.post("/koordinator/kunjungan/baru", data={
        "school_id": school.id, "date": "2020-01-01", "team_id": "", "stations": "40"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tanggal kunjungan sudah lewat." in page and "Jumlah meja harus 1 sampai 20." in page
    assert "Wajib diisi." in page


def test_edit_visit_and_closed_visit_is_read_only(upcoming, client, login):
    login("koordinator")
    url = f"/koordinator/kunjungan/{upcoming.id}/ubah"
    assert 'value="2026-12-04"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"school_id": upcoming.school_id, "date": "2026-12-04",
                                      "team_id": upcoming.team_id, "stations": "4", "target": ""})
    assert response.status_code == 303
    assert (upcoming.stations, upcoming.target) == (4, None)
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalar_one()
    response = client.post(f"/koordinator/kunjungan/{closed.id}/ubah", data={
        "school_id": closed.school_id, "date": closed.date.isoformat(),
        "team_id": closed.team_id, "stations": "2"})
    assert response.status_code == 422
    assert "Kunjungan sudah selesai dan tidak dapat diubah." in response.get_data(as_text=True)


def test_officer_cannot_plan(demo, client, login):
    login("petugas1")
    assert client.get("/koordinator/kunjungan/baru").status_code == 403


def _link_on_page(page):
    match = re.search(r'id="link-url" type="text" readonly value="([^"]+)"', page)
    return match.group(1) if match else None


def test_open_share_replace_and_revoke_a_link(upcoming, client, login):
    login("koordinator")
    detail = f"/koordinator/kunjungan/{upcoming.id}"
    day = date.today() + timedelta(days=8)
    response = client.post(f"{detail}/tautan", data={"expires_on": day.isoformat()})
    assert response.status_code == 303
    page = client.get(detail).get_data(as_text=True)
    url = _link_on_page(page)
    token = url.rsplit("/", 1)[1]
    assert url.startswith("http://localhost/daftar/") and len(token) >= 43  # 256 bits
    link = db.session.execute(select(PreregLink).where(
        PreregLink.token_hash == hash_token(token))).scalar_one()
    assert token not in link.token_hash
    # Expires at the end of that day in Jakarta (UTC+7): 16:59:59 UTC.
    assert link.expires_at.isoformat() == f"{day.isoformat()}T16:59:59"
    assert 'src="data:image/svg+xml;base64,' in page  # the link as a QR
    wa = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1)
    message = parse_qs(urlsplit(html.unescape(wa)).query)["text"][0]
    assert url in message and upcoming.school.name in message
    assert "Mohon daftarkan siswa" in message and "fotokopi KK" in message
    assert client.get(f"/daftar/{token}").status_code == 200

    client.post(f"{detail}/tautan", data={"expires_on": ""})
    new_token = _link_on_page(client.get(detail).get_data(as_text=True)).rsplit("/", 1)[1]
    assert new_token != token
    assert client.get(f"/daftar/{token}").status_code == 404  # a new link revokes the old
    assert client.get(f"/daftar/{new_token}").status_code == 200

    client.post(f"{detail}/tautan/cabut")
    assert client.get(f"/daftar/{new_token}").status_code == 404
    assert "Belum ada tautan aktif." in client.get(detail).get_data(as_text=True)


def test_link_in_the_past_is_refused(upcoming, client, login):
    login("koordinator")
    before = db.session.execute(select(PreregLink.id, PreregLink.revoked_at)).all()
    client.post(f"/koordinator/kunjungan/{upcoming.id}/tautan", data={"expires_on": "2020-01-01"})
    page = client.get(f"/koordinator/kunjungan/{upcoming.id}").get_data(as_text=True)
    assert "Waktu kedaluwarsa harus di masa depan." in page
    assert db.session.execute(select(PreregLink.id, PreregLink.revoked_at)).all() == before


def test_another_session_sees_the_link_and_its_address(upcoming, app, login):
    _link, token = links.create_link(upcoming)
    with app.test_client() as other:
        other.post("/login", data={"username": "koordinator", "password": "demo12345"})
        page = other.get(f"/koordinator/kunjungan/{upcoming.id}").get_data(as_text=True)
    assert "Tautan aktif" in page and _link_on_page(page).endswith(token)


def test_default_expiry_is_the_visit_day_or_a_week(upcoming):
    from datetime import datetime

    early = datetime(2026, 11, 1)
    assert links.default_expiry(upcoming, early) == datetime(2026, 12, 4, 16, 59, 59)
    late = datetime(2026, 12, 3)
    assert links.default_expiry(upcoming, late) == late + timedelta(days=7)


def test_coordinator_home_links_to_the_visit_pages(upcoming, client, login):
    login("koordinator")
    page = client.get("/koordinator").get_data(as_text=True)
    assert f"/koordinator/kunjungan/{upcoming.id}" in page and "/koordinator/kunjungan/baru" in page


def test_demo_seed_prints_an_active_link(ctx):
    from webapp.demo import seed

    summary = seed(ctx.config, today=date(2026, 11, 27))
    url = re.search(r"(http://127\.0\.0\.1:\d+/daftar/\S+)", summary).group(1)
    assert links.resolve(url.rsplit("/", 1)[1]).visit.date == date(2026, 12, 4)


def test_ids_and_numbers_past_a_database_integer_are_field_errors(demo):
    from webapp.visits.planning import validate_visit

    _clean, errors = validate_visit({"school_id": 2**40, "team_id": -2**40, "date": "2026-12-24",
                                     "stations": 2**35, "target": 2**33})
    assert {f: [i.code for i in v] for f, v in errors.items()} == {
        "school_id": ["school_unknown"], "team_id": ["team_unknown"],
        "stations": ["stations_range"], "target": ["target_range"]}
