//! Job-title search over the ROME appellations.
//!
//! Each title (long and short label) is a document of folded words. A query word matches a
//! title word exactly, as a prefix (typing in progress) or with one typo ([`Vocabulary`]).
//! A title scores by how much of the query it covers (80 %) and how much of itself the query
//! covers (20 %), so "fraiseur" prefers "Fraiseur / Fraiseuse" to "Fraiseur / Fraiseuse
//! d'engrenage". A métier takes the score of its best title.

// The title index reads its own postings, documents and the referential it was built from,
// by indices it made; a query reaches it only through `Vocabulary::lookup`, which is bounded
// and index-free (see text.rs), and word counts are capped at `MAX_QUERY_WORDS`.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use crate::referential::{Appellation, Metier};
use crate::sorting::Sort;
use crate::text::{self, Vocabulary, WordMatch};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// A métier found by [`crate::Referential::search`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct MetierHit {
    /// ROME code.
    pub code: String,
    /// Métier label.
    pub label: String,
    /// The job title that matched best.
    pub matched_title: String,
    /// Relevance in [0, 1], rounded to 4 decimals.
    pub score: f32,
}

/// Share of the score given by how much of the query a title covers.
const QUERY_COVERAGE_WEIGHT: f32 = 0.8;
/// Penalty for titles ROME marks as rarely used.
const RARELY_USED_PENALTY: f32 = 0.05;
/// Most query words considered (the rest is ignored, a query is not a document).
const MAX_QUERY_WORDS: usize = 8;
/// A prefix stops taking in longer words once this many titles are matched: the shortest
/// completions of "c" are the likely ones, and a keystroke stays within microseconds.
const MAX_PREFIX_POSTINGS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Doc {
    appellation: u32,
    metier: u16,
    /// Content words in the longer gender form ("Fraiseur / Fraiseuse d'engrenage" → 2).
    concept_len: u8,
}

/// The inverted index of job titles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TitleIndex {
    vocabulary: Vocabulary,
    docs: Vec<Doc>,
    /// Postings in CSR form: docs of word `w` are `post_docs[post_start[w]..post_start[w+1]]`.
    post_start: Vec<u32>,
    post_docs: Vec<u32>,
    /// Per appellation, its rank among titles of equal score: the principal title first, then
    /// the shorter label, then the appellation's order (precomputed so the search compares
    /// two integers instead of reading two appellations).
    title_rank: Vec<u32>,
}

/// Content words of a folded text (function words dropped unless nothing else is left).
fn content_words(folded: &str) -> Vec<&str> {
    let all: Vec<&str> = text::words(folded).collect();
    let content: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !text::is_stop_word(w))
        .collect();
    if content.is_empty() {
        all
    } else {
        content
    }
}

fn quality(m: WordMatch, query_len: usize, word_len: usize) -> f32 {
    match m {
        WordMatch::Exact => 1.0,
        WordMatch::Typo => 0.8,
        WordMatch::Prefix => 0.55 + 0.35 * (query_len as f32 / word_len as f32),
    }
}

/// The titles to index, folded: the words of each as byte ranges of one buffer.
struct FoldedTitles {
    /// Every label folded, half by half, each half followed by a space.
    folded: String,
    /// Each title's (content) words: `words[starts[d]..starts[d + 1]]` for doc `d`.
    words: Vec<(u32, u32)>,
    starts: Vec<u32>,
    docs: Vec<Doc>,
}

impl FoldedTitles {
    /// Folds every label half by half ("Fraiseur / Fraiseuse") into one buffer: the words of
    /// a whole label are those of its halves in turn, and the halves give its concept length,
    /// so each label is folded once and nothing is allocated per label.
    fn new(appellations: &[Appellation], metier_of: &[Option<u16>]) -> FoldedTitles {
        let mut t = FoldedTitles {
            folded: String::new(),
            words: Vec::new(),
            starts: vec![0],
            docs: Vec::new(),
        };
        // Byte range in `folded` of each word of a label, and whether it is a function word.
        let mut spans: Vec<(u32, u32, bool)> = Vec::new();
        for (ai, a) in appellations.iter().enumerate() {
            let Some(metier) = metier_of.get(ai).copied().flatten() else {
                continue;
            };
            for label in std::iter::once(&a.label).chain(a.short_label.as_ref()) {
                spans.clear();
                let mut concept_len = 0usize;
                for half in label.split('/') {
                    let before = spans.len();
                    t.fold_half(half, &mut spans);
                    // Content words of the half (all of them when none is a content word).
                    let half_spans = &spans[before..];
                    let content = half_spans.iter().filter(|w| !w.2).count();
                    concept_len = concept_len.max(if content == 0 {
                        half_spans.len()
                    } else {
                        content
                    });
                }
                // Function words are dropped unless nothing else is left (`content_words`).
                let keep_all = spans.iter().all(|w| w.2);
                t.words.extend(
                    spans
                        .iter()
                        .filter(|w| keep_all || !w.2)
                        .map(|&(a, b, _)| (a, b)),
                );
                t.starts.push(t.words.len() as u32);
                t.docs.push(Doc {
                    appellation: ai as u32,
                    metier,
                    concept_len: concept_len.clamp(1, 255) as u8,
                });
            }
        }
        t
    }

