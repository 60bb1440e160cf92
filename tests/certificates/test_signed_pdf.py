"""The issued PDF read back by independent tools: pypdf, poppler + zxing-cpp, pyHanko."""

import io
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates import services
from certificates.signing import signing_keys

NAME_150 = ("Maximilienne-Aurélie de La Tour d'Auvergne-Montmorency " * 3)[:150]


@pytest.fixture
def long_named(trainee):
    trainee.full_name = NAME_150
    trainee.save()
    return trainee


@pytest.mark.parametrize("language", ["fr", "en"])
def test_issued_pdf_reads_back(tmp_path, course, long_named, passed, language):
    assert len(NAME_150) == 150
    certificate = services.certificate_issue(user=long_named, course=course, language=language)
    pdf = certificate.pdf.open("rb").read()

    # pypdf: one page, the name, the number and the verification URL as text.
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    squeezed = "".join(text.split())
    assert "".join(NAME_150.split()) in squeezed
    assert certificate.code in text
    assert certificate.verify_url in squeezed
    assert ("7 heures de formation" if language == "fr" else "7 hours of training") in text

    # poppler renders it, zxing-cpp (not segno) decodes the QR code to the verification URL.
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        [shutil.which("pdftoppm"), "-r", "150", "-png", tmp_path / "c.pdf", tmp_path / "page"],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    barcodes = zxingcpp.read_barcodes(Image.open(png))
    assert [b.text for b in barcodes] == [certificate.verify_url]

    # pyHanko's validator, trusting only the organisation's certificate.
    root = list(load_certs_from_pemder_data(signing_keys().cert_pem))[0]
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "/ETSI.CAdES.detached" in str(signature.sig_object["/SubFilter"])
