"""Alembic's environment: migrations run on the connection `service.migrations.upgrade`
hands over (never from an alembic.ini URL), in batch mode so SQLite can alter tables."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
