//! Text normalisation and a typo-tolerant vocabulary.
//!
//! French is folded by hand (a table of Latin letters) rather than through Unicode
//! normalisation tables: the whole of ROME and the commune names use Latin-1 and Latin
//! Extended-A only, and the browser build stays small.

use crate::sorting::Sort;

/// Folds one character to lowercase ASCII: `'É'` → `"e"`, `'œ'` → `"oe"`. Letters and digits
/// outside the table are kept lowercased; anything else becomes a separator (`false`).
fn fold_char(c: char, out: &mut String) -> bool {
    let c = halfwidth(c);
    if is_combining_mark(c) {
        // Decomposed accents (NFD, as macOS writes them): the base letter is already folded.
        return true;
    }
    // French's accented letters are lowercase more often than not: mapped as they come,
    // without the Unicode case tables (6 % of the job-title index's folding, `perf`).
    if let Some(base) = latin_base(c) {
        out.push_str(base);
        return true;
    }
    let lower = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    };
    if let Some(base) = latin_base(lower) {
        out.push_str(base);
        return true;
    }
    if lower.is_ascii_alphanumeric() || lower.is_alphanumeric() {
        out.push(lower);
        return true;
    }
    false
}

/// The ASCII letters a lowercase Latin letter with a diacritic (or a ligature) folds to.
fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

/// Fullwidth forms, as an East Asian keyboard types them ("ｂｏｕｌａｎｇｅｒ", "Ｃａｅｎ"), are
/// the ASCII characters they stand for.
fn halfwidth(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code.wrapping_sub(0xFEE0)).unwrap_or(c),
        _ => c,
    }
}

/// Combining diacritical marks (U+0300–U+036F): the accents of text in NFD.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Lowercases, removes accents and turns every run of punctuation or spaces into one space;
/// fullwidth letters and digits are the ASCII ones.
///
/// ```
/// assert_eq!(metiers::text::fold("  Aide-soignant / Aide-soignante "), "aide soignant aide soignante");
/// assert_eq!(metiers::text::fold("Cœur d'Œuvre"), "coeur d oeuvre");
/// assert_eq!(metiers::text::fold("Ｂｏｕｌａｎｇｅｒ（Ｈ／Ｆ）"), "boulanger h f");
/// ```
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    fold_into(input, &mut out);
    out
}

/// A code as typed (a ROME or INSEE code): spaces around dropped, letters in capitals;
/// borrowed when it is already so.
pub(crate) fn code_key(code: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = code.trim();
    if trimmed.bytes().any(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Owned(trimmed.to_ascii_uppercase())
    } else {
        std::borrow::Cow::Borrowed(trimmed)
    }
}

/// [`fold`] appended to `out`, as if `out` were empty (no space is put before the first
/// word): how an index folds thousands of texts into one buffer.
pub(crate) fn fold_into(input: &str, out: &mut String) {
    let start = out.len();
    out.reserve(input.len());
    let mut separator = false;
    for c in input.chars() {
        // ASCII (most of any French text) first: a letter or digit is kept lowercased,
        // anything else separates, exactly as `fold_char` says.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if separator && out.len() > start {
                    out.push(' ');
                }
                separator = false;
                out.push(c.to_ascii_lowercase());
            } else {
                separator = true;
            }
            continue;
        }
        let mark = out.len();
        if separator && out.len() > start {
            out.push(' ');
        }
        if fold_char(c, out) {
            separator = false;
        } else {
            out.truncate(mark);
            separator = true;
        }
    }
}

