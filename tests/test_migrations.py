"""The start-up shortcut past Alembic is only right while HEAD names Alembic's own head."""
from alembic.config import Config
from alembic.script import ScriptDirectory

from kiosk.migrations import HEAD


def test_head_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", "kiosk:migrations")
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD]
