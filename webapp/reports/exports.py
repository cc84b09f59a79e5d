"""CSV and XLSX files: a visit (one row per student with its state) and the city recap.

Both are for people. CSV is what Excel in Indonesia opens with a double click: Indonesian
headers and words whatever the reader's language, UTF-8 with a BOM, `;` between fields, times
in the office's zone. XLSX follows the reader's language, with frozen header and filters.
Machines read the JSON API (`/state`, `/reports/coverage`).
"""
import csv
import io
from datetime import datetime

from flask_babel import force_locale, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from webapp.reports import labels
from webapp.visits.reasons import failure_reasons

VISIT_COLUMNS = [  # (key, header for people)
    ("id", _l("ID siswa")), ("name", _l("Nama")), ("nik_masked", _l("NIK")),
    ("gender", _l("L/P")), ("birth_date", _l("Tanggal lahir")), ("class", _l("Kelas")),
    ("kelurahan_code", _l("Kode kelurahan")), ("eligibility", _l("Kelayakan")),
    ("eligible_on", _l("Memenuhi syarat mulai")), ("attendance", _l("Kehadiran")),
    ("ticket", _l("No. antrean")), ("station", _l("Meja")), ("outcome", _l("Hasil")),
    ("reason", _l("Kode alasan gagal")), ("reason_label", _l("Alasan Gagal")),
    ("ikd", _l("IKD")), ("ikd_reason", _l("Alasan IKD")),
    ("checked_in_at", _l("Waktu hadir")), ("outcome_at", _l("Waktu hasil")),
    ("conflicts", _l("Konflik")),
]
COUNT_COLUMNS = [
    ("target", _l("Sasaran")), ("registered", _l("Terdaftar")), ("eligible", _l("Memenuhi Syarat")),
    ("under_age", _l("Belum Cukup Umur")), ("present", _l("Hadir")),
    ("recorded", _l("Sudah Rekam")), ("failed", _l("Gagal")),
    ("already_recorded", _l("Sudah Punya KTP-el")), ("waiting", _l("Hadir, belum ada hasil")),
    ("absent", _l("Tidak Hadir")), ("not_arrived", _l("Belum Hadir")),
    ("printed", _l("Dicetak")), ("blanks_brought", _l("Blangko dibawa")),
    ("blanks_used", _l("Blangko terpakai")), ("blanks_left", _l("Blangko tersisa")),
    ("ikd_active", _l("IKD Aktif")), ("ikd_scanned", _l("IKD dipindai")),
    ("ikd_failed", _l("IKD gagal")), ("achievement", _l("Capaian (%)")),
]
WORDS = {"eligibility": labels.ELIGIBILITY, "attendance": labels.ATTENDANCE,
         "outcome": labels.OUTCOME, "ikd": labels.IKD}


def safe(value):
    """A cell value that a spreadsheet will not run as a formula (names come from schools)."""
    if isinstance(value, str) and len(value) > 1 and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _locale():
    return str(get_locale() or "id")


def student_record(row, locale="id"):
    """{column key: value} of one StudentRow, codes as the protocol names them."""
    return {
        "id": row.id, "name": row.name, "nik_masked": row.nik_masked, "gender": row.gender,
        "birth_date": row.birth_date.isoformat(), "class": row.class_name,
        "kelurahan_code": row.kelurahan_code, "eligibility": row.eligibility,
        "eligible_on": row.eligible_on.isoformat() if row.eligible_on else None,
        "attendance": row.attendance, "ticket": row.ticket, "station": row.station,
        "outcome": row.outcome, "reason": row.reason,
        "reason_label": labels.reason(row.reason, locale), "ikd": row.ikd,
        "ikd_reason": row.ikd_reason, "checked_in_at": row.checked_in_at,
        "outcome_at": row.outcome_at, "conflicts": ";".join(sorted(row.conflicts)),
    }


def local_time(value):
    """An event time (ISO UTC) as 'YYYY-MM-DD HH:MM' in the office's zone (Excel reads it)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


def _csv(header, records):
    """CSV for Excel in Indonesia: BOM, `;`, CRLF; formulas defused."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    for record in records:
        writer.writerow(["" if v is None else safe(v) for v in record])
    return out.getvalue().encode("utf-8-sig")


def people_records(rows, locale):
    """Rows of the student sheet: words instead of codes, local times."""
    for row in rows:
        rec = student_record(row, locale)
        for key, table in WORDS.items():
            rec[key] = labels.word(table, rec[key])
        rec["checked_in_at"] = local_time(rec["checked_in_at"])
        rec["outcome_at"] = local_time(rec["outcome_at"])
        yield [rec[k] for k, _ in VISIT_COLUMNS]


