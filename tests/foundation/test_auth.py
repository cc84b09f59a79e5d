"""Login, logout, roles, idle timeout and admin user management."""
import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.extensions import db


def test_login_page_is_indonesian(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Masuk ke Jemput" in page and 'lang="id"' in page


@pytest.mark.parametrize("username,home,marker", [
    ("petugas1", "/petugas/", "Jadwal Kunjungan"),
    ("koordinator", "/koordinator", "Kunjungan Sekolah"),
    ("admin", "/admin/users", "Pengguna dan Tim"),
])
def test_each_role_lands_on_its_home(demo, client, login, username, home, marker):
    response = login(username)
    assert response.status_code == 302 and response.headers["Location"] == home
    assert marker in client.get(home).get_data(as_text=True)
    assert client.get("/").headers["Location"] == home


def test_wrong_password_has_clear_message_and_401(demo, login):
    response = login("petugas1", "salah")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_empty_form_names_each_field(demo, client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Nama pengguna wajib diisi." in page and "Kata sandi wajib diisi." in page


def test_inactive_user_cannot_log_in(demo, login):
    db.session.execute(select(User).where(User.username == "petugas2")).scalar_one().active = False
    db.session.commit()
    assert login("petugas2").status_code == 401


def test_roles_enforced(demo, client, login):
    login("petugas1")
    assert client.get("/koordinator").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_anonymous_redirected_to_login(client):
    response = client.get("/koordinator")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_redirect_ignores_foreign_next(demo, client):
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": "koordinator", "password": "demo12345"})
    assert response.headers["Location"] == "/koordinator"


def test_logout(demo, client, login):
    login("koordinator")
    client.post("/logout")
    assert client.get("/koordinator").status_code == 302


def test_session_is_permanent_with_idle_lifetime(demo, client, login, app):
    login("koordinator")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60


def test_login_is_audited(demo, login):
    login("koordinator")
    assert db.session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login")
    ).scalar_one() == 1


def test_admin_creates_officer_with_team(demo, client, login):
    login("admin")
    team_id = db.session.execute(select(User.team_id).where(User.username == "petugas1")).scalar_one()
    response = client.post("/admin/users/new", data={
        "username": "petugas9", "full_name": "Petugas Baru", "role": "officer",
        "team_id": str(team_id), "password": "rahasia123", "active": "y"})
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.username == "petugas9")).scalar_one()
    assert user.check_password("rahasia123") and user.team_id == team_id


@pytest.mark.parametrize("data,message", [
    ({"username": "petugas1", "full_name": "X", "role": "coordinator", "password": "rahasia123"},
     "Nama pengguna sudah dipakai."),
    ({"username": "Bad Name!", "full_name": "X", "role": "coordinator", "password": "rahasia123"},
     "Nama pengguna hanya huruf kecil"),
    ({"username": "baru", "full_name": "X", "role": "officer", "password": "rahasia123"},
     "Petugas harus masuk ke sebuah tim."),
    ({"username": "baru", "full_name": "X", "role": "coordinator", "password": "pendek"},
     "Kata sandi minimal 8 karakter."),
    ({"username": "baru", "full_name": "", "role": "coordinator", "password": "rahasia123"},
     "Nama lengkap: Nama lengkap wajib diisi."),
    ({"username": "baru", "full_name": "X", "role": "coordinator", "password": ""},
     "Kata sandi wajib diisi untuk pengguna baru."),
])
def test_admin_user_form_errors_name_the_field(demo, client, login, data, message):
    login("admin")
    before = db.session.execute(select(func.count(User.id))).scalar_one()
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.execute(select(func.count(User.id))).scalar_one() == before


def test_admin_team_name_clash(demo, client, login):
    login("admin")
    response = client.post("/admin/teams/new", data={"name": "tim jemput bola 1"})
    assert response.status_code == 422 and "Nama tim sudah dipakai." in response.get_data(as_text=True)
    assert client.post("/admin/teams/new", data={"name": "Tim 3"}).status_code == 302


def test_english_can_be_chosen(demo, client):
    client.post("/lang/en", data={"next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in to Jemput" in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_database_fails(client, monkeypatch):
    from webapp.extensions import db as real_db

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(real_db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "error"}