/// A job title as postings and inclusive writing write it, without the marks that are not
/// words: `"Boulanger H/F"`, `"Boulanger (F/H)"`, `"Développeur web H/F/X"` lose their gender
/// mark, and `"Assistant(e)"`, `"Aide-soignant.e"`, `"Technicien·ne"` their feminine ending.
/// Left as words, those letters matched titles by their first letter: `"Boulanger H/F"`
/// ranked Bagagiste en établissement hôtelier first. An `e` of its own (`"e-commerce"`) stays.
///
/// ```
/// use metiers::text::without_gender_marks as w;
/// assert_eq!(w("Boulanger H/F"), "Boulanger ");
/// assert_eq!(w("Boulanger (f / h)"), "Boulanger ()");
/// assert_eq!(w("Assistant(e) de direction"), "Assistant de direction");
/// assert_eq!(w("Technicien·ne de maintenance"), "Technicien de maintenance");
/// assert_eq!(w("Assistant e-commerce"), "Assistant e-commerce");
/// assert_eq!(w("Chef de rang"), "Chef de rang");
/// ```
#[allow(clippy::arithmetic_side_effects)] // positions within the text, far below usize::MAX
pub fn without_gender_marks(text: &str) -> std::borrow::Cow<'_, str> {
    // Every mark has one of these: most queries are given back as they are, at once.
    if !text.contains(['/', '(', '.', '\u{b7}', '\u{2022}', '\u{2219}']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let after_letter = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_alphabetic());
        if !after_letter {
            if let Some(len) = gender_mark(chars.get(i..).unwrap_or_default()) {
                i += len;
                changed = true;
                continue;
            }
        }
        let word_before = chars.get(..i).unwrap_or_default();
        let long_word =
            word_before.len() >= 3 && word_before.iter().rev().take(3).all(|p| p.is_alphabetic());
        if long_word {
            if let Some(len) = feminine_ending(chars.get(i..).unwrap_or_default()) {
                i += len;
                changed = true;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The length of `H/F`, `F/H`, `H/F/X`, `F/H/N` (spaces allowed around the slashes) at the
/// start of `rest`, when no letter follows it.
#[allow(clippy::arithmetic_side_effects)] // positions within the text, far below usize::MAX
fn gender_mark(rest: &[char]) -> Option<usize> {
    let letter = |i: usize, set: &str| {
        rest.get(i)
            .is_some_and(|c| set.contains(c.to_ascii_lowercase()))
    };
    let skip_spaces = |mut i: usize| {
        while rest.get(i).is_some_and(|c| *c == ' ') {
            i += 1;
        }
        i
    };
    let slash = |i: usize| {
        let i = skip_spaces(i);
        (rest.get(i) == Some(&'/')).then(|| skip_spaces(i + 1))
    };
    let first = rest.first()?.to_ascii_lowercase();
    if first != 'h' && first != 'f' {
        return None;
    }
    let j = slash(1)?;
    let other = if first == 'h' { "f" } else { "h" };
    if !letter(j, other) {
        return None;
    }
    let mut end = j + 1;
    if let Some(k) = slash(end) {
        if letter(k, "xn") {
            end = k + 1;
        }
    }
    (!rest.get(end).is_some_and(|c| c.is_alphanumeric())).then_some(end)
}

/// What inclusive writing adds to a word for its feminine (and plural): `(e)`, `·ne`,
/// `.trice`; only these, so `"Bac.pro"` keeps its `pro`.
const FEMININE_ENDINGS: [&str; 22] = [
    "e", "es", "ne", "nes", "se", "ses", "le", "les", "te", "tes", "re", "res", "ve", "ves", "ère",
    "ères", "ière", "ières", "rice", "trice", "euse", "eure",
];

/// The length of a feminine ending at the start of `rest`, right after a word: `(e)`,
/// `(ne)`, `.e`, `·ne`, `•ère`, `(E)` (one of [`FEMININE_ENDINGS`], in any case), when no
/// letter follows it.
#[allow(clippy::arithmetic_side_effects)] // positions within the text, far below usize::MAX
fn feminine_ending(rest: &[char]) -> Option<usize> {
    let open = *rest.first()?;
    let letters = |from: usize| {
        rest.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count()
    };
    let n = letters(1);
    let ending: String = rest.get(1..1 + n).unwrap_or_default().iter().collect();
    if !FEMININE_ENDINGS.contains(&ending.to_lowercase().as_str()) {
        return None;
    }
    let end = match open {
        '(' if rest.get(1 + n) == Some(&')') => 2 + n,
        '.' | '\u{b7}' | '\u{2022}' | '\u{2219}' => 1 + n,
        _ => return None,
    };
    (!rest.get(end).is_some_and(|c| c.is_alphanumeric())).then_some(end)
}

/// The words of a folded string.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

/// French function words that carry no meaning in a job title or a query.
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "au"
            | "aux"
            | "d"
            | "de"
            | "des"
            | "du"
            | "en"
            | "et"
            | "l"
            | "la"
            | "le"
            | "les"
            | "ou"
            | "par"
            | "pour"
            | "sur"
            | "un"
            | "une"
    )
}

