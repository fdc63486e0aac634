import re

from bot.settings import ARC_COUNTIES, REPO_ROOT, Settings


def test_defaults_need_nothing_and_use_fictional_numbers():
    s = Settings.from_env({})
    assert s.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'intake.db'}"
    assert s.atlanta_area_counties == ARC_COUNTIES and len(ARC_COUNTIES) == 11
    assert s.max_child_age == 21
    for number in (s.coordinator_phone, s.scheduling_phone):
        assert re.fullmatch(r"\d{3}-555-01\d\d", number)


def test_environment_overrides():
    s = Settings.from_env({"DATABASE_URL": "postgresql://u:p@db/intake", "MAX_CHILD_AGE": "18",
                           "ATLANTA_AREA_COUNTIES": "Fulton, DeKalb", "HOME_STATE": "ga",
                           "COORDINATOR_PHONE": ""})
    assert s.database_url == "postgresql://u:p@db/intake"
    assert s.max_child_age == 18
    assert s.atlanta_area_counties == ("Fulton", "DeKalb")
    assert s.home_state == "GA"
    assert s.coordinator_phone == Settings().coordinator_phone  # empty means default


def test_relative_sqlite_path_is_anchored_to_the_repo():
    assert Settings.from_env({"DATABASE_URL": "sqlite:///var/x.db"}).database_url == \
        f"sqlite:///{REPO_ROOT / 'var' / 'x.db'}"


def test_env_example_documents_every_variable():
    example = (REPO_ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    source = (REPO_ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.get\(|\[)"([A-Z_]+)"', source))
    assert read and read <= documented


def test_tests_never_read_the_developers_env(monkeypatch, tmp_path):
    import os
    import subprocess

    # tests/conftest.py points ENV_FILE at /dev/null and drops every documented variable.
    assert os.environ["ENV_FILE"] == os.devnull
    assert not any(k.startswith(("TWILIO_", "SMTP_")) for k in os.environ)
    assert Settings.from_env().twilio_account_sid is None
    # ENV_FILE is honoured (so pointing it at /dev/null really hides .env), and the
    # environment still wins over the file; quoted values keep their spaces.
    env_file = tmp_path / "dev.env"
    env_file.write_text('TWILIO_ACCOUNT_SID=ACreal\nCOORDINATOR_SCHEDULE="mon-fri 09:00-17:00"\n'
                        "SMTP_HOST=smtp.example.org\n")
    monkeypatch.setenv("ENV_FILE", str(env_file))
    monkeypatch.setenv("SMTP_HOST", "localhost")
    s = Settings.from_env()
    assert s.twilio_account_sid == "ACreal" and s.smtp_host == "localhost"
    assert s.coordinator_hours == "Monday to Friday, 9 a.m. to 5 p.m."
    # The old free-text variable cannot make the two disagree any more: it is ignored.
    assert Settings.from_env({"COORDINATOR_HOURS": "Sundays only"}).coordinator_hours == \
        "Monday to Friday, 8 a.m. to 5 p.m."
    # And the test suite's own conftest really cleans: a child pytest process started with
    # Twilio in its environment sees none of it.
    probe = tmp_path / "test_probe.py"
    probe.write_text("import os\n\ndef test_probe():\n"
                     "    assert 'TWILIO_AUTH_TOKEN' not in os.environ\n")
    (tmp_path / "conftest.py").write_text((REPO_ROOT / "tests" / "conftest.py").read_text())
    result = subprocess.run([str(REPO_ROOT / ".venv/bin/python"), "-m", "pytest", "-q",
                             "-p", "no:cacheprovider", str(probe)], cwd=tmp_path,
                            env={**os.environ, "TWILIO_AUTH_TOKEN": "secret"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_make_env_creates_a_private_env_with_fresh_secrets(tmp_path):
    import stat
    import subprocess

    target = tmp_path / ".env"
    for _ in range(2):  # a second run keeps what is there
        subprocess.run([str(REPO_ROOT / "scripts" / "make-env"), str(target)], check=True,
                       capture_output=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    values = dict(line.split("=", 1) for line in target.read_text().splitlines()
                  if line and not line.startswith("#"))
    tokens = [values[k] for k in ("RASA_AUTH_TOKEN", "COORDINATOR_API_TOKEN",
                                  "ACTION_SERVER_TOKEN")]
    assert len(set(tokens)) == 3 and all(len(t) >= 32 for t in tokens)
    assert Settings.from_env(values).coordinator_hours == Settings().coordinator_hours
    # An older .env, readable by everyone and without the action server's secret.
    old = tmp_path / "old.env"
    old.write_text("RASA_AUTH_TOKEN=kept\n")
    old.chmod(0o644)
    subprocess.run([str(REPO_ROOT / "scripts" / "make-env"), str(old)], check=True,
                   capture_output=True)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert "RASA_AUTH_TOKEN=kept" in old.read_text()
    assert "ACTION_SERVER_TOKEN=" in old.read_text()
