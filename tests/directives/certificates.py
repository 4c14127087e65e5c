"""A throw-away certificate authority, made in the test, for signing official PDFs."""

from directives.throwaway_ca import DemoAuthority

PASSPHRASE = b"mat-khau-thu"


def make_authority() -> dict:
    """A throw-away CA and certificates bundled as PKCS#12: the signer "Nguyễn Công Danh"
    (``pkcs12``), the deputy "Trần Thị Lan" (``deputy_pkcs12``) and the agency
    (``agency_pkcs12``); ``other_ca`` is an unrelated root."""
    authority = DemoAuthority()
    other = DemoAuthority(common_name="CA khác")
    return {
        "ca": authority.certificate,
        "authority": authority,
        "pkcs12": authority.pkcs12("Nguyễn Công Danh", PASSPHRASE),
        "deputy_pkcs12": authority.pkcs12("Trần Thị Lan", PASSPHRASE),
        "agency_pkcs12": authority.pkcs12("Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu", PASSPHRASE),
        "other_ca": other.certificate,
    }