/// Optimal-string-alignment distance, stopping early once it exceeds `max`.
/// Returns `None` when the distance is larger than `max`.
///
/// Written with iterators and `get`, so no input can index out of bounds; costs grow with
/// `a.len() × b.len()` (callers bound the lengths).
pub fn bounded_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows of the dynamic programme: two rows back (for swaps), the last and this one.
    let mut prev2: Vec<usize> = vec![0; b.len().saturating_add(1)];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len().saturating_add(1)];
    let mut last_a: Option<u8> = None;
    for (i, &ca) in a.iter().enumerate() {
        let row = i.saturating_add(1);
        if let Some(first) = cur.first_mut() {
            *first = row;
        }
        let mut row_min = row;
        let mut last_b: Option<u8> = None;
        for (j, &cb) in b.iter().enumerate() {
            // cur[j + 1] from prev[j + 1], cur[j], prev[j] (and prev2[j - 1] for a swap).
            let up = prev.get(j.saturating_add(1)).copied().unwrap_or(usize::MAX);
            let left = cur.get(j).copied().unwrap_or(usize::MAX);
            let diag = prev.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != cb);
            let mut v = up
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(diag.saturating_add(cost));
            if last_a == Some(cb) && last_b == Some(ca) {
                let swap = j.checked_sub(1).and_then(|k| prev2.get(k)).copied();
                v = v.min(swap.unwrap_or(usize::MAX).saturating_add(1));
            }
            if let Some(slot) = cur.get_mut(j.saturating_add(1)) {
                *slot = v;
            }
            row_min = row_min.min(v);
            last_b = Some(cb);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
        last_a = Some(ca);
    }
    prev.last().copied().filter(|&d| d <= max)
}

/// Whether `a` and `b` are exactly one edit apart in [`bounded_distance`]'s sense (one byte
/// substituted, inserted or left out, or two neighbours swapped): `bounded_distance(a, b, 1)
/// == Some(1)` in one pass, with no allocation. After their common head, the first mismatch
/// is where the edit is: the rest must then be equal.
pub(crate) fn one_edit_apart(query: &[u8], word: &[u8]) -> bool {
    let head = query.iter().zip(word).take_while(|(q, w)| q == w).count();
    let rest_q = query.get(head..).unwrap_or_default();
    let rest_w = word.get(head..).unwrap_or_default();
    match rest_q.len().cmp(&rest_w.len()) {
        // Equal lengths: one byte substituted, or two neighbours swapped (nothing left: equal).
        std::cmp::Ordering::Equal => match (rest_q, rest_w) {
            ([_, tail_q @ ..], [_, tail_w @ ..]) if tail_q == tail_w => true,
            ([q0, q1, tail_q @ ..], [w0, w1, tail_w @ ..]) => {
                q0 == w1 && q1 == w0 && tail_q == tail_w
            }
            _ => false,
        },
        // One byte more on one side: it is the first of its rest.
        std::cmp::Ordering::Greater => {
            rest_w.len().saturating_add(1) == rest_q.len() && rest_q.get(1..) == Some(rest_w)
        }
        std::cmp::Ordering::Less => {
            rest_q.len().saturating_add(1) == rest_w.len() && rest_w.get(1..) == Some(rest_q)
        }
    }
}

/// The word with the byte at `i` left out (`i` within the word).
fn without(bytes: &[u8], i: usize) -> [&[u8]; 2] {
    let (head, tail) = bytes.split_at(i.min(bytes.len()));
    [head, tail.get(1..).unwrap_or_default()]
}

/// The FNV-1a offset basis.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: a fixed, platform-independent hash, so the index is the same everywhere.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    fnv1a_from(FNV_OFFSET, parts)
}

