//! The allocator of the Python and Node modules, and a text writer for large documents.
//!
//! A catalogue is millions of small heap blocks (a stage is 11: its id, its company's id, its
//! commune's code…). glibc's `malloc` rounds each up to 32 bytes or more with a header;
//! mimalloc keeps them in pages of one size class. With it, 1,000,000 CSV stage rows peaked at
//! 586 MB instead of 760 from Python and 612 MB instead of 786 from Node, and the first search
//! (the index built) took half the time (README, Memory). A module that links this crate has
//! mimalloc as its global allocator, and calls [`committed_on_demand`] when it is loaded.
//!
//! The command line keeps mimalloc's defaults (its start-up gains from the huge pages), the
//! browser module the allocator of WebAssembly.

/// mimalloc for every Rust allocation of the module that links this crate.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (v3; see the pin in Cargo.toml).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Turns off mimalloc's eager commit of its arenas; to call when the module is loaded.
///
/// On Linux, where the kernel overcommits, mimalloc commits a whole arena up front and asks for
/// transparent huge pages on it, so a small engine's few megabytes of blocks touched 2 MiB
/// pages: from Python, `Engine.normandy()` and a search peaked at 47 MB instead of 33 MB.
/// Committed as they are used, they are back at 33 MB, and the large loads keep their gain.
/// Only mimalloc's own heap changes: the host's objects and other modules' memory are not its.
pub fn committed_on_demand() {
    // SAFETY: `mi_option_set` checks the index and stores the value in mimalloc's option
    // table. It is not thread safe, so the modules call it as they are loaded (Python: its
    // module init, under the import lock; Node: napi's `module_init`, when the library is
    // loaded), before any code of theirs can allocate from another thread; it stores the same
    // value each time. 4 is v3's arena_eager_commit (Cargo.toml's pin).
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
}

/// A text written in pieces of 1 MiB, then copied once into a `String` of its exact size.
///
/// A `String` written to grows by doubling, and mimalloc copies a block of that size to grow
/// it where glibc remapped its pages: for a catalogue of 500,000 stages (a 292 MB document)
/// Python's `export_json()` took 2.9–3.0 s and peaked at 1.7–1.8 GB that way, and takes
/// 1.7–2.2 s and 1.6 GB this way (glibc's: 1.1–1.4 s, 1.5 GB; README, Memory).
#[derive(Default)]
pub struct Pieces {
    done: Vec<Vec<u8>>,
    current: Vec<u8>,
}

impl Pieces {
    const SIZE: usize = 1 << 20;

    /// The whole text, each piece freed as it is copied; `None` if it is not UTF-8 (what was
    /// written is a serializer's output, so never).
    #[must_use]
    pub fn joined(mut self) -> Option<String> {
        self.done.push(std::mem::take(&mut self.current));
        let size = self.done.iter().map(Vec::len).sum();
        let mut text = Vec::with_capacity(size);
        for piece in self.done {
            text.extend_from_slice(&piece);
        }
        String::from_utf8(text).ok()
    }
}

impl std::io::Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.current.len().saturating_add(buf.len()) > Self::SIZE && !self.current.is_empty() {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(Self::SIZE));
            self.done.push(full);
        }
        self.current.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// [`metiers::Engine::export_json`] written in [`Pieces`]: the modules' `export_json()`.
///
/// # Errors
/// `internal` if the document written is not UTF-8, which `serde_json` never writes.
pub fn export_json(engine: &metiers::Engine) -> metiers::Result<String> {
    let mut pieces = Pieces::default();
    engine.write_json(&mut pieces)?;
    pieces
        .joined()
        .ok_or_else(|| metiers::Error::Internal("the JSON written is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::Pieces;
    use std::io::Write;

    /// Writes of any size, cut anywhere (inside a character too), come back as one text.
    #[test]
    fn pieces_join_into_the_text_written() {
        let text: String = (0..1_200_000)
            .map(|i| ["é", "a", "’", "\u{1F600}"][i % 4])
            .collect();
        for step in [1, 7, 4096, 1 << 20, 3 << 20] {
            let mut pieces = Pieces::default();
            for chunk in text.as_bytes().chunks(step) {
                pieces.write_all(chunk).unwrap();
            }
            if step < 1 << 20 {
                assert!(
                    pieces.done.len() >= 2,
                    "{step}: {} pieces",
                    pieces.done.len()
                );
            }
            assert_eq!(pieces.joined().as_deref(), Some(text.as_str()));
        }
        assert_eq!(Pieces::default().joined().as_deref(), Some(""));
    }

    /// The document is the engine's own, byte for byte.
    #[test]
    fn the_export_is_the_engines() {
        let engine = metiers::Engine::normandy().unwrap();
        assert_eq!(super::export_json(&engine).unwrap(), engine.export_json());
    }
}
