"""`mouctl verify`: a released PDF is recognised, a changed byte is not, and a PAdES
signature made here with a self-signed certificate is reported with its signer."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from mouctl.render import pdf as pdf_writer
from tests.conftest import GIT_ENV
from tests.gitnet import NetRepo

pytest.importorskip("pyhanko")
if not pdf_writer.available():
    pytest.skip("WeasyPrint (and its system libraries) not available", allow_module_level=True)

SIGNER = "Jukka Mäkinen"


@pytest.fixture(scope="module")
def _released(tmp_path_factory):
    """A network released as 1.0, its PDF rendered by the CLI, built once."""
    from mouctl.cli import main

    root = tmp_path_factory.mktemp("verify") / "net"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        repo = NetRepo.create(root)
        assert main(["release", "1.0", "-m", "First version", "-N", str(repo.folder)]) == 0
        pdf = root.parent / "mou-v1.0.pdf"
        assert main(["render", "-N", str(repo.folder), "-o", str(pdf)]) == 0
    return repo.folder, pdf


@pytest.fixture
def released(_released, tmp_path):
    folder, pdf = _released
    copy = tmp_path / "net"
    shutil.copytree(folder, copy)
    shutil.copy(pdf, tmp_path / "mou.pdf")
    return copy, tmp_path / "mou.pdf"


def test_recognises_the_released_pdf(released, run):
    folder, pdf = released
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 0, result.output
    assert "mou-v1.0" in result.stderr
    assert "exactly the document of mou-v1.0" in result.stderr
    data = json.loads(run("verify", str(pdf), "-f", "json", cwd=folder).stdout)
    assert data["ok"] is True and data["release"] == "mou-v1.0" and data["languages"] == ["en"]
    assert data["signatures"] == [] and "mouctl" in data


def test_one_changed_content_byte_exits_1(released, run):
    folder, pdf = released
    raw = bytearray(pdf.read_bytes())
    # A byte inside the first content stream: the metadata stays intact.
    start = raw.index(b"stream\n", raw.index(b"/Length")) + len(b"stream\n")
    raw[start + 10] ^= 0x01
    pdf.write_bytes(bytes(raw))
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 1, result.output
    assert "mou-v1.0" in result.stderr  # still says which release it claims to be
    assert "the content differs from mou-v1.0's document" in result.stderr


def _with_info(pdf, **changes):
    """Change the PDF's information dictionary in an incremental update (as a PDF
    editor would): the released bytes stay in front, the metadata says otherwise."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(pdf, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        info = generic.DictionaryObject(writer.prev.trailer_view["/Info"])
        for key, value in changes.items():
            name = generic.NameObject(f"/{key}")
            if value is None:
                info.pop(name, None)
            else:
                info[name] = generic.TextStringObject(value)
        writer.set_info(info)
        import io

        out = io.BytesIO()
        writer.write(out)
    pdf.write_bytes(out.getvalue())


def test_a_pdf_without_release_metadata_is_not_a_release(released, run, tmp_path):
    folder, pdf = released
    _with_info(pdf, MouctlVersion=None)
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 1
    assert "carries no mouctl release metadata" in result.stderr
    other = tmp_path / "note.txt"
    other.write_text("hello")
    result = run("verify", str(other), cwd=folder)
    assert result.code == 1 and "is not a PDF file" in result.stderr


def test_a_draft_is_not_a_release(released, run):
    folder, pdf = released
    _with_info(pdf, MouctlVersion="draft (uncommitted changes on 1234567)")
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 1
    assert "not a released version" in result.stderr


def test_metadata_edited_after_rendering(released, run):
    folder, pdf = released
    _with_info(pdf, MouctlFingerprint="0123456789ab")
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 1
    assert "not that release's data" in result.stderr


def test_an_unsigned_addition_is_reported(released, run):
    folder, pdf = released
    _with_info(pdf, Title="Edited")  # an incremental update that is no signature
    result = run("verify", str(pdf), cwd=folder)
    assert result.code == 1
    assert "hold no signature" in result.stderr


def _self_signed(tmp_path, name: str):
    """A key and a self-signed certificate for `name`, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "FI")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _sign_pades(pdf, key_file, cert_file, out):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(str(key_file), str(cert_file))
    with open(pdf, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        meta = signers.PdfSignatureMetadata(field_name="Signature1",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        signed = signers.sign_pdf(writer, meta, signer=signer)
    out.write_bytes(signed.getvalue())


def test_reports_a_pades_signature(released, run, tmp_path):
    folder, pdf = released
    key_file, cert_file = _self_signed(tmp_path, SIGNER)
    signed = tmp_path / "signed.pdf"
    _sign_pades(pdf, key_file, cert_file, signed)
    result = run("verify", str(signed), cwd=folder)
    assert result.code == 0, result.output
    assert f"signature 'Signature1': {SIGNER}" in result.stderr
    assert "intact; covers the released document" in result.stderr
    assert "not recorded in signatures.yaml" in result.stderr
    # Once the signature is in the ledger, verify names the partner.
    assert run("sign", "tampereen-ammattiopisto", "--signatory", SIGNER, "--place", "Tampere",
               "--date", "2026-02-21", cwd=folder).code == 0
    data = json.loads(run("verify", str(signed), "-f", "json", cwd=folder).stdout)
    [sig] = data["signatures"]
    assert sig["signer"] == SIGNER and sig["intact"] and sig["covers_release"]
    assert sig["recorded_for"] == "tampereen-ammattiopisto" and data["ok"]


def test_a_changed_byte_in_a_signed_pdf_breaks_it(released, run, tmp_path):
    folder, pdf = released
    key_file, cert_file = _self_signed(tmp_path, SIGNER)
    signed = tmp_path / "signed.pdf"
    _sign_pades(pdf, key_file, cert_file, signed)
    raw = bytearray(signed.read_bytes())
    start = raw.index(b"stream\n", raw.index(b"/Length")) + len(b"stream\n")
    raw[start + 10] ^= 0x01
    signed.write_bytes(bytes(raw))
    result = run("verify", str(signed), cwd=folder)
    assert result.code == 1
    assert "the content differs" in result.stderr
