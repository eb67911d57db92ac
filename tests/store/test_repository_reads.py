"""What a transaction reads once (issue #10: a draw read the person's roles four times and
the site's settings three): a site by its code, the roles a user holds at a site and a site's
setting values are read once per transaction, and read anew after a role or a setting is
added through the repository, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.models import Membership, SiteSetting
from nucmed.vocabulary import Role
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
