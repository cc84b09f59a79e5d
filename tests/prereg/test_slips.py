"""QR slips: every slip's QR decodes (pdftoppm + zbarimg) to its student's opaque token."""
import re
import subprocess
from collections import Counter

from components import require_tools
from PIL import Image
from reports_factories import get_report
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.identity import mask_nik
from webapp.prereg.slips import PER_PAGE, PNG_BOX, build_pages, qr_png_uri, slip_students
from webapp.visits import services as students
from webapp.visits.slipcode import printed, slip_code

need = require_tools


def zbar(png) -> list[str]:
    out = subprocess.run(["zbarimg", "-q", "--raw", "--nodbus", str(png)],
                         capture_output=True, text=True)
    return out.stdout.split()


def decode_pages(pdf: bytes, tmp_path, dpi=150) -> list[list[str]]:
    """The QR payloads found on each page (rendered at `dpi`), one column at a time.

    A phone scans one slip at a time. zbar sometimes misses one of two codes that sit
    side by side on a whole page, so each column of slips is decoded on its own.
    """
    (tmp_path / "slips.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(tmp_path / "slips.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = []
    for png in sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        image = Image.open(png)
        width, height = image.size
        found = []
        for side, box in (("l", (0, 0, width // 2, height)), ("r", (width // 2, 0, width, height))):
            column = tmp_path / f"{png.stem}-{side}.png"
            image.crop(box).save(column)
            found += zbar(column)
        pages.append(found)
    return pages


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_every_slip_decodes_to_its_student(client, token, upcoming, tmp_path):
    need("pdftoppm", "zbarimg", "pdftotext")
    upcoming.students[0].consent = False  # no consent on record: no slip (docs/consent.md)
    db.session.commit()
    response = get_report(client, f"/api/v1/prereg/{token}/slips.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    expected = {s.qr_token: s for s, _ in slip_students(upcoming)}
    under_age = [s for s in upcoming.students
                 if students.student_eligibility(s, upcoming).status == "under_age"]
    expected = {s.qr_token: s for s, _ in slip_students(upcoming)}
    no_consent = [s for s in upcoming.students if not s.consent and s not in under_age]
    assert under_age and no_consent
    assert len(expected) == len(upcoming.students) - len(under_age) - len(no_consent)

    pages = decode_pages(pdf, tmp_path)
    decoded = [code for page in pages for code in page]
    assert Counter(decoded) == Counter(list(expected))  # every slip once, nothing else
    assert all(0 < len(page) <= PER_PAGE for page in pages)
    for s in under_age + no_consent:
        assert s.qr_token not in decoded  # under age on the visit date, or no consent: no slip

    # Sorted by class and packed: every page but the last is full.
    assert all(len(page) == PER_PAGE for page in pages[:-1])
    order = [expected[c].class_name for page in pages for c in sorted(
        page, key=lambda c: (expected[c].class_name, expected[c].name))]
    assert order == sorted(order)

    text = pdf_text(pdf, tmp_path)
    assert text.count("Bawa: slip ini dan fotokopi KK") == len(expected)
    assert upcoming.school.name in text and "Jumat, 04 Desember" in text
    for s in expected.values():
        assert s.name in text and s.nik not in text
        assert printed(slip_code(s.qr_token)) in text  # the fallback the gate can type
    assert mask_nik(next(iter(expected.values())).nik) in text
    assert db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "slips_downloaded")).scalar_one().actor.startswith("tautan:")


def test_qr_tokens_are_opaque_and_long_enough(upcoming):
    tokens = [s.qr_token for s in upcoming.students]
    assert len(set(tokens)) == len(tokens)
    for s in upcoming.students:
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", s.qr_token)  # >= 96 bits, urlsafe
        assert s.nik not in s.qr_token and s.name not in s.qr_token


def test_slips_page_in_english(client, token, upcoming, tmp_path):
    need("pdftotext")
    client.post("/lang/en", data={"next": "/"})
    response = get_report(client, f"/daftar/{token}/slip.pdf")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Bring: this slip and a photocopy of the KK" in pdf_text(response.data, tmp_path)


def test_small_classes_share_a_page(bare_visit, student_data):
    for i, klass in enumerate(["X-1", "X-2", "X-2", "XI-3"]):
        students.add_student(bare_visit, student_data(
            nik=f"36720210030900{i + 10:02d}", name=f"Siswa {i}", **{"class": klass}))
    pages = build_pages(bare_visit)
    assert len(pages) == 1 and pages[0]["classes"] == ["X-1", "X-2", "XI-3"]
    assert len(pages[0]["slips"]) == 4


def test_slip_qr_uses_level_q_and_stays_version_2():
    import random
    from base64 import urlsafe_b64encode

    from qrcode.constants import ERROR_CORRECT_Q

    from webapp.prereg.slips import slip_qr
    rng = random.Random(13)  # tokens shaped like new_qr_token's: 12 random bytes, 16 characters
    for _ in range(50):
        token = urlsafe_b64encode(rng.randbytes(12)).decode()
        code = slip_qr(token)
        assert (code.error_correction, code.version) == (ERROR_CORRECT_Q, 2), token


def test_every_slip_decodes_from_a_coarse_100_dpi_page(client, token, upcoming, tmp_path):
    # The codes are small PNGs drawn without smoothing: a coarse rasterisation must still read.
    need("pdftoppm", "zbarimg")
    pdf = get_report(client, f"/api/v1/prereg/{token}/slips.pdf").data
    decoded = [code for page in decode_pages(pdf, tmp_path, dpi=100) for code in page]
    assert Counter(decoded) == Counter(s.qr_token for s, _ in slip_students(upcoming))


def test_slip_code_png_holds_only_the_token(tmp_path):
    need("zbarimg")
    import base64
    from io import BytesIO

    token = "AbCdEfGhIjKlMnOp"
    uri = qr_png_uri(token)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert image.mode == "1" and image.size == ((25 + 8) * PNG_BOX,) * 2  # version 2, quiet zone 4
    image.save(tmp_path / "code.png")
    assert zbar(tmp_path / "code.png") == [token]
