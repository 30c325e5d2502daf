"""`/api/v1/audit`: the audit log for auditors and administrators."""
