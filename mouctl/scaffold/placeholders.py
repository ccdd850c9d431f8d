"""The example values `mouctl init` writes, found again before a release.

A scaffolded network validates at once, so its fictional people and example
e-mail addresses would otherwise reach a signed MoU without a word. Addresses at
the domains reserved for examples (RFC 2606) and the people `init` invents are
reported; `release` warns about each before it tags.
"""

from __future__ import annotations

import re

# Domains reserved for documentation: no real partner has an address there.
_EXAMPLE_DOMAIN = re.compile(r"@(?:[\w-]+\.)*example\.(?:org|net|com)$", re.IGNORECASE)
_SCAFFOLD = ("network.yaml.j2",)


def invented_people() -> set[str]:
    """The names of the people `init` writes (contacts and signatories)."""
    from mouctl import scaffold

    names = {"Maria Keller", "Thomas Brandt"}
    for _country, _city, _school, contact, signatory in scaffold._ABROAD.values():
        names |= {contact, signatory}
    return names


def find(network) -> list[str]:
    """Each example value still in `network`, as `partners[0].contact.email: ...`."""
    people = invented_people()
    found = []
    for i, partner in enumerate(network.partners):
        for field in ("email",):
            value = getattr(partner, field, None)
            if value and _EXAMPLE_DOMAIN.search(value):
                found.append(f"partners[{i}].{field}: {value} (an example address)")
        for role in ("contact", "signatory"):
            person = getattr(partner, role, None)
            if person is None:
                continue
            if person.name in people:
                found.append(f"partners[{i}].{role}.name: {person.name} (the example "
                             "person from `mouctl init`)")
            if person.email and _EXAMPLE_DOMAIN.search(person.email):
                found.append(f"partners[{i}].{role}.email: {person.email} (an example "
                             "address)")
    return found
