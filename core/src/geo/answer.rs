//! Turning hits into places: one per target with its best match and its French words, the
//! choice or the answer, and the errors that name what was looked up.

// Hits hold positions in the geography's own tables.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::index::{Hit, Target};
use super::place::{MatchedBy, Place, PlaceKind};
use super::Geography;
use crate::error::{Error, Result};
use crate::sorting::Sort;

impl Geography {
    /// Hits as places: one per target (its best match), a département left out when its only
    /// commune is also a candidate (Paris), most populous first.
    pub(super) fn places(
        &self,
        hits: Vec<Hit>,
        decided: bool,
        shown: &str,
        code: &str,
    ) -> Result<(Vec<Place>, bool, usize)> {
        let mut hits = hits;
        // Per target, its own name before a former commune's; INSEE before postal code.
        hits.stable_by_key(|h| (h.former.is_some(), h.by));
        let mut seen = std::collections::BTreeSet::new();
        let kept: Vec<Hit> = hits.into_iter().filter(|h| seen.insert(h.target)).collect();
        let departement_is_commune = |i: u32| {
            let code = &self.tables.departements[i as usize].code;
            self.index.departement_communes[i as usize].0 == 1
                && kept.iter().any(|k| match k.target {
                    Target::Commune(c) => *self.tables.communes[c as usize].departement == **code,
                    _ => false,
                })
        };
        let keep: Vec<bool> = kept
            .iter()
            .map(|k| !matches!(k.target, Target::Departement(i) if departement_is_commune(i)))
            .collect();
        let mut unplaced = Vec::new();
        let mut places = Vec::new();
        for (h, _) in kept.iter().zip(keep).filter(|(_, k)| *k) {
            match self.place_of(h, code) {
                Some(p) => places.push(p),
                None => {
                    if let Target::Commune(i) = h.target {
                        let c = &self.tables.communes[i as usize];
                        unplaced.push(format!("{} ({})", c.name, c.insee));
                    }
                }
            }
        }
        if places.is_empty() {
            return Err(Self::not_found(shown, &unplaced));
        }
        places.stable_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then(a.kind.cmp(&b.kind))
                .then(a.code.cmp(&b.code))
        });
        let total = places.len();
        Ok((places, decided && total == 1, total))
    }

    pub(super) fn not_found(shown: &str, unplaced: &[String]) -> Error {
        Error::NotFound {
            kind: crate::error::Lookup::Place,
            value: shown.into(),
            hint: Some(if unplaced.is_empty() {
                "no commune, postal code or département of this name in the loaded geography".into()
            } else {
                format!(
                    "{} has no coordinates in the Code officiel géographique data",
                    unplaced.join(", ")
                )
            }),
        }
    }

    /// `code` is the code typed, for a postal code's description.
    pub(super) fn place_of(&self, h: &Hit, code: &str) -> Option<Place> {
        let former = h.former.map(|f| &self.tables.deleguees[f as usize]);
        match h.target {
            Target::Commune(i) => {
                let c = &self.tables.communes[i as usize];
                let (lat, lon) = c.centre()?;
                let matched = match (h.by, former) {
                    (MatchedBy::FormerInsee, Some(f)) => {
                        format!("code INSEE {} de l'ancienne commune {}", f.insee, f.name)
                    }
                    (_, Some(f)) => format!(
                        "commune {} {}",
                        match f.kind {
                            super::FormerKind::Deleguee => "déléguée",
                            super::FormerKind::Associee => "associée",
                        },
                        f.name
                    ),
                    (by, None) => describe(by, &c.insee, code),
                };
                Some(Place {
                    kind: PlaceKind::Commune,
                    code: Some(c.insee.to_string()),
                    name: c.name.clone(),
                    commune: Some(c.insee.to_string()),
                    departement: Some(c.departement.to_string()),
                    lat,
                    lon,
                    population: Some(c.population),
                    matched_by: h.by,
                    matched,
                })
            }
            Target::Arrondissement(i) => {
                let a = &self.tables.arrondissements[i as usize];
                let departement = self
                    .commune_index(&a.commune)
                    .map(|c| self.tables.communes[c].departement.to_string());
                Some(Place {
                    kind: PlaceKind::Arrondissement,
                    code: Some(a.insee.clone()),
                    name: a.name.clone(),
                    commune: Some(a.commune.clone()),
                    departement,
                    lat: a.lat,
                    lon: a.lon,
                    population: Some(a.population),
                    matched_by: h.by,
                    matched: describe(h.by, &a.insee, code),
                })
            }
            Target::Departement(i) => Some(self.departement_place(
                &self.tables.departements[i as usize],
                h.by == MatchedBy::DepartementCode,
            )),
        }
    }

    pub(crate) fn departement_place(&self, d: &super::Departement, by_code: bool) -> Place {
        let population = self
            .tables
            .departements
            .iter()
            .position(|x| x.code == d.code)
            .map(|i| self.index.departement_communes[i].1);
        Place {
            kind: PlaceKind::Departement,
            code: Some(d.code.clone()),
            name: d.name.clone(),
            commune: None,
            departement: Some(d.code.clone()),
            lat: d.lat,
            lon: d.lon,
            population,
            matched_by: if by_code {
                MatchedBy::DepartementCode
            } else {
                MatchedBy::DepartementName
            },
            matched: if by_code {
                "code de département".into()
            } else {
                "nom de département".into()
            },
        }
    }
}

/// The French words for how a commune or an arrondissement matched.
fn describe(by: MatchedBy, insee: &str, postal_code: &str) -> String {
    match by {
        MatchedBy::Name => "nom".into(),
        MatchedBy::NameWithoutArticle => "nom sans l'article".into(),
        MatchedBy::NamePrefix => "début du nom".into(),
        MatchedBy::NearSpelling => "orthographe proche".into(),
        MatchedBy::Insee => format!("code INSEE {insee}"),
        MatchedBy::PostalCode => format!("code postal {postal_code}"),
        MatchedBy::FormerCommune | MatchedBy::FormerInsee => "ancienne commune".into(),
        MatchedBy::DepartementCode => "code de département".into(),
        MatchedBy::DepartementName => "nom de département".into(),
        MatchedBy::Point => "point exact".into(),
    }
}
