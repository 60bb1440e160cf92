"""WeasyPrint and pyHanko without Django: a job's HTML in, a one-page PDF/A out, signed.

Imported by the render process only (`certificates.render.worker`). What every certificate
shares is made once per process and kept: the font configuration and the parsed page
stylesheet, decoded images, the signer with its key, chain and the signature's size.

- WeasyPrint may only read the shipped fonts and the folders a job names: any other URL
  (http, data, a file elsewhere) is refused, so a template change can never make rendering
  touch the network; a refused or missing file stops the rendering (a certificate silently
  drawn in a fallback font would be worse than an error).
- The signature is PAdES B-B over the whole file, as an incremental update.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pydyf
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, SignedAttributeProviderSpec
from pyhanko_certvalidator.registry import SimpleCertificateStore
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .jobs import CSS_FILE, FONTS_DIR, SIGNATURE_FIELD, RenderJob, SigningFiles


class LocalFilesFetcher(URLFetcher):
    """URL fetcher that serves only the shipped fonts and files under `roots`."""

    def __init__(self, roots: tuple[str, ...] = ()) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.roots = (FONTS_DIR, *(Path(root).resolve() for root in roots))

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Certificate rendering refuses non-file URL: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"Certificate rendering refuses file outside fonts: {url}")
        return super().fetch(url, headers)


@dataclass
class _Renderer:
    """The fonts and the page's CSS, made once: the @font-face files are read, and the
    stylesheet tokenised, validated and its selectors compiled, when the CSS object is
    made with the font configuration (a third of the rendering time if done per
    certificate). Images (logo, signatures) are decoded once into `images`."""

    font_config: FontConfiguration
    stylesheet: CSS
    images: dict


@functools.cache
def _renderer() -> _Renderer:
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=CSS_FILE.read_text(encoding="utf-8"),
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=LocalFilesFetcher(),
        font_config=font_config,
    )
    return _Renderer(font_config, stylesheet, images={})


@functools.lru_cache(maxsize=8)
def _fetcher(roots: tuple[str, ...]) -> LocalFilesFetcher:
    return LocalFilesFetcher(roots)


def pdf_render(job: RenderJob) -> bytes:
    """The job's HTML as PDF bytes (one A4-landscape page by the stylesheet), signed if
    the job says with what."""
    renderer = _renderer()
    document = HTML(
        string=job.html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_fetcher(job.allowed_dirs)
    )
    pdf = document.write_pdf(
        stylesheets=[renderer.stylesheet],
        pdf_variant=job.pdf_variant,
        font_config=renderer.font_config,
        cache=renderer.images,
        finisher=_streams_compress_once,
    )
    return pdf_sign(pdf, job.signing) if job.signing else pdf


def _streams_compress_once(document, pdf) -> None:
    """Compress each stream once, at zlib's level 6.

    pydyf compresses a stream at level 9 each time its data is read, and it reads it
    twice while writing the file (for the cross-reference offsets, then for the bytes):
    that was a fifth of the rendering time, for a file 0.1 % smaller. Streams made of
    anything but bytes are left to pydyf.
    """
    for obj in pdf.objects:
        compressible = isinstance(obj, pydyf.Stream) and obj.compress
        if compressible and all(isinstance(item, bytes) for item in obj.stream):
            obj.stream = [zlib.compress(b"\n".join(obj.stream), 6)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


# Signing ---------------------------------------------------------------------------------


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


def _signing(files: SigningFiles) -> _Signing:
    """The signer for these files, loaded again only when one of them changes on disk."""
    stamps = tuple(os.stat(path).st_mtime_ns for path in (files.key_path, files.cert_path))
    return _signing_loaded(files, stamps)


@functools.lru_cache(maxsize=2)
def _signing_loaded(files: SigningFiles, stamps: tuple[int, ...]) -> _Signing:
    """The signer, key and certificate chain, and the size of the signature: pyHanko
    otherwise makes a whole trial signature for every PDF to size it."""
    certs = list(load_certs_from_pemder_data(Path(files.cert_path).read_bytes()))
    signer = _OrganisationSigner(
        signing_cert=certs[0],
        signing_key=load_private_key_from_pemder_data(
            Path(files.key_path).read_bytes(), passphrase=None
        ),
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


_SIGNATURE_META = signers.PdfSignatureMetadata(
    field_name=SIGNATURE_FIELD,
    subfilter=fields.SigSeedSubFilter.PADES,
    md_algorithm="sha256",
    reason="Certificate issued by Atelier",
)


def pdf_sign(pdf: bytes, files: SigningFiles) -> bytes:
    """A PAdES B-B signature over the whole PDF, as an incremental update."""
    signing = _signing(files)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.PdfSigner(_SIGNATURE_META, signer=signing.signer).sign_pdf(
        writer, bytes_reserved=signing.bytes_reserved
    )
    return out.getvalue()


def prepare(signing: SigningFiles | None) -> None:
    """Load the fonts, the stylesheet and the signer now rather than in the first job."""
    _renderer()
    if signing is not None:
        _signing(signing)
