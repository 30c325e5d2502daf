"""The domain: the procedure's rules, the state machine, rulebooks, calendars and dates, the
dossier and the audit entry. It imports only the standard library, `transitions` and the
procedure's declarations in `states/`; never the use cases, the store or the web."""
