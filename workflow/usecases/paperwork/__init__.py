"""Paper in and out: the Word filings (documents), the xlsx rosters, and the Excel import of
dossiers in flight. Every column and material list is derived from the procedure's
declarations (`states/`), so that a new act of the procedure appears in them by itself."""
