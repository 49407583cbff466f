"""Country names, so that "Which city ...?" is not answered with a country."""

from __future__ import annotations

COUNTRIES = frozenset(
    name.lower()
    for name in """
    Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria
    Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan
    Bolivia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon Canada Chad Chile
    China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica
    Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia
    Georgia Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary
    Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan
    Kenya Kiribati Korea Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia
    Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali
    Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia Montenegro
    Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria
    Norway Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal
    Qatar Romania Russia Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia
    Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria Taiwan Tajikistan
    Tanzania Thailand Togo Tonga Tunisia Turkey Türkiye Turkmenistan Tuvalu Uganda Ukraine
    Uruguay Uzbekistan Vanuatu Vatican Venezuela Vietnam Yemen Zambia Zimbabwe Europe Asia
    Africa America Oceania
""".split()
) | frozenset(
    {
        "north korea", "south korea", "the united states", "united states", "the us", "the u.s.",
        "the united kingdom", "united kingdom", "the uk", "new zealand", "saudi arabia",
        "south africa", "sri lanka", "costa rica", "el salvador", "the philippines",
        "the netherlands", "east timor", "north macedonia", "the united arab emirates",
        "russia's far east", "the far east", "the korean peninsula",
    }
)  # fmt: skip


def is_country(low: str) -> bool:
    """``low`` (lower case) names a country, with or without its "the" ("uk", "the uk")."""
    return low in COUNTRIES or f"the {low}" in COUNTRIES
