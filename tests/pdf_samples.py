"""Small PDFs for upload tests: a plain one, and ones with active content (issue 12, F8), made with pypdf."""

import io


def _write(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def plain_pdf() -> bytes:
    return _write(_one_page())


def pdf_with(kind: str) -> bytes:
    """A one-page PDF with one kind of active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = _one_page()
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    if kind == "javascript":
        _add_document_script(writer, script)
    elif kind == "openaction":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    elif kind == "page_aa":
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(script)})
    elif kind == "annotation":
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
                NameObject("/A"): script,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    elif kind == "launch":
        launch = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    elif kind == "embedded":
        writer.add_attachment("payload.txt", b"data")
    else:
        raise ValueError(kind)
    return _write(writer)


def _add_document_script(writer, script) -> None:
    """A document-level script: /Names << /JavaScript << /Names [(init) script] >> >>."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(script)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def hex_escaped_pdf_with_javascript() -> bytes:
    """The script's names written with #hex escapes (/J#61vaScript): a parser finds them, grep does not."""
    data = pdf_with("javascript")
    return data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
