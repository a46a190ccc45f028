//! Reading a placement's inputs as the bindings and the command line get them: the pupils as
//! a JSON list or a CSV file, the options object, a placement or a list of assignments.

use super::model::{AssignOptions, AssignRequest, Assignment, Profile, Pupil};
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use crate::tabular::{Row, Table};
use serde_json::Value;
use std::io::Read;

/// Columns of a pupils CSV: (required, optional). Lists (`weeks`, `wishes`, `interests`,
/// `metiers`, `sectors`) are `;`-separated; `interests`, `metiers`, `sectors`, `radius_km` or
/// `profile_wishes` make a profile (then `wishes` stays empty).
pub const PUPIL_COLUMNS: (&[&str], &[&str]) = (
    &["id", "school"],
    &[
        "class",
        "weeks",
        "wishes",
        "commune",
        "postal_code",
        "lat",
        "lon",
        "audience",
        "interests",
        "metiers",
        "sectors",
        "radius_km",
        "profile_wishes",
    ],
);

impl AssignRequest {
    /// The request from a binding's two arguments: the pupils (a list in the JSON shape of
    /// [`Pupil`]) and the options (`{"priorities": …, "schools": […], "suggestions": 3}`, or
    /// nothing).
    pub fn from_values(pupils: Value, options: Option<Value>) -> Result<AssignRequest> {
        if !pupils.is_array() {
            return Err(Error::invalid(
                "pupils",
                match &pupils {
                    Value::Object(_) => "an object".to_string(),
                    other => crate::error::bounded(&other.to_string()),
                },
                "expected a list of pupils",
            ));
        }
        let pupils: Vec<Pupil> = list(pupils, "pupils")?;
        let options: AssignOptions = match options {
            None | Some(Value::Null) => AssignOptions::default(),
            Some(v) => crate::error::from_value(v, "options")?,
        };
        Ok(AssignRequest {
            pupils,
            priorities: options.priorities,
            schools: options.schools,
            suggestions: options.suggestions,
        })
    }
}

impl super::VisitsRequest {
    /// The request from a binding's two arguments: the classes' requests (a list in the JSON
    /// shape of [`super::VisitRequest`]) and the options (`priorities`, `schools`).
    pub fn from_values(requests: Value, options: Option<Value>) -> Result<super::VisitsRequest> {
        if !requests.is_array() {
            return Err(Error::invalid(
                "requests",
                crate::error::bounded(&requests.to_string()),
                "expected a list of visit requests",
            ));
        }
        let requests = list(requests, "requests")?;
        let options: AssignOptions = match options {
            None | Some(Value::Null) => AssignOptions::default(),
            Some(v) => crate::error::from_value(v, "options")?,
        };
        if let Some(n) = options.suggestions {
            return Err(Error::invalid(
                "options.suggestions",
                n.to_string(),
                "visits have no suggestions",
            ));
        }
        Ok(super::VisitsRequest {
            requests,
            priorities: options.priorities,
            schools: options.schools,
        })
    }
}

/// A list argument: an error inside an item names it from the argument (`pupils[2].place`).
fn list<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<Vec<T>> {
    crate::error::from_value(value, what).map_err(|e| match e {
        Error::InvalidInput {
            field,
            value,
            reason,
        } if field.starts_with('[') => Error::InvalidInput {
            field: format!("{what}{field}"),
            value,
            reason,
        },
        other => other,
    })
}

/// The assignments to check: a list of `{pupil, stage}`, or a whole placement (its `pupils`).
pub fn assignments_from_value(value: Value) -> Result<Vec<Assignment>> {
    let list = match value {
        Value::Object(mut map) if map.contains_key("pupils") => {
            map.remove("pupils").unwrap_or(Value::Null)
        }
        other => other,
    };
    crate::error::from_value(list, "placement")
}

/// Reads pupils from CSV (columns in [`PUPIL_COLUMNS`]); `weeks` applies to rows without
/// their own. A bad row is a `data_error` naming the line, the column and the value. The file
/// is UTF-8 (or UTF-16 with a byte-order mark); for Windows-1252, [`read_pupils_csv_in`].
pub fn read_pupils_csv(source: &str, reader: impl Read, weeks: &[String]) -> Result<Vec<Pupil>> {
    read_pupils_csv_in(source, reader, weeks, crate::Encoding::Utf8)
}

