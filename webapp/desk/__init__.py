"""The coordinator's desk: live visit page, corrections, recap (docs/desk.md)."""
