"""Persistence: the schema, migrations, the repository and the unit of work.

The domain never imports from here; the service layer reaches the database only through
`UnitOfWork` and its `Repository`.
"""
