//! Contact requests: asking an ambassador for a phone call, a video, a visit counts against
//! that mode's sessions of the month (and of the week, when spread by week).

use super::Engine;
use crate::calendar::{Date, Period};
use crate::catalog::{Booked, ContactMode, Full};
use crate::error::{Error, Result};
use serde::Serialize;

/// The answer to a contact request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ContactBooking {
    /// Whether the session was booked.
    pub booked: bool,
    /// Ambassador id.
    pub ambassador: String,
    /// The mode asked.
    pub mode: ContactMode,
    /// The day asked.
    pub date: Date,
    /// Sessions of this mode left in that month after the request (`null`: no cap).
    pub left_in_month: Option<u32>,
    /// When not booked: the first weekday with room, within a year (`null`: none).
    pub next_free: Option<Date>,
    /// In French (`"Complet en mars 2027 : libre à partir du 1er avril 2027."`).
    pub text: String,
}

fn day(d: Date) -> String {
    crate::wording::period(&Period { start: d, end: d }).replacen("le ", "", 1)
}

impl Engine {
    /// Asks an ambassador for a session of `mode` on `date`. When that mode's month is full
    /// (or its week, for a contact spread by week), or the ambassador is not available then,
    /// nothing is booked and the answer says when they are next free; otherwise the session is
    /// recorded in the ambassador's `booked` and searches on that month skip them once full.
    /// `not_found` for an unknown ambassador, `invalid_input` (field `mode`) for a mode they do
    /// not offer.
    ///
    /// ```
    /// use metiers::{ContactMode, Date, Engine};
    /// let mut e = Engine::normandy()?;
    /// let a = e.catalog().ambassadors().find(|a| a.contact(ContactMode::Phone).is_some_and(|c| c.sessions_per_month.is_some())).unwrap().id.clone();
    /// let first = e.request_contact(&a, ContactMode::Phone, Date::parse("2027-03-02")?)?;
    /// assert!(first.booked);
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn request_contact(
        &mut self,
        ambassador: &str,
        mode: ContactMode,
        date: Date,
    ) -> Result<ContactBooking> {
        let mut a = self.ambassador(ambassador)?.clone();
        if a.contact(mode).is_none() {
            return Err(Error::invalid(
                "mode",
                serde_json::to_value(mode)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                format!("ambassador {ambassador:?} is not met this way"),
            ));
        }
        let (y, m, _) = date.ymd();
        let month = format!("en {} {y}", crate::wording::month(m));
        let refusal = if a.available_on(date) {
            match a.full_on(mode, date) {
                Some(Full::Month) => Some(format!("Complet {month}")),
                Some(Full::Week) => Some("Complet cette semaine".to_string()),
                None => None,
            }
        } else {
            Some(format!("Indisponible le {}", day(date)))
        };
        if let Some(why) = refusal {
            let next = a.next_free(mode, date);
            let text = match next {
                Some(n) => format!("{why} : libre à partir du {}.", day(n)),
                None => format!("{why} : pas de place dans l'année qui suit."),
            };
            return Ok(ContactBooking {
                booked: false,
                ambassador: ambassador.to_string(),
                mode,
                date,
                left_in_month: a.sessions_left(mode, date),
                next_free: next,
                text,
            });
        }
        a.booked.push(Booked { mode, date });
        let left = a.sessions_left(mode, date);
        self.replace_ambassador(a)?;
        let text = match left {
            Some(0) => format!("Réservé le {} (plus aucune session ce mois-ci).", day(date)),
            Some(1) => format!("Réservé le {} (1 session restante ce mois-ci).", day(date)),
            Some(n) => format!(
                "Réservé le {} ({n} sessions restantes ce mois-ci).",
                day(date)
            ),
            None => format!("Réservé le {}.", day(date)),
        };
        Ok(ContactBooking {
            booked: true,
            ambassador: ambassador.to_string(),
            mode,
            date,
            left_in_month: left,
            next_free: None,
            text,
        })
    }
}
