//! The standard library's sorts, compiled once in the WebAssembly build.
//!
//! `slice::sort_by` and its kin are generic over the element and the comparison, so every call
//! site gets its own copy of the whole sort (driftsort, ipnsort: a few kilobytes each). In the
//! browser module they were 313 KB of 1.1 MB of code. There, the methods of [`Sort`] sort the
//! positions `0..n` with the standard stable sort through a `&mut dyn FnMut` (one copy for every
//! call site), then move the elements into that order; natively they call the standard methods
//! directly, where an inlined comparison is faster and size matters less.
//!
//! The results are the same on every target. A stable sort has one right answer, whatever the
//! algorithm. An unstable sort does not, so [`Sort::unstable`] is offered only by `Ord`, for
//! types whose equal values cannot be told apart (numbers, strings, tuples of them): every
//! correct sort gives them the same order. Partial orders (a key, a comparison) sort stably.

// The one module that calls the standard sorts (core/clippy.toml forbids them elsewhere).
#![allow(clippy::disallowed_methods)]

use std::cmp::Ordering;

/// Sorting methods for slices: the standard ones under other names (see the module).
pub(crate) trait Sort<T> {
    /// `sort`: stable, by `Ord`.
    fn stable(&mut self)
    where
        T: Ord;
    /// `sort_by`: stable.
    fn stable_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering);
    /// `sort_by_key`: stable.
    fn stable_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
    /// `sort_unstable`, for types whose equal values cannot be told apart (derived `Ord` on
    /// numbers and strings): the result is then every sort's.
    fn unstable(&mut self)
    where
        T: Ord;
    /// `sort_by` compiled for this call site in every build, for the few sorts that are hot
    /// in the browser too: on a search's path (the shared sort made a job-title search 40 %
    /// slower in the browser module, 25 -> 36 µs) or of thousands of elements at start-up (the
    /// job-title index's first build went from 51 to 94 ms in Chromium). A few KiB each.
    #[inline]
    fn inline_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering)
    where
        Self: AsMut<[T]>,
    {
        self.as_mut().sort_by(compare);
    }

    /// `sort_by_key` compiled for this call site (see [`Sort::inline_by`]).
    #[inline]
    fn inline_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K)
    where
        Self: AsMut<[T]>,
    {
        self.as_mut().sort_by_key(key);
    }

    /// `sort_unstable` compiled for this call site (see [`Sort::inline_by`]), for types whose
    /// equal values cannot be told apart, as [`Sort::unstable`].
    #[inline]
    fn inline_unstable(&mut self)
    where
        Self: AsMut<[T]>,
        T: Ord,
    {
        self.as_mut().sort_unstable();
    }
}

#[cfg(target_arch = "wasm32")]
impl<T> Sort<T> for [T] {
    fn stable(&mut self)
    where
        T: Ord,
    {
        by_positions(self, &mut T::cmp);
    }

    fn stable_by(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        by_positions(self, &mut compare);
    }

    fn stable_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        by_positions(self, &mut |a: &T, b: &T| key(a).cmp(&key(b)));
    }

    fn unstable(&mut self)
    where
        T: Ord,
    {
        by_positions(self, &mut T::cmp);
    }
}

/// Sorts the positions of `v` by the standard stable sort, one copy for every element type (the
/// positions are `usize`, the comparison a trait object), then moves each element to its place
/// by following the permutation's cycles.
#[cfg(any(target_arch = "wasm32", test))]
#[allow(clippy::indexing_slicing)] // positions are 0..v.len(), a permutation of them
fn by_positions<T>(v: &mut [T], compare: &mut dyn FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut order, &mut |&a, &b| compare(&v[a], &v[b]));
    permute(&mut order, &mut |a, b| v.swap(a, b));
}

/// Moves into each position `k` what is at `order[k]` (`order` a permutation of `0..n`), with
/// `swap` exchanging two positions (of one slice, or of several in step): one swap for each
/// element of a permutation's cycle but its last. `order` is used up: `usize::MAX` marks the
/// positions done. One copy for every caller (`swap` a trait object: this module's rule).
#[allow(clippy::indexing_slicing)] // positions are 0..order.len(), a permutation of them
#[inline(never)]
pub(crate) fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != usize::MAX {
            let from = std::mem::replace(&mut order[k], usize::MAX);
            if from == start {
                break;
            }
            swap(k, from);
            k = from;
        }
    }
}

/// The one stable sort of the module: positions, compared through a trait object.
#[cfg(any(target_arch = "wasm32", test))]
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(&usize, &usize) -> Ordering) {
    order.sort_by(compare);
}

