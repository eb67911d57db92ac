"""What the radiation-safety service tests share: the hot-lab test site with its technologist
and a radiation safety officer, and the identity of either as an API token resolves it."""

from __future__ import annotations

from collections.abc import Callable

from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import site_and_tech

People = Callable[[str], Identity]
"""The identity of ``"tech"`` or ``"rso"``."""


def tech_and_rso(database: Database, rso_username: str) -> People:
    """Create the test site, its technologist and an RSO named ``rso_username``; return how to
    get the identity of either (``"tech"`` or ``"rso"``)."""
    with transaction(database) as store:
        site, _ = site_and_tech(store)
        create_user(
            store, None, NewUser(rso_username, "Safety Officer", "correct horse battery"),
            [(Role.RSO, site)],
        )  # fmt: skip

    def identity(name: str) -> Identity:
        with transaction(database) as store:
            user = store.users.by_username({"tech": "tech.h", "rso": rso_username}[name])
            assert user is not None
            secret = issue_token(store, user, "api", 1.0)
        with transaction(database) as store:
            found = resolve_token(store, secret, "api")
        assert found is not None
        return found

    return identity
