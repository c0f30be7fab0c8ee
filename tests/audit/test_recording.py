"""Entries are written with their change, and the model refuses to change or remove them."""

import pytest
from django.conf import settings
from django.db import transaction

from audit.hashing import GENESIS_HASH, keyed_entry_hash, unkeyed_entry_hash
from audit.models import AuditLog, AuditLogImmutable
from audit.services import audit_record
from pos_project.actors import Actor
from tests.audit.entries import record
from tests.factories.kernel import BusinessFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_an_entry_rolls_back_with_the_change_it_records(business):
    # given a change that fails after its entry was written
    with pytest.raises(Boom), transaction.atomic():
        business.name = "Renamed"
        business.save()
        audit_record(
            business=business,
            actor=Actor.system("Test suite"),
            event_type="business.updated",
            description="Renamed",
        )
        raise Boom
    # then neither the change nor its entry remains
    business.refresh_from_db()
    assert business.name == "Pharmacie Atlas"
    assert not AuditLog.objects.filter(business=business).exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    # the test's own transaction would hide the mistake, so this one runs in autocommit
    business = BusinessFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(
            business=business,
            actor=Actor.system("Test suite"),
            event_type="business.updated",
            description="x",
        )


def test_an_entry_captures_the_actor_and_links_to_the_previous_one(business, manager):
    # given an actor with a name and an address
    actor = Actor(user=manager, name="Nadia Manager", ip_address="192.168.1.100")
    # when two events are recorded
    first = record(business, actor=actor, event_data={"amount": "12.50"})
    second = record(business, actor=actor)
    # then the second links to the first and both hashes recompute from the stored rows
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    key = settings.AUDIT_HMAC_KEY
    assert keyed_entry_hash(first, key) == first.entry_hash
    assert keyed_entry_hash(second, key) == second.entry_hash
    assert (first.user_id, first.user_name, first.ip_address) == (
        manager.id,
        "Nadia Manager",
        "192.168.1.100",
    )


def test_each_business_has_its_own_chain(business, other_business):
    record(business)
    entry = record(other_business)
    assert entry.sequence == 1
    assert entry.previous_hash == GENESIS_HASH


def test_the_model_refuses_to_update_an_entry(business):
    entry = record(business)
    entry.description = "Nothing happened"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        AuditLog.objects.filter(pk=entry.pk).update(description="Nothing happened")
    entry.refresh_from_db()
    assert entry.description == "Test event"


def test_the_model_refuses_to_delete_an_entry(business):
    entry = record(business)
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditLog.objects.filter(pk=entry.pk).delete()
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_an_entry_is_keyed_so_its_plain_hash_does_not_reproduce_it(business):
    entry = record(business)
    entry.refresh_from_db()
    assert unkeyed_entry_hash(entry) != entry.entry_hash
    assert keyed_entry_hash(entry, "another-key-" + "x" * 40) != entry.entry_hash