    /// Folds one half of a label into the buffer and adds its words to `spans`, split as
    /// `text::words` splits them.
    fn fold_half(&mut self, half: &str, spans: &mut Vec<(u32, u32, bool)>) {
        let from = self.folded.len();
        text::fold_into(half, &mut self.folded);
        // The folded text's words are separated by single spaces: a scan of its bytes finds
        // them (`str::split` cost as much as the folding itself).
        self.folded.push(' ');
        let mut start = from;
        for (at, &b) in self.folded.as_bytes().iter().enumerate().skip(from) {
            if b == b' ' {
                if at > start {
                    let word = self.folded.get(start..at).unwrap_or_default();
                    spans.push((start as u32, at as u32, text::is_stop_word(word)));
                }
                start = at + 1;
            }
        }
    }

    /// The word at a byte range.
    fn word(&self, (a, b): (u32, u32)) -> &str {
        self.folded.get(a as usize..b as usize).unwrap_or_default()
    }
}

/// Postings in CSR form from each doc's word ids (`words[starts[d]..starts[d + 1]]`), by
/// counting: docs come in order, so each word's list is sorted as it is filled; a word twice
/// in one title ("aide soignant aide soignante") is listed once.
fn postings(n_words: usize, starts: &[u32], words: &[u32]) -> (Vec<u32>, Vec<u32>) {
    // Calls `visit(word, doc)` for every posting, docs in order, each pair once.
    let each_posting = |visit: &mut dyn FnMut(usize, u32)| {
        let mut last_doc = vec![u32::MAX; n_words];
        for (d, bounds) in starts.windows(2).enumerate() {
            for &w in &words[bounds[0] as usize..bounds[1] as usize] {
                let w = w as usize;
                if last_doc[w] != d as u32 {
                    last_doc[w] = d as u32;
                    visit(w, d as u32);
                }
            }
        }
    };
    let mut post_start = vec![0u32; n_words + 1];
    each_posting(&mut |w, _| post_start[w + 1] += 1);
    crate::sorting::running_sums(&mut post_start);
    let mut next = post_start.clone();
    let mut post_docs = vec![0u32; post_start[n_words] as usize];
    each_posting(&mut |w, d| {
        post_docs[next[w] as usize] = d;
        next[w] += 1;
    });
    (post_start, post_docs)
}

impl TitleIndex {
    /// Indexes the long and short label of every appellation; `metier_of[a]` is the index of
    /// appellation `a`'s métier (`None` leaves the title out).
    pub(crate) fn build(appellations: &[Appellation], metier_of: &[Option<u16>]) -> TitleIndex {
        let titles = FoldedTitles::new(appellations, metier_of);
        // Each distinct word gets a provisional id when first seen (one hash look-up per
        // occurrence); ids are then the ranks of the ~10k distinct words in sorted order, as
        // the vocabulary numbers them, never the map's order.
        let mut first_seen: FxHashMap<&str, u32> = FxHashMap::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut occurrences: Vec<u32> = Vec::with_capacity(titles.words.len());
        for &w in &titles.words {
            let word = titles.word(w);
            let id = *first_seen.entry(word).or_insert_with(|| {
                seen.push(word);
                seen.len() as u32 - 1
            });
            occurrences.push(id);
        }
        let mut by_word: Vec<u32> = (0..seen.len() as u32).collect();
        by_word.inline_by_key(|&p| seen[p as usize]);
        let mut rank = vec![0u32; seen.len()];
        for (r, &p) in by_word.iter().enumerate() {
            rank[p as usize] = r as u32;
        }
        let vocabulary = Vocabulary::new(by_word.iter().map(|&p| seen[p as usize].to_string()));
        for p in &mut occurrences {
            *p = rank[*p as usize];
        }
        let (post_start, post_docs) = postings(vocabulary.len(), &titles.starts, &occurrences);
        let mut order: Vec<u32> = (0..appellations.len() as u32).collect();
        order.inline_by_key(|&a| {
            let app = &appellations[a as usize];
            (!app.principal, app.label.len(), a)
        });
        let mut title_rank = vec![0u32; appellations.len()];
        for (rank, &a) in order.iter().enumerate() {
            title_rank[a as usize] = rank as u32;
        }
        TitleIndex {
            vocabulary,
            docs: titles.docs,
            post_start,
            post_docs,
            title_rank,
        }
    }

