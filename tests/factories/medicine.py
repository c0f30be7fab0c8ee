"""Factories for the medicine app."""
