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
