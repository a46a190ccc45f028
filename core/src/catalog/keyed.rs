//! Shared catalogue items ordered and found by their own id: the catalogue's trees keep no
//! copy of it. Keyed by a copy of each id, a tree held 24 bytes more a stage in its nodes and an
//! 8-byte block of its own for the copy's text (README, Memory).

use super::model::{Ambassador, Stage};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::Arc;

/// An item with an id of its own.
pub(crate) trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for Stage {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for Ambassador {
    fn key(&self) -> &str {
        &self.id
    }
}

/// A shared item, compared, ordered and looked up (`Borrow<str>`) by its id alone. An item's
/// id never changes while it is in a tree: an update takes it out and puts it back.
#[derive(Debug)]
pub(crate) struct ById<T>(pub(crate) Arc<T>);

/// Items by id.
pub(crate) type ItemsById<T> = BTreeSet<ById<T>>;

impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        ById(Arc::clone(&self.0))
    }
}

impl<T: Keyed> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key() == other.0.key()
    }
}

impl<T: Keyed> Eq for ById<T> {}

impl<T: Keyed> PartialOrd for ById<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Keyed> Ord for ById<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.key().cmp(other.0.key())
    }
}

impl<T: Keyed> Borrow<str> for ById<T> {
    fn borrow(&self) -> &str {
        self.0.key()
    }
}
