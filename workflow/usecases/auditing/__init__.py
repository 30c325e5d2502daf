"""What auditors do with the audit log: verify its hash chains and checkpoints, query and
export it, and replay dossiers against the rulebook for a compliance report."""
