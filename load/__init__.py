"""`make load`: a load test and fault drills for hct on PostgreSQL (see load/run.py)."""
