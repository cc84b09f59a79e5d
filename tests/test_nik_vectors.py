"""Shared NIK vectors (tests/vectors/nik/cases.json): identity.py gives the codes nik.js gives."""
import json
from datetime import date
from pathlib import Path

import pytest

from webapp.identity import check_kk, check_nik, check_nisn
from webapp.visits.models import Visit
from webapp.visits.services import Rules, validate_student

CASES = json.loads((Path(__file__).parent / "vectors" / "nik" / "cases.json").read_text("utf-8"))


def _codes(issues):
    return [i.code for i in issues]


@pytest.mark.parametrize("case", CASES["nik"], ids=[c["name"] for c in CASES["nik"]])
def test_nik(case):
    born = date.fromisoformat(case["birth_date"]) if case.get("birth_date") else None
    result = check_nik(case["nik"], city_code=case.get("city_code", "3672"), birth_date=born,
                       gender=case.get("gender"), kk=case.get("kk"))
    assert (_codes(result.errors), _codes(result.warnings)) == (case["errors"], case["warnings"])


@pytest.mark.parametrize("case", CASES["kk"], ids=[c["name"] for c in CASES["kk"]])
def test_kk(case):
    assert _codes(check_kk(case["kk"]).errors) == case["errors"]


@pytest.mark.parametrize("case", CASES["nisn"], ids=[c["name"] for c in CASES["nisn"]])
def test_nisn(case):
    assert _codes(check_nisn(case["nisn"]).errors) == case["errors"]


@pytest.mark.parametrize("case", CASES["walkin"], ids=[c["name"] for c in CASES["walkin"]])
def test_walkin_errors(case):
    visit = Visit(date=date.fromisoformat(CASES["walkin_visit_date"]))
    _clean, errors, _warnings = validate_student(case["student"], visit, rules=Rules(city_code="3672"))
    assert {f: _codes(issues) for f, issues in errors.items()} == case["errors"]
