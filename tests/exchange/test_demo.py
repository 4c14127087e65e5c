"""The demo's two departments can exchange documents with each other (exchange/demo.py)."""

from django.core.management import call_command

from directives.permissions import can_register_incoming
from units.models import Agency, Organisation, User
from units.roles import Role


def test_the_demo_has_a_peer_department_each_addressable_by_its_identity(db):
    call_command("seed_demo")
    home, peer = Agency.objects.get(abbreviation="SKHCN"), Agency.objects.get(abbreviation="STTTT")
    assert home.exchange_id and peer.exchange_id and home.exchange_id != peer.exchange_id
    # Each is an outside organisation of the other, with the other's identity.
    assert Organisation.objects.get(name=peer.name).exchange_id == peer.exchange_id
    assert Organisation.objects.get(name=home.name).exchange_id == home.exchange_id
    clerk = User.objects.get(username="stttt.vanthu")
    assert clerk.agency == peer and can_register_incoming(clerk) and clerk.check_password("demo12345")
    assert User.objects.get(username="stttt.giamdoc").has_role(Role.DIRECTOR)
