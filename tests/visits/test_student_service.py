"""The one student service: validation codes, warnings, duplicates, eligibility, saving."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.visits import rules
from webapp.visits import services as svc
from webapp.visits.models import Student


def codes(problems):
    return rules.codes(problems)


def test_valid_student_is_clean_and_keyed_by_model_attribute(bare_visit, student_data):
    clean, errors, warnings = svc.validate_student(student_data(), bare_visit)
    assert errors == {} and warnings == {}
    assert clean["class_name"] == "XII IPA 1" and clean["birth_date"] == date(2009, 3, 10)
    assert clean["gender"] == "L" and clean["consent"] is True and clean["married"] is False
    Student(visit=bare_visit, **clean)  # the clean dict builds a row as it is


def test_inputs_are_normalised(bare_visit, student_data):
    clean, errors, _ = svc.validate_student(student_data(
        name="  Budi \x00\t Santoso ", nik="3672 0210 0309 0001", gender="laki-laki",
        birth_date="10-03-2009", kelurahan_code="3672021001", consent="ya"), bare_visit)
    assert errors == {}
    assert (clean["name"], clean["nik"], clean["gender"]) == ("Budi Santoso", "3672021003090001", "L")
    assert clean["birth_date"] == date(2009, 3, 10)
    assert clean["kelurahan_code"] == "36.72.02.1001" and clean["consent"] is True


@pytest.mark.parametrize("change, field, code", [
    ({"nik": "367202100309001"}, "nik", "nik_length"),
    ({"nik": "36720210030900AB"}, "nik", "nik_digits"),
    ({"nik": "3672023203090001"}, "nik", "nik_day"),
    ({"nik": "3672021003090000"}, "nik", "nik_serial"),
    ({"nik": "9972021003090001"}, "nik", "nik_province"),
    ({"nik": None}, "nik", "nik_required"),
    ({"kk": "367202150115"}, "kk", "kk_length"),
    ({"nisn": "12345"}, "nisn", "nisn_invalid"),
    ({"name": ""}, "name", "name_required"),
    ({"name": "12345"}, "name", "name_invalid"),
    ({"name": "A" * 121}, "name", "too_long"),
    ({"gender": None}, "gender", "gender_required"),
    ({"gender": "X"}, "gender", "gender_choice"),
    ({"birth_date": ""}, "birth_date", "birth_date_missing"),
    ({"birth_date": "10 Maret 2009"}, "birth_date", "birth_date_invalid"),
    ({"birth_date": "2027-01-01"}, "birth_date", "birth_date_after_visit"),
    ({"kelurahan_code": "36.72.99.9999"}, "kelurahan_code", "kelurahan_unknown"),
    ({"consent": "mungkin"}, "consent", "boolean_invalid"),
    ({"class": ["XII"]}, "class", "not_a_text"),
])
def test_errors_name_the_field_with_a_stable_code(bare_visit, student_data, change, field, code):
    _, errors, _ = svc.validate_student(student_data(**change), bare_visit)
    assert code in codes(errors)[field]
    assert rules.describe(errors, "id")[field] and rules.describe(errors, "en")[field]


@pytest.mark.parametrize("change, code", [
    ({"kk": "3672021003090001"}, "nik_equals_kk"),
    ({"gender": "P"}, "nik_gender_mismatch"),
    ({"birth_date": "2009-03-11"}, "nik_birthdate_mismatch"),
    ({"nik": "3604011003090001"}, "nik_other_city"),
    ({"nik": "3672021501150009"}, "nik_looks_like_kk"),  # the KK's region and issue date
    ({"nik": "3672020705200001", "kk": None}, "nik_looks_like_kk"),  # "born" 2020
])
def test_warnings_never_block(bare_visit, student_data, change, code):
    _, errors, warnings = svc.validate_student(student_data(**change), bare_visit)
    assert errors == {}
    assert code in codes(warnings)["nik"]


def test_missing_consent_is_a_warning(bare_visit, student_data):
    _, errors, warnings = svc.validate_student(student_data(consent=False), bare_visit)
    assert errors == {} and codes(warnings) == {"consent": ["consent_missing"]}
    assert rules.describe(warnings, "en")["consent"] == [
        "The parent/guardian consent is not recorded yet."]


def test_messages_come_in_both_languages(bare_visit, student_data):
    _, errors, _ = svc.validate_student(student_data(nik="123"), bare_visit)
    assert rules.describe(errors, "id") == {"nik": ["NIK harus 16 digit angka (terisi 3 digit)."]}
    assert rules.describe(errors, "en") == {"nik": ["NIK must be 16 digits (got 3)."]}


def test_duplicate_nik_in_the_visit_is_refused_but_not_for_itself(bare_visit, student_data):
    student, _ = svc.add_student(bare_visit, student_data())
    _, errors, _ = svc.validate_student(student_data(name="Budi Lain"), bare_visit)
    assert codes(errors) == {"nik": ["nik_duplicate"]}
    _, errors, _ = svc.validate_student(student_data(name="Budi S."), bare_visit, student=student)
    assert errors == {}
    with pytest.raises(svc.StudentInvalid) as caught:
        svc.add_student(bare_visit, student_data(name="Budi Lain"))
    assert codes(caught.value.errors) == {"nik": ["nik_duplicate"]}


def test_same_nik_in_another_visit_is_fine(demo, upcoming, student_data):
    other = db.session.execute(select(Student).where(Student.visit_id != upcoming.id)).scalars().first()
    _, errors, _ = svc.validate_student(student_data(nik=other.nik, birth_date=other.birth_date,
                                                     gender=other.gender), upcoming)
    assert "nik" not in errors


def test_add_update_remove_are_audited(bare_visit, student_data):
    before = db.session.execute(select(func.count(AuditEntry.id))).scalar_one()
    student, warnings = svc.add_student(bare_visit, student_data(consent=False), source="api",
                                        actor="tester")
    assert codes(warnings) == {"consent": ["consent_missing"]}
    assert student.source == "api" and len(student.qr_token) >= 16
    svc.update_student(student, student_data(name="Budi Santosa"), actor="tester")
    assert db.session.get(Student, student.id).name == "Budi Santosa"
    with pytest.raises(svc.StudentInvalid):
        svc.update_student(student, student_data(nik="1"), actor="tester")
    assert db.session.get(Student, student.id).nik == "3672021003090001"
    svc.remove_student(student, actor="tester")
    assert db.session.get(Student, student.id) is None
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)
                                 .offset(before)).scalars().all()
    assert actions == ["student_added", "student_updated", "student_removed"]


@pytest.mark.parametrize("born, status", [
    ("2009-03-10", "record_and_print"),  # 17 on 2026-12-04
    ("2010-05-20", "record_only"),       # 16
    ("2011-01-05", "under_age"),         # 15, turns 16 on 2027-01-05
])
def test_eligibility_on_the_visit_date(bare_visit, born, status):
    result = svc.student_eligibility(date.fromisoformat(born), bare_visit)
    assert result.status == status
    if status == "under_age":
        assert result.eligible_on == date(2027, 1, 5)


def test_preloaded_rules_see_rows_added_in_the_same_batch(bare_visit, student_data):
    batch_rules = svc.rules_for(bare_visit, preload_niks=True)
    svc.add_student(bare_visit, student_data(), rules=batch_rules, commit=False)
    _, errors, _ = svc.validate_student(student_data(name="Lagi"), bare_visit, rules=batch_rules)
    assert codes(errors) == {"nik": ["nik_duplicate"]}
    db.session.rollback()
