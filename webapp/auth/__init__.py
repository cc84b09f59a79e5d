"""Accounts, teams, roles, login and the admin pages that manage them."""
