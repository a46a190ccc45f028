//! Reading the communes CSVs of `data/geo` (the form they are published in).

use super::{Arrondissement, Commune, CommuneDeleguee, Departement, FormerKind, GeoTables};
use super::{Geography, Place};
use crate::error::{DataLocation, Error, Result};
use crate::sorting::Sort;
use crate::tabular::{Row, Table};
use std::io::Read;
use std::path::Path;

/// The four CSV files of `data/geo`, as readers.
pub struct GeoSources<C, D, F, A> {
    /// `communes.csv`.
    pub communes: C,
    /// `departements.csv`.
    pub departements: D,
    /// `communes-deleguees.csv`.
    pub deleguees: F,
    /// `arrondissements.csv`.
    pub arrondissements: A,
}

impl Geography {
    /// Reads the CSV files of a directory laid out as `data/geo`, keeping the regions listed
    /// (all when `regions` is empty).
    pub fn from_csv_dir(dir: &Path, regions: &[&str]) -> Result<Geography> {
        let open = |name: &str| {
            std::fs::File::open(dir.join(name))
                .map_err(|e| Error::unreadable(name, format!("cannot open: {e}")))
        };
        Geography::from_csv(
            GeoSources {
                communes: open("communes.csv")?,
                departements: open("departements.csv")?,
                deleguees: open("communes-deleguees.csv")?,
                arrondissements: open("arrondissements.csv")?,
            },
            regions,
        )
    }

    /// Reads the four CSV files of `data/geo`, keeping the regions listed (all when `regions`
    /// is empty). Former communes and arrondissements are kept with their commune.
    pub fn from_csv(
        sources: GeoSources<impl Read, impl Read, impl Read, impl Read>,
        regions: &[&str],
    ) -> Result<Geography> {
        let keep = |region: &str| regions.is_empty() || regions.contains(&region);
        let communes = read_communes(sources.communes, &keep)?;
        let departements = read_departements(sources.departements, &keep)?;
        // Former communes and arrondissements of communes outside the regions kept are left out.
        let known = |insee: &str| communes.binary_search_by(|c| (*c.insee).cmp(insee)).is_ok();
        let deleguees = read_deleguees(sources.deleguees, &known)?;
        let arrondissements = read_arrondissements(sources.arrondissements, &known)?;
        Ok(Geography::indexed(GeoTables {
            communes,
            departements,
            deleguees,
            arrondissements,
        }))
    }
}

/// A row's `lat`/`lon`, checked; a half position is refused.
fn position(r: &Row<'_>) -> Result<Option<(f64, f64)>> {
    let lat: Option<f64> = r.parse("lat", "a latitude in degrees")?;
    let lon: Option<f64> = r.parse("lon", "a longitude in degrees")?;
    match (lat, lon) {
        (Some(lat), Some(lon)) => {
            Place::point(lat, lon)
                .map_err(|e| r.error("lat", &format!("{lat}, {lon}"), &e.to_string()))?;
            Ok(Some((lat, lon)))
        }
        (None, None) => Ok(None),
        _ => Err(r.error("lat", "", "lat and lon go together")),
    }
}

