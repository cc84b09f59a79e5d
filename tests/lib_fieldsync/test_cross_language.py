"""The Python and the JavaScript fold give the same JSON, key for key, on random event sets."""

import json
import random
import shutil
import subprocess
from pathlib import Path

from components import require_tools

from fieldsync import fold

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "tests" / "js" / "fold_cli.js"
VECTORS = ROOT / "tests" / "vectors"
BASE_MS = 1764205200000
DEVICES = ("hpA", "hpB", "hpC", "hpD")
NIKS = ("3672015508090731", "3672011203090002", "3604014707090005", None, "")
# Ids with a BMP character above the surrogates and an astral one: JavaScript's plain string
# order would disagree with Python's there.
PRE_IDS = ("s1", "s2", "s3", "s\uff21", "s\U0001f600")
WALKIN_IDS = ("w1", "w2", "w3", "w\u00e9")
KINDS = ("checkin", "enqueue", "call", "outcome", "outcome", "ikd", "walkin", "undo", "note",
         "print", "correction")


def random_case(rng):
    """One random visit: pre-registered students, 0..60 events from up to 4 devices."""
    pre = {sid: rng.choice(NIKS) for sid in rng.sample(PRE_IDS, rng.randint(0, len(PRE_IDS)))}
    students = pre if rng.random() < 0.7 else sorted(pre)
    refs = list(PRE_IDS) + list(WALKIN_IDS) + ["ghost"]
    seqs = dict.fromkeys(DEVICES, 0)
    events = []
    for _ in range(rng.randint(0, 60)):
        dev = rng.choice(DEVICES[: rng.randint(1, 4)])
        seqs[dev] += 1
        ms = rng.randrange(40)
        kind = rng.choice(KINDS)
        ev = {
            "id": f"{dev}:{seqs[dev]}",
            "device_id": dev,
            "seq": seqs[dev],
            "hlc": f"{BASE_MS + ms:013d}-{rng.randrange(3):04d}",
            "at": f"2026-11-27T01:00:{ms:02d}.{rng.randrange(1000):03d}Z",
            "type": kind,
        }
        if kind == "walkin":
            ev["student"] = {
                "id": rng.choice(WALKIN_IDS + PRE_IDS[:1]),
                "name": "Tamu",
                "nik": rng.choice(NIKS),
                "class": "X",
                "consent": True,
            }
        elif kind == "undo":
            ev["target"] = None
            ev["reason"] = "salah"
        else:
            ev["student_id"] = rng.choice(refs)
        if kind == "enqueue":
            ev["ticket"] = f"{dev[-1]}-{rng.randrange(3):03d}"
            if rng.random() < 0.3:
                ev["station"] = rng.randint(1, 3)
        elif kind == "call":
            ev["station"] = rng.randint(1, 3)
        elif kind == "outcome":
            ev["result"] = rng.choice(("recorded", "failed", "already_recorded"))
            if ev["result"] == "failed":
                ev["reason"] = rng.choice(("iris", "sidik_jari", "menolak"))
        elif kind == "ikd":
            ev["status"] = rng.choice(("scanned", "active", "failed"))
            if rng.random() < 0.5:
                ev["reason"] = rng.choice(("tanpa email", "wajah tidak cocok"))
        elif kind == "print":
            ev["result"] = rng.choice(("printed", "not_printed"))
            ev["reason"] = None if ev["result"] == "printed" else rng.choice(("no_blank", "printer_fault"))
        elif kind == "correction":
            ev["field"] = rng.choice(("outcome", "ikd"))
            ev["value"] = rng.choice(("recorded", "failed", "already_recorded", "active", None))
            ev["reason"] = "koreksi"
            if ev["value"] == "failed":
                ev["failure_reason"] = "data_ganda"
        elif kind == "note":
            ev["text"] = rng.choice(("datang terlambat", "kakak kelas \u2764", "\U0001f44d"))
        events.append(ev)
    ids = [e["id"] for e in events] + ["hpZ:9"]
    for ev in events:
        if ev["type"] == "undo":
            ev["target"] = rng.choice(ids)
        elif ev["type"] == "call" and rng.random() < 0.3:
            ev["replaces"] = rng.choice(ids)
    # Deliver in any order, with re-sent copies.
    events += [json.loads(json.dumps(rng.choice(events))) for _ in range(len(events) // 4)]
    rng.shuffle(events)
    return {"events": events, "students": students, "closed": rng.random() < 0.25}


def _cases():
    rng = random.Random(20261127)
    cases = [random_case(rng) for _ in range(200)]
    for path in sorted(VECTORS.glob("*.json")):
        v = json.loads(path.read_text(encoding="utf-8"))
        cases.append(
            {"events": v["events"], "students": v["students"], "closed": v.get("closed", False)}
        )
    return cases


def _node():
    require_tools("node")
    return shutil.which("node")


def test_python_and_javascript_folds_agree(tmp_path):
    node = _node()
    cases = _cases()
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [node, str(CLI), str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    js_results = json.loads(out.stdout)
    assert len(js_results) == len(cases)
    for i, (case, js) in enumerate(zip(cases, js_results, strict=True)):
        py = fold(case["events"], case["students"], closed=case["closed"]).to_dict()
        assert py == js, f"case {i} differs"
        # Same keys in the same order, not only equal mappings.
        assert json.dumps(py, ensure_ascii=False) == json.dumps(js, ensure_ascii=False), i


def test_the_random_cases_exercise_every_rule():
    seen = set()
    for case in _cases():
        result = fold(case["events"], case["students"], closed=case["closed"]).to_dict()
        seen |= {c["code"] for c in result["conflicts"] + result["info"]}
        seen |= {"alias"} if result["aliases"] else set()
        seen |= {s["attendance"] for s in result["students"].values()}
    assert seen >= {
        "double_ticket",
        "recorded_then_failed",
        "walkin_duplicate",
        "recorded_twice",
        "double_call",
        "repeat_checkin",
        "alias",
        "present",
        "absent",
        "not_arrived",
    }
