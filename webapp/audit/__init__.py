"""Audit trail of who saw or exported personal data, and when (UU PDP)."""
