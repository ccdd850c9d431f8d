"""Country codes as EU documents write them: ISO 3166-1 alpha-2 plus `EL` and `UK`.

The EU's interinstitutional style guide writes `EL` for Greece and `UK` for the
United Kingdom; both forms are accepted (domain primer).
"""

from __future__ import annotations

# Names for the countries that take part in Erasmus+ VET mobility (EU, EEA, candidates,
# UK, CH): they feed hints such as "did you mean 'DE'?" when a name is written.
NAMES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "EL": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta",
    "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SK": "Slovakia", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden", "IS": "Iceland",
    "LI": "Liechtenstein", "NO": "Norway", "MK": "North Macedonia", "RS": "Serbia",
    "TR": "Türkiye", "UK": "United Kingdom", "CH": "Switzerland", "AL": "Albania",
    "BA": "Bosnia and Herzegovina", "ME": "Montenegro", "XK": "Kosovo", "UA": "Ukraine",
    "MD": "Moldova", "GE": "Georgia", "AM": "Armenia", "AZ": "Azerbaijan",
}

# The same countries in their own language(s), as a partner may write them.
LOCAL_NAMES: dict[str, tuple[str, ...]] = {
    "AT": ("Österreich",), "BE": ("België", "Belgique", "Belgien"), "BG": ("България",
    "Bulgaria"), "HR": ("Hrvatska",), "CY": ("Κύπρος", "Kıbrıs"), "CZ": ("Česko",
    "Česká republika"), "DK": ("Danmark",), "EE": ("Eesti",), "FI": ("Suomi",),
    "FR": ("France",), "DE": ("Deutschland",), "EL": ("Ελλάδα", "Ελλάς", "Hellas",
    "Ellada"), "HU": ("Magyarország",), "IE": ("Éire",), "IT": ("Italia",),
    "LV": ("Latvija",), "LT": ("Lietuva",), "LU": ("Lëtzebuerg", "Luxemburg"),
    "MT": ("Malta",), "NL": ("Nederland",), "PL": ("Polska",), "PT": ("Portugal",),
    "RO": ("România",), "SK": ("Slovensko",), "SI": ("Slovenija",), "ES": ("España",
    "Espanya", "Espainia"), "SE": ("Sverige",), "IS": ("Ísland",), "NO": ("Norge",
    "Noreg"), "MK": ("Северна Македонија",), "RS": ("Србија", "Srbija"),
    "TR": ("Türkiye",), "CH": ("Schweiz", "Suisse", "Svizzera", "Svizra"),
    "AL": ("Shqipëria",), "BA": ("Bosna i Hercegovina",), "ME": ("Crna Gora",),
    "XK": ("Kosova", "Kosovë"), "UA": ("Україна",), "MD": ("Moldova",),
}

# The ISO 3166-1 alpha-2 codes (officially assigned), for partners outside Europe.
_ISO = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""

ISO_CODES: frozenset[str] = frozenset(_ISO.split())
# EU spellings, and Kosovo's user-assigned code used by the Commission.
ACCEPTED: frozenset[str] = ISO_CODES | {"EL", "UK", "XK"}
# The ISO form of a code the EU writes differently.
EU_FORM: dict[str, str] = {"GR": "EL", "GB": "UK"}


def suggest(value: str) -> str | None:
    """The code a mistyped country most likely meant, or None."""
    text = value.strip()
    upper = text.upper()
    if upper in ACCEPTED and text != upper:
        return upper
    wanted = text.casefold()
    for code, name in NAMES.items():
        if wanted in (name.casefold(), *(n.casefold() for n in LOCAL_NAMES.get(code, ()))):
            return code
    for code, name in NAMES.items():
        if len(text) > 3 and name.lower().startswith(text.lower()[:4]):
            return code
    return None
