"""Reading an uploaded map file: the reader its extension names, and the plan checked whole."""

from pathlib import PurePath

from hct.systemmap.exchange.formats import READERS
from hct.systemmap.exchange.plan import ImportRefused, MapFile, checked

ERROR_EXTENSION = "Upload a .graphml, .gexf, .json (Kumu blueprint) or .xlsx (PRSM) file"
WHERE = {"graphml": "GraphML", "gexf": "GEXF", "json": "Kumu", "xlsx": "Excel"}


def read(data: bytes, filename: str) -> MapFile:
    """The checked plan in a file; ImportRefused naming every element at fault otherwise. A
    file that is not what its extension says is refused by that format's reader."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        raise ImportRefused([ERROR_EXTENSION])
    return checked(reader(data), WHERE[extension])
