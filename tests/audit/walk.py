"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""

ROUTES = {}

EXEMPT = {}
