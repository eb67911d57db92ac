"""Persistence: SQLAlchemy tables, repositories and Alembic migrations. No business rules.

Repositories add and read; they never commit. Services own the transaction.
"""

__all__: list[str] = []
