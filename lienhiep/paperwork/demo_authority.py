"""A demonstration certificate authority, so that documents can be signed and checked before a Union has a real
organisation certificate (issued by a licensed Vietnamese CA such as the Government's, VNPT-CA, Viettel-CA ...).

Everything here is for trials only: the root's name says so, the stamp of a document signed with a demo certificate
says so («CHỨNG THƯ THỬ NGHIỆM – không có giá trị pháp lý»), and production never uses these files (see
`signing.organisation_certificate` and `signing.trust_roots`). The files live in LIENHIEP_SIGNING_DIR (by
default VAR_DIR/signing):

- demo-ca.pem: the root certificate, 10 years; demo-ca-key.pem: its private key (mode 0600, unencrypted);
- demo-<slug>.p12: each Union's certificate and key, 3 years, encrypted with DEMO_PASSWORD (mode 0600).

They are created on first use and never overwritten (a lock keeps two workers from creating them at once).
"""

import datetime
import fcntl
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEMO_PASSWORD = b"demo-kontum-2021"  # demo certificates only: anyone reading this code knows it
DEMO_CA_NAME = "Lienhiep DEMO CA – không dùng cho văn bản thật"
CA_YEARS = 10
UNION_YEARS = 3


def signing_dir() -> Path:
    """settings.LIENHIEP_SIGNING_DIR, by default VAR_DIR/signing."""
    return Path(getattr(settings, "LIENHIEP_SIGNING_DIR", None) or Path(settings.VAR_DIR) / "signing")


def ca_path() -> Path:
    return signing_dir() / "demo-ca.pem"


def ca_key_path() -> Path:
    return signing_dir() / "demo-ca-key.pem"


def union_p12_path(slug: str) -> Path:
    return signing_dir() / f"demo-{slug}.p12"


def ensure_demo_authority(unions: Iterable[Any]) -> None:
    """Create the root (once) and a PKCS#12 for each Union (object with .slug and .name) that has none yet; in
    production nothing (the files would never be used)."""
    if settings.PRODUCTION:
        return
    folder = signing_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            ca_cert, ca_key = root()
            for union in unions:
                path = union_p12_path(union.slug)
                if not path.exists():
                    _write_private(path, _union_p12(union.name, ca_cert, ca_key))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def root() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The demo root certificate and key, read from their files or made the first time (ensure_demo_authority
    calls this under its lock)."""
    if ca_path().exists() and ca_key_path().exists():
        cert = x509.load_pem_x509_certificate(ca_path().read_bytes())
        key = serialization.load_pem_private_key(ca_key_path().read_bytes(), password=None)
        return cert, key
    cert, key = make_root(DEMO_CA_NAME)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_private(ca_key_path(), key_pem)
    _write_private(ca_path(), cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return cert, key


def make_root(name: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A self-signed root certificate (CA, 10 years) and its key, in memory."""
    key = _new_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), _country()])
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + _years(CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue_certificate(
    organisation: str,
    ca_cert: x509.Certificate,
    ca_key: rsa.RSAPrivateKey,
    *,
    not_before: datetime.datetime,
    not_after: datetime.datetime,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """An organisation's signing certificate (O = the organisation, CN = the same within X.509's 64 bytes, C = VN),
    signed by the given CA."""
    key = _new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(organisation)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            _country(),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def common_name(name: str) -> str:
    """The name within a common name's 64 bytes (UTF-8): «Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum» is
    66, so «Khoa học và Kỹ thuật» is written «KH&KT» as the Unions write it; a name still too long is cut at a word."""
    if len(name.encode()) > 64:
        name = name.replace("Khoa học và Kỹ thuật", "KH&KT")
    words = name.split()
    while len(" ".join(words).encode()) > 64 and len(words) > 1:
        words.pop()
    return " ".join(words).encode()[:64].decode(errors="ignore")


def p12_bytes(
    name: str, cert: x509.Certificate, key: rsa.RSAPrivateKey, ca_cert: x509.Certificate, password: bytes
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(password)
    )


def _union_p12(name: str, ca_cert: x509.Certificate, ca_key: rsa.RSAPrivateKey) -> bytes:
    now = _now()
    cert, key = issue_certificate(
        name, ca_cert, ca_key, not_before=now - datetime.timedelta(days=1), not_after=now + _years(UNION_YEARS)
    )
    return p12_bytes(name, cert, key, ca_cert, DEMO_PASSWORD)


def _write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a new file with the given mode, never replacing one that exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, mode)  # whatever the umask


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_usage(*, digital_signature=False, content_commitment=False, key_cert_sign=False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=key_cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _country() -> x509.NameAttribute:
    return x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _years(years: int) -> datetime.timedelta:
    return datetime.timedelta(days=365 * years + years // 4)
