"""Device registration, bearer tokens and revocation."""
from sqlalchemy import select

from webapp.api_auth import hash_token
from webapp.auth.models import User
from webapp.extensions import db
from webapp.sync import devices
from webapp.sync.models import Device


def register(client, username="petugas1", password="demo12345", label="HP Rina"):
    return client.post("/api/v1/devices", json={"username": username, "password": password, "label": label})


def test_register_returns_device_and_token_stored_hashed(demo, client):
    response = register(client)
    assert response.status_code == 201
    body = response.get_json()
    device = db.session.get(Device, body["device_id"])
    assert device.token_hash == hash_token(body["token"]) and body["token"] not in device.token_hash
    assert body["role"] == "officer" and 1 <= len(body["ticket_prefix"]) <= 2
    second = register(client, "petugas2").get_json()["ticket_prefix"]
    assert second != body["ticket_prefix"] and second.isalpha()


def test_bad_credentials_401(demo, client):
    response = register(client, password="salah")
    assert response.status_code == 401 and response.get_json()["code"] == "bad_credentials"


def test_missing_fields_422_names_them(client):
    response = client.post("/api/v1/devices", json={"label": "x"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"username": ["Required."], "password": ["Required."]}


def test_revocation_effective_on_next_request(demo, client):
    body = register(client).get_json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    from webapp.api_auth import current_device

    with client.application.test_request_context(headers=headers):
        assert current_device().id == body["device_id"]
    coordinator = db.session.execute(select(User).where(User.username == "koordinator")).scalar_one()
    devices.revoke_device(db.session.get(Device, body["device_id"]), coordinator)
    with client.application.test_request_context(headers=headers):
        assert current_device() is None


def test_ticket_prefixes_run_past_z():
    assert [devices._prefix(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_device_seq_tells_a_phone_what_the_server_holds(demo, client):
    """A phone whose database was lost learns the highest seq the server has (docs/pwa.md)."""
    from sync_phone import Phone

    from webapp.visits.models import Visit

    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    phone = Phone(client)
    student = visit.students[0]
    events = [phone.event("checkin", student_id=student.id), phone.event("checkin", student_id="nope")]
    phone.sync(visit.id, events)
    body = phone.get(f"/api/v1/devices/{phone.id}").get_json()
    assert (body["device_id"], body["max_seq"], body["contiguous_seq"]) == (phone.id, 2, 2)
    # A new registration of the same user may ask about its lost predecessor, nobody else may.
    later = Phone(client, label="HP baru")
    assert later.get(f"/api/v1/devices/{phone.id}").get_json()["max_seq"] == 2
    other = Phone(client, username="petugas3")
    response = other.get(f"/api/v1/devices/{phone.id}")
    assert response.status_code == 404 and response.get_json()["code"] == "device_not_found"
    assert client.get(f"/api/v1/devices/{phone.id}").status_code == 401
