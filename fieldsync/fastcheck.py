"""The hot path of event validation: plain checks compiled from the marshmallow schemas themselves.

The schemas stay the one definition and the judge. `load(raw)` returns exactly what
`schema_for(raw["type"]).load(raw)` returns when it can tell the event is valid, and None
otherwise; the caller then asks marshmallow, which also names the error (code and field). So
accept/reject decisions and rejection codes cannot differ; the compiled path only skips
marshmallow's per-field machinery for the common, valid event (docs/sync-algorithm.md §4).
A schema using anything this compiler does not know (another field class or validator, a
pre/post-load hook) is never compiled: its events always go through marshmallow.
Held equal by tests/lib_fieldsync/test_fastcheck.py (hypothesis: valid and mutated events).
"""

import types

from marshmallow import RAISE, ValidationError, fields, missing, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

from .schemas import EVENT_SCHEMAS, StrictBoolean, Text, schema_for

_FAIL = object()


class Unsupported(Exception):
    """A schema feature the compiler does not reproduce: that schema stays marshmallow-only."""


def _length(v):
    lo, hi, eq = v.min, v.max, v.equal
    if eq is not None:
        return lambda x: len(x) == eq
    return lambda x: (lo is None or len(x) >= lo) and (hi is None or len(x) <= hi)


def _range(v):
    lo, hi, lo_in, hi_in = v.min, v.max, v.min_inclusive, v.max_inclusive

    def ok(x):
        if lo is not None and (x < lo if lo_in else x <= lo):
            return False
        return hi is None or not (x > hi if hi_in else x >= hi)
    return ok


def _one_of(v):
    choices = tuple(v.choices)
    return lambda x: x in choices


def _regexp(v):
    match = v.regex.match
    return lambda x: match(x) is not None


def _function(fn):
    def ok(x):
        try:
            return fn(x) is not False  # marshmallow: a plain validator returning False fails
        except ValidationError:
            return False
    return ok


_VALIDATORS = {validate.Length: _length, validate.Range: _range, validate.OneOf: _one_of,
               validate.Regexp: _regexp}


def _validator(v):
    if type(v) in _VALIDATORS:
        return _VALIDATORS[type(v)](v)
    if isinstance(v, (types.FunctionType, types.BuiltinFunctionType)):
        return _function(v)
    raise Unsupported(repr(v))


def _is_str(x):
    return type(x) is str


def _is_text(x):
    return type(x) is str and x.strip() != ""


def _is_int(x):
    return type(x) is int  # marshmallow refuses booleans too; other Integral types go the slow way


def _is_bool(x):
    return type(x) is bool


def _kind(field):
    """(type test, converter or None) for a field class, exactly as marshmallow deserialises it."""
    cls = type(field)
    if cls is Text:
        return _is_text, None
    if cls is fields.String:
        return _is_str, None
    if cls is fields.Integer and field.strict and not field.as_string:
        return _is_int, None
    if cls is StrictBoolean:
        return _is_bool, None
    if cls is fields.Raw:
        return (lambda x: True), None
    if cls is fields.Nested and not field.many and field.unknown is None and not field.only \
            and not field.exclude:
        inner = compile_schema(field.schema)
        return (lambda x: type(x) is dict), inner
    raise Unsupported(cls.__name__)


def _field_check(field):
    if field.load_default is not missing or getattr(field, "pre_load", None) or getattr(field, "post_load", None):
        raise Unsupported(field.name)
    test, convert = _kind(field)
    checks = tuple(_validator(v) for v in field.validators)

    def check(x):
        if not test(x):
            return _FAIL
        if convert is not None:
            x = convert(x)
            if x is None:
                return _FAIL
        for ok in checks:
            if not ok(x):
                return _FAIL
        return x
    return check


def compile_schema(schema):
    """A function raw -> loaded dict (what `schema.load` returns) or None (not sure: ask marshmallow)."""
    hooks = schema._hooks
    if schema.unknown != RAISE or schema.many or schema.partial or hooks[PRE_LOAD] or hooks[POST_LOAD] \
            or hooks[VALIDATES_SCHEMA]:
        raise Unsupported(type(schema).__name__)
    specs = []
    for name, field in schema.load_fields.items():
        key = field.data_key if field.data_key is not None else name
        out = field.attribute or name
        if "." in out:
            raise Unsupported(out)  # marshmallow would nest it
        specs.append((key, out, field.required, field.allow_none, _field_check(field)))
    known = frozenset(s[0] for s in specs)
    validators = []
    for attr, _, kwargs in hooks[VALIDATES]:
        for name in kwargs["field_names"]:
            field = schema.fields[name]
            validators.append((field.attribute or name, getattr(schema, attr),
                               field.data_key if field.data_key is not None else name))

    def load(raw):
        if not raw.keys() <= known:
            return None
        out = {}
        for key, out_key, required, allow_none, check in specs:
            value = raw.get(key, missing)
            if value is missing:
                if required:
                    return None
                continue
            if value is None:
                if not allow_none:
                    return None
                out[out_key] = None
                continue
            value = check(value)
            if value is _FAIL:
                return None
            out[out_key] = value
        for out_key, hook, data_key in validators:
            if out_key in out:
                try:
                    hook(out[out_key], data_key=data_key)
                except ValidationError:
                    return None
        return out
    return load


def _compile_all():
    loaders = {}
    for kind in EVENT_SCHEMAS:
        try:
            loaders[kind] = compile_schema(schema_for(kind))
        except Unsupported:
            pass  # that type is always validated by marshmallow
    return loaders


LOADERS = _compile_all()


def load(raw):
    """The loaded event if it is certainly valid for its type's schema, else None (ask marshmallow)."""
    loader = LOADERS.get(raw.get("type")) if isinstance(raw.get("type"), str) else None
    return loader(raw) if loader is not None else None
