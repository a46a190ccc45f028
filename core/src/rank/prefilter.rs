//! A signature of each row's métiers, tested before a candidate's métiers are read: a search
//! that names interests or métiers leaves out every item none of whose métiers it links to,
//! and at France scale two candidates in three are such items. Reading a row's métiers and
//! looking each up in the query's relevance table took most of a candidate's 13 ns; one
//! 64-bit word read in grid order and one `and` reject it.
//!
//! A signature's bits 0..32 are the centres d'intérêt (index modulo 32) that lead to one of the
//! row's métiers, bits 32..64 the row's métiers themselves (index modulo 32). A query's
//! signature has the bits of the interests it asks and of every métier it links to through a
//! métier it asks (same métier, fiche, mobilité, domaine). A row linked to the query shares a
//! bit with it, so a row that shares none is not linked: the test never leaves out an item the
//! search would keep (a bit shared by chance only lets an item through to the full test).

// Signatures are indexed by the métier indices the referential and the index hand out.
#![allow(clippy::indexing_slicing)]

use crate::referential::Referential;

/// The bit of a centre d'intérêt (by index).
pub(crate) fn interest_bit(interest: usize) -> u64 {
    1 << (interest % 32)
}

/// The bit of a métier (by index).
pub(crate) fn metier_bit(metier: usize) -> u64 {
    1 << (32 + metier % 32)
}

/// Each métier's signature: its own bit and those of the interests that lead to it.
pub(crate) fn metier_signatures(rome: &Referential) -> Vec<u64> {
    let mut signatures: Vec<u64> = (0..rome.metiers().len()).map(metier_bit).collect();
    for interest in 0..rome.interests().len() {
        for &(m, _) in rome.metiers_of_interest_at(interest) {
            signatures[m as usize] |= interest_bit(interest);
        }
    }
    signatures
}

/// A row's signature: its métiers' together.
pub(crate) fn row_signature(signatures: &[u64], metiers: &[u16]) -> u64 {
    metiers.iter().fold(0, |acc, &m| {
        acc | signatures.get(m as usize).copied().unwrap_or(0)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rank::query::{Query, Scope};
    use crate::rank::relevance::Relevance;

    /// The test never leaves out a métier the query links to, in every scope and for every
    /// interest, and it does leave out most of the others.
    #[test]
    fn a_linked_metier_always_shares_a_bit_with_the_query() {
        let rome = Referential::embedded().unwrap();
        let signatures = metier_signatures(&rome);
        let mut queries: Vec<(Query, Scope)> = Vec::new();
        for interest in rome.interests() {
            queries.push((
                Query::default().interest(interest.code.clone()),
                Scope::Proches,
            ));
        }
        for (k, m) in rome.metiers().iter().enumerate().step_by(37) {
            for scope in [Scope::Metier, Scope::Proches, Scope::Domaine] {
                let q = Query::default().metier(m.code.clone());
                // Some with an interest as well, and two métiers.
                let q = match k % 3 {
                    0 => q.interest("14"),
                    1 => q.metier("H2903"),
                    _ => q,
                };
                queries.push((q, scope));
            }
        }
        for (query, scope) in &queries {
            let relevance = Relevance::build(&rome, query, *scope).unwrap();
            let q = relevance.prefilter().unwrap();
            let mut left_out = 0;
            for (m, signature) in signatures.iter().enumerate() {
                let shares = signature & q != 0;
                assert!(
                    shares || relevance.metier(m as u16).is_none(),
                    "{query:?} {scope:?}: métier {m} is linked but left out"
                );
                left_out += usize::from(!shares);
            }
            if *scope != Scope::Domaine && query.metiers.len() + query.interests.len() == 1 {
                assert!(
                    left_out * 3 > signatures.len(),
                    "{query:?}: {left_out} left out"
                );
            }
        }
        // Without métiers or interests, nothing is left out.
        let open = Relevance::build(&rome, &Query::default(), Scope::Proches).unwrap();
        assert_eq!(open.prefilter(), None);
    }

    #[test]
    fn a_row_signature_is_its_metiers_together() {
        let signatures = [0b0011, 0b0100, 0b1000];
        assert_eq!(row_signature(&signatures, &[0, 2]), 0b1011);
        assert_eq!(row_signature(&signatures, &[]), 0);
        assert_eq!(
            row_signature(&signatures, &[7]),
            0,
            "an index past the table adds nothing"
        );
    }
}
