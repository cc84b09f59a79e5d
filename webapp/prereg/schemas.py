"""marshmallow schemas of the link-holder API (the student rules live in visits.services)."""
from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, fields

from webapp.visits.schemas import VisitSchema


def _text(description, example=None, **kw):
    meta = {"description": description}
    if example is not None:
        meta["example"] = example
    return fields.String(allow_none=True, load_default=None, metadata=meta, **kw)


class StudentInSchema(Schema):
    """A student as the school sends it; the service checks every rule (422 names fields)."""

    class Meta:
        unknown = RAISE

    name = _text("Full name as on the KK", "Siti Aminah")
    nik = _text("16-digit NIK (as text)", "3672015501080002")
    kk = _text("16-digit family card number (No. KK)", "3672012001150001")
    nisn = _text("10-digit NISN", "0081234567")
    nipd = _text("School's own student number (NIPD)", "23240001")
    gender = _text("L (male) or P (female)", "P")
    birth_place = _text("Place of birth", "Cilegon")
    birth_date = _text("Birth date, YYYY-MM-DD", "2008-01-15")
    class_ = _text("Class (rombel)", "XI IPA 1", data_key="class")
    kelurahan_code = _text("Kelurahan code of the address, e.g. 36.72.02.1001", "36.72.02.1001")
    consent = fields.Boolean(load_default=False, metadata={
        "description": "Parent/guardian consent is recorded (UU PDP)"})
    married = fields.Boolean(load_default=False, metadata={
        "description": "Married or formerly married (KTP-el regardless of age)"})


class CheckInSchema(StudentInSchema):
    """A student as typed, with the id of the one being edited (its NIK is no duplicate)."""

    id = fields.String(load_default=None, allow_none=True)


class EligibilitySchema(Schema):
    status = fields.String(metadata={"description": "under_age, record_only, record_and_print"})
    age = fields.Integer()
    eligible_on = fields.Date(allow_none=True)
    card_on = fields.Date(allow_none=True)
    label = fields.String()


class StudentOutSchema(Schema):
    """A student in a list: NIK and KK masked."""

    id = fields.String()
    name = fields.String()
    nik_masked = fields.String()
    kk_masked = fields.String(allow_none=True)
    nisn = fields.String(allow_none=True)
    nipd = fields.String(allow_none=True)
    gender = fields.String()
    birth_place = fields.String(allow_none=True)
    birth_date = fields.String()
    class_ = fields.String(allow_none=True, data_key="class")
    kelurahan_code = fields.String(allow_none=True)
    consent = fields.Boolean()
    married = fields.Boolean()
    source = fields.String()
    eligibility = fields.Nested(EligibilitySchema)
    warnings = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class StudentFullSchema(StudentOutSchema):
    """A student just saved or opened for editing: with the full NIK and KK."""

    nik = fields.String()
    kk = fields.String(allow_none=True)


class SchoolOutSchema(Schema):
    id = fields.Integer()
    npsn = fields.String()
    name = fields.String()
    kelurahan_code = fields.String()
    address = fields.String(allow_none=True)


class PreregOutSchema(Schema):
    """What the link holder sees."""

    visit = fields.Nested(VisitSchema)
    school = fields.Nested(SchoolOutSchema)
    locked = fields.Boolean()
    expires_at = fields.DateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    students = fields.List(fields.Nested(StudentOutSchema))


class CheckOutSchema(Schema):
    """Live check of a form (nothing stored)."""

    valid = fields.Boolean()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    warnings = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    eligibility = fields.Nested(EligibilitySchema, allow_none=True)


class UploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "Dapodik export (.xlsx) or .csv"})


class ImportRowSchema(Schema):
    row = fields.Integer(metadata={"description": "Row number in the sheet"})
    status = fields.String(metadata={"description": "ok, warning or error"})
    messages = fields.List(fields.String())
    action = fields.String(metadata={"description": "add, update (same NIK) or skip"})
    name = fields.String(allow_none=True)
    nik_masked = fields.String()
    class_ = fields.String(allow_none=True, data_key="class")


class ImportOutSchema(Schema):
    import_id = fields.String()
    filename = fields.String()
    confirmed = fields.Boolean()
    summary = fields.Dict()
    rows = fields.List(fields.Nested(ImportRowSchema))


class ConfirmInSchema(Schema):
    class Meta:
        unknown = RAISE

    consent = fields.Boolean(load_default=False, metadata={
        "description": "The school holds the parents' consent for every student in the file"})


class ConfirmOutSchema(Schema):
    summary = fields.Dict()
