#!/usr/bin/env python3
"""Regenerates src/crs/epsg-data.ts from PROJ's EPSG database (proj.db).

Why: epsg-index carries proj4 strings and GDAL-flavoured WKT1, which (a) drop the official
axis order of most northing-first and every lat/lon CRS and (b) do not say which datum shift
PROJ picks. Tilewright must match GDAL 3.6 / PROJ 9.1, so these facts come from PROJ's own
database, and test/crs/epsg-data.test.ts re-checks them against proj.db and gdaltransform.

Usage: /usr/bin/python3 test/crs/tools/gen_epsg_data.py [/usr/share/proj/proj.db] > src/crs/epsg-data.ts
"""
import os
import re
import sqlite3
import subprocess
import sys

DB = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/proj/proj.db'
c = sqlite3.connect(DB)

# Datums whose shift to WGS 84 we tabulate: those epsg-index writes with +nadgrids (grids that
# proj4js cannot find), NTF (no +towgs84 in epsg-index) and the datums of the test corpus.
DATUM_GEOG = {
    6267: 4267,  # NAD27
    6608: 4608,  # NAD27(76)
    6609: 4609,  # NAD27(CGQ77)
    6122: 4122,  # ATS77
    6225: 4225,  # Corrego Alegre 1970-72
    1074: 5524,  # Corrego Alegre 1961
    6277: 4277,  # OSGB36
    6314: 4314,  # DHDN
    6272: 4272,  # NZGD49
    6275: 4275,  # NTF
    6807: 4807,  # NTF (Paris)
    6269: 4269,  # NAD83
    6258: 4258,  # ETRS89
    6167: 4167,  # NZGD2000
    6283: 4283,  # GDA94
    6150: 4150,  # CH1903+
    6149: 4149,  # CH1903
}


def ranges(codes):
    codes = sorted(set(codes))
    out = []
    for v in codes:
        if out and out[-1][1] == v - 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return out


def first_axes(table, extra=''):
    q = f"""select t.code, a.name, a.orientation from {table} t join axis a
            on a.coordinate_system_auth_name = t.coordinate_system_auth_name
           and a.coordinate_system_code = t.coordinate_system_code
           where t.auth_name = 'EPSG' and a.coordinate_system_order = 1 {extra}"""
    return [(int(code), name, orient) for code, name, orient in c.execute(q) if str(code).isdigit()]


NORTH_FIRST = re.compile(r'^(northing|southing|geodetic latitude|latitude)', re.I)
proj_yx = [code for code, name, orient in first_axes('projected_crs')
           if NORTH_FIRST.match(name) or orient in ('north', 'south')]
geog_xy = [code for code, name, orient in first_axes('geodetic_crs', "and t.type in ('geographic 2D', 'geographic 3D')")
           if not (NORTH_FIRST.match(name) or orient in ('north', 'south'))]

ellipsoids = {}
for code, a, uom, rf, b in c.execute("""select e.code, e.semi_major_axis, u.conv_factor, e.inv_flattening, e.semi_minor_axis
        from ellipsoid e join unit_of_measure u on u.auth_name = e.uom_auth_name and u.code = e.uom_code
        where e.auth_name = 'EPSG' and e.celestial_body_code = 'EARTH' """):
    ellipsoids[int(code)] = (a * uom, rf, None if b is None else b * uom)

meridians = {}
for code, lon, uom_code, conv in c.execute("""select p.code, p.longitude, p.uom_code, u.conv_factor from prime_meridian p
        join unit_of_measure u on u.auth_name = p.uom_auth_name and u.code = p.uom_code where p.auth_name = 'EPSG'"""):
    if int(uom_code) == 9110:  # sexagesimal DMS, e.g. Paris is not stored this way but Lisbon etc. are
        sign = -1 if lon < 0 else 1
        v = abs(lon)
        d = int(v)
        m = int(round((v - d) * 100, 6))
        s = (v - d - m / 100) * 10000
        deg = sign * (d + m / 60 + s / 3600)
    else:
        deg = lon * conv / 0.017453292519943295
    meridians[int(code)] = deg

units = {}
for code, typ, conv in c.execute("""select code, type, conv_factor from unit_of_measure
        where auth_name = 'EPSG' and type in ('length', 'angle') and conv_factor is not null"""):
    if str(code).isdigit():
        units[int(code)] = (typ, conv)

# Datum code -> its (non-deprecated) geographic 2D CRS, used for GeogGeodeticDatumGeoKey.
datum_geog = {}
for code, datum in c.execute("""select code, datum_code from geodetic_crs where auth_name = 'EPSG'
        and datum_auth_name = 'EPSG' and type = 'geographic 2D' and deprecated = 0 order by code"""):
    if str(code).isdigit():
        datum_geog.setdefault(int(datum), int(code))

# ---- datum shifts: the candidate operations PROJ 9 considers from each datum to WGS 84 ----
ROT = {9104: 1.0, 9101: 206264.80624709636, 9109: 0.206264806247, 9113: 1 / 1000.0}  # -> arc-seconds
SCALE = {9202: 1.0, 9201: 1e6, 9203: 1e-3, 1028: 1e-3}  # -> ppm


