"""Pictures (the annual report's charts) placed by the compiled templates themselves.

A document with pictures used to go through docxtpl whole: the template reloaded,
its Jinja compiled twice (once to name the missing variables, once to render) and
every part re-saved — most of an annual report's time apart from drawing its charts,
which made a region's 1,000 reports a CPU-bound hour.  Here a picture is what Word
itself writes: an inline drawing in the text (python-docx builds its XML and reads
the PNG's size), a media part and a relationship beside the document.  The same
charts give the same bytes, so an unchanged report is not filed again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_PNG_DEFAULT = '<Default Extension="png" ContentType="image/png"/>'


@dataclass(frozen=True)
class Picture:
    png: bytes
    width_mm: float = 150


@dataclass(frozen=True)
class Placed:
    rid: str
    part: str                  # e.g. word/media/mo-picture-1.png
    png: bytes


def place(pictures: dict[str, Picture | None]) -> tuple[dict[str, Markup | None], list[Placed]]:
    """Template variables for `pictures` (the drawing's XML where the variable stands in a
    run's text, None for a picture left out) and the parts they need."""
    from docx.image.image import Image
    from docx.oxml.shape import CT_Inline
    from docx.shared import Mm

    variables: dict[str, Markup | None] = {}
    placed: list[Placed] = []
    for name, picture in pictures.items():
        if picture is None:
            variables[name] = None
            continue
        n = len(placed) + 1
        rid, filename = f"rIdMoPicture{n}", f"mo-picture-{n}.png"
        cx, cy = Image.from_blob(picture.png).scaled_dimensions(Mm(picture.width_mm), None)
        inline = CT_Inline.new_pic_inline(n, rid, filename, cx, cy).xml
        variables[name] = Markup('</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space="preserve">'
                                 % inline)
        placed.append(Placed(rid, f"word/media/{filename}", picture.png))
    return variables, placed


def relationships(rels_xml: bytes, placed: list[Placed]) -> bytes:
    """The document's relationships with the pictures' added."""
    if not placed:
        return rels_xml
    text = rels_xml.decode("utf-8")
    added = "".join(f'<Relationship Id="{p.rid}" Type="{IMAGE}" Target="{p.part[len("word/"):]}"/>' for p in placed)
    return text.replace("</Relationships>", added + "</Relationships>").encode("utf-8")


def content_types(types_xml: bytes, placed: list[Placed]) -> bytes:
    """[Content_Types].xml knowing .png when there are pictures."""
    text = types_xml.decode("utf-8")
    if not placed or re.search(r'Extension="png"', text, re.I):
        return types_xml
    return text.replace("</Types>", _PNG_DEFAULT + "</Types>").encode("utf-8")
