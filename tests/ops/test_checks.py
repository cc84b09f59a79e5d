"""`flask check-production` refuses unsafe settings and passes a safe production configuration."""
from webapp.app import create_app
from webapp.ops.checks import check

SAFE = {"ENV_NAME": "production", "SECRET_KEY": "k" * 64, "PUBLIC_URL": "https://jemput.kota.go.id",
        "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True, "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "TRUSTED_PROXIES": 1,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/jemput"}


def test_a_safe_configuration_passes():
    assert check(SAFE) == ([], [])


def test_each_unsafe_setting_is_an_error():
    for unsafe in ({"ENV_NAME": "development"}, {"DEBUG": True}, {"SECRET_KEY": "test-secret"},
                   {"SECRET_KEY": "short"}, {"PUBLIC_URL": ""}, {"PUBLIC_URL": "http://jemput.kota.go.id"},
                   {"SESSION_COOKIE_SECURE": False}, {"CSP_SCRIPT_SRC_EXTRA": "'unsafe-eval'"},
                   {"RATELIMIT_ENABLED": False}):
        errors, _warnings = check({**SAFE, **unsafe})
        assert len(errors) == 1, unsafe


def test_risky_settings_are_warnings():
    for risky in ({"RATELIMIT_STORAGE_URI": "memory://"}, {"TRUSTED_PROXIES": 0},
                  {"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/jemput.db"}):
        errors, warnings = check({**SAFE, **risky})
        assert errors == [] and len(warnings) == 1, risky


def test_command_exit_codes(tmp_path):
    dev = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = dev.test_cli_runner().invoke(args=["check-production"])
    assert result.exit_code == 1 and "ERROR" in result.output
    prod = create_app({**SAFE, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = prod.test_cli_runner().invoke(args=["check-production"])
    assert result.exit_code == 0 and "Ready for production." in result.output
