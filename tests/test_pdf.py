"""PDF/A copies for archiving (service/pdf.py): LibreOffice asked for PDF/A-2b, and the copy
checked — its XMP metadata must identify it as PDF/A part 2 (read here from the file, and
by poppler's pdfinfo where it is installed); a plain PDF is refused, never passed off."""
from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pytest

from service import pdf


def a_docx(text: str = "ПРОТОКОЛ № 2 заседания ММО учителей математики") -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def libreoffice():
    if pdf.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")


@pytest.mark.system("soffice")
def test_the_copy_is_pdfa_2b_by_its_own_metadata(libreoffice, tmp_path):
    content = pdf.pdfa_bytes(a_docx(), "Протокол №2 от 10.12.2024.docx")
    assert content.startswith(b"%PDF") and pdf.pdfa_identification(content) == (2, "B")
    if shutil.which("pdfinfo"):
        path = tmp_path / "copy.pdf"
        path.write_bytes(content)
        meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, timeout=60).stdout
        assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    if shutil.which("pdftotext"):
        path = tmp_path / "copy.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "ПРОТОКОЛ № 2" in text                        # fonts embedded: the Cyrillic text is there


@pytest.mark.system("soffice")
def test_a_copy_on_disk_is_written_beside_the_document(libreoffice, tmp_path):
    source = tmp_path / "Протокол.docx"
    source.write_bytes(a_docx())
    written = pdf.to_pdf(source)
    assert written == tmp_path / "Протокол.pdf" and pdf.pdfa_identification(written.read_bytes()) == (2, "B")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.system("soffice")
def test_a_plain_pdf_is_refused_not_passed_off_as_an_archival_copy(libreoffice, monkeypatch):
    monkeypatch.setattr(pdf, "FILTER", "pdf")                 # what an old LibreOffice would make of the request
    with pytest.raises(pdf.PdfUnavailable, match="обычный PDF, а не PDF/A"):
        pdf.pdfa_bytes(a_docx())


@pytest.mark.parametrize("xmp, expected", [
    (b"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>", (2, "B")),
    (b'<rdf:Description pdfaid:part="3" pdfaid:conformance="U"/>', (3, "U")),
    (b"<pdfaid:part>1</pdfaid:part>", (1, "")),
    (b"<dc:title>no claim</dc:title>", None),
])
def test_the_identification_is_read_as_elements_or_attributes(xmp, expected):
    assert pdf.pdfa_identification(b"%PDF-1.7\n" + xmp + b"\n%%EOF") == expected


def test_the_filter_asks_libreoffice_for_pdfa_2():
    assert pdf.FILTER == 'pdf:writer_pdf_Export:{"SelectPdfVersion": {"type": "long", "value": "2"}}'
