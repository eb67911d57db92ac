"""Where a hot-lab record is: the site of a material, as the interfaces show it.

An interface needs the site's time zone to read a time typed without an offset; a form posted
about a material gets it from :func:`material_site` after the permission check the use case
itself will make (a form about a site uses :func:`nucmed.services.sites.site_view`).
"""

from __future__ import annotations

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import Material

__all__ = ["material_site"]


def material_site(
    database: Database, identity: Identity, material_id: int, permission: Permission
) -> SiteView:
    """The site of a material, if the person holds ``permission`` there.

    Raises
    ------
    NotFoundError
        There is no such material.
    AccessDeniedError
        The person's roles at its site do not grant ``permission``.
    """
    with transaction(database, read_only=True) as store:
        site, _ = row_at_site(store, identity, Material, material_id, permission)
        return view_of_site(site)
