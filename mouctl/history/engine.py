"""The incremental history engine: every version built from parts parsed once.

A version of the network is the list of its data files' blob ids (read from git's
trees in bulk). Each file is cut into parts that are parsed, validated and cached
once (`parts`), so a commit that touched one partner file costs the parse of that
file; the version's model is assembled from models already built. Its validity is
decided the same way: the rules that relate entities (unique ids, references) run
on small per-entity summaries, the rules inside one entity only for entities not
checked before. Two versions are compared on the entities whose text changed.

Whenever that shortcut cannot answer exactly (a part with any problem, an error
found, a rename, a reordering, a symbolic link) the version is read and compared in
full by the same code as before (`source.load_documents`, `changes.compare`), so
the answers are those of a full re-parse; the property tests check exactly that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from itertools import chain

from mouctl.history import gitread
from mouctl.history import revisions as history
from mouctl.history.parsecache import Cache, Store
from mouctl.history.parts import Entity, FileView, Parts, blob_id
from mouctl.model.network import Network, fingerprint_data
from mouctl.source import checks, references
from mouctl.source import loader as source
from mouctl.text import plural

_SECTIONS = source.ENTITY_LISTS  # partners, organisations, covered_organisations, qualifications
_FIRST_SECTIONS = ("partners", "covered_organisations", "qualifications")  # always dumped
_NO_DATE = dt.date(2000, 1, 1)  # errors do not depend on the date (only warnings do)
_MAX_STORED_VERSION = 256 * 1024
_MEMO_VERSIONS = 16
# Files parsed together, their parts looked up in the cache in one query. Small enough
# that a cold `log` of L does not hold many blobs at once (500: 190 MiB peak, 64: 160).
_VIEW_BATCH = 64
_KINDS = {"partners": references.PARTNER, "organisations": references.ORGANISATION,
          "covered_organisations": references.COVERED,
          "qualifications": references.QUALIFICATION}


@dataclass(frozen=True)
class Tree:
    """The data files of one version, named by their git object ids."""

    prefix: str
    main: tuple[bytes, str]  # network.yaml: (mode, blob id)
    listings: tuple[tuple[tuple[str, bytes, str, str, str], ...], ...]  # per data folder:
    # (name, mode, blob id, kind, stem) in loading order
    key: str  # a content address of all of it (tree ids name their content)
    odd: bool = False  # a data folder that is not a folder, a file named *.YAML

    @property
    def files(self) -> list[tuple[str, bytes, str]]:
        """(name, mode, blob id) of every data file."""
        return [(source.NETWORK_FILE, *self.main),
                *((name, mode, oid) for listing in self.listings
                  for name, mode, oid, _, _ in listing)]


class Version:
    """The network at one commit: valid with a model, or invalid with its first problem.

    A version assembled from parts holds its entities by key; its whole model is put
    together only when asked for (`network`), so comparing two versions decodes only
    the entities whose text differs.
    """

    def __init__(self, valid: bool, network: Network | None = None, problem: str = "", *,
                 entities: dict[str, list[Entity]] | None = None, head: Network | None = None,
                 head_key: str = "", parts: Parts | None = None, key: str = "") -> None:
        self.valid, self.problem = valid, problem
        self._network = network
        self.entities = entities  # None: read in full, not in parts
        self.head = head  # the network's own fields (entities: None)
        self.head_key, self.parts = head_key, parts
        self.key = key  # the tree key of its files ("" for a working tree)
        self.ids: dict[str, dict[str, str]] = {}  # section: id -> entity key
        if entities is not None:  # ids from the layouts (an entity without: decoded)
            self.ids = {s: {e.ident if e.ident is not None else e.model.id: e.key
                            for e in entities[s]} for s in _SECTIONS}

    @property
    def network(self) -> Network | None:
        """The whole model (put together on first use)."""
        if self._network is None and self.entities is not None:
            self._network = self.only(*_SECTIONS)
        return self._network

    def only(self, *sections: str) -> Network:
        """The network with only these lists filled (the others empty): for a question
        on its partners, say, without decoding its units."""
        if self._network is not None:
            return self._network.model_copy(
                update={s: [] for s in _SECTIONS if s not in sections})
        lists = self.entities
        self.parts.decode_entities(e for s in sections for e in lists[s])
        return self.head.model_copy(update={s: [e.model for e in lists[s]] if s in sections
                                            else [] for s in _SECTIONS})


class Engine:
    """Reads the versions of one network for one command."""

    def __init__(self, loc: history.Location, prefixes: list[str], store: Store,
                 parts: Parts | None = None, *, incremental: bool = True) -> None:
        self.loc, self.prefixes, self.store = loc, prefixes, store
        # incremental=False reads and compares every version in full: the reference
        # the property tests hold the incremental answers to.
        self.incremental = incremental
        self.git_dir = loc.git_dir
        self.objects = gitread.Objects(self.git_dir)
        self.parts = parts or Parts(store)
        if self.parts.reader is None:  # a part the cache lost is read again from git
            self.parts.reader = self.objects.read
        self.full = Cache(store, "version", _version_shape)
        self.trees: dict[str, Tree | None] = {}
        self.listings: dict[tuple[str, str], tuple] = {}
        self.versions: dict[str, Version] = {}  # tree key -> version
        self.checked: set[str] = set()  # entity and head keys whose own rules passed
        self.facts: dict[str, tuple] = {}  # entity key -> (ids, references, ...)
        # Tree keys known to assemble into a valid version, and fingerprints by tree
        # key: both depend only on the files (and the code, part of every cache key),
        # so a second command skips the cross-entity checks and the JSON dump.
        self.verdicts = Cache(store, "valid-tree", lambda value: value is True)
        self.prints = Cache(store, "fingerprint", lambda value: isinstance(value, str))
        self.known_valid: set[str] = set()
        self.known_prints: dict[str, str] = {}
        # The index the references were last checked against, and the entities whose
        # references passed against it (see _references_ok).
        self.ref_shape: list | None = None
        self.ref_index: dict = {}
        self.ref_checked: set[str] = set()
        self.fresh: dict[str, list] = {"valid-tree": [], "fingerprint": []}

    # -- trees ------------------------------------------------------------------

    def prepare(self, commits: list[str]) -> None:
        """Find and parse the data files of all these commits, with git in bulk."""
        unique = [c for c in dict.fromkeys(commits) if c not in self.trees]
        specs = [f"{sha}:{p.rstrip('/')}" if p else f"{sha}^{{tree}}" for sha in unique
                 for p in self.prefixes]
        found = iter(gitread.object_ids(self.git_dir, specs))
        roots = {sha: [r[0] if r and r[1] == "tree" else None
                       for r in (next(found) for _ in self.prefixes)] for sha in unique}
        raw: dict[str, dict] = {}
        self._read_trees([r for rs in roots.values() for r in rs if r], raw)
        subtrees = {(kind, entry[1]) for rs in roots.values() for r in rs if r
                    for kind in history.DATA_DIRS
                    if (entry := raw[r].get(kind)) and entry[0] == gitread.TREE}
        self._read_listings(subtrees)
        for sha in unique:
            self.trees[sha] = None
            for prefix, root in zip(self.prefixes, roots[sha], strict=True):
                entries = raw.get(root, {}) if root else {}
                main = entries.get(source.NETWORK_FILE)
                if main is None or main[0] not in gitread.BLOB_MODES:
                    continue
                subs = [entries.get(kind) for kind in history.DATA_DIRS]
                # `partners` as a file or a submodule (not a tree) is refused, as in the
                # working tree: such a version is read (and refused) in full.
                odd = tuple(f"{kind}:{sub[0].decode()}:{sub[1]}" for kind, sub
                            in zip(history.DATA_DIRS, subs, strict=True)
                            if sub is not None and sub[0] != gitread.TREE)
                subs = [(kind, sub[1]) for kind, sub in zip(history.DATA_DIRS, subs,
                                                            strict=True)
                        if sub is not None and sub[0] == gitread.TREE]
                listings = tuple(self.listings[sub] for sub in subs)
                odd += tuple(name for listing in listings for name, *_ in listing
                             if not name.endswith((".yaml", ".yml")))
                key = Cache.key([prefix, main[1], *(oid for _, oid in subs), *odd])
                self.trees[sha] = Tree(prefix, main, listings, key, bool(odd))
                break
        if self.incremental:
            self._prefetch([self.trees[sha] for sha in unique])
            keys = {tree.key for sha in unique if (tree := self.trees[sha]) is not None}
            self.known_valid.update(self.verdicts.get_many(keys))

    def _read_trees(self, oids: list[str], memo: dict) -> None:
        todo = [oid for oid in dict.fromkeys(oids) if oid not in memo]
        for oid, data in self.objects.read_many(todo):
            memo[oid] = {name: (mode, ident) for mode, name, ident
                         in gitread.tree_entries(data or b"")}

    def _read_listings(self, subtrees: set[tuple[str, str]]) -> None:
        """The data files in each (kind, tree id), sorted as `source.load` reads them."""
        todo = {oid: kind for kind, oid in subtrees if (kind, oid) not in self.listings}
        for oid, data in self.objects.read_many(list(todo)):
            kind = todo[oid]
            self.listings[(kind, oid)] = tuple(sorted(
                (f"{kind}/{name}", mode, ident, kind, name.rsplit(".", 1)[0])
                for mode, name, ident in gitread.tree_entries(data or b"")
                if mode in gitread.BLOB_MODES
                and name.lower().endswith((".yaml", ".yml"))))  # *.YAML: refused in full

    def _prefetch(self, trees: list[Tree | None]) -> None:
        """Parse every file of these versions not parsed before, reading them in bulk."""
        names = list(dict.fromkeys((name, oid) for tree in dict.fromkeys(trees)
                                   if tree is not None for name, mode, oid in tree.files
                                   if mode != gitread.SYMLINK
                                   and (name.split("/", 1)[0], oid) not in self.parts.views))
        known = self.parts.known(names)
        todo = [(name, oid) for name, oid in names if (name, oid) not in known]
        by_id: dict[str, list[str]] = {}
        for name, oid in todo:
            by_id.setdefault(oid, []).append(name)
        files: list[tuple[str, str, bytes]] = []
        for oid, data in self.objects.read_many(list(by_id)):
            if data is not None:
                files += [(name, oid, data) for name in by_id[oid]]
            if len(files) >= _VIEW_BATCH:  # bounded: a long history's blobs stream through
                self.parts.view_many(files)
                files = []
        self.parts.view_many(files)

    # -- versions -----------------------------------------------------------------

    def version(self, sha: str) -> Version | None:
        """The version at `sha` (prepared first); None when it has no network."""
        if sha not in self.trees:
            self.prepare([sha])
        tree = self.trees[sha]
        if tree is None:
            return None
        found = self.versions.get(tree.key)
        if found is None:
            found = (self.incremental and self._in_parts(tree)) or self._in_full(sha, tree)
            found.key = tree.key
            self.versions[tree.key] = found
            # `log` compares each version with its parent, newest first: only the
            # last few are needed again, so memory stays flat over long histories.
            while len(self.versions) > _MEMO_VERSIONS:
                self.versions.pop(next(iter(self.versions)))
        return found

    def _in_parts(self, tree: Tree) -> Version | None:
        """The version assembled from parts when it is valid, else None."""
        if tree.odd:
            return None
        mode, oid = tree.main
        head = self._view(source.NETWORK_FILE, source.NETWORK_FILE, mode, oid)
        if head is None:
            return None
        views = self.parts.views
        items = []
        for listing in tree.listings:
            for name, mode, oid, kind, stem in listing:
                view = views.get((kind, oid)) or self._view(name, kind, mode, oid)
                if view is None:
                    return None
                items.append((view, stem))
        known = tree.key in self.known_valid
        version = self._assemble(head, items, known_valid=known)
        if version is not None and not known:
            self.known_valid.add(tree.key)
            self.fresh["valid-tree"].append((tree.key, True))
        return version

    def from_files(self, files: dict[str, bytes]) -> Version | None:
        """The version of these files (a working tree) when valid in parts, else None."""
        if source.NETWORK_FILE not in files:
            return None
        views = []
        for name in sorted(files, key=lambda n: (n != source.NETWORK_FILE, n)):
            view = self.parts.view(name, blob_id(files[name]), files[name])
            if view is None:
                return None
            views.append((view, name.split("/", 1)[-1].rsplit(".", 1)[0]))
        return self._assemble(views[0][0], views[1:])

    def _assemble(self, head: FileView, items: list[tuple[FileView, str]], *,
                  known_valid: bool = False) -> Version | None:
        lists: dict[str, list[Entity]] = {s: [] for s in _SECTIONS}
        for entity in head.entities:
            lists[entity.section].append(entity)
        for view, stem in items:
            for entity in view.entities:
                # The id from the file's layout (no decoding), else from the model.
                if (entity.ident if entity.ident is not None else entity.model.id) != stem:
                    return None  # file-name-mismatch: an error, located in full
                lists[entity.section].append(entity)
        version = Version(True, entities=lists, head=head.head, head_key=head.head_key,
                          parts=self.parts)
        return version if known_valid or self._valid(version) else None

    def _view(self, name: str, kind: str, mode: bytes, oid: str) -> FileView | None:
        if mode == gitread.SYMLINK:
            return None  # a link's blob is its target's name: refused, located in full
        view = self.parts.views.get((kind, oid))
        if view is None and (kind, oid) not in self.parts.views:
            view = self.parts.known([(name, oid)]).get((name, oid))
            if view is None:
                data = self.objects.read(oid)
                view = self.parts.view(name, oid, data) if data is not None else None
        return view

    def _valid(self, version: Version) -> bool:
        """True when `load_documents` would find no error (never wrongly True)."""
        net, lists = version.network, version.entities
        facts = [self._facts(e) for s in _SECTIONS for e in lists[s]]
        ids = list(chain.from_iterable(f[0] for f in facts))
        numbers = list(chain.from_iterable(f[3] for f in facts))
        if len(set(ids)) != len(ids) or len(set(numbers)) != len(numbers):
            return False  # duplicate-id, duplicate-oid, duplicate-pic
        if not self._references_ok(version, facts):
            return False  # unknown-reference, wrong-kind, awarder-not-competent ...
        # The rules inside one entity, for the entities not checked before (and the
        # network's own fields); references resolve through `known_ids`.
        checked = self.checked
        todo = {s: [e for e in lists[s] if e.key not in checked] for s in _SECTIONS}
        sub = net.model_copy(update={s: [e.model for e in todo[s]] for s in _SECTIONS})
        found = checks.run(sub, today=_NO_DATE, known_ids=set(ids), warnings=False)
        if any(f.severity == "error" for f in found):
            return False
        checked.update(e.key for s in _SECTIONS for e in todo[s])
        return True

    def _references_ok(self, version: Version, facts: list[tuple]) -> bool:
        """References by kind (coordinator, awarding bodies, hosts, assessors ...), the
        rules `validate` applies, checked for the entities not checked before.

        A reference's answer depends only on the index of the version (every id with
        its kind and roles): while that stays the same (most commits), an entity whose
        text did not change is not checked again. Checking the whole version each time
        made `log` of L cost ~20 s more.
        """
        net, lists = version.network, version.entities
        shape = [f[4] for f in facts]  # each entity's (id, kind, roles): the index
        if shape != self.ref_shape:
            self.ref_shape, self.ref_index = shape, references.index(net)
            self.ref_checked = set()
        done = self.ref_checked
        todo = {s: [e.model for e in lists[s] if e.key not in done] for s in _SECTIONS}
        sub = net.model_copy(update=todo)  # the network's own references always
        if any(f.severity == "error"
               for f in references.check(sub, set(), ids=self.ref_index)):
            return False
        done.update(e.key for s in _SECTIONS for e in lists[s])
        return True

    def _facts(self, entity: Entity) -> tuple:
        found = self.facts.get(entity.key)
        if found is None:
            m = entity.model
            ids, refs, awarder, numbers = [m.id], [], None, []
            kind = _KINDS[entity.section]
            entries = [(m.id, kind, frozenset(getattr(m, "roles", ())))]
            if entity.section == "partners":
                numbers = [(n, v) for n, v in (("oid", m.oid), ("pic", m.pic)) if v]
            elif entity.section == "covered_organisations":
                refs = [m.covered_by] if m.covered_by is not None else []
            elif entity.section == "organisations":
                pass  # an organisation that does not sign refers to nothing
            else:
                awarder = m.awarding_institution
                refs = [awarder] if awarder is not None else []
                for unit in m.units:
                    ids.append(unit.id)
                    refs += unit.hosts
                    refs += unit.assessment.assessed_by
                    entries.append((unit.id, references.UNIT,
                                    frozenset(getattr(unit, "roles", ()))))
            found = (tuple(ids), frozenset(refs), awarder, tuple(numbers), tuple(entries))
            self.facts[entity.key] = found
        return found

    def _in_full(self, sha: str, tree: Tree) -> Version:
        """The version read whole by `source.load_documents` (invalid data, links...)."""
        stored = self.full.get(tree.key)
        if stored is None:
            stored = parse_in_full(history.commit_object(self.loc, sha), tree.prefix)
            if len(json.dumps(stored.get("network", ""))) <= _MAX_STORED_VERSION:
                self.full.put(tree.key, stored)
        if not stored["valid"]:
            return Version(False, problem=stored["problem"])
        return Version(True, Network.model_validate(stored["network"]))

    # -- comparing ------------------------------------------------------------------

    def compare(self, old: Version, new: Version, *, withdrawn=()) -> list:
        """`changes.compare` of two valid versions, on the entities that changed."""
        from mouctl.changes import compare as changes

        if old.entities is None or new.entities is None or not self.incremental:
            return changes.compare(old.network, new.network, withdrawn=withdrawn)
        update_old, update_new = {}, {}
        for section in _SECTIONS:
            before, after = old.ids[section], new.ids[section]
            kept_before = [i for i in before if i in after]
            kept_after = [i for i in after if i in before]
            if kept_before != kept_after:
                return changes.compare(old.network, new.network, withdrawn=withdrawn)  # reordered
            moved = {i for i in before if after.get(i) != before[i]} | {
                i for i in after if before.get(i) != after[i]}
            if not moved:
                update_old[section], update_new[section] = [], []
                continue
            olds = {i: e for e in old.entities[section] if (i := e.id) in moved}
            news = {i: e for e in new.entities[section] if (i := e.id) in moved}
            if section == "qualifications":
                olds, news = _changed_units(self.parts, olds, news)
            self.parts.decode_entities([*olds.values(), *news.values()])
            update_old[section] = [e.model for e in olds.values()]
            update_new[section] = [e.model for e in news.values()]
        # Only the changed entities, in the versions' own fields (`head`): the rest of
        # either version is never decoded.
        found = changes.compare(old.head.model_copy(update=update_old),
                                new.head.model_copy(update=update_new), withdrawn=withdrawn)
        if any(c.action == "renamed" for c in found):
            # A rename is followed through references everywhere: compare in full.
            return changes.compare(old.network, new.network, withdrawn=withdrawn)
        return found

    def fingerprint(self, version: Version) -> str:
        """`Network.fingerprint()` of the version, from the entities' cached JSON."""
        if version.entities is None:
            return version.network.fingerprint()
        if version.key:
            stored = self.known_prints.get(version.key) or self.prints.get(version.key)
            if stored is not None:
                self.known_prints[version.key] = stored
                return stored
        # A section added later (organisations) is left out while empty, as
        # Network.fingerprint leaves it out.
        marks = {s: f"\x00{s}\x00" for s in _SECTIONS
                 if version.entities[s] or s in _FIRST_SECTIONS}
        self.parts.decode_entities(e for s in _SECTIONS for e in version.entities[s])
        data = fingerprint_data(version.head.model_copy(update={s: [] for s in _SECTIONS}))
        data.update(marks)
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        for section, mark in marks.items():
            items = ", ".join(self.parts.entity_json(e) for e in version.entities[section])
            text = text.replace(json.dumps(mark), f"[{items}]", 1)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        if version.key:
            self.known_prints[version.key] = digest
            self.fresh["fingerprint"].append((version.key, digest))
        return digest

    def close(self) -> None:
        """Write what was parsed for the first time, end git."""
        self.objects.close()
        self.parts.save()
        self.verdicts.put_many(self.fresh.pop("valid-tree", []))
        self.prints.put_many(self.fresh.pop("fingerprint", []))
        self.fresh = {"valid-tree": [], "fingerprint": []}