/// [`read_pupils_csv`] of a file in `encoding`: a class list exported from a spreadsheet
/// « CSV (séparateur : point-virgule) » on Windows is Windows-1252. A byte-order mark wins.
pub fn read_pupils_csv_in(
    source: &str,
    reader: impl Read,
    weeks: &[String],
    encoding: crate::Encoding,
) -> Result<Vec<Pupil>> {
    let t = Table::read_in(source, reader, encoding)?;
    let (required, optional) = PUPIL_COLUMNS;
    t.require(required)?;
    for h in t.headers() {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            return Err(Error::unreadable(
                source,
                format!(
                    "unknown column `{h}` (pupils have: {}, {})",
                    required.join(", "),
                    optional.join(", ")
                ),
            ));
        }
    }
    t.rows().map(|r| pupil_row(&r, weeks)).collect()
}

fn pupil_row(r: &Row<'_>, default_weeks: &[String]) -> Result<Pupil> {
    let text = |c: &str| Some(r.get(c).trim().to_string()).filter(|s| !s.is_empty());
    let lat: Option<f64> = r.parse("lat", "a latitude")?;
    let lon: Option<f64> = r.parse("lon", "a longitude")?;
    let place = match (lat, lon, text("commune"), text("postal_code")) {
        (Some(lat), Some(lon), _, _) => Some(PlaceRef::Point { lat, lon }),
        (Some(_), None, _, _) | (None, Some(_), _, _) => {
            return Err(r.error("lat", r.get("lat"), "give both lat and lon"))
        }
        (None, None, Some(c), _) => Some(PlaceRef::Text(c)),
        (None, None, None, Some(p)) => Some(PlaceRef::PostalCode(p)),
        (None, None, None, None) => None,
    };
    let audience = text("audience")
        .map(|a| {
            serde_json::from_value(Value::String(a.clone())).map_err(|_| {
                r.error(
                    "audience",
                    &a,
                    "expected college, lycee, etudiant, demandeur_emploi or reconversion",
                )
            })
        })
        .transpose()?;
    let mut weeks = r.list("weeks");
    if weeks.is_empty() {
        weeks = default_weeks.to_vec();
    }
    let profile = Profile {
        interests: r.list("interests"),
        metiers: r.list("metiers"),
        sectors: r.list("sectors"),
        kinds: Vec::new(),
        radius_km: r.parse("radius_km", "a distance in km")?,
        wishes: r.parse("profile_wishes", "a whole number")?,
    };
    let has_profile = profile != Profile::default();
    Ok(Pupil {
        id: r.required("id")?.to_string(),
        school: r.required("school")?.to_string(),
        class: text("class"),
        place,
        audience,
        weeks,
        wishes: r.list("wishes"),
        profile: has_profile.then_some(profile),
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A class list as a French spreadsheet exports it on Windows (Windows-1252, `;`, CR LF):
    /// refused as UTF-8 with the option named, read with it.
    #[test]
    fn a_windows_1252_class_list_is_read_with_its_encoding() {
        let bytes = b"id;school;commune\r\nl\xe9a;0140006F;\xc9vreux\r\n";
        let e = read_pupils_csv("eleves.csv", &bytes[..], &[]).unwrap_err();
        assert_eq!((e.code(), e.info().line), ("data_error", Some(2)));
        assert!(e.to_string().contains("encoding"), "{e}");
        let p = read_pupils_csv_in("eleves.csv", &bytes[..], &[], crate::Encoding::Windows1252)
            .unwrap();
        assert_eq!(p[0].id, "léa");
        assert_eq!(p[0].place, Some(PlaceRef::Text("Évreux".into())));
    }

    #[test]
    fn a_pupils_csv_reads_wishes_profiles_and_places() {
        let csv = "id,school,weeks,wishes,commune,interests\n\
                   a,0140006F,2027-W03,S1;S2,Flers,\n\
                   b,0140006F,,,,14;3\n";
        let p = read_pupils_csv("pupils.csv", csv.as_bytes(), &["2027-W05".into()]).unwrap();
        assert_eq!(p[0].wishes, ["S1", "S2"]);
        assert_eq!(p[0].place, Some(PlaceRef::Text("Flers".into())));
        assert_eq!(p[1].weeks, ["2027-W05"]);
        assert_eq!(p[1].profile.as_ref().unwrap().interests, ["14", "3"]);
        let bad = "id,school,lat\na,0140006F,north\n";
        let e = read_pupils_csv("pupils.csv", bad.as_bytes(), &[])
            .unwrap_err()
            .info();
        assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("lat")));
        let unknown = "id,school,wish\na,0140006F,S1\n";
        assert!(read_pupils_csv("p.csv", unknown.as_bytes(), &[])
            .unwrap_err()
            .to_string()
            .contains("wish"));
    }
}