#[cfg(not(target_arch = "wasm32"))]
impl<T> Sort<T> for [T] {
    #[inline]
    fn stable(&mut self)
    where
        T: Ord,
    {
        self.sort();
    }

    #[inline]
    fn stable_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering) {
        self.sort_by(compare);
    }

    #[inline]
    fn stable_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K) {
        self.sort_by_key(key);
    }

    #[inline]
    fn unstable(&mut self)
    where
        T: Ord,
    {
        self.sort_unstable();
    }
}

/// The start of each key's run in a counting sort: `keys` are each below `len`, and the result
/// has `len + 1` offsets, the last the number of keys (key `k`'s run is `out[k]..out[k + 1]`).
/// A key out of range is not counted (callers' keys are in range by construction).
pub(crate) fn offsets(len: usize, keys: impl Iterator<Item = usize>) -> Vec<u32> {
    let mut out = vec![0u32; len.saturating_add(1)];
    for k in keys {
        if let Some(n) = out.get_mut(k.saturating_add(1)) {
            *n = n.saturating_add(1);
        }
    }
    running_sums(&mut out);
    out
}

/// Positions `0..keys.len()` in order of their key, those of one key in increasing order (a
/// stable sort by `(key, position)`, in one pass), with the [`offsets`] of each key's run.
/// Keys are each below `len`; a position whose key is not is left out.
pub(crate) fn by_counting(len: usize, keys: &[usize]) -> (Vec<usize>, Vec<u32>) {
    let start = offsets(len, keys.iter().copied());
    let mut next = start.clone();
    let mut order = vec![0; start.last().map_or(0, |&n| n as usize)];
    for (i, &k) in keys.iter().enumerate() {
        if let Some(at) = next.get_mut(k).filter(|_| k < len) {
            if let Some(slot) = order.get_mut(*at as usize) {
                *slot = i;
            }
            *at = at.saturating_add(1);
        }
    }
    (order, start)
}

/// Counts made offsets, in place: each becomes the sum of itself and those before it.
pub(crate) fn running_sums(counts: &mut [u32]) {
    let mut running = 0u32;
    for n in counts {
        running = running.saturating_add(*n);
        *n = running;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Each key's run starts after the keys below it, and the last offset counts them all.
        #[test]
        fn offsets_are_the_runs_of_a_counting_sort(
            keys in proptest::collection::vec(0usize..20, 0..200),
        ) {
            let out = offsets(20, keys.iter().copied());
            prop_assert_eq!(out.len(), 21);
            for (k, &start) in out.iter().enumerate() {
                let below = keys.iter().filter(|&&x| x < k).count();
                prop_assert_eq!(start as usize, below);
            }
        }

        /// Placing by counting is the stable sort by key.
        #[test]
        fn placing_by_counting_is_a_stable_sort_by_key(
            keys in proptest::collection::vec(0usize..25, 0..300),
        ) {
            let (order, start) = by_counting(20, &keys);
            let mut sorted: Vec<(usize, usize)> =
                keys.iter().copied().enumerate().filter(|e| e.1 < 20).collect();
            sorted.sort_by_key(|e| e.1);
            let sorted: Vec<usize> = sorted.into_iter().map(|e| e.0).collect();
            prop_assert_eq!(&order, &sorted);
            prop_assert_eq!(start, offsets(20, keys.iter().copied()));
        }

        /// The browser's sort (positions, then cycles) gives the standard stable sort's order:
        /// by a key with many ties, by a whole value, and reversed.
        #[test]
        fn sorting_by_positions_is_the_standard_stable_sort(
            items in proptest::collection::vec((0u8..4, any::<u16>()), 0..300),
        ) {
            let mut ours = items.clone();
            by_positions(&mut ours, &mut |a: &(u8, u16), b: &(u8, u16)| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(&ours, &std);
            by_positions(&mut ours, &mut |a: &(u8, u16), b: &(u8, u16)| b.cmp(a));
            std.sort_unstable_by(|a, b| b.cmp(a));
            prop_assert_eq!(&ours, &std);
        }
    }

    #[test]
    fn sorting_strings_by_positions_moves_every_element_once() {
        let mut words: Vec<String> = ["mer", "", "Caen", "caen", "é", "mer", "a"]
            .map(String::from)
            .to_vec();
        by_positions(&mut words, &mut String::cmp);
        assert_eq!(words, ["", "Caen", "a", "caen", "mer", "mer", "é"]);
        let mut one = vec![1];
        one.stable_by_key(|x| -x);
        assert_eq!(one, [1]);
    }
}
