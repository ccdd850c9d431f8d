"""Network files -> validated entity models, each distinct text parsed once.

A data file is cut into parts (`textparts`): the file's own fields and, for lists
of entities, each item. A part is keyed by the hash of its text and its slot, and
its validated model is kept in memory for the command and in the parse cache for
the next one, so a version is assembled from parts that were mostly parsed before.
A file's layout (which parts, in which order) is cached by its git blob id.

A part with any problem (YAML, shape, types) is not a part: the version holding it
is then read in full by `source.load_documents`, which locates every problem.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial

from pydantic import ValidationError

from mouctl.history import textparts
from mouctl.history.parsecache import Cache, Store
from mouctl.model.network import (
    CoveredOrganisation,
    Network,
    Organisation,
    Partner,
    Qualification,
    Unit,
    fingerprint_data,
)
from mouctl.source import yamldoc
from mouctl.source.loader import ENTITY_LISTS, NETWORK_FILE

# slot -> (model, items come as a one-item list, lists cut out of this part's text)
_SLOTS = {
    "network": (Network, False, ENTITY_LISTS),
    "partners": (Partner, True, ()),
    "organisations": (Organisation, True, ()),
    "covered_organisations": (CoveredOrganisation, True, ()),
    "qualifications": (Qualification, True, ()),
    "partner-file": (Partner, False, ()),
    "qualification-file": (Qualification, False, ("units",)),
    "units": (Unit, True, ()),
}
_ITEM_SLOTS = {"partners", "organisations", "covered_organisations", "qualifications",
               "units"}
_FILE_SLOT = {"partners": "partner-file", "qualifications": "qualification-file"}
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class Entity:
    """An entity of a version: its section, a key naming its content, its model.

    The model is decoded on first use (`load`): a version whose files were parsed
    before is assembled from keys alone, and comparing two versions decodes only the
    entities whose text differs.
    """

    __slots__ = ("section", "key", "units", "unit_ids", "ident", "needs", "_model", "_load")

    def __init__(self, section: str, key: str, model=None, units: tuple[str, ...] = (), *,
                 load=None, needs: tuple[str, ...] = (), ident: str | None = None,
                 unit_ids: tuple[str, ...] = ()) -> None:
        self.section, self.key = section, key
        self.units = units  # a qualification read unit by unit: the units' keys
        self.unit_ids = unit_ids  # ... and their ids, in the same order
        self.ident = ident  # its id, when the layout says it (no decoding needed)
        self.needs = needs  # the parts `load` decodes (its own head part first)
        self._model, self._load = model, load

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

    @property
    def decoded(self) -> bool:
        return self._model is not None

    @property
    def id(self) -> str:
        """The entity's id (from the file's layout when known: no decoding)."""
        return self.ident if self.ident is not None else self.model.id


class FileView:
    """What one data file adds to a version (parts decoded on first use)."""

    __slots__ = ("_head", "head_key", "entities", "cut")

    def __init__(self, head, head_key: str, entities: list[Entity],
                 cut: tuple[str, ...]) -> None:
        self._head = head  # network.yaml: its own fields (a model or a loader); else None
        self.head_key = head_key
        self.entities = entities
        self.cut = cut  # network.yaml: the lists given item by item

    @property
    def head(self) -> Network | None:
        if callable(self._head):
            self._head = self._head()
        return self._head


def blob_id(data: bytes) -> str:
    """git's object id of a blob with this content (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()  # noqa: S324


def part_key(slot: str, text: str) -> str:
    """The key of a part: its slot and the hash of its text."""
    return hashlib.sha256(f"{slot}\x00{text}".encode()).hexdigest()[:32]


def _layout_shape(value) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)
        and x[0].split("+", 1)[0] in _SLOTS and isinstance(x[1], str)
        and isinstance(x[2], str) for x in value)


