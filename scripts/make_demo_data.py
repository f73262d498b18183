#!/usr/bin/env python3
"""Regenerates assets/demo/ from ../shared/data/la/venice_addresses.csv: the address points of two
Venice block groups (the offline geocoding reference) and a California-statewide-format voter file
of invented residents at those addresses. Deterministic (fixed seed); run by hand, output committed.
The people are fictional: no real voter data is in this repository."""
import csv, random, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
src = root.parent / "shared" / "data" / "la" / "venice_addresses.csv"
out = root / "assets" / "demo"
GROUPS = {"buildings-addresses-060372731002.osm", "buildings-addresses-060372731003.osm"}

rows = [r for r in csv.DictReader(open(src, newline="")) if r["source_file"] in GROUPS]
with open(out / "venice_points.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)

rng = random.Random(20261127)
# (language code in the CA file, weight, first names, last names)
groups = [
    ("ENGLISH", 40, ["James", "Mary", "Robert", "Linda", "Michael", "Sarah", "David", "Emily", "Chris", "Taylor"],
     ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Moore", "Clark", "Lewis", "Walker"]),
    ("SPANISH", 30, ["Maria", "José", "Guadalupe", "Juan", "Rosa", "Luis", "Carmen", "Miguel", "Ana", "Jorge"],
     ["García", "Hernández", "López", "Martínez", "González", "Rodríguez", "Pérez", "Ramírez", "Flores", "Cruz"]),
    ("KOREAN", 8, ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Soo-ah"], ["Kim", "Lee", "Park", "Choi", "Jung"]),
    ("CHINESE", 8, ["Wei", "Fang", "Jun", "Li", "Ming", "Xiu"], ["Wang", "Li", "Zhang", "Liu", "Chen", "Huang"]),
    ("ARMENIAN", 6, ["Armen", "Ani", "Narek", "Lilit", "Tigran", "Mariam"], ["Petrosyan", "Sargsyan", "Hovhannisyan", "Grigoryan"]),
    ("TAGALOG", 8, ["Jose", "Maria", "Mark", "Kristine", "Paolo", "Angelica"], ["Santos", "Reyes", "Cruz", "Bautista", "Garcia"]),
]
weights = [g[1] for g in groups]
parties = ["DEM"] * 55 + ["NPP"] * 25 + ["REP"] * 14 + ["GRN"] * 6
cols = ["CountyCode", "RegistrantID", "ExtractDate", "LastName", "FirstName", "MiddleName", "Suffix", "AddressNumber",
        "HouseFractionNumber", "AddressNumberSuffix", "StreetDirPrefix", "StreetName", "StreetType", "StreetDirSuffix",
        "UnitType", "UnitNumber", "City", "State", "Zip", "Phone1Area", "Phone1Exchange", "Phone1NumberPart",
        "Email", "Language", "DOB", "Gender", "PartyCode", "Status", "RegistrationDate", "Precinct"]
next_id = 30000001
with open(out / "voters_ca.tsv", "w", newline="") as f:
    w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
    w.writerow(cols)
    for r in rows:
        if rng.random() < 0.3:  # not every address has a registered voter
            continue
        lang, _, firsts, lasts = rng.choices(groups, weights)[0]
        last = rng.choice(lasts)
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            year = rng.randint(1940, 2006)
            rec = {c: "" for c in cols}
            rec.update(CountyCode="19", RegistrantID=str(next_id), ExtractDate="20261101", LastName=last,
                       FirstName=rng.choice(firsts), AddressNumber=r["housenumber"], StreetName=r["street"].upper(),
                       UnitType="APT" if r["unit"] else "", UnitNumber=r["unit"], City="LOS ANGELES", State="CA",
                       Zip=r["postcode"], Language=lang, DOB=f"{year}{rng.randint(1,12):02d}{rng.randint(1,28):02d}",
                       Gender=rng.choice("FMX"), PartyCode=rng.choice(parties), Status="A",
                       RegistrationDate="20200101", Precinct="VENICE-" + r["source_file"][-8:-4])
            w.writerow([rec[c] for c in cols])
            next_id += 1
print(f"{len(rows)} address points, {next_id - 30000001} invented voters", file=sys.stderr)
