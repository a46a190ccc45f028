//! The layout of the compact form (`normandy.bin`, `france.bin`, [`Geography::to_bytes`]):
//! the communes by columns, their positions and areas as whole numbers of hundred-thousandths
//! of a degree and hundredths of a km² (the precision of the source), each the difference from
//! the commune before, and their départements and regions as runs. It is what the browser
//! downloads, so it is laid out for compression: a double is eight bytes gzip barely shrinks,
//! a difference two or three. Reading it gives back the same tables, bit for bit: a number
//! with more decimals than its column's, or none, is kept apart as it is.
//!
//! [`Geography::to_bytes`]: super::Geography::to_bytes

use super::model::{Arrondissement, Commune, CommuneDeleguee, Departement};
use super::GeoTables;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Serialize, Deserialize)]
struct Wire {
    communes: Communes,
    departements: Vec<Departement>,
    deleguees: Vec<CommuneDeleguee>,
    arrondissements: Vec<Arrondissement>,
}

/// The communes, one column per field, in the order of the table.
#[derive(Serialize, Deserialize)]
struct Communes {
    insee: Vec<String>,
    names: Vec<String>,
    /// Each commune's département, as runs (code, communes in a row): communes come in INSEE
    /// order, which is by département.
    /// Shared once decoded: every commune of a département, and every catalogue place in it,
    /// holds the one text.
    departements: Vec<(Arc<str>, u32)>,
    regions: Vec<(Arc<str>, u32)>,
    postal_codes: Vec<Vec<String>>,
    lat: Decimals,
    lon: Decimals,
    area_km2: Decimals,
    population: Vec<u32>,
    pop_15_64: Vec<u32>,
    pop_15_64_active: Vec<u32>,
    pop_15_64_unemployed: Vec<u32>,
}

/// A column of numbers that have at most `scale` decimals, as whole numbers of 10^-`scale`,
/// each the difference from the one before; the others (more decimals, or absent) apart.
#[derive(Serialize, Deserialize)]
struct Decimals {
    scale: u8,
    /// One a value; 0 for a value kept apart.
    steps: Vec<i64>,
    /// The values kept apart, by position: as they are, `None` for an absent one.
    apart: Vec<(u32, Option<f64>)>,
}

/// 10^scale, exact in a double up to 10^22.
fn power(scale: u8) -> f64 {
    (0..scale).fold(1.0, |p, _| p * 10.0)
}

impl Decimals {
    fn encode(values: impl Iterator<Item = Option<f64>>, scale: u8) -> Result<Decimals> {
        let p = power(scale);
        let mut out = Decimals {
            scale,
            steps: Vec::new(),
            apart: Vec::new(),
        };
        let mut previous = 0_i64;
        for (i, value) in values.enumerate() {
            // The whole number whose quotient by 10^scale is this very double, if any.
            let whole = value.and_then(|x| {
                let y = (x * p).round();
                // |y| < 2^53: whole and exact.
                #[allow(clippy::cast_possible_truncation)]
                let n = (y.abs() < 9_007_199_254_740_992.0).then_some(y as i64)?;
                #[allow(clippy::cast_precision_loss)] // |n| < 2^53
                let back = n as f64 / p;
                (back.to_bits() == x.to_bits()).then_some(n)
            });
            if let Some(n) = whole {
                out.steps.push(n.wrapping_sub(previous));
                previous = n;
            } else {
                let at = u32::try_from(i)
                    .map_err(|_| Error::Internal("more than 2^32 communes".into()))?;
                out.steps.push(0);
                out.apart.push((at, value));
            }
        }
        Ok(out)
    }

