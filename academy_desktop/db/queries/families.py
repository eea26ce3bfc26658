"""Family queries: duplicate-parent lookup, "New family" in one transaction, the family list.

A family is the parents and children joined by ``student_parent_relationships``; there
is no family table. Everything runs under the caller's RLS.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.students import FamilySummary, PersonRow
from academy_desktop.domain.validation import CleanFamily

_DUPLICATES = text("""
    select 'parent' as kind, p.id, p.first_name, p.last_name, p.phone, p.email::text as email,
           l.name as location_name, p.is_active,
           (select string_agg(s.first_name || ' ' || s.last_name, ', ' order by s.date_of_birth)
              from academy.student_parent_relationships r
              join academy.students s on s.id = r.student_id
             where r.parent_id = p.id) as family
      from academy.parents p
      join academy.locations l on l.id = p.location_id
     where p.phone = any(cast(:phones as text[]))
        or p.email = any(cast(:emails as extensions.citext[]))
     order by p.last_name, p.first_name""")


async def find_duplicate_parents(session: AsyncSession, phones: list[str],
                                 emails: list[str]) -> tuple[PersonRow, ...]:
    """Existing parents (in scope) with one of these E.164 phones or emails."""
    phones = [p for p in phones if p]
    emails = [e for e in emails if e]
    if not phones and not emails:
        return ()
    result = await session.execute(_DUPLICATES, {"phones": phones, "emails": emails})
    return tuple(PersonRow(**row) for row in result.mappings())


_NEW_PARENT = text("""
    insert into academy.parents (first_name, last_name, phone, email, date_of_birth, location_id)
    values (:first_name, :last_name, :phone, :email, :date_of_birth, :location_id)
    returning id""")

_NEW_CHILD = text("""
    insert into academy.students (first_name, last_name, date_of_birth, medical_notes,
                                  allergies, location_id)
    values (:first_name, :last_name, :date_of_birth, :medical_notes, :allergies, :location_id)
    returning id""")

_LINK = text("""
    insert into academy.student_parent_relationships
           (student_id, parent_id, relationship, is_primary_contact, is_emergency_contact,
            can_pickup)
    values (:student_id, :parent_id, cast(:relationship as academy.relationship_kind),
            :primary, :emergency, true)""")


async def create_family(session: AsyncSession, family: CleanFamily) -> tuple[UUID, ...]:
    """Insert parents (or link existing ones), children and their links; returns the
    children's ids. All or nothing: the runner rolls the session back on any error."""
    parent_ids: list[UUID] = []
    for parent in family.parents:
        if parent.link_to is not None:
            parent_ids.append(parent.link_to)
            continue
        parent_ids.append((await session.execute(_NEW_PARENT, {
            "first_name": parent.first_name, "last_name": parent.last_name,
            "phone": parent.phone, "email": parent.email,
            "date_of_birth": parent.date_of_birth, "location_id": family.location_id,
        })).scalar_one())
    child_ids: list[UUID] = []
    for child in family.children:
        child_id = (await session.execute(_NEW_CHILD, {
            "first_name": child.first_name, "last_name": child.last_name,
            "date_of_birth": child.date_of_birth, "medical_notes": child.medical_notes,
            "allergies": child.allergies, "location_id": family.location_id,
        })).scalar_one()
        child_ids.append(child_id)
        for index, (parent, parent_id) in enumerate(zip(family.parents, parent_ids, strict=True)):
            await session.execute(_LINK, {
                "student_id": child_id, "parent_id": parent_id,
                "relationship": parent.relationship, "primary": index == 0,
                "emergency": index == 0})
    return tuple(child_ids)


