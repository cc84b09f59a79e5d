"""Operations: security headers, throttling, proxies, request logs, backups, production checks (docs/deploy.md)."""


def install(app):
    """Wire every operations concern into the app (called once by the factory)."""
    from webapp.ops import assets, commands, headers, logs, proxy

    logs.install(app)
    headers.install(app)
    proxy.install(app)
    assets.install(app)
    commands.register(app)