    /// The values of a column of `len`; a column of another length, a position apart out of
    /// order or a whole number beyond 2^53 is a `data_error` naming the column.
    fn decode(&self, len: usize, column: &str) -> Result<Vec<Option<f64>>> {
        if self.steps.len() != len || self.scale > 22 {
            return Err(bad(column, "a column of another length"));
        }
        let p = power(self.scale);
        let mut apart = self.apart.iter().peekable();
        let mut previous = 0_i64;
        let mut out = Vec::with_capacity(len);
        for (i, &step) in self.steps.iter().enumerate() {
            if let Some(&(_, value)) = apart.next_if(|(at, _)| usize::try_from(*at) == Ok(i)) {
                out.push(value);
                continue;
            }
            previous = previous.wrapping_add(step);
            if previous.unsigned_abs() >= 1 << 53 {
                return Err(bad(column, "a number beyond 2^53"));
            }
            #[allow(clippy::cast_precision_loss)] // below 2^53
            out.push(Some(previous as f64 / p));
        }
        if apart.next().is_some() {
            return Err(bad(column, "a value apart out of order or out of range"));
        }
        Ok(out)
    }
}

/// Consecutive equal values as (value, count).
fn runs<'a, T: PartialEq + Clone + 'a>(
    values: impl Iterator<Item = &'a T>,
) -> Result<Vec<(T, u32)>> {
    let mut out: Vec<(T, u32)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((last, n)) if last == v => {
                *n = n
                    .checked_add(1)
                    .ok_or_else(|| Error::Internal("a run beyond 2^32".into()))?;
            }
            _ => out.push((v.clone(), 1)),
        }
    }
    Ok(out)
}

/// The values of runs, `len` of them.
fn expand<T: Clone>(runs: Vec<(T, u32)>, len: usize, column: &str) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(len);
    for (value, n) in runs {
        let n = usize::try_from(n).map_err(|_| bad(column, "a run too long"))?;
        if n > len.saturating_sub(out.len()) {
            return Err(bad(column, "runs longer than the column"));
        }
        out.extend(std::iter::repeat_n(value, n));
    }
    if out.len() != len {
        return Err(bad(column, "runs shorter than the column"));
    }
    Ok(out)
}

fn bad(column: &str, reason: &str) -> Error {
    Error::unreadable(
        "communes",
        format!("not the communes data of this version of metiers ({column}: {reason})"),
    )
}

/// The compact form of the tables.
pub(super) fn encode(t: &GeoTables) -> Result<Vec<u8>> {
    let c = &t.communes;
    let wire = Wire {
        communes: Communes {
            insee: c.iter().map(|x| x.insee.to_string()).collect(),
            names: c.iter().map(|x| x.name.clone()).collect(),
            departements: runs(c.iter().map(|x| &x.departement))?,
            regions: runs(c.iter().map(|x| &x.region))?,
            postal_codes: c.iter().map(|x| x.postal_codes.clone()).collect(),
            lat: Decimals::encode(c.iter().map(|x| x.lat), 5)?,
            lon: Decimals::encode(c.iter().map(|x| x.lon), 5)?,
            area_km2: Decimals::encode(c.iter().map(|x| x.area_km2), 2)?,
            population: c.iter().map(|x| x.population).collect(),
            pop_15_64: c.iter().map(|x| x.pop_15_64).collect(),
            pop_15_64_active: c.iter().map(|x| x.pop_15_64_active).collect(),
            pop_15_64_unemployed: c.iter().map(|x| x.pop_15_64_unemployed).collect(),
        },
        departements: t.departements.clone(),
        deleguees: t.deleguees.clone(),
        arrondissements: t.arrondissements.clone(),
    };
    postcard::to_allocvec(&wire).map_err(|e| Error::Internal(e.to_string()))
}

