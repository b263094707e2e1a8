"""Each format to and from a plan. XML is checked by expat for any document type declaration
first (no entities, internal or external, so neither XXE nor billion laughs), as defusedxml's
`forbid_dtd` does; GraphML and GEXF never need one."""

import io
import json
import xml.parsers.expat
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import networkx as nx

from hct.systemmap.exchange.plan import ImportRefused, MapFile, PlannedActor, PlannedLink

ACTOR_FIELDS = ("kind", "sector", "description")
LINK_FIELDS = ("kind", "status", "direction", "strength", "polarity", "note")
ERROR_DTD = "The file declares a document type or entities, which a map file never needs"


def refuse_dtd(data: bytes) -> None:
    parser = xml.parsers.expat.ParserCreate()

    def refuse(*_args):
        raise ImportRefused([ERROR_DTD])

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise ImportRefused([f"The file is not well-formed XML: {error}"]) from None


# networkx: GraphML and GEXF


def to_graph(plan: MapFile) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for actor in plan.actors:
        g.add_node(
            actor.ref, label=actor.name, **{f: getattr(actor, f) or "" for f in ACTOR_FIELDS}
        )
    for link in plan.links:
        attrs = {f: getattr(link, f) for f in LINK_FIELDS}
        attrs["strength"] = attrs["strength"] or 0
        g.add_edge(link.source, link.target, key=link.kind, **attrs)
    return g


def from_graph(g: nx.Graph) -> MapFile:
    plan = MapFile()
    for ref, data in g.nodes(data=True):
        plan.actors.append(
            PlannedActor(
                str(ref),
                str(data.get("label") or data.get("name") or ref),
                str(data.get("kind", "")),
                str(data.get("sector", "")),
                str(data.get("description", "")),
            )
        )
    edges = g.edges(data=True, keys=True) if g.is_multigraph() else g.edges(data=True)
    for edge in edges:
        source, target, data = edge[0], edge[1], edge[-1]
        plan.links.append(
            PlannedLink(
                str(source),
                str(target),
                str(data.get("kind", "")),
                str(data.get("status", "working")),
                str(data.get("direction", "forward")),
                data.get("strength") or None,
                str(data.get("polarity", "") or ""),
                str(data.get("note", "") or ""),
            )
        )
    return plan


def write_graphml(plan: MapFile) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_graph(plan), out, named_key_ids=True)
    return out.getvalue()


def read_graphml(data: bytes) -> MapFile:
    refuse_dtd(data)
    try:
        g = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    except (nx.NetworkXError, ElementTree.ParseError, KeyError, ValueError) as error:
        raise ImportRefused([f"The file is not GraphML that can be read: {error}"]) from None
    return from_graph(g)


def write_gexf(plan: MapFile) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(to_graph(plan), out)
    return out.getvalue()


def read_gexf(data: bytes) -> MapFile:
    refuse_dtd(data)
    try:
        g = nx.read_gexf(io.BytesIO(data))
    except (nx.NetworkXError, ElementTree.ParseError, KeyError, ValueError, TypeError) as error:
        raise ImportRefused([f"The file is not GEXF that can be read: {error}"]) from None
    # read_gexf keys nodes by id and keeps the label apart.
    return from_graph(g)


# Kumu's JSON blueprint: elements by label, connections from label to label


def write_kumu(plan: MapFile) -> bytes:
    names = {a.ref: a.name for a in plan.actors}
    blueprint = {
        "elements": [
            {
                "label": a.name,
                "type": a.kind,
                "description": a.description,
                "sector": a.sector,
            }
            for a in plan.actors
        ],
        "connections": [
            {
                "from": names[link.source],
                "to": names[link.target],
                "type": link.kind,
                "direction": "mutual" if link.direction == "both" else "directed",
                "status": link.status,
                "strength": link.strength,
                "polarity": link.polarity,
                "description": link.note,
            }
            for link in plan.links
        ],
    }
    return json.dumps(blueprint, ensure_ascii=False, indent=1).encode()


def read_kumu(data: bytes) -> MapFile:
    try:
        blueprint = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused([f"The file is not JSON: {error}"]) from None
    if not isinstance(blueprint, dict) or not isinstance(blueprint.get("elements"), list):
        raise ImportRefused(["A Kumu blueprint has a list of “elements” (and of “connections”)"])
    plan = MapFile()
    for number, element in enumerate(blueprint["elements"], start=1):
        if not isinstance(element, dict):
            raise ImportRefused([f"Kumu element {number}: it is not an object"])
        ref = str(element.get("_id") or element.get("id") or element.get("label") or "")
        plan.actors.append(
            PlannedActor(
                ref,
                str(element.get("label") or ""),
                str(element.get("type") or ""),
                str(element.get("sector") or ""),
                str(element.get("description") or ""),
            )
        )
    connections = blueprint.get("connections") or []
    if not isinstance(connections, list):
        raise ImportRefused(["Kumu “connections” is not a list"])
    for number, connection in enumerate(connections, start=1):
        if not isinstance(connection, dict):
            raise ImportRefused([f"Kumu connection {number}: it is not an object"])
        plan.links.append(
            PlannedLink(
                str(connection.get("from") or ""),
                str(connection.get("to") or ""),
                str(connection.get("type") or ""),
                str(connection.get("status") or "working"),
                str(connection.get("direction") or "directed"),
                connection.get("strength"),
                str(connection.get("polarity") or ""),
                str(connection.get("description") or ""),
            )
        )
    return plan


