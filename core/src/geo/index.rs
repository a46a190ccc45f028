//! The place index: every name people type (official, without its article, former
//! communes, arrondissements, départements), postal codes, former INSEE codes and a latitude
//! ordering, built once from the geography's tables.

// The index reads the tables by the positions it stores while building them.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::place::MatchedBy;
use super::{distance_km, full_key, strip_article, GeoTables};
use crate::sorting::Sort;

/// What a name or a code points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Target {
    Commune(u32),
    Arrondissement(u32),
    Departement(u32),
}

/// A name people type: the official one, a former commune's, or a short form.
#[derive(Debug)]
pub(super) struct Name {
    pub(super) full: String,
    pub(super) bare: String,
    pub(super) target: Target,
    /// The former commune (index in `deleguees`) this name is of.
    pub(super) former: Option<u32>,
}

/// Lookup indices over the tables, rebuilt on load (never serialised).
#[derive(Debug, Default)]
pub(super) struct Index {
    pub(super) names: Vec<Name>,
    /// Indices into `names`, sorted by `full`, then by `bare`.
    pub(super) by_full: Vec<u32>,
    pub(super) by_bare: Vec<u32>,
    /// (postal code, target), sorted.
    pub(super) postal: Vec<(String, Target)>,
    /// (own INSEE code, former commune index), for former communes with a code of their own.
    pub(super) former_insee: Vec<(String, u32)>,
    /// Communes and population of each département (parallel to `departements`).
    pub(super) departement_communes: Vec<(u32, u32)>,
    /// Communes with a position, sorted by latitude: (lat, commune index).
    pub(super) by_lat: Vec<(f64, u32)>,
}

/// A candidate before it becomes a [`Place`].
pub(super) struct Hit {
    pub(super) target: Target,
    pub(super) by: MatchedBy,
    pub(super) former: Option<u32>,
}

impl Hit {
    pub(super) fn new(target: Target, by: MatchedBy, former: Option<u32>) -> Hit {
        Hit { target, by, former }
    }
}

impl Index {
    pub(super) fn build(t: &GeoTables) -> Index {
        let mut ix = Index::default();
        let mut name = |text: &str, target: Target, former: Option<u32>| {
            let full = full_key(text);
            let bare = strip_article(&full).to_string();
            ix.names.push(Name {
                full,
                bare,
                target,
                former,
            });
        };
        for (i, c) in t.communes.iter().enumerate() {
            name(&c.name, Target::Commune(i as u32), None);
        }
        for (i, d) in t.deleguees.iter().enumerate() {
            if let Ok(p) = t
                .communes
                .binary_search_by(|c| (*c.insee).cmp(&d.parent_insee))
            {
                name(&d.name, Target::Commune(p as u32), Some(i as u32));
            }
        }
        for (i, a) in t.arrondissements.iter().enumerate() {
            name(&a.name, Target::Arrondissement(i as u32), None);
            // "Paris 15e", "Lyon 3e", "Marseille 1er": the name without its last word.
            if let Some(short) = a.name.strip_suffix(" Arrondissement") {
                name(short, Target::Arrondissement(i as u32), None);
            }
        }
        for (i, d) in t.departements.iter().enumerate() {
            name(&d.name, Target::Departement(i as u32), None);
        }
        ix.by_full = (0..ix.names.len() as u32).collect();
        ix.by_full
            .inline_by(|&a, &b| ix.names[a as usize].full.cmp(&ix.names[b as usize].full));
        ix.by_bare.clone_from(&ix.by_full);
        ix.by_bare
            .inline_by(|&a, &b| ix.names[a as usize].bare.cmp(&ix.names[b as usize].bare));
        for (i, c) in t.communes.iter().enumerate() {
            for p in &c.postal_codes {
                ix.postal.push((p.clone(), Target::Commune(i as u32)));
            }
        }
        for (i, a) in t.arrondissements.iter().enumerate() {
            for p in &a.postal_codes {
                ix.postal
                    .push((p.clone(), Target::Arrondissement(i as u32)));
            }
        }
        ix.postal.stable();
        ix.postal.dedup();
        for (i, d) in t.deleguees.iter().enumerate() {
            if d.insee != d.parent_insee {
                ix.former_insee.push((d.insee.clone(), i as u32));
            }
        }
        ix.former_insee.stable();
        // One pass over the communes, then one look-up per département.
        let mut per_code: std::collections::HashMap<&str, (u32, u32)> =
            std::collections::HashMap::new();
        for c in &t.communes {
            let e = per_code.entry(&*c.departement).or_insert((0, 0));
            *e = (e.0.saturating_add(1), e.1.saturating_add(c.population));
        }
        ix.departement_communes = t
            .departements
            .iter()
            .map(|d| per_code.get(d.code.as_str()).copied().unwrap_or((0, 0)))
            .collect();
        ix.by_lat = t
            .communes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.lat?, i as u32)).filter(|_| c.lon.is_some()))
            .collect();
        ix.by_lat
            .stable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ix
    }

    /// Communes and arrondissements' cities a postal code serves (indices into `communes`).
    pub(super) fn communes_with_postal(&self, t: &GeoTables, code: &str) -> Vec<usize> {
        let from = self.postal.partition_point(|(p, _)| p.as_str() < code);
        let mut out: Vec<usize> = self.postal[from..]
            .iter()
            .take_while(|(p, _)| p == code)
            .filter_map(|(_, target)| match target {
                Target::Commune(i) => Some(*i as usize),
                _ => None,
            })
            .collect();
        out.stable_by(|&a, &b| {
            let (ca, cb) = (&t.communes[a], &t.communes[b]);
            cb.population
                .cmp(&ca.population)
                .then(ca.insee.cmp(&cb.insee))
        });
        out
    }

    /// The commune whose centre is nearest to a point, scanning outwards in latitude.
    pub(super) fn nearest(&self, t: &GeoTables, lat: f64, lon: f64) -> Option<usize> {
        let start = self.by_lat.partition_point(|(l, _)| *l < lat);
        let mut best: Option<(f64, u32)> = None;
        let mut consider = |k: usize| -> bool {
            let Some(&(clat, i)) = self.by_lat.get(k) else {
                return false;
            };
            // One degree of latitude is at least 111 km: farther in latitude alone is farther.
            let lower_bound = (clat - lat).abs() * 111.0;
            if best.is_some_and(|(d, _)| lower_bound > d) {
                return false;
            }
            let c = &t.communes[i as usize];
            if let Some(centre) = c.centre() {
                let d = distance_km((lat, lon), centre);
                if best.is_none_or(|(bd, bi)| d.total_cmp(&bd).then(i.cmp(&bi)).is_lt()) {
                    best = Some((d, i));
                }
            }
            true
        };
        let mut up = start;
        while consider(up) {
            up += 1;
        }
        let mut down = start;
        while down > 0 && consider(down - 1) {
            down -= 1;
        }
        best.map(|(_, i)| i as usize)
    }
}
