"""The field officer's app (PWA pages)."""
