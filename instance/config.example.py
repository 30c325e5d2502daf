# Copy to instance/config.py (not under version control) and adjust.
# The environment variables RECRUITFLOW_DATABASE_URL and RECRUITFLOW_TIMEZONE override these.

# Any SQLAlchemy URL; without it, instance/recruitflow.sqlite3.
# DATABASE_URL = "postgresql+psycopg://recruitflow@db.example/recruitflow"

# The service's timezone decides what "today" is for every date rule.
# TIMEZONE = "Asia/Shanghai"

# A province's or committee's own numbers for the built-in rulebook (GET /api/v1/workflow
# lists every setting and its value).
# RULEBOOK_OVERRIDES = {"publicity_working_days": 7}

# A new rulebook version, in force from its date; acts before it keep the old rules.
# RULEBOOK_VERSIONS = [
#     {"id": "2027", "effective_from": "2027-01-01", "title": "…", "base": "2014",
#      "publicity_working_days": 5},
# ]
