"""Persistence: SQLAlchemy models, Alembic migrations, PII encryption, portfolio import."""
