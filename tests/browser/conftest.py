# The portal fixtures (a real uvicorn server on a free port, a case) are shared.
from tests.portal.conftest import case, portal, start_portal  # noqa: F401
