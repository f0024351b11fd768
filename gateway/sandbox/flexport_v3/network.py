"""The account's network: company entities with their refs, and the ports POs use.

The account holder is the merchant (Northwind Goods Co.): its entities are
the buyers, owners and consignees of every seeded PO. A dozen suppliers sell
the catalogue's product families; Flexport itself is the freight forwarder.
The tables are fixed, so every seed sees the same network.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Fields

ENTITY_ID_BASE = 561001


@dataclass(frozen=True)
class CompanyEntity:
    id: int
    name: str
    # The legal-entity reference: a party's `external_ref` and `company_entity.ref`.
    ref: str
    # The company it belongs to (`f.buyer_ref` / `f.seller_ref` filter on it).
    company_ref: str
    mailing_address: Fields
    vat_numbers: tuple[tuple[str, str], ...] = ()
    own: bool = False
    # Product families (catalogue name prefixes) a supplier sells.
    families: tuple[str, ...] = ()


@dataclass(frozen=True)
class Port:
    unlocode: str
    name: str
    address: Fields
    port_code: str


def address(
    text: str, *, unlocode: str | None = None, ref: str | None = None
) -> Fields:
    """An /address from `street|street2|city|state|country|CC|zip|timezone`."""
    parts = [part or None for part in text.split("|")]
    street, street2, city, state, country, code, zip_code, timezone = parts
    return {
        "street_address": street,
        "street_address2": street2,
        "city": city,
        "state": state,
        "country": country,
        "country_code": code,
        "zip": zip_code,
        "unlocode": unlocode,
        "timezone": timezone,
        "ref": ref,
    }


_LA = "America/Los_Angeles"
_VN = "Asia/Ho_Chi_Minh"
_CN = "Asia/Shanghai"
_NY = "America/New_York"
# (entity ref, company ref, name, address, VAT number or "")
_ENTITIES = (
    ("northwind-us", "northwind", "Northwind Goods Co.",
     f"1200 Harbor Ave SW|Suite 400|Seattle|WA|United States|US|98126|{_LA}", ""),
    ("northwind-ca", "northwind", "Northwind Goods Canada Ltd.",
     "88 Pender St W||Vancouver|BC|Canada|CA|V6B 1R8|America/Vancouver",
     "CA812345678RT0001"),
    ("hanoi-knitworks-vn", "hanoi-knitworks", "Hanoi Knitworks JSC",
     f"42 Ton Duc Thang||Hanoi||Vietnam|VN|100000|{_VN}", ""),
    ("porto-footwear-pt", "porto-footwear", "Porto Footwear Lda",
     "Rua do Almada 310||Porto||Portugal|PT|4050-032|Europe/Lisbon", "PT509876543"),
    ("brightline-sz", "brightline", "Shenzhen Brightline Electronics Co., Ltd.",
     f"355 100 Foot Rd||Shenzhen|Guangdong|China|CN|518000|{_CN}", ""),
    ("brightline-hk", "brightline", "Brightline Trading (HK) Limited",
     "18 Harbour Rd||Hong Kong||Hong Kong|HK||Asia/Hong_Kong", ""),
    ("oaxaca-ceramics-mx", "oaxaca-ceramics", "Oaxaca Ceramics S.A. de C.V.",
     "Calle Macedonio Alcala 407||Oaxaca|OAX|Mexico|MX|68000|America/Mexico_City",
     ""),
    ("midwest-paper-us", "midwest-paper", "Midwest Paper Co",
     "2100 W Fulton St||Chicago|IL|United States|US|60612|America/Chicago", ""),
    ("great-lakes-beverage-us", "great-lakes-beverage", "Great Lakes Beverage Co",
     "455 N Water St||Milwaukee|WI|United States|US|53202|America/Chicago", ""),
    ("ningbo-greenware-cn", "ningbo-greenware", "Ningbo Greenware Co., Ltd.",
     f"88 Zhongshan Rd E||Ningbo|Zhejiang|China|CN|315000|{_CN}", ""),
    ("dhaka-cotton-bd", "dhaka-cotton", "Dhaka Cotton Mills Ltd.",
     "House 12, Road 7|Gulshan 1|Dhaka||Bangladesh|BD|1212|Asia/Dhaka", ""),
    ("bursa-tekstil-tr", "bursa-tekstil", "Bursa Tekstil A.S.",
     "Ataturk Cd. 55||Bursa||Turkey|TR|16050|Europe/Istanbul", "TR1234567890"),
    ("saigon-outdoor-vn", "saigon-outdoor", "Saigon Outdoor Gear Co.",
     f"120 Nguyen Hue Blvd||Ho Chi Minh City||Vietnam|VN|700000|{_VN}", ""),
    ("jaipur-linens-in", "jaipur-linens", "Jaipur Home Linens Pvt. Ltd.",
     "14 MI Road||Jaipur|Rajasthan|India|IN|302001|Asia/Kolkata", "08AABCJ1234K1Z5"),
    ("busan-audio-kr", "busan-audio", "Busan Audio Works Co.",
     "31 Jungang-daero||Busan||South Korea|KR|48939|Asia/Seoul", ""),
    ("taichung-fitness-tw", "taichung-fitness", "Taichung Fitness Co., Ltd.",
     "99 Taiwan Blvd Sec 2||Taichung||Taiwan|TW|403|Asia/Taipei", ""),
    ("flexport-sf", "flexport", "Flexport, Inc.",
     f"760 Market St|8th Floor|San Francisco|CA|United States|US|94102|{_LA}", ""),
)  # fmt: skip
# What each supplier sells, by catalogue product family.
_FAMILIES = {
    "hanoi-knitworks-vn": ("Merino Crew Sock", "Fleece Beanie"),
    "porto-footwear-pt": ("Trail Running Shoe",),
    "brightline-sz": ("Wireless Earbuds", "USB-C Charging Cable 2m", "Phone Case"),
    "brightline-hk": ("Insulated Bottle 750ml", "Phone Case"),
    "oaxaca-ceramics-mx": ("Ceramic Pour-Over Set", "Soy Wax Candle"),
    "midwest-paper-us": ("Notebook A5 Dotted",),
    "great-lakes-beverage-us": (
        "Cold Brew Concentrate 12-pack",
        "Sparkling Water 24-pack",
    ),
    "ningbo-greenware-cn": ("Bamboo Cutting Board", "Beeswax Food Wrap 3-pack"),
    "dhaka-cotton-bd": ("Organic Cotton Tee",),
    "bursa-tekstil-tr": ("Linen Tea Towel 2-pack", "Canvas Tote Bag"),
    "saigon-outdoor-vn": ("Rain Shell Jacket",),
    "jaipur-linens-in": ("Linen Tea Towel 2-pack",),
    "busan-audio-kr": ("Wireless Earbuds",),
    "taichung-fitness-tw": ("Yoga Mat 5mm", "Resistance Band Set"),
}
_OWN = "northwind"

ENTITIES: tuple[CompanyEntity, ...] = tuple(
    CompanyEntity(
        id=ENTITY_ID_BASE + index,
        name=name,
        ref=ref,
        company_ref=company,
        mailing_address=(where := address(text)),
        vat_numbers=((where["country_code"], vat),) if vat else (),
        own=company == _OWN,
        families=_FAMILIES.get(ref, ()),
    )
    for index, (ref, company, name, text, vat) in enumerate(_ENTITIES)
)
ENTITIES_BY_REF = {e.ref: e for e in ENTITIES}
BUYERS = tuple(e for e in ENTITIES if e.own)
SUPPLIERS = tuple(e for e in ENTITIES if e.families)
FORWARDER = ENTITIES_BY_REF["flexport-sf"]

# (UN/LOCODE, place name, city|state|country|CC|timezone, port code)
_PORTS = (
    ("CNSZX", "Shenzhen, China", f"Shenzhen||China|CN|{_CN}", "57078"),
    ("CNNGB", "Ningbo, China", f"Ningbo||China|CN|{_CN}", "57020"),
    ("HKHKG", "Hong Kong", "Hong Kong||Hong Kong|HK|Asia/Hong_Kong", "58201"),
    ("VNHPH", "Haiphong, Vietnam", f"Haiphong||Vietnam|VN|{_VN}", "55206"),
    ("VNSGN", "Ho Chi Minh City, Vietnam", f"Ho Chi Minh City||Vietnam|VN|{_VN}",
     "55224"),
    ("PTLEI", "Leixoes, Portugal", "Leixoes||Portugal|PT|Europe/Lisbon", "47101"),
    ("MXZLO", "Manzanillo, Mexico", "Manzanillo|COL|Mexico|MX|America/Mexico_City",
     "20195"),
    ("BDCGP", "Chittagong, Bangladesh", "Chittagong||Bangladesh|BD|Asia/Dhaka",
     "53823"),
    ("TRGEM", "Gemlik, Turkey", "Gemlik||Turkey|TR|Europe/Istanbul", "48922"),
    ("INNSA", "Nhava Sheva, India", "Nhava Sheva||India|IN|Asia/Kolkata", "53313"),
    ("KRPUS", "Busan, South Korea", "Busan||South Korea|KR|Asia/Seoul", "58023"),
    ("TWTXG", "Taichung, Taiwan", "Taichung||Taiwan|TW|Asia/Taipei", "58309"),
    ("USSEA", "Seattle, WA", f"Seattle|WA|United States|US|{_LA}", "3001"),
    ("USLAX", "Los Angeles, CA", f"Los Angeles|CA|United States|US|{_LA}", "2704"),
    ("USSAV", "Savannah, GA", f"Savannah|GA|United States|US|{_NY}", "1703"),
    ("CAVAN", "Vancouver, BC", "Vancouver|BC|Canada|CA|America/Vancouver", "0809"),
)  # fmt: skip


def _port(code: str, name: str, text: str, port_code: str) -> Port:
    city, state, country, cc, timezone = text.split("|")
    where = address(f"||{city}|{state}|{country}|{cc}||{timezone}", unlocode=code)
    return Port(code, name, where, port_code)


PORTS: dict[str, Port] = {row[0]: _port(*row) for row in _PORTS}
# The port each overseas supplier's cargo leaves from; the rest send by truck.
ORIGIN_PORTS = {
    "hanoi-knitworks-vn": "VNHPH",
    "porto-footwear-pt": "PTLEI",
    "brightline-sz": "CNSZX",
    "brightline-hk": "HKHKG",
    "oaxaca-ceramics-mx": "MXZLO",
    "ningbo-greenware-cn": "CNNGB",
    "dhaka-cotton-bd": "BDCGP",
    "bursa-tekstil-tr": "TRGEM",
    "saigon-outdoor-vn": "VNSGN",
    "jaipur-linens-in": "INNSA",
    "busan-audio-kr": "KRPUS",
    "taichung-fitness-tw": "TWTXG",
}
# Where each buyer entity receives goods: (destination port, address). The US
# centres are the cities of Flexe's two reservations.
WAREHOUSES: dict[str, tuple[tuple[str, Fields], ...]] = {
    "northwind-us": (
        (
            "USSEA",
            address(
                f"4400 E Marginal Way S||Seattle|WA|United States|US|98134|{_LA}",
                unlocode="USSEA",
                ref="dc-seattle",
            ),
        ),
        (
            "USSAV",
            address(
                f"300 Logistics Pkwy||Atlanta|GA|United States|US|30336|{_NY}",
                unlocode="USATL",
                ref="dc-atlanta",
            ),
        ),
    ),
    "northwind-ca": (
        (
            "CAVAN",
            address(
                "12500 Vulcan Way||Richmond|BC|Canada|CA|V6V 1J8|America/Vancouver",
                unlocode="CAVAN",
                ref="dc-vancouver",
            ),
        ),
    ),
}
