"""The names of a network's data files and lists (no imports: cheap for any command)."""

NETWORK_FILE = "network.yaml"
SPLIT_KINDS = ("partners", "qualifications")
ENTITY_LISTS = ("partners", "organisations", "covered_organisations", "qualifications")