/// The tables of the compact form; whether their codes and positions are sound is for the
/// checks that follow (`check_tables`).
pub(super) fn decode(bytes: &[u8]) -> Result<GeoTables> {
    let wire: Wire = crate::input::postcard_exact(bytes).map_err(|e| {
        Error::unreadable(
            "communes",
            format!("not the communes data of this version of metiers ({e})"),
        )
    })?;
    let c = wire.communes;
    let len = c.insee.len();
    let same = |n: usize, column: &str| {
        if n == len {
            Ok(())
        } else {
            Err(bad(column, "a column of another length"))
        }
    };
    same(c.names.len(), "names")?;
    same(c.postal_codes.len(), "postal_codes")?;
    same(c.population.len(), "population")?;
    same(c.pop_15_64.len(), "pop_15_64")?;
    same(c.pop_15_64_active.len(), "pop_15_64_active")?;
    same(c.pop_15_64_unemployed.len(), "pop_15_64_unemployed")?;
    let lat = c.lat.decode(len, "lat")?;
    let lon = c.lon.decode(len, "lon")?;
    let area = c.area_km2.decode(len, "area_km2")?;
    let departements = expand(c.departements, len, "departements")?;
    let regions = expand(c.regions, len, "regions")?;
    let mut communes = Vec::with_capacity(len);
    let mut names = c.names.into_iter();
    let mut postal = c.postal_codes.into_iter();
    let mut departements = departements.into_iter();
    let mut regions = regions.into_iter();
    for (i, insee) in c.insee.into_iter().enumerate() {
        // Every column has `len` values (checked above).
        let at = |v: &[u32]| v.get(i).copied().unwrap_or_default();
        communes.push(Commune {
            insee: insee.into(),
            name: names.next().unwrap_or_default(),
            departement: departements.next().unwrap_or_else(|| Arc::from("")),
            region: regions.next().unwrap_or_else(|| Arc::from("")),
            postal_codes: postal.next().unwrap_or_default(),
            lat: lat.get(i).copied().flatten(),
            lon: lon.get(i).copied().flatten(),
            area_km2: area.get(i).copied().flatten(),
            population: at(&c.population),
            pop_15_64: at(&c.pop_15_64),
            pop_15_64_active: at(&c.pop_15_64_active),
            pop_15_64_unemployed: at(&c.pop_15_64_unemployed),
        });
    }
    Ok(GeoTables {
        communes,
        departements: wire.departements,
        deleguees: wire.deleguees,
        arrondissements: wire.arrondissements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[Option<f64>], scale: u8) -> Vec<Option<f64>> {
        Decimals::encode(values.iter().copied(), scale)
            .unwrap()
            .decode(values.len(), "test")
            .unwrap()
    }

    #[test]
    fn every_double_comes_back_bit_for_bit() {
        let values = [
            Some(49.18464),
            Some(-0.37224),
            None,
            Some(0.0),
            Some(-0.0),
            Some(49.184_641_234),
            Some(f64::MIN_POSITIVE),
            Some(1e300),
            Some(f64::NAN),
            Some(-1.5),
            Some(48.0),
        ];
        let back = column(&values, 5);
        let bits = |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&values));
        let encoded = Decimals::encode(values.iter().copied(), 5).unwrap();
        // Kept apart: the absent value, -0, the ones with more decimals and the huge ones.
        let apart: Vec<u32> = encoded.apart.iter().map(|a| a.0).collect();
        assert_eq!(apart, [2, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn a_broken_column_is_a_data_error() {
        let mut d = Decimals::encode([Some(1.0), Some(2.0)].into_iter(), 2).unwrap();
        assert_eq!(d.decode(3, "lat").unwrap_err().code(), "data_error");
        d.apart.push((7, None));
        assert_eq!(d.decode(2, "lat").unwrap_err().code(), "data_error");
        let huge = Decimals {
            scale: 0,
            steps: vec![i64::MAX, i64::MAX],
            apart: Vec::new(),
        };
        assert_eq!(huge.decode(2, "lat").unwrap_err().code(), "data_error");
        assert_eq!(
            expand(vec![("14".to_string(), 3)], 2, "departements")
                .unwrap_err()
                .code(),
            "data_error"
        );
        assert_eq!(
            expand(vec![("14".to_string(), 1)], 2, "departements")
                .unwrap_err()
                .code(),
            "data_error"
        );
    }
}
