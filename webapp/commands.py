"""Flask CLI: init-db, load-regions, seed-demo, create-user, purge-expired, refold."""
import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, select

from webapp.extensions import db


def register(app):
    from webapp.schools.commands import import_schools

    for command in (init_db, load_regions_cmd, seed_demo, create_user, purge_expired_cmd,
                    import_schools, refold_cmd, worker_cmd):
        app.cli.add_command(command)


@click.command("init-db")
def init_db():
    """Create or upgrade the database schema (migrations) and load the regions."""
    from webapp.regions.loader import load_regions

    upgrade(revision="heads")
    kec, kel = load_regions()
    click.echo(f"Database ready: {kec} kecamatan, {kel} kelurahan.")


@click.command("load-regions")
@click.argument("path", required=False)
def load_regions_cmd(path):
    """Load a region seed CSV (code,name); Kota Cilegon by default."""
    from webapp.regions.loader import load_regions

    kec, kel = load_regions(path)
    click.echo(f"Loaded {kec} kecamatan and {kel} kelurahan.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def seed_demo(if_empty):
    """Fill the database with fictional demo data for Kota Cilegon."""
    from webapp.auth.models import User
    from webapp.demo import seed

    if db.session.execute(select(func.count(User.id))).scalar_one():
        if if_empty:
            from webapp.demo import ACCOUNTS, DEMO_PASSWORD

            click.echo("Demo data already present; database left as it is.")
            click.echo(f"Demo logins (password: {DEMO_PASSWORD}): " + ", ".join(a[0] for a in ACCOUNTS))
            click.echo("A coordinator makes a new pre-registration link on the visit's page.")
            return
        raise click.ClickException("The database already has users; seed-demo wants a new database.")
    summary = seed(current_app.config)
    click.echo(summary)


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(["officer", "coordinator", "admin"]), required=True)
@click.option("--team", "team_name", help="Team name (required for officers; created if new).")
@click.password_option()
def create_user(username, full_name, role, team_name, password):
    """Create a user account."""
    from webapp.auth import services
    from webapp.auth.models import Team

    team_id = None
    if team_name:
        team = db.session.execute(select(Team).where(Team.name == team_name)).scalar_one_or_none()
        team_id = (team or services.save_team(None, name=team_name)).id
    if role == "officer" and team_id is None:
        raise click.BadParameter("an officer needs --team", param_hint="--team")
    try:
        services.save_user(None, username=username, full_name=full_name, role=role,
                           team_id=team_id, password=password, active=True)
    except services.AccountError as exc:
        raise click.ClickException(exc.code) from exc
    click.echo(f"User {username} created.")


@click.command("purge-expired")
def purge_expired_cmd():
    """Delete students' personal data of visits closed more than RETENTION_DAYS ago (run daily)."""
    from webapp.clock import utcnow
    from webapp.retention import purge_expired

    days = current_app.config["RETENTION_DAYS"]
    done = purge_expired(utcnow(), days)
    click.echo(f"Purged {len(done)} visit(s) closed more than {days} days ago: {done}")


@click.command("refold")
@click.option("--visit", "visit_id", type=int, help="Only this visit (default: every visit).")
def refold_cmd(visit_id):
    """Recompute derived state from every stored event (syncs update it incrementally)."""
    from webapp.sync.services import refold_visits

    for vid, version in refold_visits(visit_id):
        click.echo(f"visit {vid}: state version {version}")


@click.command("worker")
@click.option("--workers", type=int, help="Worker threads (default JOBS_WORKERS).")
def worker_cmd(workers):
    """Run the job queue's worker (report and slips PDFs); `make run` starts one."""
    from webapp.jobs.queue import jobs

    jobs.consumer(workers or current_app.config["JOBS_WORKERS"]).run()
