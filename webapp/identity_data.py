"""Reference data for webapp.identity: region codes and the msgids of its issue codes."""
from webapp.catalogue import N_

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

# code -> Indonesian msgid (English in the .po, webapp/catalogue.py). Placeholders: str.format names from Issue.params.
MESSAGES = {
    "nik_required": N_("NIK wajib diisi."),
    "nik_length": N_("NIK harus 16 digit angka (terisi {length} digit)."),
    "nik_digits": N_("NIK harus 16 digit angka."),
    "nik_day": N_("Tanggal lahir pada NIK ({day}) tidak sah: harus 01-31, atau 41-71 untuk perempuan."),
    "nik_month": N_("Bulan lahir pada NIK ({month}) tidak sah: harus 01-12."),
    "nik_date": N_("Tanggal lahir pada NIK ({date}) tidak ada di kalender."),
    "nik_serial": N_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."),
    "nik_province": N_("Kode provinsi NIK ({province}) tidak dikenal."),
    "nik_region_unknown": N_("Kode wilayah NIK ({region}) tidak ada di daftar wilayah; periksa kembali."),
    "nik_other_city": N_("NIK diterbitkan di luar kota ini (kode {region}); boleh, periksa saja."),
    "nik_gender_mismatch": N_("Jenis kelamin pada NIK ({nik_gender}) berbeda dengan yang diisi ({gender})."),
    "nik_birthdate_mismatch": N_("Tanggal lahir pada NIK ({nik_date}) berbeda dengan yang diisi ({birth_date})."),
    "nik_equals_kk": N_("NIK sama dengan No. KK; kemungkinan tertukar."),
    "kk_required": N_("No. KK wajib diisi."),
    "kk_length": N_("No. KK harus 16 digit angka (terisi {length} digit)."),
    "kk_digits": N_("No. KK harus 16 digit angka."),
    "kk_province": N_("Kode provinsi No. KK ({province}) tidak dikenal."),
    "kk_date": N_("Tanggal terbit pada No. KK ({date}) tidak sah."),
    "kk_serial": N_("Nomor urut No. KK (4 digit terakhir) tidak boleh 0000."),
    "nisn_invalid": N_("NISN harus 10 digit angka."),
    "npsn_invalid": N_("NPSN harus 8 digit angka."),
    "under_age": N_("Belum cukup umur; dapat direkam mulai {eligible_on}."),
    "record_only": N_("Rekam sekarang; KTP-el dicetak mulai {card_on}."),
    "record_and_print": N_("Memenuhi syarat: rekam dan cetak."),
}
