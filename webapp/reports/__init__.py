"""Coordinator dashboard, visit reports (PDF), exports, closing and follow-up visits."""