    /// The index as bytes (postcard), as `core/data/rome-titles.bin` embeds it.
    pub(crate) fn to_bytes(&self) -> crate::Result<Vec<u8>> {
        postcard::to_allocvec(self).map_err(|e| crate::Error::Internal(e.to_string()))
    }

    /// An index read back from [`TitleIndex::to_bytes`], for a referential of `appellations`
    /// and `metiers` counts; `None` when the bytes do not decode or the index is not one
    /// [`TitleIndex::build`] could have made for them (every position it reads in bounds).
    #[cfg(any(feature = "title-index", test))]
    pub(crate) fn from_bytes(
        bytes: &[u8],
        appellations: usize,
        metiers: usize,
    ) -> Option<TitleIndex> {
        let index: TitleIndex = postcard::from_bytes(bytes).ok()?;
        let words = index.vocabulary.len();
        let docs = index.docs.len();
        let consistent = index.vocabulary.is_consistent()
            && index.post_start.len() == words + 1
            && index.post_start.first() == Some(&0)
            && index
                .post_start
                .windows(2)
                .all(|w| matches!(w, [a, b] if a <= b))
            && index.post_start.last().map(|&n| n as usize) == Some(index.post_docs.len())
            && index.post_docs.iter().all(|&d| (d as usize) < docs)
            && index.docs.iter().all(|d| {
                (d.appellation as usize) < appellations
                    && usize::from(d.metier) < metiers
                    && d.concept_len >= 1
            })
            && index.title_rank.len() == appellations;
        consistent.then_some(index)
    }

    fn postings(&self, word: u32) -> &[u32] {
        let (a, b) = (
            self.post_start[word as usize],
            self.post_start[word as usize + 1],
        );
        &self.post_docs[a as usize..b as usize]
    }

    /// Keeps exact and typo matches, and the shortest prefix completions up to
    /// [`MAX_PREFIX_POSTINGS`] titles.
    fn cap_prefixes(&self, matches: &mut Vec<(u32, WordMatch)>) {
        let total: usize = matches.iter().map(|&(w, _)| self.postings(w).len()).sum();
        if total <= MAX_PREFIX_POSTINGS {
            return;
        }
        matches.stable_by_key(|&(w, m)| (m != WordMatch::Exact, self.vocabulary.word(w).len(), w));
        let mut budget = MAX_PREFIX_POSTINGS;
        matches.retain(|&(w, m)| {
            let n = self.postings(w).len();
            let keep = m != WordMatch::Prefix || n <= budget;
            budget = budget.saturating_sub(n);
            keep
        });
        matches.inline_by(|a, b| a.0.cmp(&b.0));
    }

