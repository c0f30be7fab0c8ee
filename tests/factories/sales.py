"""Factories for the sales app."""
