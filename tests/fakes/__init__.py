"""Local fakes of the services we cannot reach from tests (Twilio's REST API)."""
