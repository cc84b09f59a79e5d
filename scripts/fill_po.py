"""Fill English msgstrs in the catalogue from a JSON dict file (one-off developer helper)."""
import json, sys
from babel.messages.pofile import read_po, write_po
po_path = "webapp/translations/en/LC_MESSAGES/messages.po"
tr = json.load(open(sys.argv[1]))
with open(po_path, "rb") as f:
    cat = read_po(f, locale="en")
missing = []
for m in cat:
    if not m.id: continue
    key = m.id if isinstance(m.id, str) else m.id[0]
    if key in tr:
        v = tr[key]
        m.string = tuple(v) if isinstance(m.id, tuple) else v
        m.flags.discard("fuzzy")
    elif not (m.string if isinstance(m.string, str) else all(m.string)):
        missing.append(key)
with open(po_path, "wb") as f:
    write_po(f, cat, width=100)
print("missing:", missing)
