"""The parent's upload page and the coordinator API (FastAPI, port 8000).

- links.py: signed, expiring upload links bound to one case (also used by the actions);
- gate.py: the child's-birth-date check with server-side try counts;
- session.py: the page's signed cookie and CSRF tokens;
- uploads.py / dicom.py: streamed, type-checked uploads and DICOM header checks;
- consent.py: the versioned financial consent text;
- pages.py / api.py / app.py: the routes and the app factory.
"""
