"""Settings from the environment."""
import pytest

from webapp import settings


def test_sqlite_default_in_instance(tmp_path):
    assert settings.database_url({}, tmp_path) == f"sqlite:///{tmp_path / 'jemput.db'}"


@pytest.mark.parametrize("raw", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgres_urls_use_psycopg3(raw, tmp_path):
    assert settings.database_url({"DATABASE_URL": raw}, tmp_path) == "postgresql+psycopg://u@h/db"


def test_dev_secret_generated_once_and_reused(tmp_path):
    first = settings.secret_key({}, tmp_path, production=False)
    assert len(first) == 64
    assert settings.secret_key({}, tmp_path, production=False) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_secret_stops_with_clear_message(tmp_path):
    with pytest.raises(settings.ConfigError, match="SECRET_KEY is not set"):
        settings.load(tmp_path, {"JEMPUT_ENV": "production"})


def test_thresholds_and_agency_from_env(tmp_path):
    cfg = settings.load(tmp_path, {"MIN_RECORD_AGE": "15", "AGENCY_NAME": "DKCS Kota Cilegon",
                                   "RETENTION_DAYS": "90", "IDLE_TIMEOUT_MINUTES": "5"})
    assert cfg["MIN_RECORD_AGE"] == 15 and cfg["RETENTION_DAYS"] == 90
    assert cfg["AGENCY_NAME"] == "DKCS Kota Cilegon"
    assert cfg["PERMANENT_SESSION_LIFETIME"].total_seconds() == 300


def test_bad_number_names_the_variable(tmp_path):
    with pytest.raises(settings.ConfigError, match="MIN_CARD_AGE"):
        settings.load(tmp_path, {"MIN_CARD_AGE": "tujuh belas"})


def test_postgresql_pool_fits_a_request_that_takes_a_second_connection():
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://127.0.0.1/x",
              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}
    settings.size_pool(config, env={})
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 30}
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}
    settings.size_pool(sqlite, env={"DB_POOL_SIZE": "3"})
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
