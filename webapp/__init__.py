"""Jemput web app: school e-KTP recording visits for Dinas Dukcapil."""
