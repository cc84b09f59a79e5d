"""The school's whole job on a 360 x 740 phone screen in headless Chromium."""
import os
import shutil
import subprocess
from datetime import date

import pytest
from dapodik_factory import make_dapodik_xlsx, student
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.queue import jobs
from webapp.visits.models import Student

PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"horizontal scroll on {page.url}: {width}px"


def dapodik_file(tmp_path):
    good = [student(i, name=f"Siswa Browser {i}", birth_date=date(2009, 3, 10),
                    nik=f"3672021003097{i:03d}", **{"class": "XII IPS 2"}) for i in range(1, 5)]
    bad = [student(90, name="Excel Angka", nik=3672021003099090),
           student(91, name="Tanggal Salah", birth_date="31/31/2009")]
    path = tmp_path / "Daftar Peserta Didik.xlsx"
    path.write_bytes(make_dapodik_xlsx(good, extra_bad_rows=bad))
    return path


@pytest.mark.browser
def test_school_staff_register_import_and_print_on_a_phone(browser, live_server, token, upcoming,
                                                           tmp_path):
    context = browser.new_context(viewport=PHONE, accept_downloads=True, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/daftar/{token}")
    assert page.get_by_role("heading", name="Pemberitahuan Privasi").is_visible()
    assert page.locator('[data-count="registered"]').inner_text() == "60"
    no_sideways_scroll(page)

    # Add a student with a wrong NIK: the live check names the problem before saving.
    page.get_by_role("link", name="+ Tambah Siswa").click()
    # The live check listens once prereg.js has run: typing before that is not checked live (a
    # person never types that fast; a test does, and a compressed page may finish later).
    page.wait_for_load_state("load")
    page.fill("#name", "Rina Browser")
    page.fill("#nik", "36720250030900")
    page.fill("#kk", "3672021501150001")
    page.select_option("#gender", "P")
    page.fill("#birth_date", "2009-03-10")
    page.fill("#class_name", "XII IPA 3")
    page.check("#consent")
    message = page.locator("#nik-live .error")
    message.wait_for()
    assert message.inner_text() == "NIK harus 16 digit angka (terisi 14 digit)."
    assert page.locator("#birth_date-live .ok").inner_text().startswith("Memenuhi syarat")
    no_sideways_scroll(page)
    box = page.get_by_role("button", name="Simpan").bounding_box()
    assert box["height"] >= 44  # a thumb-sized target

    page.fill("#nik", "3672025003090077")
    page.locator("#nik-live .error").wait_for(state="detached")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/daftar/*#daftar")
    assert "Data Rina Browser disimpan." in page.inner_text("main")
    assert page.locator('[data-count="registered"]').inner_text() == "61"
    assert page.locator("#siswa strong", has_text="Rina Browser").is_visible()

    # Import a Dapodik export with two bad rows: preview first, nothing stored yet.
    page.get_by_role("link", name="Impor Data Dapodik").click()
    page.set_input_files("#file", str(dapodik_file(tmp_path)))
    page.get_by_role("button", name="Unggah dan Lihat Pratinjau").click()
    page.wait_for_url("**/impor/*")
    assert page.locator('li[data-status="error"]').count() == 2
    assert "tersimpan sebagai angka" in page.locator('li[data-status="error"]').first.inner_text()
    assert page.locator('[data-count="to_add"]').inner_text() == "4"
    no_sideways_scroll(page)
    assert db.session.execute(select(func.count(Student.id)).where(
        Student.visit_id == upcoming.id)).scalar_one() == 61
    page.check("#consent")
    page.get_by_role("button", name="Simpan 4 siswa").click()
    page.wait_for_url("**/daftar/*#daftar")
    assert "4 ditambahkan" in page.inner_text("main")
    assert page.locator('[data-count="registered"]').inner_text() == "65"

    # Ask for the slips: a job's page in the link's look, refreshing itself until the worker
    # (here: the test, doing what the worker does) has made the file; then download it.
    page.get_by_role("link", name="Unduh Slip QR (PDF)").click()
    page.wait_for_url("**/pekerjaan/*")
    assert page.locator("#job").get_attribute("data-state") == "queued"
    no_sideways_scroll(page)
    jobs.huey.flush()
    services.run(page.url.rsplit("/", 1)[1])
    page.locator("#job-file").wait_for(timeout=10_000)
    with page.expect_download() as info:
        page.locator("#job-file").click()
    pdf = tmp_path / "slips.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    context.close()

    added = db.session.execute(select(Student).where(Student.name == "Rina Browser")).scalar_one()
    assert added.nik == "3672025003090077" and added.consent is True
    if shutil.which("pdftotext") or os.environ.get("CI") == "true":
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Rina Browser" in text and "Siswa Browser 1" in text and added.nik not in text
