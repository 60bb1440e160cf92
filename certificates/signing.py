"""The organisation's signing key: where it is, and the verification of PDFs signed with it.

The signing itself (PAdES, pyHanko) happens in the render process
(`certificates.render.engine`), given the files' paths by `signing_files`. Production
sets CERTIFICATES_SIGNING_KEY_FILE and CERTIFICATES_SIGNING_CERT_FILE (PEM; the
certificate file may carry the chain after the leaf). Without them a development key and
self-signed certificate are made once under var/signing/, so the demo's PDFs are signed
too; several processes starting at once agree on one pair (created with an atomic link).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from .render.client import render_worker
from .render.jobs import SigningFiles


@dataclass(frozen=True)
class SigningKeys:
    key_pem: bytes
    cert_pem: bytes  # leaf first, then the chain


def _dev_pair_ensure(folder: Path) -> Path:
    """One PEM file with a development key and its self-signed certificate."""
    path = folder / "development.pem"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Atelier (development key)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Atelier"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
        tmp.write(pem)
    try:
        os.link(tmp.name, path)  # fails if another process made the pair first: use theirs
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp.name)
    return path


@functools.cache
def signing_keys() -> SigningKeys:
    if settings.CERTIFICATES_SIGNING_KEY_FILE:
        key_pem = Path(settings.CERTIFICATES_SIGNING_KEY_FILE).read_bytes()
        cert_pem = Path(settings.CERTIFICATES_SIGNING_CERT_FILE).read_bytes()
    else:
        pem = _dev_pair_ensure(Path(settings.CERTIFICATES_SIGNING_DEV_DIR)).read_bytes()
        key_pem = cert_pem = pem
    return SigningKeys(key_pem=key_pem, cert_pem=cert_pem)


def signing_files() -> SigningFiles:
    """The key's and certificate's files, for the render process that signs."""
    if settings.CERTIFICATES_SIGNING_KEY_FILE:
        return SigningFiles(
            key_path=str(Path(settings.CERTIFICATES_SIGNING_KEY_FILE).resolve()),
            cert_path=str(Path(settings.CERTIFICATES_SIGNING_CERT_FILE).resolve()),
        )
    pem = str(_dev_pair_ensure(Path(settings.CERTIFICATES_SIGNING_DEV_DIR)).resolve())
    return SigningFiles(key_path=pem, cert_path=pem)


def _certs() -> list:
    """The organisation's certificate chain, leaf first (asn1crypto certificates)."""
    # pyHanko is imported where a signature is checked (the web), not where certificates
    # are issued: the Celery worker asks its render process to sign and never loads it.
    from pyhanko.keys import load_certs_from_pemder_data

    return list(load_certs_from_pemder_data(signing_keys().cert_pem))


def private_key():
    """The organisation's key as a `cryptography` object (Open Badges sign with it too)."""
    return serialization.load_pem_private_key(signing_keys().key_pem, password=None)


def _outside_event_loop(function, *args):
    """pyHanko's synchronous API runs its own event loop: from a thread that already runs
    one (an ASGI server, Playwright in tests), call it from a short-lived thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def pdf_sign(pdf: bytes) -> bytes:
    """A PAdES B-B signature over the whole PDF, as an incremental update (made by the
    render process)."""
    return render_worker().sign(pdf, signing_files())


@dataclass(frozen=True)
class SignatureCheck:
    signed_by_us: bool  # intact, valid, and made by the organisation's certificate
    whole_file: bool  # nothing added after the signature


def pdf_signature_check(pdf: bytes) -> SignatureCheck:
    """Whether `pdf` carries Atelier's intact signature over the whole file."""
    return _outside_event_loop(_pdf_signature_check, pdf)


def _pdf_signature_check(pdf: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return SignatureCheck(signed_by_us=False, whole_file=False)
        context = ValidationContext(trust_roots=_certs(), allow_fetching=False)
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001 - any damage to the file means "not ours, unchanged"
        return SignatureCheck(signed_by_us=False, whole_file=False)
    ours = bool(status.intact and status.valid and status.trusted)
    ours = ours and status.signing_cert.dump() == _certs()[0].dump()
    return SignatureCheck(
        signed_by_us=ours, whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
