"""Text with a NUL character is refused, naming the field, before any view runs (webapp/inputs.py)."""


def test_api_json_with_nul_is_422_naming_the_field(demo, client):
    response = client.post("/api/v1/devices", json={"username": "\u0000", "password": "x", "label": ""})
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == "nul_character" and body["field"] == "username"
    assert list(body["errors"]) == ["username"]
    nested = client.post("/api/v1/devices", json={"username": "a", "password": "x", "label": ["ok", "b\u0000"]})
    assert nested.status_code == 422 and nested.get_json()["field"] == "label.1"


def test_query_and_form_with_nul_are_refused_in_english_too(demo, client):
    response = client.get("/api/v1/visits?q=%00", headers={"Accept-Language": "en"})
    assert response.status_code == 422 and response.get_json()["field"] == "q"
    indonesian = client.get("/api/v1/visits?q=%00").get_json()["message"]
    assert response.get_json()["message"] != indonesian  # said in English
    page = client.post("/login", data={"username": "a\x00", "password": "x"})
    assert page.status_code == 422


def test_ordinary_text_passes(demo, client):
    response = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345", "label": "HP"})
    assert response.status_code == 201


def test_nul_is_found_in_the_body_bytes_however_encoded(demo, client):
    """The guard scans the raw bytes first: NUL escaped, in UTF-16, or a key; a written-out
    backslash-u-0000 is ordinary text."""
    import json

    text = json.dumps({"username": "a", "password": "x", "label": "b\u0000"})
    wide = client.post("/api/v1/devices", data=text.encode("utf-16"), content_type="application/json")
    assert wide.status_code == 422 and wide.get_json()["field"] == "label"
    key = client.post("/api/v1/devices", json={"username": "a", "password": "x", "label": "", "k\u0000": 1})
    assert key.status_code == 422 and key.get_json()["field"] == "k\u0000"
    literal = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345",
                                                   "label": "HP \\u0000"})
    assert literal.status_code == 201