/// FNV-1a from a given start (the offset basis, or it mixed with a seed).
pub(crate) fn fnv1a_from(start: u64, parts: &[&[u8]]) -> u64 {
    let mut h = start;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// How a query word matched a vocabulary word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordMatch {
    /// One typo away (substitution, insertion, deletion or swap of two neighbours).
    Typo,
    /// The query word starts the vocabulary word (typing in progress).
    Prefix,
    /// Identical after folding.
    Exact,
}

/// Words shorter than this are never matched with a typo: too many false friends.
pub const MIN_TYPO_LEN: usize = 4;
/// A prefix that matches more vocabulary words than this keeps only the shortest ones.
const MAX_PREFIX_EXPANSION: usize = 128;

/// A sorted set of folded words with exact, prefix and one-typo lookups.
///
/// Typos use the symmetric-deletion scheme: every word is indexed under each of its
/// one-letter deletions, so a query finds the words within one edit with a few binary
/// searches instead of a scan of the vocabulary.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Vocabulary {
    words: Vec<String>,
    /// Length of the longest word: a query word longer by two or more matches nothing, which
    /// bounds a lookup's work whatever the caller types.
    max_len: usize,
    /// (hash of a deletion variant, word id), sorted.
    deletions: Vec<(u64, u32)>,
    /// Where the hashes of each leading-bits bucket start in `deletions`: the hashes whose top
    /// [`DELETION_BUCKET_BITS`] bits are `k` are `deletions[buckets[k]..buckets[k + 1]]`. A
    /// probe searches its bucket (a few entries) instead of the whole list.
    buckets: Vec<u32>,
}

/// Leading hash bits that pick a bucket of deletions: 2¹⁴ buckets (64 KiB) for the ~90,000
/// deletions of the ROME titles' words, a handful each.
const DELETION_BUCKET_BITS: u32 = 14;

/// The bucket of a hash.
fn deletion_bucket(h: u64) -> usize {
    (h >> (64 - DELETION_BUCKET_BITS)) as usize
}

/// The deletions sorted and without repeats, as `sort_unstable` and `dedup` give them: put in
/// their buckets by counting (the buckets are the hashes' leading bits, so in order), then each
/// bucket's few entries sorted. A third of the time of a sort of all ~70,000 of them.
fn sorted_by_bucket(deletions: &[(u64, u32)]) -> Vec<(u64, u32)> {
    let starts = crate::sorting::offsets(
        1 << DELETION_BUCKET_BITS,
        deletions.iter().map(|&(h, _)| deletion_bucket(h)),
    );
    let mut next = starts.clone();
    let mut sorted = vec![(0, 0); deletions.len()];
    for &d in deletions {
        if let Some(at) = next.get_mut(deletion_bucket(d.0)) {
            if let Some(slot) = sorted.get_mut(*at as usize) {
                *slot = d;
            }
            *at = at.saturating_add(1);
        }
    }
    for bounds in starts.windows(2) {
        if let [a, b] = *bounds {
            if let Some(bucket) = sorted.get_mut(a as usize..b as usize) {
                bucket.inline_unstable();
            }
        }
    }
    sorted.dedup();
    sorted
}

impl Vocabulary {
    /// Builds the vocabulary from any words (duplicates are merged).
    pub fn new<I: IntoIterator<Item = String>>(words: I) -> Self {
        let mut words: Vec<String> = words.into_iter().collect();
        words.inline_unstable();
        words.dedup();
        let mut deletions = Vec::new();
        for (id, w) in words.iter().enumerate() {
            let bytes = w.as_bytes();
            if bytes.len().saturating_add(1) < MIN_TYPO_LEN {
                continue;
            }
            let id = id as u32;
            deletions.push((fnv1a(&[bytes]), id));
            // The hash of the word without its byte i continues the hash of its first i bytes,
            // carried along, instead of hashing the head again for every i.
            let mut head = FNV_OFFSET;
            for (i, &b) in bytes.iter().enumerate() {
                let tail = bytes.get(i.saturating_add(1)..).unwrap_or_default();
                deletions.push((fnv1a_from(head, &[tail]), id));
                head = fnv1a_from(head, &[&[b]]);
            }
        }
        let deletions = sorted_by_bucket(&deletions);
        let max_len = words.iter().map(String::len).max().unwrap_or(0);
        let buckets = crate::sorting::offsets(
            1 << DELETION_BUCKET_BITS,
            deletions.iter().map(|&(h, _)| deletion_bucket(h)),
        );
        Vocabulary {
            words,
            max_len,
            deletions,
            buckets,
        }
    }

