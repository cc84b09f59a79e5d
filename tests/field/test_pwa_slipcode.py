"""The gate's fallback when a QR will not scan: the slip's short code typed into the search finds
the one student, and results tell same-name students apart (class, NISN ending, birth date)."""
import pytest
from pwa_support import download, launch_phone, sign_in

from webapp.extensions import db
from webapp.visits.models import Student
from webapp.visits.slipcode import printed, slip_code

pytestmark = pytest.mark.browser


def test_short_code_and_same_name_students(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    ahmad = world["students"]["ahmad"]
    # A second "Ahmad Pratama" in another class: the name alone cannot tell them apart.
    twin = Student(visit_id=vid, name=ahmad.name, nik="3672011203080009", gender="L",
                   birth_date=ahmad.birth_date.replace(day=1), class_name="X IPA 3", nisn="0087777777",
                   consent=True, source="prereg")
    db.session.add(twin)
    db.session.commit()
    context = launch_phone(playwright, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)
    page.goto(f"{base}/app#/v/{vid}/checkin")

    page.fill("#search", printed(slip_code(ahmad.qr_token)).lower())
    picks = page.locator(".results .pick")
    picks.first.wait_for()
    assert picks.count() == 1
    line = picks.first.locator(".telling").inner_text()
    assert ahmad.class_name in line and ahmad.nisn[-4:] in line and str(ahmad.birth_date.year) in line
    picks.first.click()
    page.get_by_role("button", name="Check-in & beri nomor").click()
    page.locator(".result-head", has_text="check-in tercatat").wait_for()
    assert page.locator(".result[data-student]").get_attribute("data-student") == ahmad.id

    page.fill("#search", "ahmad")
    page.wait_for_function("document.querySelectorAll('.results .pick').length === 2")
    lines = page.locator(".results .pick .telling").all_inner_texts()
    assert len(set(lines)) == 2 and any("7777" in x for x in lines) and any(ahmad.nisn[-4:] in x for x in lines)
    context.close()
