"""What a person may do at a site, for the pages to show only what they allow.

The pages hide the links and forms a person's roles at a site do not allow (a courtesy: the
service behind each refuses anyway). They read it here, from the same table the services
check (:data:`nucmed.services.permissions.PERMISSIONS`), as the values of the permissions
(``"hotlab.work"``), so that a template tests a flag: ``{% if "hotlab.work" in may %}``.
"""

from __future__ import annotations

from nucmed.services.auth import Identity
from nucmed.services.permissions import PERMISSIONS
from nucmed.services.uow import Database, transaction

__all__ = ["permissions_at"]


def permissions_at(database: Database, identity: Identity, code: str) -> frozenset[str]:
    """The permissions (their values) the person holds at the site with that code, through a
    role held there or everywhere; none at a site that does not exist.

    Parameters
    ----------
    database
        The installation's database.
    identity
        Who is signed in.
    code
        The site's code (``NM-ALA``).

    Returns
    -------
    frozenset of str
        Values of :class:`~nucmed.services.permissions.Permission` (``"hotlab.read"``).
    """
    with transaction(database, read_only=True) as store:
        site = store.sites.by_code(code)
        if site is None:
            return frozenset()
        held = store.users.roles_at(identity.user.id, site.id)
        return frozenset(p.value for p, roles in PERMISSIONS.items() if held & roles)
