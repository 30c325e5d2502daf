"""`/api/v1/rosters`: dossiers, the registry and the eligibility lists as xlsx."""
