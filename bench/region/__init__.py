"""`make bench-region`: a region of 1,000 associations on PostgreSQL, Redis and 1–4 worker processes (see __main__.py)."""
