"""`/api/v1/imports`: the import template, and the import of dossiers in flight."""
