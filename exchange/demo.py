"""The demo's exchange: a second department of the same installation to send to and receive from.

Sở Thông tin và Truyền thông runs in the same portal as the demo Sở Khoa học và Công nghệ; each
has an electronic identity, and each is an outside organisation of the other with that identity,
so issuing a document addressed to it sends it over the exchange (same-installation transport).
Idempotent like units.demo: rows are found by their natural keys and created only when missing.
"""

from django.db import transaction

from units import demo as units_demo
from units import services
from units.models import Agency, Organisation, Unit, User
from units.roles import Role

# Identifiers in the shape of Decision 20/2020/QĐ-TTg; illustrative, not the province's real codes.
HOME_ID = "000.00.21.H02"
PEER_ID = "000.00.22.H02"

PEER = {
    "abbreviation": "STTTT",
    "name": "Sở Thông tin và Truyền thông",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "place_name": "Bà Rịa - Vũng Tàu",
    "exchange_id": PEER_ID,
}
PEER_UNITS = [
    ("VP", "Văn phòng Sở", Unit.Kind.VAN_PHONG),
    ("BCVT", "Phòng Bưu chính, Viễn thông", Unit.Kind.PHONG),
]
# (user name, full name, roles, title, unit, position, heads the unit)
PEER_PEOPLE = [
    ("stttt.giamdoc", "Trịnh Quang Vinh", [Role.DIRECTOR], "Giám đốc", None, "", False),
    ("stttt.vanthu", "Lương Thị Hồng", [Role.CLERK, Role.STAFF], "", "VP", "Văn thư", False),
    ("stttt.truongphong", "Văn Đức Thịnh", [Role.UNIT_HEAD, Role.STAFF], "", "BCVT", "Trưởng phòng", True),
    ("stttt.chuyenvien", "Hà Minh Châu", [Role.STAFF], "", "BCVT", "Chuyên viên", False),
]


@transaction.atomic
def seed_exchange() -> Agency:
    """Give the demo department its identity and seed its peer; answer the peer."""
    home = Agency.objects.get(abbreviation=units_demo.AGENCY["abbreviation"])
    if not home.exchange_id:
        home.exchange_id = HOME_ID
        home.save(update_fields=["exchange_id"])
    peer, _ = Agency.objects.get_or_create(abbreviation=PEER["abbreviation"], defaults=PEER)
    units = {
        abbreviation: Unit.objects.get_or_create(
            agency=peer, abbreviation=abbreviation, defaults={"name": name, "kind": kind}
        )[0]
        for abbreviation, name, kind in PEER_UNITS
    }
    existing = set(User.objects.filter(username__in=[p[0] for p in PEER_PEOPLE]).values_list("username", flat=True))
    for username, full_name, roles, title, unit, position, is_head in PEER_PEOPLE:
        if username in existing:
            continue
        user = services.person_save(
            username=username,
            full_name=full_name,
            agency=peer,
            email=f"{username}@stttt.example.vn",
            title=title,
            roles=roles,
            password=units_demo.DEMO_PASSWORD,
        )
        if unit:
            services.membership_save(user=user, unit=units[unit], position=position, is_head=is_head)
    # Each department is an outside organisation of the other, with the other's identity.
    for agency, identity in ((peer, peer.exchange_id), (home, home.exchange_id)):
        organisation = Organisation.objects.filter(name=agency.name).first()
        if organisation is None:
            Organisation.objects.create(name=agency.name, abbreviation=agency.abbreviation, exchange_id=identity)
        elif not organisation.exchange_id:
            organisation.exchange_id = identity
            organisation.save(update_fields=["exchange_id"])
    return peer
