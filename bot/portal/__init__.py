"""The parent's upload page and the coordinator API (FastAPI, port 8000).

- links.py: signed, expiring upload links bound to one case (also used by the actions);
- gate.py: the child's-birth-date check with server-side try counts (per case);
- session.py: the page's signed cookie and CSRF tokens;
- uploads.py / dicom.py: streamed, type-checked uploads, ZIP limits, DICOM checks;
- bodies.py: small form bodies, capped and read only after the link check;
- proxies.py: the client's address (X-Forwarded-For only from TRUSTED_PROXIES);
- ids.py: which ids a database can hold (others are 404);
- consent.py: the versioned financial consent text and the exact words signed;
- pages.py / api.py / app.py: the routes and the app factory.
"""
