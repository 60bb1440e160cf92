"""The organisation's signing key: PAdES signatures on PDFs, and their verification.

Production sets CERTIFICATES_SIGNING_KEY_FILE and CERTIFICATES_SIGNING_CERT_FILE (PEM; the
certificate file may carry the chain after the leaf). Without them a development key and
self-signed certificate are made once under var/signing/, so the demo's PDFs are signed
too; several processes starting at once agree on one pair (created with an atomic link).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, SignedAttributeProviderSpec
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNATURE_FIELD = "AtelierSignature"


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


def _certs() -> list[asn1_x509.Certificate]:
    return list(load_certs_from_pemder_data(signing_keys().cert_pem))


class _SigningCertificateOnce(attributes.SigningCertificateV2Provider):
    """The signing-certificate-v2 attribute (required by PAdES), encoded once.

    pyHanko builds this attribute from the certificate for every signature, and encoding
    a freshly built ASN.1 value with asn1crypto cost about half of the signing time; a
    value parsed from its encoding re-encodes for free.
    """

    def __init__(self, signing_cert: asn1_x509.Certificate):
        super().__init__(signing_cert)
        self._der = as_signing_certificate_v2(signing_cert).dump()

    async def build_attr_value(self, dry_run=False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


class _OrganisationSigner(signers.SimpleSigner):
    """pyHanko's signer, with the attributes that never change prepared once."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._cert_attribute = _SigningCertificateOnce(self.signing_cert)

    def _signed_attr_provider_spec(self, *args, **kwargs):
        spec = super()._signed_attr_provider_spec(*args, **kwargs)
        cert_attribute = self._cert_attribute

        class Spec(SignedAttributeProviderSpec):
            def signed_attr_providers(self, data_digest, digest_algorithm):
                for provider in spec.signed_attr_providers(data_digest, digest_algorithm):
                    if type(provider) is attributes.SigningCertificateV2Provider:
                        yield cert_attribute
                    else:
                        yield provider

        return Spec()


@dataclass(frozen=True)
class _Signing:
    signer: signers.SimpleSigner
    bytes_reserved: int  # room for the signature in the PDF, as pyHanko would estimate it


@functools.cache
def _signing() -> _Signing:
    """The signer, key and certificate chain, loaded once per process, and the size of the
    signature: pyHanko otherwise makes a whole trial signature for every PDF to size it."""
    keys = signing_keys()
    certs = _certs()
    signer = _OrganisationSigner(
        signing_cert=certs[0],
        signing_key=load_private_key_from_pemder_data(keys.key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(certs),
    )
    trial = asyncio.run(
        signer.async_sign(
            hashlib.sha256().digest(),
            "sha256",
            use_pades=True,
            dry_run=True,
            signed_attr_settings=PdfCMSSignedAttributes(),
        )
    )
    # Hexadecimal in the PDF (x 2), with pyHanko's own 50 % margin.
    size = len(trial.dump()) * 2
    return _Signing(signer=signer, bytes_reserved=size + 2 * (size // 4))


def signing_prepare() -> None:
    """Load the signer now (a worker calls this when it starts) and the PDF renderer's
    libraries with it."""
    from . import pdf  # noqa: F401 - WeasyPrint's import is most of a cold start

    _signing()


def _signer() -> signers.SimpleSigner:
    return _signing().signer


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
    """A PAdES B-B signature over the whole PDF, as an incremental update."""
    return _outside_event_loop(_pdf_sign, pdf)


_SIGNATURE_META = signers.PdfSignatureMetadata(
    field_name=SIGNATURE_FIELD,
    subfilter=fields.SigSeedSubFilter.PADES,
    md_algorithm="sha256",
    reason="Certificate issued by Atelier",
)


def _pdf_sign(pdf: bytes) -> bytes:
    signing = _signing()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.PdfSigner(_SIGNATURE_META, signer=signing.signer).sign_pdf(
        writer, bytes_reserved=signing.bytes_reserved
    )
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    signed_by_us: bool  # intact, valid, and made by the organisation's certificate
    whole_file: bool  # nothing added after the signature


def pdf_signature_check(pdf: bytes) -> SignatureCheck:
    """Whether `pdf` carries Atelier's intact signature over the whole file."""
    return _outside_event_loop(_pdf_signature_check, pdf)


def _pdf_signature_check(pdf: bytes) -> SignatureCheck:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

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
