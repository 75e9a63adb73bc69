"""The admin API: FastAPI app for supervisors, agents, auditors and admins."""