def helmert(code):
    r = c.execute("""select name, method_code, accuracy, tx, ty, tz, translation_uom_code, rx, ry, rz, rotation_uom_code,
            scale_difference, scale_difference_uom_code, rate_tx, px from helmert_transformation_table
            where auth_name = 'EPSG' and code = ?""", (code,)).fetchone()
    if not r:
        return None
    name, method, acc, tx, ty, tz, tuom, rx, ry, rz, ruom, s, suom, rate, px = r
    method = int(method)
    if rate is not None or px is not None or int(tuom) != 9001:
        return None  # time-dependent or Molodensky-Badekas: not expressible as +towgs84
    if method in (9603, 1031):
        return name, acc, [tx, ty, tz]
    if method in (9606, 1033, 9607, 1032):
        k = ROT[int(ruom)]
        rot = [rx * k, ry * k, rz * k]
        if method in (9607, 1032):  # Coordinate Frame -> Position Vector (+towgs84 convention)
            rot = [-v for v in rot]
        return name, acc, [tx, ty, tz] + rot + [s * SCALE[int(suom)]]
    return None


def extent(table, code):
    r = c.execute("""select e.west_lon, e.south_lat, e.east_lon, e.north_lat, e.name from usage u join extent e
            on e.auth_name = u.extent_auth_name and e.code = u.extent_code
            where u.object_table_name = ? and u.object_auth_name = 'EPSG' and u.object_code = ?""", (table, code)).fetchone()
    return r


def projinfo_candidates(geog):
    env = dict(os.environ)
    out = subprocess.run(['projinfo', '-s', f'EPSG:{geog}', '-t', 'EPSG:4326', '--spatial-test', 'intersects', '--summary'],
                         capture_output=True, text=True, env=env).stdout
    cands = []
    for line in out.splitlines():
        m = re.match(r'^(EPSG|DERIVED_FROM\(EPSG\)):(\d+), ', line)
        if m:
            cands.append((int(m.group(2)), 'grid missing' in line, line))
    return cands


shifts = {}
for datum, geog in DATUM_GEOG.items():
    rows = []
    for code, missing, line in projinfo_candidates(geog):
        h = helmert(code)
        table = 'helmert_transformation'
        if h is None:
            steps = c.execute("""select step_code from concatenated_operation_step where operation_auth_name = 'EPSG'
                    and operation_code = ? order by step_number""", (code,)).fetchall()
            if steps:
                hs = [helmert(s[0]) for s in steps]
                hs = [x for x in hs if x]
                others = [s[0] for s in steps if not helmert(s[0])]
                # Only "longitude rotation" (prime meridian change, applied by +pm) may accompany the Helmert step.
                rot_only = all(c.execute("select method_code from other_transformation where auth_name='EPSG' and code=?", (o,)).fetchone() == (9601,) for o in others)
                if len(hs) == 1 and rot_only:
                    acc = c.execute("select accuracy from concatenated_operation where auth_name='EPSG' and code=?", (code,)).fetchone()[0]
                    h = (c.execute("select name from concatenated_operation where auth_name='EPSG' and code=?", (code,)).fetchone()[0], acc, hs[0][2])
                    table = 'concatenated_operation'
        if h is not None:
            ext = extent(table, code)
            rows.append({'op': code, 'name': h[0], 'accuracy': h[1], 'towgs84': h[2], 'bbox': ext[:4], 'area': ext[4]})
            continue
        g = c.execute("""select name, accuracy, grid_name, method_code from grid_transformation where auth_name = 'EPSG' and code = ?""", (code,)).fetchone()
        if g and not missing and int(g[3]) == 9615:  # NTv2, grid installed here
            old = c.execute("select old_proj_grid_name from grid_alternatives where original_grid_name = ? or proj_grid_name = ?", (g[2], g[2])).fetchone()
            ext = extent('grid_transformation', code)
            rows.append({'op': code, 'name': g[0], 'accuracy': g[1], 'grid': old[0] if old and old[0] else g[2], 'bbox': ext[:4], 'area': ext[4]})
    shifts[datum] = rows


# EPSG CRS code -> datum, for the tabulated datums (epsg-index's WKT1 usually omits the DATUM authority and
# has no WKT at all for some CRSs, e.g. EPSG:4807).
crs_datum = {d: [] for d in DATUM_GEOG}
for code, datum in c.execute("""select code, datum_code from geodetic_crs where auth_name = 'EPSG' and datum_auth_name = 'EPSG'"""):
    if int(datum) in crs_datum and str(code).isdigit():
        crs_datum[int(datum)].append(int(code))
for code, datum in c.execute("""select p.code, g.datum_code from projected_crs p join geodetic_crs g
        on g.auth_name = p.geodetic_crs_auth_name and g.code = p.geodetic_crs_code where p.auth_name = 'EPSG'"""):
    if datum is not None and int(datum) in crs_datum and str(code).isdigit():
        crs_datum[int(datum)].append(int(code))


