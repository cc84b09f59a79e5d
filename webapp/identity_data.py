"""Reference data for webapp.identity: region codes and bilingual messages."""

# Kemendagri province codes (first two NIK/KK digits). Anything else is a hard error.
PROVINCE_CODES = frozenset(
    [str(c) for c in range(11, 20)]
    + ["21"]
    + [str(c) for c in range(31, 37)]
    + ["51", "52", "53"]
    + [str(c) for c in range(61, 66)]
    + [str(c) for c in range(71, 77)]
    + ["81", "82"]
    + [str(c) for c in range(91, 97)]
)

# Known regency (4-digit) and district (6-digit) codes. Deliberately small: a code is only
# judged when this table covers its province (for regencies) or its regency (for districts),
# so a NIK from a province we hold no data for never gets a noisy warning. Callers add their
# own codes through check_nik(known_regions=...).
KNOWN_REGIONS = {
    # Banten (36)
    "3601": "Kab. Pandeglang",
    "3602": "Kab. Lebak",
    "3603": "Kab. Tangerang",
    "3604": "Kab. Serang",
    "3671": "Kota Tangerang",
    "3672": "Kota Cilegon",
    "3673": "Kota Serang",
    "3674": "Kota Tangerang Selatan",
    # Kota Cilegon districts (kecamatan)
    "367201": "Cibeber",
    "367202": "Cilegon",
    "367203": "Pulomerak",
    "367204": "Ciwandan",
    "367205": "Jombang",
    "367206": "Grogol",
    "367207": "Purwakarta",
    "367208": "Citangkil",
}

# code -> (Bahasa Indonesia, English). Placeholders use str.format names from Issue.params.
MESSAGES = {
    "nik_required": ("NIK wajib diisi.", "NIK is required."),
    "nik_length": (
        "NIK harus 16 digit angka (terisi {length} digit).",
        "NIK must be 16 digits (got {length}).",
    ),
    "nik_digits": ("NIK harus 16 digit angka.", "NIK must be 16 digits, numbers only."),
    "nik_day": (
        "Tanggal lahir pada NIK ({day}) tidak sah: harus 01-31, atau 41-71 untuk perempuan.",
        "Birth day in the NIK ({day}) is invalid: must be 01-31, or 41-71 for women.",
    ),
    "nik_month": (
        "Bulan lahir pada NIK ({month}) tidak sah: harus 01-12.",
        "Birth month in the NIK ({month}) is invalid: must be 01-12.",
    ),
    "nik_date": (
        "Tanggal lahir pada NIK ({date}) tidak ada di kalender.",
        "Birth date in the NIK ({date}) does not exist.",
    ),
    "nik_serial": (
        "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
        "NIK serial (last 4 digits) cannot be 0000.",
    ),
    "nik_province": (
        "Kode provinsi NIK ({province}) tidak dikenal.",
        "Unknown province code in the NIK ({province}).",
    ),
    "nik_region_unknown": (
        "Kode wilayah NIK ({region}) tidak ada di daftar wilayah; periksa kembali.",
        "Region code in the NIK ({region}) is not in the region list; please check.",
    ),
    "nik_other_city": (
        "NIK diterbitkan di luar kota ini (kode {region}); boleh, periksa saja.",
        "NIK was issued outside this city (code {region}); allowed, just check.",
    ),
    "nik_gender_mismatch": (
        "Jenis kelamin pada NIK ({nik_gender}) berbeda dengan yang diisi ({gender}).",
        "Gender in the NIK ({nik_gender}) differs from the one entered ({gender}).",
    ),
    "nik_birthdate_mismatch": (
        "Tanggal lahir pada NIK ({nik_date}) berbeda dengan yang diisi ({birth_date}).",
        "Birth date in the NIK ({nik_date}) differs from the one entered ({birth_date}).",
    ),
    "nik_equals_kk": (
        "NIK sama dengan No. KK; kemungkinan tertukar.",
        "NIK equals the family card (KK) number; the two were probably swapped.",
    ),
    "kk_required": ("No. KK wajib diisi.", "Family card (KK) number is required."),
    "kk_length": (
        "No. KK harus 16 digit angka (terisi {length} digit).",
        "Family card (KK) number must be 16 digits (got {length}).",
    ),
    "kk_digits": (
        "No. KK harus 16 digit angka.",
        "Family card (KK) number must be 16 digits, numbers only.",
    ),
    "kk_province": (
        "Kode provinsi No. KK ({province}) tidak dikenal.",
        "Unknown province code in the KK number ({province}).",
    ),
    "kk_date": (
        "Tanggal terbit pada No. KK ({date}) tidak sah.",
        "Issue date in the KK number ({date}) is invalid.",
    ),
    "kk_serial": (
        "Nomor urut No. KK (4 digit terakhir) tidak boleh 0000.",
        "KK serial (last 4 digits) cannot be 0000.",
    ),
    "nisn_invalid": ("NISN harus 10 digit angka.", "NISN must be 10 digits."),
    "npsn_invalid": ("NPSN harus 8 digit angka.", "NPSN must be 8 digits."),
    # Eligibility statuses (Eligibility.issue); labels for lists and slips.
    "under_age": (
        "Belum cukup umur; dapat direkam mulai {eligible_on}.",
        "Under age; can be recorded from {eligible_on}.",
    ),
    "record_only": (
        "Rekam sekarang; KTP-el dicetak mulai {card_on}.",
        "Record now; the card is printed from {card_on}.",
    ),
    "record_and_print": ("Memenuhi syarat: rekam dan cetak.", "Eligible: record and print."),
}
