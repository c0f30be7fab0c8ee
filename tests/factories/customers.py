"""Factories for the customers app."""