def num(v):
    r = repr(float(v))
    return r[:-2] if r.endswith('.0') else r


print('// GENERATED by test/crs/tools/gen_epsg_data.py from PROJ 9.1.1 proj.db (EPSG v10.076). Do not edit by hand.')
print('// Checked against proj.db and gdaltransform by test/crs/epsg-data.test.ts.')
print('/* eslint-disable */')
print()
print('/** EPSG projected CRSs whose first axis is a northing/southing (official order "yx"), as [from, to] code ranges. */')
print('export const PROJECTED_NORTHING_FIRST: ReadonlyArray<readonly [number, number]> = [')
print(',\n'.join('  [' + f'{a}, {b}' + ']' for a, b in ranges(proj_yx)))
print('];')
print()
print('/** EPSG geographic CRSs whose first axis is NOT latitude (official order "xy"), as [from, to] code ranges. */')
print('export const GEOGRAPHIC_LONGITUDE_FIRST: ReadonlyArray<readonly [number, number]> = [')
print(',\n'.join('  [' + f'{a}, {b}' + ']' for a, b in ranges(geog_xy)))
print('];')
print()
print('/** EPSG ellipsoids: code -> [semi-major axis (m), inverse flattening or 0, semi-minor axis (m) or 0]. */')
print('export const ELLIPSOIDS: Readonly<Record<number, readonly [number, number, number]>> = {')
for k in sorted(ellipsoids):
    a, rf, b = ellipsoids[k]
    print(f'  {k}: [{num(a)}, {num(rf or 0)}, {num(b or 0)}],')
print('};')
print()
print('/** EPSG prime meridians: code -> longitude from Greenwich in degrees. */')
print('export const PRIME_MERIDIANS: Readonly<Record<number, number>> = {')
for k in sorted(meridians):
    print(f'  {k}: {num(meridians[k])},')
print('};')
print()
print('/** EPSG units of measure: code -> factor to metres (length) or radians (angle). */')
print('export const LINEAR_UNITS: Readonly<Record<number, number>> = {')
for k in sorted(units):
    if units[k][0] == 'length':
        print(f'  {k}: {num(units[k][1])},')
print('};')
print('export const ANGULAR_UNITS: Readonly<Record<number, number>> = {')
for k in sorted(units):
    if units[k][0] == 'angle':
        print(f'  {k}: {num(units[k][1])},')
print('};')
print()
print('/** EPSG geodetic datum code -> its geographic 2D CRS code (lowest non-deprecated). */')
print('export const DATUM_GEOGRAPHIC_CRS: Readonly<Record<number, number>> = {')
for k in sorted(datum_geog):
    print(f'  {k}: {datum_geog[k]},')
print('};')
print()
print('/** EPSG datum code -> the EPSG geographic and projected CRS codes on it, as [from, to] ranges (tabulated datums only). */')
print('export const CRS_DATUM_RANGES: Readonly<Record<number, ReadonlyArray<readonly [number, number]>>> = {')
for d in DATUM_GEOG:
    print(f'  {d}: [' + ', '.join(f'[{a}, {b}]' for a, b in ranges(crs_datum[d])) + '],')
print('};')
print()
print('export interface DatumShiftRow {')
print('  /** EPSG coordinate operation code (helmert, concatenated or grid transformation). */')
print('  readonly op: number;')
print('  readonly name: string;')
print('  /** EPSG accuracy in metres; null when unknown. */')
print('  readonly accuracy: number | null;')
print('  /** +towgs84 (position vector convention, arc-seconds, ppm) for Helmert operations. */')
print('  readonly towgs84?: readonly number[];')
print('  /** NTv2 grid file name (PROJ\'s legacy name) for grid operations installed with proj-data. */')
print('  readonly grid?: string;')
print('  /** Area of use [west, south, east, north] in degrees. */')
print('  readonly bbox: readonly [number, number, number, number];')
print('  readonly area: string;')
print('}')
print()
print('/** EPSG datum code -> the operations to WGS 84 that PROJ 9.1 considers (projinfo candidates), in its order. */')
print('export const DATUM_SHIFTS: Readonly<Record<number, readonly DatumShiftRow[]>> = {')
for d in DATUM_GEOG:
    print(f'  {d}: [')
    for r in shifts[d]:
        parts = [f"op: {r['op']}", 'name: ' + repr(r['name']).replace('"', '\\"'), f"accuracy: {'null' if r['accuracy'] is None else num(r['accuracy'])}"]
        if 'towgs84' in r:
            parts.append('towgs84: [' + ', '.join(num(v) for v in r['towgs84']) + ']')
        else:
            parts.append("grid: '" + r['grid'] + "'")
        parts.append('bbox: [' + ', '.join(num(v) for v in r['bbox']) + ']')
        parts.append('area: ' + repr(r['area']))
        print('    { ' + ', '.join(parts) + ' },')
    print('  ],')
print('};')
