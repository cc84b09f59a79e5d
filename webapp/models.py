"""Import every model module so metadata (and Alembic autogenerate) sees all tables."""
from webapp.audit.models import AuditEntry  # noqa: F401
from webapp.auth.models import Team, User  # noqa: F401
from webapp.desk.models import VisitPhoto  # noqa: F401
from webapp.jobs.models import Job, SlipsFile  # noqa: F401
from webapp.prereg.models import ImportBatch, PreregLink  # noqa: F401
from webapp.regions.models import Kecamatan, Kelurahan  # noqa: F401
from webapp.reports.models import ReportCache  # noqa: F401
from webapp.schools.models import School  # noqa: F401
from webapp.sync.models import (  # noqa: F401
    Device,
    RejectedEvent,
    StudentAlias,
    StudentState,
    SyncConflict,
    SyncEvent,
)
from webapp.visits.models import Student, Visit  # noqa: F401
