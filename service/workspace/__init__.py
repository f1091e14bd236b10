"""The workspace: associations, their validation snapshots, jobs and the audit log,
kept in the database (SQLite by default, PostgreSQL by URL)."""
