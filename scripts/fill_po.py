"""Fill the English catalogue from webapp/translations/source/en_*.json, then write the phone's words-en.js.

en_*.json map an Indonesian msgid to English; en_pwa*.json map a phone key (the msgctxt of words.js)
to English, or to [singular, plural] for a counted word.
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webapp.catalogue import PO, write_phone_words  # noqa: E402

SOURCE = PO.parent.parent.parent / "source"


def _sources():
    by_msgid, by_key = {}, {}
    for path in sorted(SOURCE.glob("en_*.json")):
        (by_key if path.name.startswith("en_pwa") else by_msgid).update(json.loads(path.read_text("utf-8")))
    return by_msgid, by_key


def main():
    by_msgid, by_key = _sources()
    with PO.open("rb") as f:
        cat = read_po(f, locale="en")
    missing = []
    for m in cat:
        if not m.id:
            continue
        key = m.context if m.context else (m.id if isinstance(m.id, str) else m.id[0])
        value = (by_key if m.context else by_msgid).get(key)
        if value is None:
            missing.append(key)
            continue
        if isinstance(m.id, tuple):
            m.string = tuple(value) if isinstance(value, list) else (value, value)
        else:
            m.string = value
        m.flags.discard("fuzzy")
    with PO.open("wb") as f:
        write_po(f, cat, width=100, omit_header=False)
    write_phone_words()
    if missing:
        print(f"{len(missing)} msgids without English yet:", *missing[:40], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