class Parts:
    """Parses and validates parts, remembering them in memory and in the cache."""

    def __init__(self, store: Store | None) -> None:
        self.layouts = Cache(store, "layout", _layout_shape) if store else None
        self.cached = Cache(store, "part", lambda v: isinstance(v, dict)) if store else None
        self.models: dict[str, object] = {}  # part key -> model (None: a bad part)
        self.views: dict[tuple[str, str], FileView | None] = {}  # (name kind, blob id)
        self.json: dict[str, str] = {}  # entity key -> its JSON (for fingerprints)
        self.fresh: list[tuple[str, object]] = []  # new parts' (key, model), written in one go
        self.fresh_layouts: list[tuple[str, object]] = []
        # Parts known by key before being decoded: their slot (which model) and the
        # file (name, blob id) whose text holds them, read again when the cache has
        # lost or damaged the entry. `reader` gives a blob's content by its id.
        self.slots: dict[str, str] = {}
        self.origins: dict[str, tuple[str, str]] = {}
        self.reader: Callable[[str], bytes | None] | None = None

    # -- files ------------------------------------------------------------------

    def known(self, names_ids: list[tuple[str, str]]) -> dict[tuple[str, str], FileView]:
        """Views of files whose layout is cached, without their contents or parts:
        the parts are decoded when something asks for them."""
        out = {}
        todo = [(n, i) for n, i in names_ids if (_kind(n), i) not in self.views]
        if self.layouts is not None and todo:
            layouts = self.layouts.get_many(_layout_key(n, i) for n, i in todo)
            for name, ident in todo:
                layout = layouts.get(_layout_key(name, ident))
                if layout is not None:
                    for slot, key, _ in layout:
                        self.slots.setdefault(key, slot)
                        self.origins.setdefault(key, (name, ident))
                    self.views[(_kind(name), ident)] = self._view(name, layout)
        for name, ident in names_ids:
            view = self.views.get((_kind(name), ident))
            if view is not None:
                out[(name, ident)] = view
        return out

    def view(self, name: str, ident: str, data: bytes) -> FileView | None:
        """The view of file `name` with blob `ident` and content `data` (parsed if new)."""
        memo = (_kind(name), ident)
        if memo in self.views:
            return self.views[memo]
        return self._view_of(name, ident, data, self._layout(name, data), None)

    def view_many(self, files: list[tuple[str, str, bytes]]) -> None:
        """`view` of each (name, blob id, content), their parts looked up in the cache
        in one query (one query per part cost L's 2,300 parts ~25 ms)."""
        todo = [(n, i, d) for n, i, d in files if (_kind(n), i) not in self.views]
        layouts = [self._layout(n, d) for n, _, d in todo]
        keys = [k for layout in layouts if layout for _, k, _ in layout if k not in self.models]
        stored = self.cached.get_many(keys) if self.cached is not None and keys else {}
        for (name, ident, data), layout in zip(todo, layouts, strict=True):
            if (_kind(name), ident) not in self.views:  # one blob under two names
                self._view_of(name, ident, data, layout, stored)

    def _view_of(self, name: str, ident: str, data: bytes, layout, stored: dict | None
                 ) -> FileView | None:
        memo = (_kind(name), ident)
        view = None
        if layout is not None and all(self._model(slot, key, text, stored) is not None
                                      for slot, key, text in layout):
            # Each part with the id of its entity ("" for the network's own fields),
            # so a version is put together and compared without decoding its parts.
            models = self.models
            plain = [[slot, key, "" if slot.startswith("network") else models[key].id]
                     for slot, key, _ in layout]
            view = self._view(name, plain)  # its parts are in memory: never decoded
            if blob_id(data) == ident:  # never file a layout under an id it does not have
                self.fresh_layouts.append((_layout_key(name, ident), plain))
        self.views[memo] = view
        return view

    # -- parts ------------------------------------------------------------------

    def model(self, key: str):
        """The model of part `key` (decoded from the cache, else parsed from its file)."""
        found = self.models.get(key)
        if found is None:
            self.decode([key])
            found = self.models[key]
        return found

    def decode(self, keys) -> None:
        """Decode these parts in bulk: one cache read; parts the cache lost or damaged
        are parsed again from their file's text (and stored again)."""
        todo = [k for k in dict.fromkeys(keys) if self.models.get(k) is None]
        if not todo:
            return
        stored = self.cached.get_many(todo) if self.cached is not None else {}
        for key in todo:
            value = stored.get(key)
            model = _from_json(self.slots[key], value) if value is not None else None
            if model is not None:  # a malformed entry is parsed again and replaced
                self.models[key] = model
        lost = {k for k in todo if self.models.get(k) is None}
        for name, ident in dict.fromkeys(self.origins[k] for k in lost):
            data = self.reader(ident) if self.reader is not None else None
            for slot, key, text in (self._layout(name, data) or []) if data else []:
                if key in lost:
                    self.models.pop(key, None)
                    self._model(slot, key, text)
        if any(self.models.get(k) is None for k in lost):
            from mouctl.errors import MouError

            raise MouError("mouctl's parse cache does not match the repository's files",
                           "delete the folder .git/mouctl-cache (always safe) and run "
                           "again")

    def decode_entities(self, entities) -> None:
        """Decode the parts of these entities in bulk (before using their models)."""
        self.decode([k for e in entities if e._model is None for k in e.needs])

    def _layout(self, name: str, data: bytes) -> list[tuple[str, str, str]] | None:
        text = _text(data)
        if text is None:
            return None
        kind = _kind(name)
        slot = "network" if kind == NETWORK_FILE else _FILE_SLOT[kind]
        cut_keys = _SLOTS[slot][2]
        parts = textparts.cut(text, cut_keys) if len(text) < yamldoc.MAX_VALUES else None
        if parts is None:
            return [(slot, part_key(slot, text), text)]
        # Which lists were cut out goes into the head's slot (and so its key): the
        # same head text with and without a list cut out is a different part.
        head = slot + _cut_mark(parts)
        out = [(head, part_key(head, parts.head), parts.head)]
        for key in cut_keys:  # the list's own name is the slot of its items
            out += [(key, part_key(key, item), item) for item in parts.lists.get(key, [])]
        return out

    def _view(self, name: str, layout: list) -> FileView:
        head_slot, head_key, head_id = layout[0]
        slot, _, mark = head_slot.partition("+")
        cut = tuple(mark.split(",")) if mark else ()
        if slot == "network":
            # The network's own fields are needed by every comparison: decoded now
            # (the lists not cut into parts are inside them).
            head = self.model(head_key)
            entities = [Entity(s, k, self.models.get(k), load=partial(self.model, k),
                               needs=(k,), ident=i or None) for s, k, i in layout[1:]]
            for section in ENTITY_LISTS:
                if section not in cut:
                    entities += [Entity(section, f"{head_key}:{section}:{i}", m)
                                 for i, m in enumerate(getattr(head, section))]
            order = {s: i for i, s in enumerate(ENTITY_LISTS)}
            entities.sort(key=lambda e: order[e.section])  # stable: file order within
            return FileView(head, head_key, entities, cut)
        if "units" in cut:
            keys = tuple(k for _, k, _ in layout[1:])
            whole = hashlib.sha256("|".join(k for _, k, _ in layout).encode()
                                   ).hexdigest()[:32]
            load = partial(self._qualification, whole, head_key, keys)
            entity = Entity("qualifications", whole, self.models.get(whole), keys,
                            load=load, needs=(head_key, *keys), ident=head_id or None,
                            unit_ids=tuple(i for _, _, i in layout[1:]))
            return FileView(None, whole, [entity], ())
        section = "partners" if slot == "partner-file" else "qualifications"
        entity = Entity(section, head_key, self.models.get(head_key),
                        load=partial(self.model, head_key), needs=(head_key,),
                        ident=head_id or None)
        return FileView(None, head_key, [entity], ())

    def _qualification(self, whole: str, head_key: str, keys: tuple[str, ...]):
        """A qualification written with its units as parts, put together once."""
        model = self.models.get(whole)
        if model is None:
            self.decode((head_key, *keys))
            model = self.models[head_key].model_copy(
                update={"units": [self.models[k] for k in keys]})
            self.models[whole] = model
        return model

    def _model(self, slot: str, key: str, text: str, looked_up: dict | None = None):
        """The model of a part, from memory, the cache or its text. `looked_up`: the
        cache's entries already read for these parts (a key missing there: not cached)."""
        if key in self.models:
            return self.models[key]
        if looked_up is not None:
            stored = looked_up.get(key)
        else:
            stored = self.cached.get(key) if self.cached is not None else None
        model = _from_json(slot, stored) if stored is not None else None
        if model is None:
            model = _parse(slot, text)
            if model is not None:
                self.fresh.append((key, model))
        self.models[key] = model
        return model

    def entity_json(self, entity: Entity) -> str:
        """The entity as `Network.fingerprint` writes it (sorted keys), computed once."""
        found = self.json.get(entity.key)
        if found is None:
            found = json.dumps(fingerprint_data(entity.model), sort_keys=True,
                               ensure_ascii=False)
            self.json[entity.key] = found
        return found

    def save(self) -> None:
        """Write the parts and layouts met for the first time (one transaction each)."""
        if self.cached is not None:
            # pydantic writes the JSON itself: a third of the time of a dump to Python
            # values and json.dumps (the cache needs only what validates back).
            self.cached.put_many_json((key, model.model_dump_json(exclude_unset=True))
                                      for key, model in self.fresh)
            self.layouts.put_many(self.fresh_layouts)
        self.fresh, self.fresh_layouts = [], []