    /// Whether a vocabulary read back from bytes is one [`Vocabulary::new`] could have made:
    /// words sorted and distinct, the longest word's length, deletions sorted and distinct,
    /// each naming a word and in the bucket of its hash. A lookup in one that is indexes
    /// nothing out of bounds.
    #[cfg(any(feature = "title-index", test))]
    pub(crate) fn is_consistent(&self) -> bool {
        let words_sorted = self.words.windows(2).all(|w| matches!(w, [a, b] if a < b));
        let max_len = self.words.iter().map(String::len).max().unwrap_or(0);
        let deletions_sorted = self
            .deletions
            .windows(2)
            .all(|d| matches!(d, [a, b] if a < b));
        let named = self
            .deletions
            .iter()
            .all(|&(_, id)| (id as usize) < self.words.len());
        let buckets = crate::sorting::offsets(
            1 << DELETION_BUCKET_BITS,
            self.deletions.iter().map(|&(h, _)| deletion_bucket(h)),
        );
        words_sorted
            && max_len == self.max_len
            && deletions_sorted
            && named
            && buckets == self.buckets
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there is no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The id of a word, if present.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.words
            .binary_search_by(|w| w.as_str().cmp(word))
            .ok()
            .map(|i| i as u32)
    }

    /// The word of an id.
    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", String::as_str)
    }

    /// Every vocabulary word the query word may stand for, with how it matched, best match
    /// per word, sorted by id. `prefix` allows prefix matches.
    pub fn lookup(&self, query: &str, prefix: bool, out: &mut Vec<(u32, WordMatch)>) {
        out.clear();
        if query.len() > self.max_len.saturating_add(1) {
            return; // longer than every word and its one-letter insertion
        }
        if let Some(id) = self.id(query) {
            out.push((id, WordMatch::Exact));
        }
        if prefix {
            let start = self.words.partition_point(|w| w.as_str() < query);
            let longer = |id: &u32| self.word(*id).len() > query.len();
            let mut range: Vec<u32> = self
                .words
                .iter()
                .enumerate()
                .skip(start)
                .take_while(|(_, w)| w.starts_with(query))
                .map(|(id, _)| id as u32)
                .filter(longer)
                .collect();
            if range.len() > MAX_PREFIX_EXPANSION {
                range.select_nth_unstable_by_key(MAX_PREFIX_EXPANSION, |&id| {
                    (self.word(id).len(), id)
                });
                range.truncate(MAX_PREFIX_EXPANSION);
            }
            out.extend(range.into_iter().map(|id| (id, WordMatch::Prefix)));
        }
        let q = query.as_bytes();
        if q.len() >= MIN_TYPO_LEN {
            let mut probe = |h: u64| {
                let bucket = deletion_bucket(h);
                let start = self.buckets.get(bucket).map_or(0, |&s| s as usize);
                let end = self
                    .buckets
                    .get(bucket.saturating_add(1))
                    .map_or(0, |&e| e as usize);
                let within = self.deletions.get(start..end).unwrap_or_default();
                let from = within.partition_point(|&(k, _)| k < h);
                for &(k, id) in within.iter().skip(from) {
                    if k != h {
                        break;
                    }
                    let w = self.word(id).as_bytes();
                    if w.len() >= MIN_TYPO_LEN && one_edit_apart(q, w) {
                        out.push((id, WordMatch::Typo));
                    }
                }
            };
            probe(fnv1a(&[q]));
            for i in 0..q.len() {
                probe(fnv1a(&without(q, i)));
            }
        }
        // Keep the best match of each word.
        out.inline_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        out.dedup_by_key(|m| m.0);
    }
}

/// Rounds to 4 decimals, the precision every binding publishes, so scores print and compare the
/// same in every language.
pub(crate) fn round4(x: f64) -> f64 {
    round_half_away(x * 10_000.0) / 10_000.0
}

