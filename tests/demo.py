"""The demo province, loaded once per test session for every test that asks for `demo`.

Loading it costs seconds; fifty tests read it. The tests that ask for `demo` are run first and one
after the other; the demo is loaded inside an outer transaction before the first of them, each
test runs in a savepoint of its own (pytest-django's `db`), and the outer transaction is rolled
back after the last of them, so the tests that follow find the empty database they expect.
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

FIXTURE = "demo"


@dataclass
class Demo:
    """What a demo test may read besides the database: what load_demo printed, where it filed."""

    output: str
    media_root: str


class _Loaded:
    """The outer transaction and the settings that hold while the demo tests run."""

    def __init__(self, blocker, media_root):
        self.blocker = blocker
        self.settings = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=media_root,
        )
        self.atomic = transaction.atomic()
        self.closed = False

    def open(self) -> str:
        self.settings.enable()
        with self.blocker.unblock(), translation.override("vi"):
            self.atomic.__enter__()
            out = StringIO()
            call_command("load_demo", stdout=out)
        return out.getvalue()

    def close(self):
        if self.closed:
            return
        self.closed = True
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.settings.disable()


_loaded: list[_Loaded] = []


def uses_demo(item) -> bool:
    return FIXTURE in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    media_root = str(tmp_path_factory.mktemp("demo-media"))
    loaded = _Loaded(django_db_blocker, media_root)
    output = loaded.open()
    _loaded.append(loaded)
    yield Demo(output=output, media_root=media_root)
    loaded.close()


@pytest.fixture(autouse=True)
def _demo_still_loaded(request):
    """A demo test run after the demo was rolled back would read an empty database: refuse."""
    if uses_demo(request.node) and _loaded and _loaded[0].closed:
        pytest.fail("the demo tests must run one after the other (tests/demo.py orders them)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the demo tests first, one after the other (a stable sort keeps pytest-django's order of
    the others: the demo tests are plain database tests, which it runs first anyway)."""
    items.sort(key=lambda item: not uses_demo(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _loaded and (nextitem is None or not uses_demo(nextitem)):
        _loaded[0].close()
    return result
