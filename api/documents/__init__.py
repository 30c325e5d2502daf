"""`/api/v1/documents` and `/api/v1/applicants/<id>/documents`: the filings as Word files."""