fn read_communes(source: impl Read, keep: &impl Fn(&str) -> bool) -> Result<Vec<Commune>> {
    let t = Table::read("communes.csv", source)?;
    t.require(&[
        "insee",
        "name",
        "departement",
        "region",
        "postal_codes",
        "lat",
        "lon",
    ])?;
    let mut list = Vec::with_capacity(t.len());
    for r in t.rows() {
        if !keep(r.get("region")) {
            continue;
        }
        let centre = position(&r)?;
        let count =
            |column: &str| -> Result<u32> { Ok(r.parse(column, "a whole number")?.unwrap_or(0)) };
        list.push(Commune {
            insee: r.required("insee")?.into(),
            name: r.required("name")?.to_string(),
            departement: r.required("departement")?.into(),
            region: r.get("region").into(),
            postal_codes: r
                .get("postal_codes")
                .split_whitespace()
                .map(String::from)
                .collect(),
            lat: centre.map(|c| c.0),
            lon: centre.map(|c| c.1),
            area_km2: r.parse("area_km2", "an area in km²")?,
            population: count("population_2021")?,
            pop_15_64: count("pop_15_64_2021")?,
            pop_15_64_active: count("pop_15_64_active_2021")?,
            pop_15_64_unemployed: count("pop_15_64_unemployed_2021")?,
        });
    }
    list.stable_by(|a, b| a.insee.cmp(&b.insee));
    if let Some([w, _]) = list
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.insee == b.insee))
    {
        return Err(Error::Data {
            location: Box::new(DataLocation {
                source: "communes.csv".into(),
                line: None,
                row: None,
                field: Some("insee".into()),
                value: Some(w.insee.to_string()),
            }),
            reason: "duplicate INSEE code".into(),
        });
    }
    Ok(list)
}

fn read_departements(source: impl Read, keep: &impl Fn(&str) -> bool) -> Result<Vec<Departement>> {
    let t = Table::read("departements.csv", source)?;
    t.require(&["code", "name", "region", "lat", "lon", "prefecture_insee"])?;
    let mut departements = Vec::new();
    for r in t.rows() {
        if keep(r.get("region")) {
            departements.push(Departement {
                code: r.required("code")?.to_string(),
                name: r.required("name")?.to_string(),
                region: r.get("region").to_string(),
                lat: r.parse_required("lat", "a latitude")?,
                lon: r.parse_required("lon", "a longitude")?,
                prefecture_insee: r.get("prefecture_insee").to_string(),
            });
        }
    }
    departements.stable_by(|a, b| a.code.cmp(&b.code));
    Ok(departements)
}

fn read_deleguees(
    source: impl Read,
    known: &impl Fn(&str) -> bool,
) -> Result<Vec<CommuneDeleguee>> {
    let t = Table::read("communes-deleguees.csv", source)?;
    t.require(&["insee", "name", "postal_code", "parent_insee", "kind"])?;
    let mut deleguees = Vec::new();
    for r in t.rows() {
        let parent = r.required("parent_insee")?;
        if !known(parent) {
            continue; // its commune is outside the regions kept
        }
        let kind = match r.get("kind") {
            "deleguee" => FormerKind::Deleguee,
            "associee" => FormerKind::Associee,
            other => return Err(r.error("kind", other, "expected deleguee or associee")),
        };
        deleguees.push(CommuneDeleguee {
            insee: r.required("insee")?.to_string(),
            name: r.required("name")?.to_string(),
            postal_code: r.get("postal_code").to_string(),
            parent_insee: parent.to_string(),
            kind,
        });
    }
    Ok(deleguees)
}

fn read_arrondissements(
    source: impl Read,
    known: &impl Fn(&str) -> bool,
) -> Result<Vec<Arrondissement>> {
    let t = Table::read("arrondissements.csv", source)?;
    t.require(&["insee", "name", "commune", "postal_codes", "lat", "lon"])?;
    let mut arrondissements = Vec::new();
    for r in t.rows() {
        let commune = r.required("commune")?;
        if !known(commune) {
            continue;
        }
        let (lat, lon) = position(&r)?.ok_or_else(|| {
            r.error(
                "lat",
                "",
                "an arrondissement needs its centre (lat and lon)",
            )
        })?;
        arrondissements.push(Arrondissement {
            insee: r.required("insee")?.to_string(),
            name: r.required("name")?.to_string(),
            commune: commune.to_string(),
            postal_codes: r
                .get("postal_codes")
                .split_whitespace()
                .map(String::from)
                .collect(),
            lat,
            lon,
            area_km2: r.parse("area_km2", "an area in km²")?,
            population: r.parse("population_2021", "a whole number")?.unwrap_or(0),
        });
    }
    Ok(arrondissements)
}