def _cut_mark(parts: textparts.Parts) -> str:
    return "+" + ",".join(sorted(parts.lists)) if parts.lists else ""


def _kind(name: str) -> str:
    return name.split("/", 1)[0] if "/" in name else name


def _layout_key(name: str, ident: str) -> str:
    return f"{_kind(name)}:{ident}"


def _text(data: bytes) -> str | None:
    """The file's text when it decodes as `yamldoc.read` would accept it, else None."""
    if len(data) > yamldoc.MAX_BYTES or b"\x00" in data or data.startswith(_OTHER_BOMS):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip() or any(m in text for m in ("<" * 7, "=" * 7, ">" * 7, "|" * 7)):
        return None
    return text


def _parse(slot: str, text: str):
    """The validated model of one part, None when it has any problem."""
    model, item, cut = _SLOTS[slot.split("+", 1)[0]]
    doc = yamldoc.read(slot, text.encode("utf-8"))
    if doc.problems or doc.root is None:
        return None
    data = doc.data
    if item:
        if not (isinstance(data, list) and len(data) == 1):
            return None
        data = data[0]
    if not isinstance(data, dict):
        return None
    if cut and "+" in slot:
        data = dict(data)
        for key in slot.split("+", 1)[1].split(","):
            if key in data:
                return None
            data[key] = []
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _from_json(slot: str, value):
    model = _SLOTS[slot.split("+", 1)[0]][0]
    try:
        return model.model_validate(value)
    except (ValidationError, TypeError, ValueError):
        return None  # a malformed entry: parsed again from the text
