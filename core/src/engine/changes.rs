//! Changing the catalogue: loads (JSON, JSON lines, CSV; strict or lenient), updates and
//! reservations, each validated against the referential, the geography and the calendar.

use super::{Engine, DEFAULT_RESERVE_COUNT};
use super::{Format, LoadOptions};
use crate::catalog::{Ambassador, Company, Entity, LoadMode, LoadReport, Stage, Validator};
use crate::error::Error;
use crate::error::Result;
use crate::sorting::Sort;

impl Engine {
    fn validator(&self) -> Validator<'_> {
        Validator::new(&self.rome, &self.geo, self.calendar.as_ref())
    }

    /// Adds a company: `conflict` if the id exists, `invalid_input` naming the field for a bad
    /// SIRET, sector or place (`ambiguous_place` when its commune could be several).
    pub fn add_company(&mut self, company: Company) -> Result<()> {
        let c = self.validator().company(company)?;
        self.catalog_mut().insert_company(c, false)
    }

    /// Replaces the company with the same id (`not_found` if none; the rules of `add`).
    pub fn replace_company(&mut self, company: Company) -> Result<()> {
        let c = self.validator().company(company)?;
        self.catalog_mut().insert_company(c, true)
    }

    /// Adds an ambassador: `conflict` if the id exists, `invalid_input` naming the field for a
    /// rule broken (an unknown company or ROME code, class visits without a travel radius…).
    pub fn add_ambassador(&mut self, ambassador: Ambassador) -> Result<()> {
        let a = self
            .validator()
            .ambassador(ambassador, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_ambassador(a, false)
    }

    /// Replaces the ambassador with the same id (`not_found` if none; the rules of `add`).
    pub fn replace_ambassador(&mut self, ambassador: Ambassador) -> Result<()> {
        let a = self
            .validator()
            .ambassador(ambassador, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_ambassador(a, true)
    }

    /// Adds a stage: `conflict` if the id exists, `invalid_input` naming the field for a rule
    /// broken (an unknown company, a mini-stage outside the school holidays…).
    pub fn add_stage(&mut self, stage: Stage) -> Result<()> {
        let s = self
            .validator()
            .stage(stage, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_stage(s, false)
    }

    /// Replaces the stage with the same id (`not_found` if none; the rules of `add`).
    pub fn replace_stage(&mut self, stage: Stage) -> Result<()> {
        let s = self
            .validator()
            .stage(stage, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_stage(s, true)
    }

    /// Removes a company and returns it: `not_found` for an unknown id, `conflict` while stages
    /// or ambassadors name it.
    pub fn remove_company(&mut self, id: &str) -> Result<Company> {
        self.catalog_mut().remove_company(id)
    }

    /// Removes an ambassador and returns it (`not_found` for an unknown id).
    pub fn remove_ambassador(&mut self, id: &str) -> Result<Ambassador> {
        self.catalog_mut().remove_ambassador(id)
    }

    /// Removes a stage and returns it (`not_found` for an unknown id).
    pub fn remove_stage(&mut self, id: &str) -> Result<Stage> {
        self.catalog_mut().remove_stage(id)
    }

    /// Takes places of a stage (1 when `None`); returns the places left. `conflict` when fewer
    /// are left, `not_found` for an unknown stage, `invalid_input` for 0.
    pub fn reserve(&mut self, stage_id: &str, count: impl Into<Option<u32>>) -> Result<u32> {
        let count = count.into().unwrap_or(DEFAULT_RESERVE_COUNT);
        let left = self.catalog.reserve(stage_id, count)?;
        self.sync_stage(stage_id);
        Ok(left)
    }

    /// After a reservation: the index keeps the catalogue's new copy of the stage.
    fn sync_stage(&mut self, stage_id: &str) {
        if let (Some(index), Ok(stage)) =
            (self.index.get_mut(), self.catalog.stage_shared(stage_id))
        {
            index.set_stage(stage);
        }
    }

    /// Gives places back (1 when `None`); returns the places left. `conflict` beyond the
    /// places offered, `not_found` for an unknown stage.
    pub fn release(&mut self, stage_id: &str, count: impl Into<Option<u32>>) -> Result<u32> {
        let count = count.into().unwrap_or(DEFAULT_RESERVE_COUNT);
        let left = self.catalog.release(stage_id, count)?;
        self.sync_stage(stage_id);
        Ok(left)
    }

    /// Loads a JSON document `{"companies": [...], "ambassadors": [...], "stages": [...]}`.
    ///
    /// Strict mode: any bad row is a `data_error` listing every bad row (source, line, field,
    /// value) and nothing loads. Lenient mode: the good rows load and the report lists the
    /// others. A document that is not JSON is a `data_error` with its line in both modes.
    ///
    /// ```
    /// use metiers::{Engine, LoadMode, Region};
    /// let mut e = Engine::empty(Region::Normandy)?;
    /// let doc = r#"{"companies": [{"id": "c1", "name": "Boulangerie (fictif)", "place": {"commune": "Flers"}}]}"#;
    /// assert_eq!(e.load_json("site.json", doc.as_bytes(), LoadMode::Strict)?.companies, 1);
    /// let bad = r#"{"companies": [{"id": "c2", "name": "X", "place": {"commune": "Atlantis"}}]}"#;
    /// let err = e.load_json("site.json", bad.as_bytes(), LoadMode::Strict).unwrap_err();
    /// assert_eq!(err.code(), "data_error");
    /// let report = e.load_json("site.json", bad.as_bytes(), LoadMode::Lenient)?;
    /// assert_eq!((report.companies, report.rejected.len()), (0, 1));
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn load_json(&mut self, source: &str, bytes: &[u8], mode: LoadMode) -> Result<LoadReport> {
        self.loading(source, mode, |load| {
            crate::catalog::load::load_json(source, bytes, load)
        })
    }

    /// Loads JSON lines: one object of `entity` per line (errors as [`Engine::load_json`]).
    pub fn load_jsonl(
        &mut self,
        entity: Entity,
        source: &str,
        bytes: &[u8],
        mode: LoadMode,
    ) -> Result<LoadReport> {
        self.loading(source, mode, |load| {
            crate::catalog::load::load_jsonl(entity, source, bytes, load)
        })
    }

    /// Loads a CSV file of one entity (columns in the README, [`crate::csv_columns`]); errors as
    /// [`Engine::load_json`], plus a `data_error` for a missing required column. The file is
    /// UTF-8 (or UTF-16 with a byte-order mark); for Windows-1252, see [`Engine::load`] and
    /// [`LoadOptions::encoding`].
    pub fn load_csv(
        &mut self,
        entity: Entity,
        source: &str,
        reader: impl std::io::Read,
        mode: LoadMode,
    ) -> Result<LoadReport> {
        self.load_csv_in(entity, source, reader, mode, crate::Encoding::Utf8)
    }

    fn load_csv_in(
        &mut self,
        entity: Entity,
        source: &str,
        reader: impl std::io::Read,
        mode: LoadMode,
        encoding: crate::Encoding,
    ) -> Result<LoadReport> {
        self.loading(source, mode, |load| {
            crate::catalog::load::load_csv(entity, source, reader, encoding, load)
        })
    }

    /// Loads the columns of a data frame of one entity: `(name, cells)` in order, the names
    /// and meanings of the CSV columns ([`crate::csv_columns`]), each [`Cell`](crate::Cell)
    /// read as the CSV reader reads its text (a NaN is an empty cell, a whole float a whole
    /// number). Errors as [`Engine::load_csv`], with the 0-based `row` instead of a line; the
    /// source label defaults to `"<frame>"`.
    ///
    /// ```
    /// use metiers::{Cell, Engine, Entity, LoadOptions, Region};
    /// let mut e = Engine::empty(Region::Normandy)?;
    /// let text = |v: &[&str]| v.iter().map(|s| Cell::Text(s.to_string())).collect::<Vec<_>>();
    /// let columns = vec![
    ///     ("id".to_string(), text(&["c1", "c2"])),
    ///     ("name".to_string(), text(&["Boulangerie (fictif)", "Garage (fictif)"])),
    ///     ("commune".to_string(), text(&["Flers", "Atlantis"])),
    ///     ("siret".to_string(), vec![Cell::Float(73282932000074.0), Cell::Float(f64::NAN)]),
    /// ];
    /// let err = e.load_columns(Entity::Companies, &columns, &LoadOptions::default()).unwrap_err();
    /// assert_eq!(err.info().errors[0].row, Some(1));
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn load_columns(
        &mut self,
        entity: Entity,
        columns: &[(String, Vec<crate::tabular::Cell>)],
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        options.for_text("a data frame")?;
        let source = options.source.as_deref().unwrap_or("<frame>");
        self.loading(source, options.mode.unwrap_or_default(), |load| {
            crate::catalog::load::load_frame(entity, source, columns, load)
        })
    }

    /// Runs a load (`fill` hands it the items) and adds what it accepted to the catalogue; a
    /// load that fails (a file error, or a rejected row in strict mode) adds nothing.
    fn loading(
        &mut self,
        source: &str,
        mode: LoadMode,
        fill: impl FnOnce(&mut crate::catalog::load::Load<'_>) -> Result<()>,
    ) -> Result<LoadReport> {
        let validator = self.validator();
        let mut load = crate::catalog::load::Load::new(&self.catalog, &validator, source, mode);
        fill(&mut load)?;
        let (added, report) = load.finish()?;
        if added.len() > 0 {
            self.catalog_mut().absorb(added);
        }
        Ok(report)
    }

    /// Loads catalogue data in a format; the options give the source label, the mode and the
    /// encoding of a CSV file's bytes (`Format::Json` reads every entity; the others need
    /// `entity`). An encoding other than UTF-8 for JSON is `invalid_input`.
    ///
    /// ```
    /// use metiers::{Engine, Entity, Format, LoadOptions, Region};
    /// let mut e = Engine::empty(Region::Normandy)?;
    /// // « CSV (séparateur : point-virgule) » from a spreadsheet in French: Windows-1252.
    /// let bytes = b"id;name;commune\nc1;Boulangerie H\xE9bert (fictif);\xC9vreux\n";
    /// let err = e.load(Format::Csv, Some(Entity::Companies), bytes, &LoadOptions::default());
    /// assert!(err.unwrap_err().to_string().contains("windows-1252"));
    /// let options = LoadOptions { encoding: Some("cp1252".parse()?), ..LoadOptions::default() };
    /// e.load(Format::Csv, Some(Entity::Companies), bytes, &options)?;
    /// assert_eq!(e.catalog().company("c1")?.name, "Boulangerie Hébert (fictif)");
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn load(
        &mut self,
        format: Format,
        entity: Option<Entity>,
        data: &[u8],
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        let source = options.source.as_deref().unwrap_or(format.default_source());
        let mode = options.mode.unwrap_or_default();
        let needs_entity = || needs_entity(source);
        match format {
            Format::Json => {
                options.for_text("JSON (always UTF-8)")?;
                self.load_json(source, data, mode)
            }
            Format::Jsonl => {
                options.for_text("JSON (always UTF-8)")?;
                self.load_jsonl(entity.ok_or_else(needs_entity)?, source, data, mode)
            }
            Format::Csv => {
                let entity = entity.ok_or_else(needs_entity)?;
                let encoding = options.encoding.unwrap_or_default();
                self.load_csv_in(entity, source, data, mode, encoding)
            }
        }
    }

    /// Loads several files in the order their references need (JSON documents, then
    /// companies, ambassadors, stages), strictly. Each argument is a path, or `ENTITY=path`
    /// for a CSV or JSON-lines file not named after its entity (see [`Entity::of_path`]).
    pub fn load_paths(&mut self, args: &[String]) -> Result<Vec<LoadReport>> {
        self.load_paths_in(args, crate::Encoding::Utf8)
    }

    /// [`Engine::load_paths`], its CSV files in `encoding` (unless one has a byte-order mark).
    pub fn load_paths_in(
        &mut self,
        args: &[String],
        encoding: crate::Encoding,
    ) -> Result<Vec<LoadReport>> {
        let mut files = args
            .iter()
            .map(|a| Entity::of_path(a))
            .collect::<Result<Vec<_>>>()?;
        files.stable_by_key(|(entity, _)| *entity);
        files
            .into_iter()
            .map(|(entity, path)| {
                // The encoding is a CSV file's: a JSON document given beside it is UTF-8.
                let csv = matches!(Format::of_path(path), Ok(Format::Csv));
                let options = LoadOptions {
                    encoding: csv.then_some(encoding),
                    ..LoadOptions::default()
                };
                self.load_path(std::path::Path::new(path), entity, &options)
            })
            .collect()
    }

    /// Loads several documents known by their name (the URLs a web page fetched, the files a
    /// form uploaded), as [`Engine::load_paths`] loads files: the name's extension gives the
    /// format, its file name or an `ENTITY=` prefix the entity of a CSV or JSON-lines document
    /// (`companies.csv`, `entreprises.csv`, `stages=/export.csv`; see [`Entity::of_path`]); a
    /// URL's `?query` and `#fragment` are not part of it. Loaded in the order their
    /// references need (JSON documents, companies, ambassadors, stages), each with `mode`;
    /// the source label of each is its file name. One report a document, in that order.
    ///
    /// ```
    /// use metiers::{Engine, LoadMode, Region};
    /// let mut e = Engine::empty(Region::Normandy)?;
    /// let stages = "id,company,kind,metiers,periods,places_total\ns1,c1,observation_3e,H2903,2027-01-11/2027-01-15,1\n";
    /// let companies = "id,name,commune\nc1,Ateliers (fictif),Flers\n";
    /// let files = [("/site/stages.csv?v=2", stages), ("/site/entreprises.csv", companies)];
    /// let reports = e.load_named(&files, LoadMode::Strict)?;
    /// assert_eq!((reports[0].companies, reports[1].stages), (1, 1));
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn load_named<N: AsRef<str>, D: AsRef<[u8]>>(
        &mut self,
        files: &[(N, D)],
        mode: LoadMode,
    ) -> Result<Vec<LoadReport>> {
        let mut named = Vec::with_capacity(files.len());
        for (name, data) in files {
            let name = name.as_ref();
            let name = name.split(['?', '#']).next().unwrap_or(name);
            let (entity, path) = Entity::of_path(name)?;
            let format = Format::of_path(path)?;
            let label = path.rsplit('/').next().unwrap_or(path).to_string();
            named.push((entity, format, label, data.as_ref()));
        }
        named.stable_by_key(|(entity, ..)| *entity);
        named
            .into_iter()
            .map(|(entity, format, label, data)| {
                let options = LoadOptions {
                    source: Some(label),
                    mode: Some(mode),
                    encoding: None,
                };
                self.load(format, entity, data, &options)
            })
            .collect()
    }

    /// Loads a file by its extension (`.json`, `.jsonl`/`.ndjson`, `.csv`/`.tsv`); the source label
    /// is the file's name unless the options give one. A CSV or JSON-lines file holds `entity`,
    /// or the one its name says (`stages.csv`, `entreprises-2027.csv`: [`Entity::of_file_name`]).
    /// A file that cannot be read is `data_error`; an unknown extension or a missing entity
    /// `invalid_input`.
    pub fn load_path(
        &mut self,
        path: &std::path::Path,
        entity: Option<Entity>,
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        let shown = path.display().to_string();
        let format = Format::of_path(&shown)?;
        // Errors name the file as people see it (`stages.csv, line 3`), not its whole path.
        let label = path
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        let entity = entity.or_else(|| Entity::of_file_name(&label));
        let unreadable = |e: std::io::Error| {
            Error::unreadable(shown.clone(), format!("cannot read the file: {e}"))
        };
        let options = LoadOptions {
            source: Some(options.source.clone().unwrap_or(label)),
            mode: options.mode,
            encoding: options.encoding,
        };
        if format == Format::Csv {
            // Read as it is validated: a file of a million rows is never all in memory.
            let file = std::fs::File::open(path)
                .and_then(|file| {
                    if file.metadata()?.is_dir() {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::IsADirectory,
                            "it is a directory",
                        ));
                    }
                    Ok(file)
                })
                .map_err(unreadable)?;
            let source = options.source.as_deref().unwrap_or(format.default_source());
            let entity = entity.ok_or_else(|| needs_entity(source))?;
            let (mode, encoding) = (options.mode.unwrap_or_default(), options.encoding);
            return self.load_csv_in(entity, source, file, mode, encoding.unwrap_or_default());
        }
        let data = std::fs::read(path).map_err(unreadable)?;
        self.load(format, entity, &data, &options)
    }
}

/// The error of a CSV or JSON-lines file whose entity neither the caller nor its name gives.
fn needs_entity(source: &str) -> Error {
    Error::invalid(
        "entity",
        "",
        format!(
            "{}: say which entity the file holds (companies, ambassadors or stages)",
            crate::error::bounded(source)
        ),
    )
}
