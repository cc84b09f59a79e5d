"""The live visit page and GET /api/v1/visits/{id}/students: the report's state, searched and filtered."""
import re

import reports_factories as rf
from sqlalchemy import select

from webapp.extensions import db
from webapp.reports.state import visit_rows
from webapp.visits.models import Visit


def _visit():
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    rf.run_day(visit)
    db.session.refresh(visit)
    return visit


def students(client, visit, headers=None, **query):
    answer = client.get(f"/api/v1/visits/{visit.id}/students", query_string=query, headers=headers or {})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_rows_are_the_reports_state_and_progress_counts_all(demo, client):
    visit = _visit()
    body = students(client, visit, rf.bearer(client, "koordinator"))
    rows = visit_rows(visit)
    assert [s["id"] for s in body["students"]] == [r.id for r in rows]
    by_id = {s["id"]: s for s in body["students"]}
    for r in rows:
        got = by_id[r.id]
        assert (got["attendance"], got["outcome"], got["reason"], got["ikd"], got["ticket"]) == (
            r.attendance, r.outcome, r.reason, r.ikd, r.ticket)
        assert re.fullmatch(r"\d{4}\*{10}\d{2}", got["nik_masked"])
    p = body["progress"]
    assert p["registered"] == len(rows)
    assert p["present"] == sum(r.attendance == "present" for r in rows)
    assert p["recorded"] == sum(r.outcome == "recorded" for r in rows) > 0
    assert p["failed"] == sum(r.outcome == "failed" for r in rows)
    assert p["percent_of_target"] == round(100.0 * p["recorded"] / visit.target, 1)
    assert body["version"] == visit.state_version


def test_search_and_filters(demo, client, login):
    visit = _visit()
    login("koordinator")  # the page's own session works too, without a token
    rows = visit_rows(visit)
    one = rows[3]
    assert [s["id"] for s in students(client, visit, q=one.name.upper())["students"]] == [
        r.id for r in rows if one.name.casefold() in r.name.casefold()]
    by_class = students(client, visit, q=one.class_name)["students"]
    assert {s["class_name"] for s in by_class} == {one.class_name}
    failed = students(client, visit, status="failed")
    assert {s["id"] for s in failed["students"]} == {r.id for r in rows if r.outcome == "failed"}
    assert failed["progress"]["registered"] == len(rows)  # progress counts everyone
    waiting = students(client, visit, status="not_arrived")["students"]
    assert all(s["attendance"] == "not_arrived" for s in waiting)
    assert len(students(client, visit, status="nonsense")["students"]) == len(rows)


def test_page_lists_every_student_and_the_visit_list_shows_progress(demo, client, login):
    visit = _visit()
    login("koordinator")
    html = client.get(f"/koordinator/kunjungan/{visit.id}/langsung").get_data(as_text=True)
    for r in visit_rows(visit):
        assert f'data-id="{r.id}"' in html
    assert "data-progress" in html and 'data-url="/api/v1/visits/' in html
    home = client.get("/koordinator").get_data(as_text=True)
    assert f"/koordinator/kunjungan/{visit.id}/langsung" in home and 'data-k="recorded"' in home


def test_officers_may_not_see_the_desk(demo, client, login):
    visit = _visit()
    assert client.get(f"/api/v1/visits/{visit.id}/students").status_code == 401
    assert client.get(f"/api/v1/visits/{visit.id}/students",
                      headers=rf.bearer(client, "petugas1")).status_code == 403
    login("petugas1")
    assert client.get(f"/api/v1/visits/{visit.id}/students").status_code == 403
    assert client.get(f"/koordinator/kunjungan/{visit.id}/langsung").status_code == 403


def test_correction_and_blanks_forms(demo, client, login):
    visit = _visit()
    login("koordinator")
    sid = visit_rows(visit)[0].id
    page = client.get(f"/koordinator/kunjungan/{visit.id}/koreksi/{sid}")
    assert page.status_code == 200
    token = ""  # CSRF is off in tests
    refused = client.post(f"/koordinator/kunjungan/{visit.id}/koreksi/{sid}",
                          data={"csrf_token": token, "value": "outcome:recorded", "reason": ""})
    assert refused.status_code == 422
    done = client.post(f"/koordinator/kunjungan/{visit.id}/koreksi/{sid}",
                       data={"csrf_token": token, "value": "outcome:already_recorded",
                             "reason": "Sudah punya KTP-el dari Disdukcapil lain"})
    assert done.status_code == 303
    assert students(client, visit, q="")["students"][0]["outcome"] == "already_recorded"
    ok = client.post(f"/koordinator/kunjungan/{visit.id}/blangko",
                     data={"csrf_token": token, "blanks_brought": "50", "blanks_left": "38"})
    assert ok.status_code == 303
    db.session.refresh(visit)
    assert (visit.blanks_brought, visit.blanks_left) == (50, 38)
    client.post(f"/koordinator/kunjungan/{visit.id}/blangko",
                data={"csrf_token": token, "blanks_brought": "5", "blanks_left": "38"})
    db.session.refresh(visit)
    assert (visit.blanks_brought, visit.blanks_left) == (50, 38)
