"""Persistence: SQLAlchemy models, engine set-up, the unit of work, migrations."""