def _changed_units(parts: Parts, olds: dict[str, Entity], news: dict[str, Entity]
                   ) -> tuple[dict, dict]:
    """Qualifications on both sides reduced to the units whose text changed (only
    those units are decoded).

    Units kept in another order are left whole (the comparison reports the order).
    """
    olds, news = dict(olds), dict(news)
    plans = []  # (side, id, entity, the keys of its units that changed)
    for ident in olds.keys() & news.keys():
        before, after = olds[ident], news[ident]
        if not (before.units and after.units):
            continue
        a, b = _unit_keys(before), _unit_keys(after)
        if [i for i in a if i in b] != [i for i in b if i in a]:
            continue
        moved = {i for i in a if b.get(i) != a[i]} | {i for i in b if a.get(i) != b[i]}
        for side, entity, keys in ((olds, before, a), (news, after, b)):
            plans.append((side, ident, entity, [k for i, k in keys.items() if i in moved]))
    # entity.needs[0]: the qualification's own fields (a part of its own)
    parts.decode(k for _, _, entity, kept in plans for k in (entity.needs[0], *kept))
    for side, ident, entity, kept in plans:
        model = parts.models[entity.needs[0]].model_copy(
            update={"units": [parts.models[k] for k in kept]})
        side[ident] = Entity(entity.section, entity.key, model)
    return olds, news


def _unit_keys(entity: Entity) -> dict[str, str]:
    """{unit id: unit key} of a qualification read unit by unit, in its order."""
    if len(entity.unit_ids) == len(entity.units):
        return dict(zip(entity.unit_ids, entity.units, strict=True))
    return {u.id: k for u, k in zip(entity.model.units, entity.units, strict=True)}


def parse_in_full(commit, prefix: str) -> dict:
    """{valid, network | problem} of the data at `commit`, read whole as `validate` does."""
    files, problems = history.read_data(commit, prefix)
    loaded = source.load_documents(files, today=_NO_DATE, display=lambda n: f"{prefix}{n}")
    errors = [d for d in problems + loaded.diagnostics if d.severity == "error"]
    if loaded.network is None or errors:
        first = errors[0] if errors else None
        problem = plural(len(errors), "error") + (
            f", first: {first.where()}: {first.message}" if first else "")
        return {"valid": False, "problem": problem}
    return {"valid": True, "network": loaded.network.model_dump(mode="json")}


def _version_shape(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("valid"), bool) and (
        isinstance(value.get("network"), dict) if value["valid"]
        else isinstance(value.get("problem"), str))
