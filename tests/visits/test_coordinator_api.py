"""Coordinator API: schools, POST /visits, PATCH, POST/DELETE the pre-registration link."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.auth.models import Team
from webapp.extensions import db
from webapp.prereg import links
from webapp.schools.models import School
from webapp.visits.models import Visit


def bearer(client, username="koordinator"):
    body = client.post("/api/v1/devices", json={"username": username, "password": "demo12345",
                                                "label": "skrip"}).get_json()
    return {"Authorization": f"Bearer {body['token']}"}


@pytest.fixture
def auth(demo, client):
    return bearer(client)


def test_schools_list(auth, client):
    response = client.get("/api/v1/schools", headers=auth)
    assert response.status_code == 200
    schools = response.get_json()
    assert len(schools) == 6
    assert set(schools[0]) >= {"id", "npsn", "name", "kelurahan_code"}


def test_tokens_and_roles(demo, client):
    assert client.get("/api/v1/schools").status_code == 401
    response = client.get("/api/v1/schools", headers=bearer(client, "petugas1"))
    assert response.status_code == 403 and response.get_json()["code"] == "forbidden"
    assert client.get("/api/v1/schools", headers=bearer(client, "admin")).status_code == 200


def _plan_body(**change):
    school = db.session.execute(select(School).where(School.npsn == "69900106")).scalar_one()
    team = db.session.execute(select(Team).order_by(Team.id)).scalars().first()
    body = {"school_id": school.id, "date": (date.today() + timedelta(days=20)).isoformat(),
            "team_id": team.id, "stations": 2}
    body.update(change)
    return body


def test_plan_a_visit(auth, client):
    response = client.post("/api/v1/visits", json=_plan_body(target=90), headers=auth)
    assert response.status_code == 201
    visit = response.get_json()
    assert visit["status"] == "planned" and visit["target"] == 90 and visit["stations"] == 2
    assert visit["school"] == "SMA Demo Pulomerak" and db.session.get(Visit, visit["id"])
    # The same school on the same day twice is a planning mistake.
    again = client.post("/api/v1/visits", json=_plan_body(), headers=auth)
    assert again.status_code == 422 and "date" in again.get_json()["errors"]


@pytest.mark.parametrize("change, field, code", [
    ({"school_id": 9999}, "school_id", "school_unknown"),
    ({"team_id": 9999}, "team_id", "team_unknown"),
    ({"date": "2020-01-01"}, "date", "date_past"),
    ({"stations": 0}, "stations", "stations_range"),
    ({"target": -1}, "target", "target_range"),
])
def test_plan_errors_are_422_by_field(auth, client, change, field, code):
    response = client.post("/api/v1/visits", json=_plan_body(**change),
                           headers=auth | {"Accept-Language": "en"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["issues"][field] == [code] and len(body["errors"][field]) == 1


@pytest.mark.parametrize("change, field, english", [
    ({"date": "04-12-2026"}, "date", "Not a valid date (format YYYY-MM-DD)."),
    ({"date": None}, "date", "May not be empty."),
])
def test_schema_errors_are_422_by_field_in_english(auth, client, change, field, english):
    response = client.post("/api/v1/visits", json=_plan_body(**change),
                           headers=auth | {"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["errors"][field] == [english]


def test_patch_a_visit(auth, client, upcoming):
    response = client.patch(f"/api/v1/visits/{upcoming.id}", json={"stations": 5}, headers=auth)
    assert response.status_code == 200 and response.get_json()["stations"] == 5
    assert response.get_json()["date"] == "2026-12-04"
    assert client.patch("/api/v1/visits/99999", json={}, headers=auth).status_code == 404


def test_link_create_replace_revoke(auth, client, upcoming):
    response = client.post(f"/api/v1/visits/{upcoming.id}/link", headers=auth)
    assert response.status_code == 201
    first = response.get_json()
    assert first["url"] == f"http://localhost/daftar/{first['token']}"
    expected = links.default_expiry(upcoming).isoformat(timespec="seconds")
    assert len(first["token"]) >= 43 and first["expires_at"].startswith(expected)
    assert first["whatsapp_url"].startswith("https://wa.me/?text=")
    assert client.get(f"/api/v1/prereg/{first['token']}").status_code == 200

    day = date.today() + timedelta(days=10)
    second = client.post(f"/api/v1/visits/{upcoming.id}/link", json={"expires_at": day.isoformat()},
                         headers=auth).get_json()
    assert second["expires_at"].startswith(f"{day.isoformat()}T16:59:59")  # 23:59:59 WIB
    assert client.get(f"/api/v1/prereg/{first['token']}").status_code == 404
    assert client.get(f"/api/v1/prereg/{second['token']}").status_code == 200

    assert client.delete(f"/api/v1/visits/{upcoming.id}/link", headers=auth).status_code == 204
    gone = client.get(f"/api/v1/prereg/{second['token']}")
    assert gone.status_code == 404 and upcoming.school.name not in gone.get_data(as_text=True)


SOON = date.today() + timedelta(days=20)


@pytest.mark.parametrize("expires_at, status", [
    ("2020-01-01T00:00:00Z", 422), ("kemarin", 422),
    ((date.today() + timedelta(days=400)).isoformat(), 422),
    (f"{SOON.isoformat()}T10:00:00+07:00", 201),
])
def test_link_expiry_is_checked(auth, client, upcoming, expires_at, status):
    response = client.post(f"/api/v1/visits/{upcoming.id}/link", json={"expires_at": expires_at},
                           headers=auth)
    assert response.status_code == status
    if status == 201:
        assert response.get_json()["expires_at"].startswith(f"{SOON.isoformat()}T03:00:00")
    else:
        assert "expires_at" in response.get_json()["errors"]


def test_closed_visit_gets_no_link(auth, client):
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalar_one()
    response = client.post(f"/api/v1/visits/{closed.id}/link", headers=auth)
    assert response.status_code == 409 and response.get_json()["code"] == "visit_closed"


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/visits"]) or "post" in paths["/api/v1/visits"]
    for path in ("/api/v1/schools", "/api/v1/visits/{visit_id}/link", "/api/v1/prereg/{token}",
                 "/api/v1/prereg/{token}/students", "/api/v1/prereg/{token}/imports",
                 "/api/v1/prereg/{token}/imports/{import_id}/confirm",
                 "/api/v1/prereg/{token}/slips.pdf"):
        assert path in paths, path
    assert {"post", "delete"} <= set(paths["/api/v1/visits/{visit_id}/link"])
