"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore (docs/deploy.md#backups)."""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path


class BackupError(RuntimeError):
    """The backup or restore tool failed; the message says why."""


def _sqlite_path(url):
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return Path(url.database)


def _pg_args(url):
    """libpq connection string and environment (the password in PGPASSWORD, never on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    # A database kept in one schema (search_path in the URL's options): dump and restore only that schema.
    options = url.query.get("options", "")
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else None
    return conninfo, env, ([f"--schema={schema}"] if schema else [])


def _run(command, env):
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup(url, path):
    """Write a consistent copy of the database at SQLAlchemy `url` to `path` while the app runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source, target = sqlite3.connect(_sqlite_path(url)), sqlite3.connect(path)
        try:
            with target:
                source.backup(target)  # page by page, consistent even while others write
        finally:
            source.close()
            target.close()
    else:
        conninfo, env, schema = _pg_args(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *schema, f"--file={path}",
              f"--dbname={conninfo}"], env)
    path.chmod(0o600)  # it holds personal data
    return path


def restore(url, path):
    """Replace the content of the database at `url` with the backup at `path` (the app stopped)."""
    if url.get_backend_name() == "sqlite":
        source, target = sqlite3.connect(path), sqlite3.connect(_sqlite_path(url))
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        conninfo, env, schema = _pg_args(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              *schema, f"--dbname={conninfo}", str(path)], env)
