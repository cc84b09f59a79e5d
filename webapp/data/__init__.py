"""Seed data files shipped with the app."""
