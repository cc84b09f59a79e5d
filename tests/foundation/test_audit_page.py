"""The admin's audit log page and its CSV export."""
import reports_factories as rf
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db


def test_admin_filters_and_exports_the_log(demo, client, login):
    login("koordinator")
    assert rf.get_report(client, "/koordinator/laporan/3/laporan.pdf").status_code == 200
    client.post("/logout")
    login("admin")
    everything = client.get("/admin/audit/").get_data(as_text=True)
    assert "report_download" in everything
    page = client.get("/admin/audit/?aksi=login").get_data(as_text=True)
    assert "koordinator" in page and "Log Audit" in page
    assert "report_download" not in page.split('<ul class="list">')[1]
    csv = client.get("/admin/audit/ekspor.csv?pelaku=koordinator").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("at_utc,actor,action")
    assert any(",koordinator,login," in line for line in csv.splitlines())
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "audit_exported")).scalar_one()


def test_bad_date_is_said_not_fatal(demo, client, login):
    login("admin")
    response = client.get("/admin/audit/?dari=kemarin")
    assert response.status_code == 200 and "Tanggal tidak valid" in response.get_data(as_text=True)


def test_only_admins(demo, client, login):
    login("koordinator")
    assert client.get("/admin/audit/").status_code == 403
