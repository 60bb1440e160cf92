"""Test helpers: a PDF signed by another organisation's key (same tool, other key)."""

import datetime as dt
import io

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def sign_with_another_key(pdf: bytes) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Atelier (impostor)")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives import serialization

    cert_der = cert.public_bytes(serialization.Encoding.DER)
    (asn1_cert,) = load_certs_from_pemder_data(cert_der)
    from pyhanko.keys import load_private_key_from_pemder_data

    signer = signers.SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=load_private_key_from_pemder_data(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            passphrase=None,
        ),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="AtelierSignature", subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer
    ).getvalue()
