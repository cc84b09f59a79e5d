"""One message catalogue: the phone's words and the rule modules' msgids all come from the .po files."""
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_javascript
from babel.messages.pofile import read_po

from webapp import catalogue
from webapp.field import shell
from webapp.identity_data import MESSAGES as IDENTITY
from webapp.prereg.dapodik import MESSAGES as DAPODIK
from webapp.schools.services import MESSAGES as SCHOOLS
from webapp.visits.rules import MESSAGES as RULES

PWA = Path(catalogue.__file__).parent / "static" / "pwa"
HOLE = re.compile(r"\{(\w+)\}")


def _po():
    with catalogue.PO.open("rb") as f:
        return read_po(f, locale="en")


def _words_js():
    """{key: (Indonesian, plural or None)} as babel extracts words.js (babel.cfg's keywords)."""
    with (PWA / "words.js").open("rb") as f:
        found = extract_javascript(f, {"w": None, "wn": None}, [], {})
        return {args[0]: (args[1], args[2] if len(args) > 2 else None) for _line, _fn, args, _c in found}


def _t_keys():
    """(file, key) of every t("literal") call in the phone's modules."""
    out = []
    for path in sorted(PWA.glob("*.js")):
        with path.open("rb") as f:
            for _line, _fn, args, _c in extract_javascript(f, {"t": None}, [], {}):
                key = args[0] if isinstance(args, tuple) else args
                if isinstance(key, str):
                    out.append((path.name, key))
    return out


def test_words_en_js_is_what_make_i18n_generates():
    assert (PWA / "words-en.js").read_text("utf-8") == catalogue.phone_words_module(), \
        "run `make i18n` after changing words.js or the .po"


def test_every_phone_word_is_in_the_catalogue_with_english_and_the_same_placeholders():
    by_key = {m.context: m for m in _po() if m.context}
    words = _words_js()
    assert set(words) == set(by_key), "run `make i18n` after changing words.js"
    for key, (indonesian, plural) in words.items():
        entry = by_key[key]
        assert entry.id == ((indonesian, plural) if plural else indonesian), key
        english = entry.string if plural else (entry.string,)
        assert all(english), f"{key} has no English"
        holes = set(HOLE.findall(indonesian))
        for i, text in enumerate(english):  # an English singular may write "1" instead of {n}
            optional = {"n"} if plural and i == 0 else set()
            assert holes - optional <= set(HOLE.findall(text)) <= holes, key


def test_every_t_key_the_phone_uses_has_both_languages():
    english = catalogue.phone_words_en()
    words = _words_js()
    used = _t_keys()
    assert len(used) > 200  # the extractor really reads the modules
    missing = [f"{name}: {key}" for name, key in used if "${" not in key and (key not in words or key not in english)]
    assert missing == []
    # t(`status_${x}`): a family of keys; tests/js/i18n.test.js lists each family's members.
    prefixes = {key.split("${")[0] for _name, key in used if "${" in key and not key.startswith("${")}
    assert [p for p in prefixes if not any(k.startswith(p) for k in words)] == []


def test_the_phone_shell_caches_both_word_files():
    assert {"pwa/words.js", "pwa/words-en.js"} <= set(shell.static_files())


@pytest.mark.parametrize("table", [IDENTITY, RULES, DAPODIK, SCHOOLS], ids=["identity", "rules", "dapodik", "schools"])
def test_rule_messages_are_msgids_with_english(table):
    for code, msgid in table.items():
        english = catalogue.translate(msgid, "en")
        assert english != msgid, f"{code}: no English in the .po"
        holes = sorted(f for _, f, _, _ in string.Formatter().parse(msgid) if f)
        assert holes == sorted(f for _, f, _, _ in string.Formatter().parse(english) if f), code
        assert catalogue.translate(msgid, "id") == msgid