def visit_csv(rows):
    """One CSV line per student, in Indonesian (the office's document, as the PDF)."""
    with force_locale("id"):
        return _csv([h for _, h in VISIT_COLUMNS], list(people_records(rows, "id")))


def _sheet(ws, title_lines, header, records, widths=None):
    for line in title_lines:
        ws.append([safe(line)])
    ws.append([str(h) for h in header])
    head = ws.max_row
    for cell in ws[head]:
        cell.font = Font(bold=True)
    for record in records:
        ws.append([safe(v) for v in record])
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    if ws.max_row > head:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(len(header))}{ws.max_row}"
    for i, width in enumerate(widths or [], 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if title_lines:
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)


def _save(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def visit_xlsx(visit, rows, counts, version):
    """A workbook for people: sheet Siswa (one row per student) and sheet Ringkasan."""
    locale = _locale()
    wb = Workbook()
    ws = wb.active
    ws.title = str(_l("Siswa"))
    title = [f"{visit.school.name} · {visit.date.isoformat()}",
             f"{_l('Status')}: {labels.word(labels.STATUS, visit.status)} · "
             f"{_l('Versi data')}: {version}"]
    records = list(people_records(rows, locale))
    _sheet(ws, title, [h for _, h in VISIT_COLUMNS], records,
           [38, 28, 20, 5, 12, 12, 15, 24, 14, 13, 11, 6, 13, 20, 30, 24, 16, 24, 24, 18])
    ws2 = wb.create_sheet(str(_l("Ringkasan")))
    data = counts.to_dict()
    summary = [[str(h), data[k]] for k, h in COUNT_COLUMNS]
    summary += [[f"{_l('Gagal')}: {r['label']}", counts.reasons.get(r["code"], 0)]
                for r in failure_reasons(locale)]
    _sheet(ws2, title[:1], [str(_l("Ukuran")), str(_l("Jumlah"))], summary, [44, 12])
    return _save(wb)


def _recap_records(groups, with_detail):
    reasons = [r["code"] for r in failure_reasons("id")]
    for g in groups:
        data = g.counts.to_dict()
        head = [g.key, g.label] + ([g.detail] if with_detail else [])
        yield head + [data[k] for k, _ in COUNT_COLUMNS] + [
            g.counts.reasons.get(code, 0) for code in reasons]


def _recap_header(first):
    reasons = failure_reasons(_locale())
    return [str(h) for h in first] + [str(h) for _, h in COUNT_COLUMNS] + [
        f"{_l('Gagal')}: {r['label']}" for r in reasons]


def recap_csv(cov):
    """The city recap as CSV, in Indonesian: one line per visit."""
    with force_locale("id"):
        header = _recap_header([_l("ID kunjungan"), _l("Sekolah"), _l("Tanggal")])
        return _csv(header, list(_recap_records(cov.visits, True)))


def recap_xlsx(cov, period):
    """The city recap workbook: per visit, school, kelurahan, kecamatan, and the city line."""
    wb = Workbook()
    title = [f"{_l('Rekapitulasi Capaian')} · {period}"]
    sheets = [
        (_l("Kunjungan"), cov.visits, [str(_l("ID")), str(_l("Sekolah")), str(_l("Tanggal"))]),
        (_l("Sekolah"), cov.schools, [str(_l("ID")), str(_l("Sekolah")), str(_l("NPSN"))]),
        (_l("Kelurahan"), cov.kelurahan, [str(_l("Kode")), str(_l("Kelurahan")),
                                          str(_l("Kecamatan"))]),
        (_l("Kecamatan"), cov.kecamatan, [str(_l("Kode")), str(_l("Kecamatan")), str(_l("Kode"))]),
    ]
    ws = wb.active
    for i, (name, groups, first) in enumerate(sheets):
        ws = ws if i == 0 else wb.create_sheet()
        ws.title = str(name)
        _sheet(ws, title, _recap_header(first), _recap_records(groups, True), [14, 34, 14])
    city = wb.create_sheet(str(_l("Kota")))
    data = cov.city.to_dict()
    lines = [[str(h), data[k]] for k, h in COUNT_COLUMNS]
    lines += [[str(_l("Sasaran kota (wajib KTP)")), cov.city_target],
              [str(_l("Sudah rekam di kota (termasuk sebelum Jemput)")), cov.city_recorded_total],
              [str(_l("Capaian kota (%)")), cov.city_achievement]]
    _sheet(city, title, [str(_l("Ukuran")), str(_l("Jumlah"))], lines, [40, 14])
    return _save(wb)
