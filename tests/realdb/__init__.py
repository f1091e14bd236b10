"""The service on real servers: PostgreSQL (MO_DOCS_DATABASE_URL) and Redis
(MO_DOCS_QUEUE_URL), each started by the fixtures in conftest.py from the Debian
packages that scripts/system-deps.sh installs."""
