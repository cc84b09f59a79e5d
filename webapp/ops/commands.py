"""Operations commands: `flask backup`, `flask restore`, `flask check-production` (docs/deploy.md)."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.clock import utcnow
from webapp.extensions import db


def register(app):
    for command in (backup_cmd, restore_cmd, check_production_cmd):
        app.cli.add_command(command)


@click.command("backup")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_cmd(path):
    """Write a consistent copy of the database (SQLite backup API, or pg_dump) to PATH."""
    from webapp.ops import backup

    url = db.engine.url
    if path is None:
        folder = Path(current_app.instance_path) / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".sqlite3" if url.get_backend_name() == "sqlite" else ".dump"
        path = folder / f"jemput-{utcnow():%Y%m%d-%H%M%S}{suffix}"
    backup.backup(url, path)
    click.echo(f"Backup written: {path}")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the database's content with the backup's.")
def restore_cmd(path, yes):
    """Replace the database's content with a backup made by `flask backup` (stop the app first)."""
    from webapp.ops import backup

    if not yes:
        click.confirm(f"Replace everything in the database with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()
    backup.restore(db.engine.url, path)
    db.engine.dispose()
    click.echo(f"Restored from {path}")


@click.command("check-production")
@with_appcontext
def check_production_cmd():
    """Refuse unsafe production settings: exit 1 listing each problem (warnings do not fail)."""
    from webapp.ops.checks import check

    errors, warnings = check(current_app.config)
    for text in errors:
        click.echo(f"ERROR   {text}")
    for text in warnings:
        click.echo(f"WARNING {text}")
    if errors:
        click.echo(f"{len(errors)} unsafe setting(s): not ready for production.")
        sys.exit(1)
    click.echo("Ready for production.")
