"""A phone's roster and received events don't give back a NIK (issue 11, SECURITY.md)."""
import hashlib
import hmac
import json

from sqlalchemy import select
from sync_phone import NamedPhone, Phone

import fieldsync
from webapp.extensions import db
from webapp.identity_data import KNOWN_REGIONS
from webapp.sync.privacy import nik_tag
from webapp.visits.models import Student, Visit


def open_visit():
    return db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()


def strings_in(doc):
    """Every string (and dict key) anywhere in a JSON document, lowercased."""
    out = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.add(str(k).lower())
            out |= strings_in(v)
    elif isinstance(doc, list):
        for v in doc:
            out |= strings_in(v)
    elif isinstance(doc, str):
        out.add(doc.lower())
    return out


def candidates(row, districts=None):
    """Every NIK a thief can build from masked digits + birth date + gender (10,000 of them)."""
    y, m, d = row["birth_date"].split("-")
    middle = f"{int(d) + (40 if row['gender'] == 'P' else 0):02d}{m}{y[2:]}"
    head, tail = row["nik_masked"][:4], row["nik_masked"][-2:]
    codes = districts or [f"{i:02d}" for i in range(100)]
    return [f"{head}{c}{middle}{s:02d}{tail}" for c in codes for s in range(100)]


def hashes_of(nik, keys):
    """What a thief would try: common unkeyed digests, and HMACs keyed by anything the phone holds."""
    raw = nik.encode()
    out = {nik, hashlib.sha256(raw).hexdigest(), hashlib.sha1(raw).hexdigest(), hashlib.md5(raw).hexdigest(),
           hashlib.sha512(raw).hexdigest(), hashlib.sha256(b"jemput-nik-tag/v1:" + raw).hexdigest()}
    out |= {hmac.new(k.encode(), raw, hashlib.sha256).hexdigest() for k in keys}
    return out | {h[:32] for h in out}


def survivors(row, cands):
    """Candidates consistent with everything the row holds about the NIK."""
    return [c for c in cands if nik_tag(c) == row["nik_tag"]]


def held_by_phone(client, visit):
    """A phone's roster plus the events it receives, with two walk-ins typed on other phones."""
    s1 = db.session.execute(select(Student).where(Student.visit_id == visit.id).order_by(Student.id)).scalars().first()
    other = NamedPhone(client, "hpW")
    walkins = [
        {"id": "w-dup", "name": s1.name, "nik": s1.nik, "kk": "3672010101080001", "gender": s1.gender,
         "birth_date": s1.birth_date.isoformat(), "consent": True},
        {"id": "w-new", "name": "Siti Rahma", "nik": "3672015508090731", "gender": "P",
         "birth_date": "2009-08-15", "consent": True},
    ]
    answer = other.sync(visit.id, [other.event("walkin", student=s) for s in walkins]).get_json()
    assert answer["rejected"] == []
    assert set(answer["walkins"]) == {"w-dup", "w-new"} and "nik" not in answer["walkins"]["w-new"]
    phone = Phone(client)
    roster = phone.get(f"/api/v1/visits/{visit.id}/roster").get_json()
    received = phone.sync(visit.id, [], cursor=None).get_json()
    return roster, received, {w["id"]: w["nik"] for w in walkins} | {"kk": walkins[0]["kk"]}


def test_roster_and_received_events_single_out_no_nik(demo, client):
    visit = open_visit()
    roster, received, typed = held_by_phone(client, visit)
    held = strings_in(roster) | strings_in(received)
    keys = strings_in(roster["visit"]) | {roster["cursor"].lower()}
    niks = dict(db.session.execute(select(Student.id, Student.nik).where(Student.visit_id == visit.id)).all())
    walk_rows = {e["student"]["id"]: e["student"] for e in received["events"] if e["type"] == "walkin"}
    assert set(walk_rows) == {"w-dup", "w-new"}
    assert not any(k in row for row in walk_rows.values() for k in ("nik", "kk"))
    assert typed["kk"] not in json.dumps(received)
    rows = [(s, niks[s["id"]]) for s in roster["students"]] + [(walk_rows[i], typed[i]) for i in walk_rows]
    districts = [c[4:] for c in KNOWN_REGIONS if len(c) == 6 and c.startswith("3672")]
    fewest, fewest_known = 10_000, 10_000
    for n, (row, nik) in enumerate(rows):
        assert not hashes_of(nik, keys) & held, f"a digest of {row['id']}'s NIK is on the phone"
        if n % 6 and row["id"] not in walk_rows:
            continue  # the tag search is costly: every 6th student, and every walk-in
        left = survivors(row, candidates(row))
        assert nik in left
        fewest = min(fewest, len(left))
        if nik[4:6] in districts:  # a thief who also knows the city's districts
            fewest_known = min(fewest_known, len(survivors(row, candidates(row, districts))))
    # 16 tag buckets: ~625 of 10,000 remain (~50 of the 800 in Cilegon's 8 districts).
    print(f"NIK search: >= {fewest} of 10,000 candidates remain; >= {fewest_known} with known districts")
    assert fewest >= 400, fewest
    assert 10 <= fewest_known < 10_000, fewest_known


def test_phone_fold_by_nik_key_converges_with_server(demo, client):
    visit = open_visit()
    roster, received, _ = held_by_phone(client, visit)
    registered = {s["id"]: s["nik_key"] for s in roster["students"] if not s["id"].startswith("w-")}
    events = [{**e, "device_id": e["id"].rsplit(":", 1)[0]} for e in received["events"]]
    events = [{**e, "student": {**e["student"], "nik": e["student"]["nik_key"]}} if e["type"] == "walkin" else e
              for e in events]
    phone_view = fieldsync.fold(events, registered)
    server = client.get(f"/api/v1/visits/{visit.id}/state",
                        headers=Phone(client).headers).get_json()
    assert phone_view.aliases == server["aliases"] and set(server["aliases"]) == {"w-dup"}
    assert set(phone_view.students) == set(server["students"])
