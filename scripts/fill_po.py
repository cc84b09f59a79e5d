"""Fill the English catalogue from webapp/translations/source/en_*.json (msgid -> English)."""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "webapp" / "translations"
PO = ROOT / "en" / "LC_MESSAGES" / "messages.po"


def main():
    tr = {}
    for path in sorted((ROOT / "source").glob("en_*.json")):
        tr.update(json.loads(path.read_text("utf-8")))
    with PO.open("rb") as f:
        cat = read_po(f, locale="en")
    missing = []
    for m in cat:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        if key in tr:
            value = tr[key]
            m.string = tuple(value) if isinstance(m.id, tuple) else value
            m.flags.discard("fuzzy")
        else:
            missing.append(key)
    with PO.open("wb") as f:
        write_po(f, cat, width=100, omit_header=False)
    if missing:
        print(f"{len(missing)} msgids without English yet:", *missing[:40], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
