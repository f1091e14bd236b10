"""Render: documents from templates.  One sandboxed Jinja environment, Russian
office filters, cached compiled templates, bounded renders."""