    /// Ranked métiers for a query (assumed non-empty).
    pub(crate) fn search(
        &self,
        query: &str,
        limit: usize,
        metiers: &[Metier],
        appellations: &[Appellation],
    ) -> Vec<MetierHit> {
        let folded = text::fold(&text::without_gender_marks(query));
        let mut qwords = content_words(&folded);
        qwords.truncate(MAX_QUERY_WORDS);
        if qwords.is_empty() {
            return Vec::new();
        }
        // Running totals per doc, sorted by doc: (doc, summed quality, words matched).
        let mut acc: Vec<(u32, f32, u8)> = Vec::new();
        let mut matches = Vec::new();
        let mut per_word: Vec<(u32, f32)> = Vec::new();
        for qw in &qwords {
            self.vocabulary.lookup(qw, true, &mut matches);
            self.cap_prefixes(&mut matches);
            per_word.clear();
            for &(word, m) in &matches {
                let q = quality(m, qw.len(), self.vocabulary.word(word).len());
                per_word.extend(self.postings(word).iter().map(|&d| (d, q)));
            }
            if qwords.len() == 1 {
                // One word (typing the first one): no totals to merge. A title matched through
                // two completions appears twice; the best-per-métier pass below keeps its best.
                acc = per_word.iter().map(|&(d, q)| (d, q, 1)).collect();
                break;
            }
            per_word.inline_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            per_word.dedup_by_key(|p| p.0);
            acc = merge(&acc, &per_word);
        }
        let n_query = qwords.len() as f32;
        // Best (score, title rank, appellation) per métier, in a table indexed by métier: one
        // pass over the matched titles, no sort of them. On equal scores the principal title,
        // then the shorter one (`title_rank`).
        // (métier, score in ten-thousandths, title rank, appellation), and where each métier's
        // is (u32::MAX: none). Scores compare as these whole numbers, in the order of the
        // rounded scores they stand for (`score_of`).
        let mut found: Vec<(u16, u32, u32, u32)> = Vec::new();
        let mut slot = vec![u32::MAX; metiers.len()];
        for &(d, sum, count) in &acc {
            let doc = &self.docs[d as usize];
            let title_cov = (f32::from(count) / f32::from(doc.concept_len)).min(1.0);
            let mut s =
                QUERY_COVERAGE_WEIGHT * (sum / n_query) + (1.0 - QUERY_COVERAGE_WEIGHT) * title_cov;
            if appellations[doc.appellation as usize].rarely_used {
                s -= RARELY_USED_PENALTY;
            }
            let candidate = (
                doc.metier,
                ten_thousandths(s),
                self.title_rank[doc.appellation as usize],
                doc.appellation,
            );
            let at = &mut slot[usize::from(doc.metier)];
            match found.get_mut(*at as usize) {
                None => {
                    *at = found.len() as u32;
                    found.push(candidate);
                }
                // A higher score, or the same (rounded) score and a better title.
                Some(b) if b.1.cmp(&candidate.1).then(candidate.2.cmp(&b.2)).is_lt() => {
                    *b = candidate;
                }
                Some(_) => {}
            }
        }
        let best: Vec<(u16, u32, u32)> = found.into_iter().map(|(m, s, _, a)| (m, s, a)).collect();
        // Across métiers, on equal scores: the title that is a métier's own name first (a pupil
        // typing "mecanicien" expects "Mécanicien / Mécanicienne avion" before the fourreur's
        // "Mécanicien en fourrure"), then the code (métiers are in code order).
        let principal = |a: u32| !appellations[a as usize].principal;
        let order = |a: &(u16, u32, u32), b: &(u16, u32, u32)| {
            b.1.cmp(&a.1)
                .then(principal(a.2).cmp(&principal(b.2)))
                .then(a.0.cmp(&b.0))
        };
        // Only the first `limit` are kept in order, by insertion: a prefix like "c" matches
        // hundreds of métiers, and a sort of them all costs more (and more code in the browser
        // module) than this.
        // Room for what there is, not for what is asked: a limit of 2^53 from JavaScript asked
        // for petabytes (a crash) where every métier fits in a few kilobytes.
        let mut top: Vec<(u16, u32, u32)> =
            Vec::with_capacity(limit.min(best.len()).saturating_add(1));
        for b in best {
            if top.len() == limit && top.last().is_none_or(|last| order(&b, last).is_ge()) {
                continue;
            }
            let at = top.partition_point(|t| order(t, &b).is_lt());
            top.insert(at, b);
            top.truncate(limit);
        }
        let best = top;
        best.into_iter()
            .map(|(m, score, a)| MetierHit {
                code: metiers[m as usize].code.clone(),
                label: metiers[m as usize].label.clone(),
                matched_title: appellations[a as usize].label.clone(),
                score: score_of(score),
            })
            .collect()
    }
}

/// Merges the matches of one query word into the running totals (both sorted by doc).
fn merge(acc: &[(u32, f32, u8)], word: &[(u32, f32)]) -> Vec<(u32, f32, u8)> {
    let mut out = Vec::with_capacity(acc.len() + word.len());
    let (mut i, mut j) = (0, 0);
    while i < acc.len() || j < word.len() {
        match (acc.get(i), word.get(j)) {
            (Some(a), Some(w)) if a.0 == w.0 => {
                out.push((a.0, a.1 + w.1, a.2 + 1));
                i += 1;
                j += 1;
            }
            (Some(a), Some(w)) if a.0 < w.0 => {
                out.push(*a);
                i += 1;
            }
            (Some(a), None) => {
                out.push(*a);
                i += 1;
            }
            (_, Some(w)) => {
                out.push((w.0, w.1, 1));
                j += 1;
            }
            (None, None) => unreachable!("loop condition"),
        }
    }
    out
}

