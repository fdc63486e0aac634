"""Intake assistant for the pediatric orthopedic second-opinion document review."""
