"""The error registry: every code has a status and a message in both languages."""
from webapp.app import create_app
from webapp.clock import local_today, utcnow
from webapp.errors import ERRORS, HTTP_CODES, DomainError, api_answer, message_of


def test_every_code_has_a_status_and_an_english_message(app):
    for code, (status, _message) in ERRORS.items():
        assert 400 <= status < 600, code
        with app.test_request_context(headers={"Accept-Language": "en"}, path="/api/v1/x"):
            english = message_of(code, limit=5, minutes=5, field="x")
        with app.test_request_context(path="/api/v1/x"):
            indonesian = message_of(code, limit=5, minutes=5, field="x")
        assert english and english != indonesian, code


def test_every_sync_rejection_code_of_fieldsync_has_a_message():
    from fieldsync import codes

    assert set(codes.REJECTION_CODES) <= set(ERRORS)
    field = "seq"
    for code in codes.REJECTION_CODES:
        english, indonesian = message_of(code, "en", field=field), message_of(code, "id", field=field)
        assert english != indonesian, code
        assert "%(" not in english + indonesian


def test_message_of_takes_an_explicit_language_outside_a_request():
    assert message_of("invalid_field", "en", field="seq") == "Field 'seq' has an invalid value."
    assert message_of("invalid_field", "id", field="seq") == "Nilai kolom 'seq' tidak valid."


def test_http_codes_are_in_the_table():
    assert {ERRORS[code][0] for code in HTTP_CODES.values()} == set(HTTP_CODES)


def test_api_answer_names_the_field_and_params(app):
    with app.test_request_context(path="/api/v1/x", headers={"Accept-Language": "en"}):
        response, status = api_answer(DomainError("too_many_events", field="events", limit=7))
    body = response.get_json()
    assert status == 413
    assert body["code"] == "too_many_events" and body["field"] == "events" and body["limit"] == 7
    assert "7" in body["message"] and body["errors"] == {"events": [body["message"]]}


def test_an_uncaught_domain_error_is_answered_by_its_code(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/api/v1/_raise_for_test")
    def _raise():
        raise DomainError("visit_not_found")

    @app.get("/_raise_for_test")
    def _raise_page():
        raise DomainError("list_locked")

    client = app.test_client()
    answer = client.get("/api/v1/_raise_for_test")
    assert answer.status_code == 404 and answer.get_json()["code"] == "visit_not_found"
    assert client.get("/_raise_for_test").status_code == 409


def test_unknown_code_is_a_server_error():
    assert DomainError("no_such_code").status == 500


def test_clock_works_outside_an_app():
    assert utcnow().tzinfo is None and local_today().year >= 2024
