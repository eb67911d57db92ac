"""What a transaction reads once (issue #10: a draw read the person's roles four times and
the site's settings three): a site by its code, the roles a user holds at a site and a site's
setting values are read once per transaction, and read anew after a role or a setting is
added through the repository, in the same transaction; the holder of a token and the roles
they hold anywhere are read in one query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.models import AuthToken, Membership, SiteSetting
from nucmed.vocabulary import Role, SiteKind
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech


@contextmanager
def _statements(factory: SessionFactory) -> Iterator[list[str]]:
    seen: list[str] = []
    engine: Engine = factory.kw["bind"]

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_roles_are_read_once_and_again_after_a_grant(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        with _statements(factory) as seen:
            first = store.users.roles_at(tech.id, site.id)
            again = store.users.roles_at(tech.id, site.id)
        assert first == again == {Role.RADIOPHARMACIST}
        assert len(seen) == 1
        store.users.grant(Membership(user_id=tech.id, site_id=site.id, role=Role.PHYSICIST))
        assert store.users.roles_at(tech.id, site.id) == {Role.RADIOPHARMACIST, Role.PHYSICIST}


def test_a_changed_copy_of_the_roles_changes_nothing(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        store.users.roles_at(tech.id, site.id).add(Role.ADMIN)
        assert store.users.roles_at(tech.id, site.id) == {Role.RADIOPHARMACIST}


def test_settings_are_read_once_and_again_after_one_is_added(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, _ = site_and_tech(store)
        with _statements(factory) as seen:
            first = store.sites.current_values(site.id)
            store.sites.current_values(site.id)["late_entry_after_h"] = 1
            again = store.sites.current_values(site.id)
        assert first == again
        assert len(seen) == 1
        changed = SiteSetting(
            site_id=site.id, key="late_entry_after_h", value=48, source="test", set_at=T0
        )
        store.sites.add_setting(changed)
        assert store.sites.current_values(site.id)["late_entry_after_h"] == 48


def test_a_site_is_found_by_its_code_once(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, _ = site_and_tech(store)
        with _statements(factory) as seen:
            found = [store.sites.by_code(SITE.code) for _ in range(3)]
        assert found == [site, site, site]
        assert len(seen) == 1
        assert store.sites.by_code("NO-SUCH") is None


def test_a_site_found_by_its_id_is_then_found_by_its_code_unread(
    factory: SessionFactory,
) -> None:
    with transaction(factory) as store:
        site_id = site_and_tech(store)[0].id
    with transaction(factory) as store:
        with _statements(factory) as seen:
            by_id = store.sites.by_id(site_id)
            by_code = store.sites.by_code(SITE.code)
        assert by_id is not None and by_code is by_id
        assert len(seen) == 1


def _token(store: Store, user_id: int, digest: str, *, revoked: bool = False) -> None:
    store.tokens.add(
        AuthToken(
            user_id=user_id,
            kind="api",
            token_hash=digest,
            created_at=T0,
            expires_at=T0 + timedelta(hours=1),
            revoked_at=T0 if revoked else None,
        )
    )


def test_a_tokens_holder_and_roles_are_read_in_one_query(factory: SessionFactory) -> None:
    """Roles held at two sites, no role at all, a token revoked, expired or unknown."""
    with transaction(factory) as store:
        _, tech = site_and_tech(store)
        astana = SiteSpec("NM-AST", "Astana", SiteKind.DEPARTMENT, "Astana", "KZ", "Asia/Almaty")
        other = create_site(store, None, astana)
        store.users.grant(Membership(user_id=tech.id, site_id=other.id, role=Role.PHYSICIST))
        idle = create_user(store, None, NewUser("no.roles", "No roles", "correct horse b"), [])
        _token(store, tech.id, "a" * 64)
        _token(store, idle.id, "b" * 64)
        _token(store, tech.id, "c" * 64, revoked=True)
        with _statements(factory) as seen:
            held = store.tokens.live_with_holder("a" * 64, T0)
        assert len(seen) == 1
        assert held is not None
        assert (held[1].id, held[2]) == (tech.id, {Role.RADIOPHARMACIST, Role.PHYSICIST})
        bare = store.tokens.live_with_holder("b" * 64, T0)
        assert bare is not None and (bare[1].id, bare[2]) == (idle.id, frozenset())
        assert store.tokens.live_with_holder("c" * 64, T0) is None
        assert store.tokens.live_with_holder("a" * 64, T0 + timedelta(hours=2)) is None
        assert store.tokens.live_with_holder("d" * 64, T0) is None
