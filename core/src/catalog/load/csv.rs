//! CSV files of one entity: the documented columns, and each row read into the shared JSON
//! shape (lists separated by `;` or spaces, periods as `start/end`, yes/no words).

use super::{Entity, Fields, Item, Load, Parsed};
use crate::calendar::Period;
use crate::catalog::model::{
    Ambassador, AmbassadorKind, Audience, Company, Contact, ContactMode, Location, Stage,
};
use crate::error::Result;
use crate::tabular::{Cell, Header, Row, Table};
use serde::de::DeserializeOwned;

/// The documented CSV columns of each entity (the first ones are required).
pub fn csv_columns(entity: Entity) -> (&'static [&'static str], &'static [&'static str]) {
    match entity {
        Entity::Companies => (
            &["id", "name"],
            &[
                "siret",
                "commune",
                "postal_code",
                "lat",
                "lon",
                "sectors",
                "size",
                "max_pupils",
            ],
        ),
        Entity::Ambassadors => (
            &["id", "kind", "metiers", "contacts"],
            &[
                "name",
                "company",
                "training",
                "audiences",
                "travel_radius_km",
                "availability",
                "response_rate",
                "bookings",
                "commune",
                "postal_code",
                "lat",
                "lon",
            ],
        ),
        Entity::Stages => (
            &[
                "id",
                "company",
                "kind",
                "metiers",
                "periods",
                "places_total",
            ],
            &[
                "title",
                "places_left",
                "places_per_period",
                "schools",
                "rep_only",
                "audiences",
                "accessible",
                "max_group",
                "description",
                "commune",
                "postal_code",
                "lat",
                "lon",
            ],
        ),
    }
}

/// Loads a CSV file of one entity, row by row.
pub(crate) fn load_csv(
    entity: Entity,
    source: &str,
    reader: impl std::io::Read,
    encoding: crate::Encoding,
    load: &mut Load<'_>,
) -> Result<()> {
    let mut stream = Table::stream(source, reader, encoding)?;
    check_columns(entity, stream.header(), source, load)?;
    while let Some(row) = stream.next_row() {
        load.item(row_item(entity, &row?));
    }
    Ok(())
}

/// Loads the columns of a data frame of one entity, read as the CSV columns are
/// ([`Table::from_columns`]).
pub(crate) fn load_frame(
    entity: Entity,
    source: &str,
    columns: &[(String, Vec<Cell>)],
    load: &mut Load<'_>,
) -> Result<()> {
    let table = Table::from_columns(source, columns)?;
    check_columns(entity, table.header(), source, load)?;
    for row in table.rows() {
        load.item(row_item(entity, &row));
    }
    Ok(())
}

/// The required columns must be there; a column of no meaning is a warning.
fn check_columns(entity: Entity, header: &Header, source: &str, load: &mut Load<'_>) -> Result<()> {
    let (required, optional) = csv_columns(entity);
    header.require(required)?;
    for h in header.headers() {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            load.warn(format!(
                "{source}: column `{}` is not a column of {} and was not read",
                crate::error::bounded(h),
                crate::wording::wire(entity)
            ));
        }
    }
    Ok(())
}

fn row_item(entity: Entity, r: &Row<'_>) -> Item {
    Item {
        at: Some(r.at()),
        fields: Fields::Csv,
        parsed: match (r.problem(), entity) {
            (Some(e), _) => Err(e.clone()),
            (None, Entity::Companies) => company_row(r).map(Parsed::Company),
            (None, Entity::Ambassadors) => ambassador_row(r).map(Parsed::Ambassador),
            (None, Entity::Stages) => stage_row(r).map(Parsed::Stage),
        },
    }
}

/// A value of a serde enum from its wire name (`"mini_stage"`), so CSV and JSON accept the same
/// words (and give the same error for an unknown one); or as people type the name in a
/// spreadsheet, in any case, with accents, spaces or hyphens (`« PME »`, `« Collège »`,
/// `« Observation 3e »`, `« mini-stage »`), when that is one of the names.
fn word<T: DeserializeOwned>(r: &Row<'_>, column: &str, text: &str) -> Result<T> {
    use serde::de::value::{Error, StrDeserializer};
    T::deserialize(StrDeserializer::<Error>::new(&wire_name(text)))
        .map_err(|e| r.error(column, text, &crate::error::plain_words(&e.to_string())))
}

/// A name as the wire writes names (`observation_3e`): as it is when it is written so, else
/// folded (lower case, no accents) with underscores between its words. Not generic: one copy.
fn wire_name(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(crate::text::fold(text).replace(' ', "_"))
    }
}

fn words<T: DeserializeOwned>(r: &Row<'_>, column: &str) -> Result<Vec<T>> {
    fitted(r.items(column).map(|w| word(r, column, w)))
}

