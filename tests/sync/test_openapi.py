"""The OpenAPI document: valid, complete for the protocol, and fuzzed without a 5xx."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from sync_phone import Phone

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


def test_fuzz_no_server_error(demo, client):
    """Schemathesis generates requests for every operation; none may answer 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo)
    headers = Phone(client, "koordinator").headers
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, case.body, response.text[:300])

        run()
        tried.append(operation.label)
    assert len(tried) >= len(PROTOCOL_PATHS)
