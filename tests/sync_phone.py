"""A scripted phone for API tests: registers, makes protocol events, syncs."""
import json
from contextlib import contextmanager
from pathlib import Path

from fieldsync import tick

VECTORS = sorted((Path(__file__).parent / "vectors").glob("*.json"))


class Phone:
    """One registered device talking to the test client."""

    def __init__(self, client, username="petugas1", label="HP uji"):
        body = client.post("/api/v1/devices", json={"username": username, "password": "demo12345",
                                                    "label": label}).get_json()
        self.client, self.id, self.token = client, body["device_id"], body["token"]
        self.prefix = body["ticket_prefix"]
        self.seq, self.hlc, self.cursor, self.ms = 0, None, None, 1764205200000

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def event(self, type_, **fields):
        self.seq += 1
        self.ms += 1000
        self.hlc = tick(self.hlc, self.ms)
        return {"id": f"{self.id}:{self.seq}", "seq": self.seq, "hlc": self.hlc,
                "at": "2026-11-27T01:00:00.000Z", "type": type_, **fields}

    def sync(self, visit_id, events, cursor="keep"):
        response = self.client.post(f"/api/v1/visits/{visit_id}/sync", headers=self.headers, json={
            "device_id": self.id, "cursor": self.cursor if cursor == "keep" else cursor,
            "events": events})
        if response.status_code == 200:
            self.cursor = response.get_json()["cursor"]
        return response

    def get(self, path, **kw):
        return self.client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)


def load_vector(path):
    return json.loads(Path(path).read_text())


def remap(vector, device_ids):
    """Vector events with its device names replaced by real registered device ids."""
    out = []
    for ev in vector["events"]:
        ev = json.loads(json.dumps(ev))
        dev = device_ids[ev.pop("device_id")]
        ev["id"] = f"{dev}:{ev['seq']}"
        if ev["type"] == "undo":
            old_dev, seq = ev["target"].rsplit(":", 1)
            ev["target"] = f"{device_ids.get(old_dev, old_dev)}:{seq}"
        out.append((dev, ev))
    return out


def make_device(device_id, username="petugas1", prefix=None):
    """A Device row with a chosen id (vectors name devices hpA, hpB...); returns its token."""
    from sqlalchemy import select

    from webapp.api_auth import hash_token, new_token
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.sync.devices import next_prefix
    from webapp.sync.models import Device

    user = db.session.execute(select(User).where(User.username == username)).scalar_one()
    token = new_token()
    db.session.add(Device(id=device_id, user_id=user.id, label=device_id, token_hash=hash_token(token),
                          ticket_prefix=prefix or next_prefix()))
    db.session.commit()
    return token


class NamedPhone(Phone):
    """A Phone whose device id is chosen by the test."""

    def __init__(self, client, device_id, username="petugas1"):  # noqa: D107 - no super: no registration
        self.client, self.id, self.token = client, device_id, make_device(device_id, username)
        self.prefix = device_id[-1]
        self.seq, self.hlc, self.cursor, self.ms = 0, None, None, 1764205200000


@contextmanager
def statements():
    """The SQL statements run inside the block (an engine event listener)."""
    from sqlalchemy import event

    from webapp.extensions import db

    seen = []

    def log(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", log)