/// `f64::round` (halves away from zero), bit for bit, inlined: on x86-64 without SSE4.1 and
/// in WebAssembly `round` is a software routine (compiler-builtins' `trunc` and `round`), and
/// a page's scan rounds a score bound per candidate (`perf`: a seventh of a 1 km France query).
#[inline]
pub(crate) fn round_half_away(y: f64) -> f64 {
    // 2^52: from there on every f64 is a whole number (infinities too); NaN stays NaN.
    if y.is_nan() || y.abs() >= 4_503_599_627_370_496.0 {
        return y;
    }
    // Truncation through an integer is exact below 2^52, and so is the fraction.
    let t = y as i64 as f64;
    let fraction = y - t;
    let r = if fraction >= 0.5 {
        t + 1.0
    } else if fraction <= -0.5 {
        t - 1.0
    } else {
        t
    };
    // -0.3 rounds to -0.0, as `round` gives it.
    r.copysign(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `fold` as it was written before its ASCII fast path: every character through
    /// `fold_char`.
    fn fold_reference(input: &str) -> String {
        let mut out = String::new();
        let mut separator = false;
        for c in input.chars() {
            let mark = out.len();
            if separator && !out.is_empty() {
                out.push(' ');
            }
            if fold_char(c, &mut out) {
                separator = false;
            } else {
                out.truncate(mark);
                separator = true;
            }
        }
        out
    }

    #[test]
    fn folding_into_a_buffer_is_folding_alone() {
        let mut out = String::from("déjà là");
        fold_into(" -Éte\u{301}/ Œuvre-", &mut out);
        assert_eq!(out, "déjà làete oeuvre");
        assert_eq!(fold("\u{301}a/\u{301}"), fold_reference("\u{301}a/\u{301}"));
    }

    #[test]
    fn gender_marks_and_feminine_endings_go_words_stay() {
        for (text, want) in [
            ("Boulanger H/F", "Boulanger "),
            ("Boulanger (H/F)", "Boulanger ()"),
            ("H/F Boulanger", " Boulanger"),
            ("Développeur web F / H / X", "Développeur web "),
            ("Serveur/Serveuse", "Serveur/Serveuse"),
            ("Chef/fe de rang", "Chef/fe de rang"),
            ("Hf/Fh", "Hf/Fh"),
            ("Boulanger H/Fournil", "Boulanger H/Fournil"),
            ("Assistant(e)", "Assistant"),
            ("ASSISTANT(E)", "ASSISTANT"),
            ("Assistant(e)s", "Assistant(e)s"),
            ("Aide-soignant.e", "Aide-soignant"),
            ("Technicien·ne", "Technicien"),
            ("Ouvrier•ère", "Ouvrier"),
            ("B.t.p", "B.t.p"),
            ("Bac.pro", "Bac.pro"),
            ("Vendeur.euse", "Vendeur"),
            ("Agent(e) d'accueil", "Agent d'accueil"),
            ("Assistant e-commerce", "Assistant e-commerce"),
            ("(e)", "(e)"),
            ("", ""),
        ] {
            assert_eq!(without_gender_marks(text), want, "{text}");
        }
    }

    proptest! {
        /// Any text: no panic, a text with no mark's character given back as it is, and what
        /// is left is a subsequence of the text.
        #[test]
        fn without_gender_marks_only_removes(text in ".{0,40}", marks in "[hHfFxX/()·. e]{0,12}") {
            for t in [text.clone(), format!("{text}{marks}"), format!("{marks}{text}")] {
                let out = without_gender_marks(&t);
                let mut rest = t.chars();
                prop_assert!(out.chars().all(|c| rest.any(|r| r == c)), "{t:?} -> {out:?}");
                if !t.contains(['/', '(', '.', '\u{b7}', '\u{2022}', '\u{2219}']) {
                    prop_assert!(matches!(out, std::borrow::Cow::Borrowed(_)));
                }
            }
        }

        /// `one_edit_apart` is `bounded_distance(.., 1) == Some(1)`: on words of a small
        /// alphabet (so many pairs are near), on a word and each kind of edit of it, and on
        /// any bytes.
        #[test]
        #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // test inputs
        fn one_edit_apart_is_distance_one(
            a in "[ab]{0,7}",
            b in "[ab]{0,7}",
            word in proptest::collection::vec(any::<u8>(), 0..12),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let check = |x: &[u8], y: &[u8]| -> Result<(), TestCaseError> {
                prop_assert_eq!(one_edit_apart(x, y), bounded_distance(x, y, 1) == Some(1), "{:?} {:?}", x, y);
                Ok(())
            };
            check(a.as_bytes(), b.as_bytes())?;
            let i = at.index(word.len() + 1);
            let mut edits = vec![word.clone()];
            let mut inserted = word.clone();
            inserted.insert(i, byte);
            edits.push(inserted);
            if i < word.len() {
                let mut left_out = word.clone();
                left_out.remove(i);
                edits.push(left_out);
                let mut substituted = word.clone();
                substituted[i] = byte;
                edits.push(substituted);
                if i + 1 < word.len() {
                    let mut swapped = word.clone();
                    swapped.swap(i, i + 1);
                    edits.push(swapped);
                }
            }
            for e in &edits {
                check(&word, e)?;
                check(e, &word)?;
            }
        }

        /// The ASCII fast path folds every text as `fold_char` alone does: any Unicode, and
        /// French-looking text with accents, ligatures, decomposed marks and punctuation.
        #[test]
        fn fold_is_the_reference_fold(
            any_text in any::<String>(),
            french in "[ a-zA-Z0-9'/(),.-]{0,12}[éèÉœŒçàÀ\u{301}\u{327}ß'/ -]{0,4}[ a-zA-Z0-9/-]{0,12}",
        ) {
            prop_assert_eq!(fold(&any_text), fold_reference(&any_text));
            prop_assert_eq!(fold(&french), fold_reference(&french));
        }

        /// The inlined rounding gives `f64::round`'s bits for every f64 but NaN, which stays
        /// NaN (see `same_rounding`).
        #[test]
        fn rounding_is_round_bit_for_bit(bits in any::<u64>(), small in -3.0e4..3.0e4f64) {
            for y in [f64::from_bits(bits), small, small.trunc() + 0.5, small.trunc() - 0.5] {
                prop_assert!(same_rounding(y), "{} ({:#x})", y, y.to_bits());
            }
        }
    }

    /// `round_half_away(y)` has `y.round()`'s bits, or both are NaN: what `round` does to a
    /// NaN's payload depends on the machine (SSE4.1's `roundsd` quiets a signalling NaN,
    /// 0xfff0…01 → 0xfff8…01; the software routine may not), and no score is ever NaN.
    fn same_rounding(y: f64) -> bool {
        let (ours, std) = (round_half_away(y), y.round());
        if y.is_nan() {
            ours.is_nan() && std.is_nan()
        } else {
            ours.to_bits() == std.to_bits()
        }
    }

    #[test]
    fn rounding_edges_are_round_bit_for_bit() {
        for y in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            1.5,
            2.5,
            -2.5,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9.1e18,
            1e300,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            // A signalling NaN, the case a CI run drew (proptest-regressions/text.txt).
            f64::from_bits(0xfff0_0000_0000_0001),
            -0.3,
        ] {
            assert!(same_rounding(y), "{y} ({:#x})", y.to_bits());
        }
    }

    #[test]
    fn folding_removes_accents_case_and_punctuation() {
        assert_eq!(fold("Évreux"), "evreux");
        assert_eq!(fold("Saint-Lô"), "saint lo");
        assert_eq!(fold("L'Aigle"), "l aigle");
        assert_eq!(fold("--a--"), "a");
        assert_eq!(fold(""), "");
        assert_eq!(fold("  "), "");
        assert_eq!(fold("Boulanger / Boulangère"), "boulanger boulangere");
    }

    #[test]
    fn distance_counts_one_swap_as_one_edit() {
        assert_eq!(bounded_distance(b"electricein", b"electricien", 1), Some(1));
        assert_eq!(bounded_distance(b"plombier", b"plombier", 1), Some(0));
        assert_eq!(bounded_distance(b"plombier", b"plomber", 1), Some(1));
        assert_eq!(bounded_distance(b"abc", b"xyz", 1), None);
    }

    /// `fold_char` as it was written before it looked accented lowercase letters up first:
    /// every character lowercased, then looked up.
    fn fold_char_reference(c: char, out: &mut String) -> bool {
        let c = halfwidth(c);
        if is_combining_mark(c) {
            return true;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        if let Some(base) = latin_base(lower) {
            out.push_str(base);
        } else if lower.is_alphanumeric() {
            out.push(lower);
        } else {
            return false;
        }
        true
    }

    /// Every character of the planes a text is written in folds as before.
    #[test]
    fn fold_char_is_the_lowercase_first_fold() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let (mut a, mut b) = (String::new(), String::new());
            assert_eq!(
                fold_char(c, &mut a),
                fold_char_reference(c, &mut b),
                "{c:?}"
            );
            assert_eq!(a, b, "{c:?}");
        }
    }

    /// A vocabulary read back is checked: any one part changed and it is refused.
    #[test]
    #[allow(clippy::indexing_slicing)] // test inputs
    fn a_changed_vocabulary_is_not_consistent() {
        let v = Vocabulary::new(["aide", "soignant", "plombier", "electricien"].map(String::from));
        assert!(v.is_consistent());
        let changes: [fn(&mut Vocabulary); 5] = [
            |v| v.words.swap(0, 1),
            |v| v.max_len += 1,
            |v| v.deletions[0].1 = 4,
            |v| v.deletions.swap(0, 1),
            |v| v.buckets[1] += 1,
        ];
        for change in changes {
            let mut bad = v.clone();
            change(&mut bad);
            assert!(!bad.is_consistent(), "{bad:?}");
        }
    }

    #[test]
    fn vocabulary_finds_exact_prefix_and_one_typo() {
        let v = Vocabulary::new(
            ["electricien", "electricienne", "electronique", "plombier"].map(String::from),
        );
        let mut out = Vec::new();
        v.lookup("electricein", false, &mut out);
        assert_eq!(out, vec![(v.id("electricien").unwrap(), WordMatch::Typo)]);
        v.lookup("elec", true, &mut out);
        assert_eq!(out.len(), 3);
        v.lookup("plombier", true, &mut out);
        assert_eq!(out, vec![(v.id("plombier").unwrap(), WordMatch::Exact)]);
    }

    proptest! {
        /// The deletions put in order by their buckets are those `sort_unstable` and `dedup`
        /// give, repeats and all.
        #[test]
        fn sorting_by_bucket_is_sorting(
            deletions in proptest::collection::vec((any::<u64>(), 0u32..4), 0..300),
            repeated in 0usize..50,
        ) {
            let mut deletions = deletions;
            let copies: Vec<(u64, u32)> = deletions.iter().take(repeated).copied().collect();
            deletions.extend(copies);
            let mut expected = deletions.clone();
            expected.unstable();
            expected.dedup();
            prop_assert_eq!(sorted_by_bucket(&deletions), expected);
        }

        /// Every word one edit from a query word is found, through the buckets, as a scan of
        /// the whole vocabulary finds it; and each deletion lies in its bucket.
        #[test]
        #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // test inputs
        fn typo_lookup_through_buckets_is_a_scan(
            words in proptest::collection::vec("[abcde]{3,7}", 1..200),
            query in "[abcde]{4,8}",
        ) {
            let v = Vocabulary::new(words);
            for (i, &(h, _)) in v.deletions.iter().enumerate() {
                let k = deletion_bucket(h);
                prop_assert!(v.buckets[k] as usize <= i && i < v.buckets[k + 1] as usize);
            }
            let mut out = Vec::new();
            v.lookup(&query, false, &mut out);
            let typos: Vec<u32> = out.iter().filter(|m| m.1 == WordMatch::Typo).map(|m| m.0).collect();
            let scan: Vec<u32> = (0..v.len() as u32)
                .filter(|&id| {
                    let w = v.word(id).as_bytes();
                    w.len() >= MIN_TYPO_LEN && bounded_distance(query.as_bytes(), w, 1) == Some(1)
                })
                .collect();
            prop_assert_eq!(typos, scan);
        }
    }
}
