"""The contractor registry check (Amman's permit renewal): contractor number + permit number +
permit year → the contractor's name, or a refusal to show beside the form.

    result = registry_lookup(authority=amman, contractor_number="10231",
                             permit_number="٥٥٢١", permit_year="2025")
    if result.ok: result.permit.name
    else: form.add_error(result.field, result.message)   # field is None except for `invalid`

Each authority picks its connector (`Authority.registry_connector`): the table kept in the admin
(default) or a registry web service (`http`).
"""

import dataclasses

from majlis.catalogue.choices import RegistryConnectorKind
from majlis.catalogue.models import Authority
from majlis.catalogue.registry.base import (
    InvalidQuery,
    Permit,
    PermitQuery,
    Refusal,
    RegistryConnector,
    RegistryResult,
    RegistryUnavailable,
    is_expired,
    permit_query,
)
from majlis.catalogue.registry.http import HttpConnector
from majlis.catalogue.registry.table import TableConnector

__all__ = [
    "Permit",
    "PermitQuery",
    "Refusal",
    "RegistryConnector",
    "RegistryResult",
    "connector_for",
    "registry_lookup",
]

_CONNECTORS: dict[str, RegistryConnector] = {
    RegistryConnectorKind.TABLE: TableConnector(),
    RegistryConnectorKind.HTTP: HttpConnector(),
}


def connector_for(authority: Authority) -> RegistryConnector:
    return _CONNECTORS.get(authority.registry_connector, _CONNECTORS[RegistryConnectorKind.TABLE])


def registry_lookup(
    *, authority: Authority, contractor_number: object, permit_number: object, permit_year: object
) -> RegistryResult:
    """Check a permit in the authority's registry. Never raises for bad input or a down registry."""
    hijri = authority.show_hijri
    try:
        query = permit_query(
            authority=authority, contractor_number=contractor_number,
            permit_number=permit_number, permit_year=permit_year,
        )  # fmt: skip
    except InvalidQuery as exc:
        return RegistryResult(refusal=Refusal.INVALID, field=exc.field, hijri_allowed=hijri)
    try:
        permit = connector_for(authority).lookup(authority=authority, query=query)
    except RegistryUnavailable:
        # The connector has logged why; the citizen gets the same words whatever the reason.
        return RegistryResult(refusal=Refusal.UNAVAILABLE, hijri_allowed=hijri)
    if permit is None:
        return RegistryResult(refusal=Refusal.NOT_FOUND, hijri_allowed=hijri)
    if permit.expired or is_expired(permit.expires_on, authority):
        permit = dataclasses.replace(permit, expired=True)
        return RegistryResult(permit=permit, refusal=Refusal.EXPIRED, hijri_allowed=hijri)
    return RegistryResult(permit=permit, hijri_allowed=hijri)
