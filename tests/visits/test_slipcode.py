"""The slip's short code: short, no look-alike characters, from the random QR token only."""
import json
import random
import re
from base64 import urlsafe_b64encode
from pathlib import Path

from webapp.visits.models import new_qr_token
from webapp.visits.slipcode import ALPHABET, LENGTH, printed, slip_code


def test_code_is_short_and_free_of_look_alikes():
    assert 6 <= LENGTH <= 8
    assert not set("0O1IL2Z5S8B") & set(ALPHABET)
    for _ in range(200):
        code = slip_code(new_qr_token())
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)
        assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{4}", printed(code))


def test_code_depends_on_the_token_only_and_is_stable():
    token = "AbCdEfGhIjKlMnOp"
    assert slip_code(token) == slip_code(token)  # a follow-up copies the token: same printed code
    assert slip_code(token) != slip_code(token[:-1] + "q")


def test_codes_do_not_collide_in_a_large_school():
    # 22**7 ~ 2.5e9 codes: 2,000 students of one visit collide with odds below 1 in 1,000.
    rng = random.Random(13)  # seeded: the same tokens every run
    codes = [slip_code(urlsafe_b64encode(rng.randbytes(12)).decode()) for _ in range(2000)]
    assert len(set(codes)) == len(codes)


def test_shared_vectors_the_phone_computes_too():
    """The phone derives each slip's code from `qr` (the roster does not carry it): same vectors in
    tests/js/lookup.test.js."""
    doc = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "slip_code" / "codes.json").read_text())
    assert len(doc["vectors"]) >= 40
    for vector in doc["vectors"]:
        assert slip_code(vector["qr"]) == vector["code"]
