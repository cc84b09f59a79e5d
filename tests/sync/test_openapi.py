"""The OpenAPI document: valid, complete for the protocol, and what the API really answers."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from sync_phone import Phone

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

PROTOCOL_PATHS = {
    ("post", "/api/v1/devices"), ("get", "/api/v1/visits"),
    ("get", "/api/v1/visits/{visit_id}/roster"), ("post", "/api/v1/visits/{visit_id}/sync"),
    ("get", "/api/v1/visits/{visit_id}/state"), ("get", "/healthz"),
}


def test_document_is_valid_openapi_and_lists_the_protocol(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert PROTOCOL_PATHS <= listed
    sync = doc["paths"]["/api/v1/visits/{visit_id}/sync"]["post"]
    assert {"200", "404", "413", "422"} <= set(sync["responses"])


def test_fuzz_answers_match_the_document(demo, client):
    """Schemathesis calls every operation: no 5xx, and every answer (errors too) fits its documented schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo)
    # Schemathesis' WSGI transport asks for gzip like `requests` but never decodes the body.
    headers = {**Phone(client, "koordinator").headers, "Accept-Encoding": "identity"}
    tried, failures = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:  # every operation is tried; all failures are listed below
                failures.setdefault(case.operation.label, [str(f)[:500] for f in group.exceptions])

        run()
        tried.append(operation.label)
    assert len(tried) >= len(PROTOCOL_PATHS)
    assert failures == {}