# Excel, as PRSM reads and writes it: sheets `Factors` (Label, Description, …) and `Links`
# (From, To, …), other columns as attributes. Written and read with the standard library.

FACTOR_COLUMNS = ("Label", "Description", "Kind", "Sector")
LINK_COLUMNS = ("From", "To", "Kind", "Status", "Direction", "Strength", "Polarity", "Description")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(rows: list[list]) -> str:
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value not in (None, ""):
                text = escape(str(value))
                cells.append(
                    f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
        + "".join(lines)
        + "</sheetData></worksheet>"
    )


def write_xlsx(plan: MapFile) -> bytes:
    names = {a.ref: a.name for a in plan.actors}
    factors = [list(FACTOR_COLUMNS)] + [
        [a.name, a.description, a.kind, a.sector] for a in plan.actors
    ]
    links = [list(LINK_COLUMNS)] + [
        [
            names[link.source],
            names[link.target],
            link.kind,
            link.status,
            link.direction,
            link.strength,
            link.polarity,
            link.note,
        ]
        for link in plan.links
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            '<sheets><sheet name="Factors" sheetId="1" r:id="rId1"/>'
            '<sheet name="Links" sheetId="2" r:id="rId2"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", _sheet_xml(factors))
        z.writestr("xl/worksheets/sheet2.xml", _sheet_xml(links))
    return out.getvalue()


def _xml(z: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = z.getinfo(name)
    if info.file_size > 50 * 1024 * 1024:
        raise ImportRefused([f"The workbook's part {name} is too large"])
    data = z.read(name)
    refuse_dtd(data)
    return ElementTree.fromstring(data)  # noqa: S314 - refuse_dtd has refused any DTD


def _rows(z: zipfile.ZipFile, path: str, shared: list[str]) -> list[list[str]]:
    rows = []
    for row in _xml(z, path).iter(f"{{{_NS}}}row"):
        values: dict[int, str] = {}
        for cell in row.iter(f"{{{_NS}}}c"):
            ref = cell.get("r", "")
            letters = "".join(ch for ch in ref if ch.isalpha())
            index = 0
            for ch in letters:
                index = index * 26 + (ord(ch.upper()) - 64)
            kind = cell.get("t")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{_NS}}}t"))
            else:
                v = cell.find(f"{{{_NS}}}v")
                text = v.text if v is not None and v.text is not None else ""
                if kind == "s":
                    text = shared[int(text)] if text.isdigit() and int(text) < len(shared) else ""
                elif kind is None and text.endswith(".0"):
                    text = text[:-2]
            values[(index - 1) if index else len(values)] = text
        width = max(values, default=-1) + 1
        rows.append([values.get(i, "") for i in range(width)])
    return rows


def read_xlsx(data: bytes) -> MapFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(["The file is not an Excel workbook (.xlsx)"]) from None
    with z:
        try:
            workbook = _xml(z, "xl/workbook.xml")
            rels = _xml(z, "xl/_rels/workbook.xml.rels")
        except KeyError:
            raise ImportRefused(["The file is not an Excel workbook (.xlsx)"]) from None
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        sheets = {
            s.get("name"): "xl/"
            + targets.get(s.get(f"{{{_REL_NS}}}id"), "").lstrip("/").removeprefix("xl/")
            for s in workbook.iter(f"{{{_NS}}}sheet")
        }
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            for item in _xml(z, "xl/sharedStrings.xml").iter(f"{{{_NS}}}si"):
                shared.append("".join(t.text or "" for t in item.iter(f"{{{_NS}}}t")))
        missing = [name for name in ("Factors", "Links") if name not in sheets]
        if missing:
            raise ImportRefused([f"The workbook has no sheet named “{name}”" for name in missing])
        try:
            factors = _rows(z, sheets["Factors"], shared)
            links = _rows(z, sheets["Links"], shared)
        except KeyError as error:
            raise ImportRefused([f"The workbook is missing a part: {error}"]) from None
    return _from_sheets(factors, links)


def _records(rows: list[list[str]], sheet: str, required: tuple[str, ...]) -> list[dict]:
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    for name in required:
        if name.lower() not in header:
            raise ImportRefused([f"Sheet “{sheet}” has no column headed “{name}”"])
    return [
        {header[i]: value for i, value in enumerate(row) if i < len(header)}
        for row in rows[1:]
        if any(v.strip() for v in row)
    ]


def _from_sheets(factors: list[list[str]], links: list[list[str]]) -> MapFile:
    plan = MapFile()
    for record in _records(factors, "Factors", ("Label",)):
        label = record.get("label", "").strip()
        plan.actors.append(
            PlannedActor(
                label,
                label,
                record.get("kind", ""),
                record.get("sector", ""),
                record.get("description", ""),
            )
        )
    for record in _records(links, "Links", ("From", "To")):
        plan.links.append(
            PlannedLink(
                record.get("from", "").strip(),
                record.get("to", "").strip(),
                record.get("kind", "") or record.get("label", ""),
                record.get("status", "") or "working",
                record.get("direction", "") or "forward",
                record.get("strength") or None,
                record.get("polarity", ""),
                record.get("description", ""),
            )
        )
    return plan


WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "kumu": write_kumu, "xlsx": write_xlsx}
READERS = {"graphml": read_graphml, "gexf": read_gexf, "json": read_kumu, "xlsx": read_xlsx}