# A family is the parents who share children, shown once under its first active parent
# in name order (the lead). Parents are read in name order (parents_name_order_idx, 0020)
# and each is tested for being a lead until the page is full; then the page's families are
# decorated. Before, the lead test compared every parent with every other one and
# re-derived the family inside that comparison: 14 million sub-queries, 163 s for a desk
# of a 6,000-parent location. Balances come from academy.student_ledger_balances (kept
# equal to the ledger by trigger), not by reading every child's whole ledger.
_FAMILIES = text("""
    with lead as (
        select p.id, p.first_name, p.last_name, p.phone, p.email::text as email, p.location_id
          from academy.parents p
         where p.is_active
           and (cast(:ids as uuid[]) is null or p.id = any(cast(:ids as uuid[]))
                or p.id in (select r2.parent_id
                              from academy.student_parent_relationships r1
                              join academy.student_parent_relationships r2
                                on r2.student_id = r1.student_id
                             where r1.parent_id = any(cast(:ids as uuid[]))))
           and not exists (  -- an active parent of one of their children comes first
                select 1
                  from academy.student_parent_relationships r1
                  join academy.student_parent_relationships r2
                    on r2.student_id = r1.student_id
                  join academy.parents q on q.id = r2.parent_id
                 where r1.parent_id = p.id and q.is_active
                   and (q.last_name, q.first_name, q.id) < (p.last_name, p.first_name, p.id))
         order by p.last_name, p.first_name, p.id
         limit :limit),
    fam as materialized (  -- each array once, then used as a value
        select f.*,
               coalesce((select array_agg(distinct r2.parent_id)
                           from academy.student_parent_relationships r1
                           join academy.student_parent_relationships r2
                             on r2.student_id = r1.student_id
                          where r1.parent_id = f.id), array[f.id]) as members,
               array(select distinct r.student_id
                       from academy.student_parent_relationships r1
                       join academy.student_parent_relationships r2
                         on r2.student_id = r1.student_id
                       join academy.student_parent_relationships r
                         on r.parent_id = r2.parent_id
                      where r1.parent_id = f.id) as kids
          from lead f)
    select f.id as parent_id, f.first_name, f.last_name, f.phone, f.email,
           l.name as location_name, l.currency::text as currency, f.members as parent_ids,
           (select coalesce(array_agg(q.first_name || ' ' || q.last_name
                                      order by q.last_name, q.first_name), '{}')
              from academy.parents q
             where q.id = any(f.members) and q.id <> f.id and q.is_active) as other_parents,
           (select coalesce(array_agg(s.first_name || ' ' || s.last_name
                                      order by s.date_of_birth, s.first_name), '{}')
              from academy.students s where s.id = any(f.kids)) as children,
           (select coalesce(sum(b.balance), 0)
              from academy.student_ledger_balances b where b.student_id = any(f.kids)) as balance
      from fam f
      join academy.locations l on l.id = f.location_id
     order by f.last_name, f.first_name, f.id""")


async def list_families(session: AsyncSession, parent_ids: list[UUID] | None = None,
                        limit: int = 500) -> tuple[FamilySummary, ...]:
    """One row per family (parents sharing children) with all the children and the family
    balance; ``parent_ids``: only the families with one of them."""
    result = await session.execute(_FAMILIES, {"ids": parent_ids, "limit": limit})
    return tuple(
        FamilySummary(row.parent_id, row.first_name, row.last_name, row.phone, row.email,
                      row.location_name, tuple(row.children), Decimal(row.balance),
                      tuple(row.other_parents), tuple(row.parent_ids), row.currency)
        for row in result)


async def link_parent(session: AsyncSession, student_id: UUID, parent_id: UUID,
                      relationship: str) -> None:
    """Link an existing parent to a student (authorised for pickup, not primary)."""
    await session.execute(text(
        "insert into academy.student_parent_relationships (student_id, parent_id, relationship)"
        " values (:student_id, :parent_id, cast(:relationship as academy.relationship_kind))"),
        {"student_id": student_id, "parent_id": parent_id, "relationship": relationship})


async def unlink_parent(session: AsyncSession, student_id: UUID, parent_id: UUID) -> None:
    """Remove the link (never the parent); NOT_FOUND when nothing was unlinked."""
    result = await session.execute(text(
        "delete from academy.student_parent_relationships"
        " where student_id = :student_id and parent_id = :parent_id"),
        {"student_id": student_id, "parent_id": parent_id})
    if not result.rowcount:  # type: ignore[attr-defined]
        raise UserFacingError(ErrorKind.NOT_FOUND)


async def import_families(session: AsyncSession, families: list[CleanFamily]) -> int:
    """Create every family of a CSV import in the caller's one transaction: a refused row
    (RLS, a CHECK) rolls the whole import back, so nothing is ever half-imported."""
    for family in families:
        await create_family(session, family)
    return len(families)
