"""Slow work off the request path: a Huey job queue, its jobs and their cached files (docs/jobs.md)."""
