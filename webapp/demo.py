"""Fictional demo data for Kota Cilegon: accounts, schools, visits, students."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from webapp.auth.models import Team, User
from webapp.extensions import db
from webapp.regions.models import Kelurahan
from webapp.schools.models import School
from webapp.visits.models import Student, Visit

DEMO_PASSWORD = "demo12345"
ACCOUNTS = [
    ("petugas1", "Rina Marlina", "officer", 0),
    ("petugas2", "Agus Setiawan", "officer", 0),
    ("petugas3", "Dedi Kurniawan", "officer", 1),
    ("koordinator", "Sri Wahyuni", "coordinator", None),
    ("admin", "Admin Jemput", "admin", None),
]
SCHOOLS = [  # fictional NPSNs
    ("69900101", "SMA Negeri Demo 1 Cilegon", "SMA", "36.72.02.1002"),
    ("69900102", "SMA Negeri Demo 2 Cilegon", "SMA", "36.72.05.1003"),
    ("69900103", "SMK Negeri Demo 1 Cilegon", "SMK", "36.72.08.1007"),
    ("69900104", "SMK Demo Krakatau", "SMK", "36.72.04.1003"),
    ("69900105", "MA Demo Al-Khairiyah", "MA", "36.72.06.1002"),
    ("69900106", "SMA Demo Pulomerak", "SMA", "36.72.03.1004"),
]
FIRST_L = ["Ahmad", "Budi", "Dimas", "Fajar", "Rizky", "Hendra", "Ilham", "Yusuf", "Bayu", "Aldi",
           "Reza", "Farhan", "Galih", "Iqbal", "Naufal", "Rafi", "Surya", "Taufik", "Wahyu", "Zaki"]
FIRST_P = ["Siti", "Dewi", "Putri", "Nurul", "Ayu", "Fitri", "Indah", "Lestari", "Rahma", "Salsa",
           "Tiara", "Wulan", "Zahra", "Anisa", "Citra", "Dinda", "Intan", "Nabila", "Ratna", "Yuni"]
LAST = ["Pratama", "Saputra", "Hidayat", "Kurniawan", "Nugroho", "Permana", "Ramadhan", "Santoso",
        "Wijaya", "Firmansyah", "Maulana", "Rahmawati", "Anggraini", "Handayani", "Puspita",
        "Safitri", "Sulistyo", "Hakim", "Fauzi", "Syahputra"]
CLASSES = ["XI IPA 1", "XI IPA 2", "XI IPS 1", "XII IPA 1", "XII IPA 2", "XII IPS 1"]


def make_nik(rng, kel_code, birth, gender, used):
    """A NIK that is valid in form: region, DDMMYY (+40 for women), serial >= 0001."""
    region = kel_code.replace(".", "")[:6]
    day = birth.day + (40 if gender == "P" else 0)
    while True:
        nik = f"{region}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"
        if nik not in used:
            used.add(nik)
            return nik


def make_students(rng, visit, kelurahan, count, used):
    """`count` fictional students aged about 15.5 to 18 on the visit date."""
    students = []
    for i in range(count):
        gender = rng.choice("LP")
        first = rng.choice(FIRST_L if gender == "L" else FIRST_P)
        birth = visit.date - timedelta(days=rng.randint(int(15.6 * 365), int(18.2 * 365)))
        kel = rng.choice(kelurahan)
        nik = make_nik(rng, kel, birth, gender, used)
        issue = birth + timedelta(days=rng.randint(30, 3000))
        kk = f"{nik[:6]}{issue:%d%m%y}{rng.randint(1, 9999):04d}"
        students.append(Student(
            visit=visit, name=f"{first} {rng.choice(LAST)}", nik=nik, kk=kk,
            nisn=f"{rng.randint(0, 99_999_999):010d}", nipd=f"{2300 + i}", gender=gender,
            birth_place=rng.choice(["Cilegon", "Serang", "Jakarta", "Pandeglang"]),
            birth_date=birth, class_name=rng.choice(CLASSES), kelurahan_code=kel,
            consent=rng.random() > 0.05, source=rng.choice(["prereg", "import", "import"]),
        ))
    return students


def _run_closed_visit(visit, team):
    """The closed visit gets a whole day of synced phone events, then closes (absent)."""
    from webapp.sync.services import lock_visit, refold
    from webapp.sync.simulate import simulate_visit

    visit.status = "open"
    db.session.commit()
    simulate_visit(visit, team.members)
    visit = lock_visit(visit.id)
    visit.status = "closed"
    refold(visit)
    db.session.commit()


def seed(config, today=None, rng_seed=17):
    """Create the demo world; return a summary with the demo logins."""
    rng = random.Random(rng_seed)
    today = today or date.today()
    teams = [Team(name="Tim Jemput Bola 1"), Team(name="Tim Jemput Bola 2")]
    db.session.add_all(teams)
    for username, full_name, role, team in ACCOUNTS:
        user = User(username=username, full_name=full_name, role=role,
                    team=teams[team] if team is not None else None)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    schools = [School(npsn=n, name=name, level=lvl, kelurahan_code=kel) for n, name, lvl, kel in SCHOOLS]
    db.session.add_all(schools)
    kelurahan = db.session.execute(select(Kelurahan.code)).scalars().all()
    plans = [  # (school, days from today, team, status, students)
        (0, 0, 0, "open", 180),
        (1, 7, 0, "planned", 60),
        (2, -14, 0, "closed", 120),
        (3, 3, 1, "planned", 40),
    ]
    used, visits = set(), []
    for school, offset, team, status, count in plans:
        visit = Visit(school=schools[school], date=today + timedelta(days=offset), team=teams[team],
                      stations=3 if count > 100 else 2, status=status, target=count)
        db.session.add(visit)
        db.session.add_all(make_students(rng, visit, kelurahan, count, used))
        visits.append(visit)
    db.session.commit()
    _run_closed_visit(visits[2], teams[0])
    lines = ["Demo data for Kota Cilegon created.", f"Demo logins (password: {DEMO_PASSWORD}):"]
    lines += [f"  {u:<12} {r}" for u, _, r, _ in ACCOUNTS]
    from webapp.prereg.links import create_link, link_url  # the upcoming visit's school link

    coordinator = db.session.execute(
        select(User).where(User.username == "koordinator")).scalar_one()
    _link, token = create_link(visits[1], by_user=coordinator)
    lines.append(f"Pre-registration link for {visits[1].school.name} (PIC Sekolah, no login): "
                 f"http://127.0.0.1:{config.get('PORT', 5000)}{link_url(token)}")
    return "\n".join(lines)
