"""The HTTP interface: app factory, blueprints, schemas, errors, auth. The only Flask code."""

from api.app import create_app

__all__ = ["create_app"]
