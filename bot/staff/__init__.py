"""Staff of the coordinator workspace: accounts and passwords (users.py, passwords.py),
sign-in with lockout (login.py), server-side sessions (sessions.py), the audit trail
(audit.py), the coordinator's hours (hours.py), the work queue (queue.py, due.py) and
the `python -m bot users ...` commands (cli.py). No web framework here."""