/// A title score in ten-thousandths: `round4(s.max(0.0))` (see [`crate::text::round4`]) times
/// 10⁴, as a whole number, without a division. `s` is an `f32`, so `y = s·10⁴` in `f64` is
/// exact (24 + 14 significant bits) and so is `y + 0.5`; for `y ≥ 0`, rounding half away from
/// zero is then the truncation of `y + 0.5`. A score is at most a few units, far below
/// `u32::MAX`; NaN is taken as 0 by `max`, as before.
fn ten_thousandths(s: f32) -> u32 {
    (f64::from(s.max(0.0)) * 10_000.0 + 0.5) as u32
}

/// The score a number of ten-thousandths stands for: the `f32` of `round4`. Distinct whole
/// numbers below 2²⁴ give distinct `f32`s in the same order, so comparing the numbers is
/// comparing the scores.
fn score_of(units: u32) -> f32 {
    (f64::from(units) / 10_000.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The score as it was computed before: `round4` through `f64`, back to `f32`.
    fn rounded(s: f32) -> f32 {
        crate::text::round4(f64::from(s.max(0.0))) as f32
    }

    fn embedded_tables() -> crate::Referential {
        crate::Referential::from_bytes(include_bytes!("../../data/rome.bin")).unwrap()
    }

    /// An index written and read back is the same; one of other counts, cut short or with a
    /// position out of bounds is refused (and the first search builds the index instead).
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_title_index_read_back_is_checked() {
        let rome = embedded_tables();
        let index = rome.title_index();
        let (apps, metiers) = (rome.tables.appellations.len(), rome.tables.metiers.len());
        let bytes = index.to_bytes().unwrap();
        assert_eq!(
            TitleIndex::from_bytes(&bytes, apps, metiers).as_ref(),
            Some(index)
        );
        assert!(TitleIndex::from_bytes(&bytes, apps + 1, metiers).is_none());
        assert!(TitleIndex::from_bytes(&bytes, apps - 1, metiers).is_none());
        assert!(TitleIndex::from_bytes(&bytes[..bytes.len() - 1], apps, metiers).is_none());
        assert!(TitleIndex::from_bytes(&[], apps, metiers).is_none());
        let changes: [fn(&mut TitleIndex); 6] = [
            |t| t.post_docs[0] = t.docs.len() as u32,
            |t| *t.post_start.last_mut().unwrap() += 1,
            |t| t.post_start[1] = t.post_start[2] + 1,
            |t| t.docs[0].appellation = u32::MAX,
            |t| t.docs[0].concept_len = 0,
            |t| {
                t.title_rank.pop();
            },
        ];
        for change in changes {
            let mut bad = index.clone();
            change(&mut bad);
            assert!(TitleIndex::from_bytes(&bad.to_bytes().unwrap(), apps, metiers).is_none());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Bytes changed anywhere read back as an index or not, never a panic; one that reads
        /// back answers searches without one.
        #[test]
        fn changed_title_index_bytes_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let rome = embedded_tables();
            let mut bytes = rome.title_index().to_bytes().unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let (apps, metiers) = (rome.tables.appellations.len(), rome.tables.metiers.len());
            if let Some(index) = TitleIndex::from_bytes(&bytes, apps, metiers) {
                for q in ["fraiseur", "c", "plombiee", "aide soignant"] {
                    let _ = index.search(q, 20, &rome.tables.metiers, &rome.tables.appellations);
                }
            }
        }
    }

    proptest! {
        /// Any `f32` a title score can be (a blend of qualities and coverages, a penalty taken
        /// off: a few units either side of 0), and NaN, gives the score `round4` gave, bit for
        /// bit.
        #[test]
        fn ten_thousandths_are_round4(bits in any::<u32>()) {
            let s = f32::from_bits(bits);
            if s.is_nan() || s.abs() <= 100.0 {
                prop_assert_eq!(score_of(ten_thousandths(s)).to_bits(), rounded(s).to_bits(), "{}", s);
            }
        }

        /// The same on and beside each half of a ten-thousandth.
        #[test]
        fn ten_thousandths_are_round4_at_halves(k in 0u32..=30_000) {
            let half = (f64::from(k) + 0.5) / 10_000.0;
            for s in [half as f32, (half as f32).next_down(), (half as f32).next_up()] {
                prop_assert_eq!(score_of(ten_thousandths(s)).to_bits(), rounded(s).to_bits(), "{}", s);
            }
        }

        /// Whole numbers compare as the scores they stand for.
        #[test]
        fn units_order_as_scores(a in 0u32..=100_000, b in 0u32..=100_000) {
            prop_assert_eq!(a.cmp(&b), score_of(a).total_cmp(&score_of(b)));
        }
    }
}