fn periods(r: &Row<'_>, column: &str) -> Result<Vec<Period>> {
    fitted(
        r.items(column)
            .map(|p| Period::parse(p).map_err(|e| r.error(column, p, &e.to_string()))),
    )
}

/// The items, or the first error; a list kept as long as the catalogue keeps the row, so no
/// room to spare (a list grown item by item starts with room for four).
fn fitted<T>(items: impl Iterator<Item = Result<T>>) -> Result<Vec<T>> {
    let mut list = items.collect::<Result<Vec<T>>>()?;
    list.shrink_to_fit();
    Ok(list)
}

fn whole(r: &Row<'_>, column: &str) -> Result<Option<u32>> {
    r.parse(column, "a whole number, 0 or more")
}

fn row_location(r: &Row<'_>) -> Result<Option<Location>> {
    let loc = Location {
        commune: opt(r, "commune"),
        postal_code: opt(r, "postal_code"),
        lat: r.parse("lat", "a latitude in decimal degrees")?,
        lon: r.parse("lon", "a longitude in decimal degrees")?,
        departement: None,
    };
    Ok((loc != Location::default()).then_some(loc))
}

fn opt<T: for<'s> From<&'s str>>(r: &Row<'_>, column: &str) -> Option<T> {
    Some(r.get(column)).filter(|s| !s.is_empty()).map(T::from)
}

fn company_row(r: &Row<'_>) -> Result<Company> {
    Ok(Company {
        id: r.required("id")?.to_string(),
        name: r.required("name")?.to_string(),
        siret: opt(r, "siret"),
        place: row_location(r)?.unwrap_or_default(),
        sectors: r.list("sectors"),
        size: opt::<String>(r, "size")
            .map(|s| word(r, "size", &s))
            .transpose()?,
        max_pupils: whole(r, "max_pupils")?,
    })
}

/// `phone;video:4;class_visit:2:30` — mode, then optional sessions a month and largest group.
fn contacts(r: &Row<'_>) -> Result<Vec<Contact>> {
    r.list("contacts")
        .iter()
        .map(|item| {
            let mut parts = item.split(':').map(str::trim);
            let mode: ContactMode = word(r, "contacts", parts.next().unwrap_or_default())?;
            let mut number = |what: &str| -> Result<Option<u16>> {
                parts
                    .next()
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse().map_err(|_| {
                            r.error("contacts", item, &format!("{what} must be a whole number"))
                        })
                    })
                    .transpose()
            };
            let sessions_per_month = number("sessions a month")?;
            let max_group = number("the largest group")?;
            Ok(Contact {
                mode,
                sessions_per_month,
                max_group,
                weekly: false,
            })
        })
        .collect()
}

fn ambassador_row(r: &Row<'_>) -> Result<Ambassador> {
    Ok(Ambassador {
        id: r.required("id")?.to_string(),
        kind: word::<AmbassadorKind>(r, "kind", r.required("kind")?)?,
        name: opt(r, "name"),
        company: opt(r, "company"),
        training: opt(r, "training"),
        metiers: r.list("metiers"),
        contacts: contacts(r)?,
        audiences: words::<Audience>(r, "audiences")?,
        travel_radius_km: r.parse("travel_radius_km", "a distance in km")?,
        availability: periods(r, "availability")?,
        response_rate: r.parse("response_rate", "a share between 0 and 1")?,
        bookings: whole(r, "bookings")?.unwrap_or(0),
        booked: Vec::new(),
        place: row_location(r)?,
    })
}

fn stage_row(r: &Row<'_>) -> Result<Stage> {
    let yes_no = |column: &str| {
        let text = r.get(column);
        let is = |words: &[&str]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
        // VRAI and FAUX: what a French spreadsheet writes for a checked box.
        if is(&["", "non", "no", "false", "faux", "0"]) {
            Ok(false)
        } else if is(&["oui", "yes", "true", "vrai", "1"]) {
            Ok(true)
        } else {
            Err(r.error(column, text, "expected oui or non"))
        }
    };
    Ok(Stage {
        id: r.required("id")?.into(),
        company: r.required("company")?.into(),
        kind: word(r, "kind", r.required("kind")?)?,
        title: opt(r, "title"),
        metiers: r.list("metiers").into(),
        place: row_location(r)?,
        periods: periods(r, "periods")?.into(),
        places_total: whole(r, "places_total")?
            .ok_or_else(|| r.error("places_total", "", "required value is missing"))?,
        places_left: whole(r, "places_left")?,
        places_per_period: whole(r, "places_per_period")?,
        schools: r.list("schools").into(),
        rep_only: yes_no("rep_only")?,
        audiences: words(r, "audiences")?.into(),
        accessible: yes_no("accessible")?,
        max_group: r.parse("max_group", "a whole number")?,
        description: opt(r, "description"),
    })
}
