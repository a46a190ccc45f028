//! The command line, run as a user runs it.

use std::process::Command;

fn metiers(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_metiers"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The command line with `before`, `encoding` and `after` as its arguments.
fn metiers_with(before: &[&str], encoding: &[&str], after: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = before
        .iter()
        .chain(encoding)
        .chain(after)
        .copied()
        .collect();
    metiers(&args)
}

/// A Windows-1252 file read as UTF-8: a data error at its line 2 that names the way out.
fn refused_as_utf8((code, _, err): &(i32, String, String)) {
    assert_eq!(*code, 1, "{err}");
    assert!(
        err.contains("line 2") && err.contains("windows-1252"),
        "{err}"
    );
}

#[test]
fn stages_near_flers_print_a_readable_table() {
    let (code, out, _) = metiers(&[
        "stages",
        "--near",
        "Flers",
        "--radius",
        "30",
        "--interest",
        "J'aime le travail manuel",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.contains("stages à moins de 30 km de Flers")),
        "{out}"
    );
    assert!(out.contains("Centre d'intérêt principal : J'aime le travail manuel"));
    assert!(out.contains("km"));
}

#[test]
fn json_output_is_the_shared_result_shape() {
    let (code, out, _) = metiers(&[
        "--json",
        "ambassadors",
        "--near",
        "Caen",
        "--metier",
        "boulanger",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
    assert!(v["matches"][0]["reasons"].as_array().is_some());
    assert_eq!(v["origin"]["name"], "Caen");
}

#[test]
fn companies_metiers_places_discover_and_counters_work() {
    for args in [
        &["companies", "--near", "Rouen", "--radius", "10"][..],
        &["metiers", "fraiseur"],
        &["places", "cherbourg"],
        &["discover", "--near", "Alençon", "--radius", "15"],
        &[
            "class-ambassadors",
            "--near",
            "Lisieux",
            "--group-size",
            "25",
        ],
        &["class-companies", "--near", "Lisieux", "--group-size", "20"],
        &["counters"],
    ] {
        let (code, out, err) = metiers(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.trim().is_empty(), "{args:?}");
    }
    let (_, out, _) = metiers(&["metiers", "fraiseur"]);
    assert!(out.starts_with("H2903"), "{out}");
}

#[test]
fn bad_input_exits_non_zero_with_a_clear_message() {
    let (code, _, err) = metiers(&["stages", "--near", "Caen", "--radius", "-3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid_input") && err.contains("radius_km"),
        "{err}"
    );
    let (code, _, err) = metiers(&["stages", "--near", "Caen", "--kind", "vacances"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("mini_stage"),
        "lists the accepted kinds: {err}"
    );
    let (code, _, err) = metiers(&["stages", "--near", "Atlantis"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not_found") && err.contains("Atlantis"),
        "{err}"
    );
    let (code, _, _) = metiers(&["stages", "--bogus"]);
    assert_ne!(code, 0);
}

#[test]
fn an_ambiguous_place_lists_the_candidates_and_insee_picks_one() {
    let (code, _, err) = metiers(&["stages", "--near", "Cuverville"]);
    assert_eq!(code, 2);
    assert!(err.contains("ambiguous_place"), "{err}");
    for line in ["--insee 14215", "--insee 27194", "--insee 76206"] {
        assert!(err.contains(line), "{line} in {err}");
    }
    let (code, out, err) = metiers(&["stages", "--insee", "14215", "--radius", "10", "--json"]);
    assert_eq!(code, 0, "{err}");
    let page: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(page["origin"]["code"], "14215");
    assert_eq!(page["origin"]["matched_by"], "insee");
    let (code, _, err) = metiers(&["stages", "--near", "Caen", "--insee", "14118"]);
    assert_ne!(code, 0, "one place at a time: {err}");
}

#[test]
fn a_portal_catalogue_replaces_the_sample() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/catalog.json");
    let (code, out, err) = metiers(&[
        "--json",
        "--catalog",
        file,
        "stages",
        "--near",
        "Évreux",
        "--radius",
        "60",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["stg-11", "stg-10"]);
}

/// A spreadsheet's « CSV » export on Windows: refused as UTF-8 with the way out, read with
/// `--encoding` in any spelling; an unknown encoding lists the ones there are.
#[test]
fn a_windows_1252_catalogue_is_read_with_its_encoding() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/spreadsheet");
    let companies = format!("companies={dir}/companies-windows-1252.csv");
    let stages = format!("stages={dir}/stages-windows-1252.csv");
    let catalog = ["--catalog", &stages, "--catalog", &companies];
    let with =
        |encoding: &[&str]| metiers_with(&catalog, encoding, &["stages", "--near", "Évreux"]);
    refused_as_utf8(&with(&[]));
    let (code, out, err) = with(&["--encoding", "CP1252"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Pâtisserie – l’œuvre du chef"), "{out}");
    let (code, _, err) = with(&["--encoding", "ascii"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("valeurs possibles : utf-8, windows-1252"),
        "{err}"
    );
}

/// A class list exported on Windows (Windows-1252): refused as UTF-8 with the way out, read with
/// `--encoding` beside a JSON catalogue (read as UTF-8, as JSON is); `--encoding` where no CSV
/// file is read is said, not ignored.
#[test]
fn a_windows_1252_class_list_is_placed_with_its_encoding() {
    let text = std::fs::read_to_string(fixture("pupils.csv"))
        .unwrap()
        .replace("\na,", "\nléa,")
        .replace('\n', "\r\n");
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| {
            if c == 'é' {
                0xE9
            } else {
                u8::try_from(c).unwrap()
            }
        })
        .collect();
    let path = std::env::temp_dir().join(format!("metiers-eleves-{}.csv", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let (catalog, pupils) = (fixture("catalog.json"), path.display().to_string());
    let (before, after) = (
        ["--catalog", &catalog, "--json"],
        ["assign", &pupils, "--weeks", "2027-W03"],
    );
    let with = |encoding: &[&str]| metiers_with(&before, encoding, &after);
    refused_as_utf8(&with(&[]));
    let (code, out, err) = with(&["--encoding", "latin-1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"léa\""), "{out}");
    std::fs::remove_file(&path).unwrap();
    // A careless or hostile value is refused in a bounded message.
    let long = "w".repeat(100_000);
    for args in [
        &["--encoding", long.as_str(), "places", "Caen"][..],
        &["stages", "--near", "Caen", "--scope", long.as_str()][..],
    ] {
        let (code, _, err) = metiers(args);
        assert_eq!(code, 2, "{err}");
        assert!(err.len() < 1_000, "{}", err.len());
    }
    let (code, _, err) = metiers(&["--encoding", "cp1252", "places", "Caen"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("this command reads none"), "{err}");
}

#[test]
fn a_reader_that_goes_away_does_not_make_it_panic() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_metiers"))
        .args([
            "--json", "stages", "--near", "Rouen", "--radius", "80", "--limit", "1000",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head`
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/assign/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_class_is_placed_from_a_csv_file() {
    let (pupils, catalog) = (fixture("pupils.csv"), fixture("catalog.json"));
    let args = [
        "--catalog",
        &catalog,
        "assign",
        &pupils,
        "--weeks",
        "2027-W03",
        "--rep-first",
        "--seed",
        "7",
    ];
    let (code, out, err) = metiers(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("5 placés sur 5 élèves (100 %)"), "{out}");
    assert!(out.contains("vœu 1 s3 : l'entreprise n'accueille pas plus de 2 élèves : places prises par des élèves prioritaires (REP)"), "{out}");
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, out, _) = metiers(&json_args);
    assert_eq!(code, 0);
    let placement: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(placement["report"]["placed"], 5);
    assert_eq!(placement["seed"], 7);
}

#[test]
fn a_bad_pupils_file_is_an_input_error_naming_the_pupil() {
    let catalog = fixture("catalog.json");
    // No --weeks: the rows without weeks are refused, the first named.
    let (code, _, err) = metiers(&["--catalog", &catalog, "assign", &fixture("pupils.csv")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pupils[0].weeks"), "{err}");
    let (code, _, err) = metiers(&[
        "assign",
        &fixture("pupils.csv"),
        "--weeks",
        "2027-W03",
        "--rep-min-share",
        "2",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rep_min_share"), "{err}");
}

#[test]
fn a_cohort_is_a_pupils_file_the_placement_reads() {
    let (code, out, _) = metiers(&["cohort", "--departement", "61", "--share", "0.01"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("id,school,class,weeks,lat,lon,interests,radius_km,profile_wishes\n"));
    let path = std::env::temp_dir().join(format!("metiers-cohort-{}.csv", std::process::id()));
    std::fs::write(&path, &out).unwrap();
    let (code, out, err) = metiers(&["assign", path.to_str().unwrap(), "--suggestions", "0"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(" placés sur "), "{out}");
}

#[test]
fn a_rome_code_with_a_typo_is_an_input_error() {
    let (code, _, err) = metiers(&["stages", "--near", "Caen", "--metier", "H29O3"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("erreur (invalid_input)"), "{err}");
    assert!(err.contains("metiers[0]"), "{err}");
}

#[test]
fn the_catalogue_can_be_csv_and_json_lines_files() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data");
    let (stages, companies) = (
        format!("{data}/stages.csv"),
        format!("{data}/companies.csv"),
    );
    // Stages before companies on the line: loaded in the order their references need.
    let (code, out, err) = metiers(&[
        "--json",
        "--catalog",
        &stages,
        "--catalog",
        &companies,
        "counters",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            v["total"]["companies"].as_u64(),
            v["total"]["stages"].as_u64()
        ),
        (Some(4), Some(4))
    );
    let jsonl = format!("stages={data}/stages.jsonl");
    let (code, _, err) = metiers(&["--catalog", &companies, "--catalog", &jsonl, "counters"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = metiers(&[
        "--catalog",
        &format!("places={data}/stages.csv"),
        "counters",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("entity"), "{err}");
}

#[test]
fn coverage_prints_white_zones_per_departement_json_and_csv() {
    let (code, out, err) = metiers(&[
        "coverage", "--radius", "15", "--sector", "H", "--limit", "2",
    ]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("H — Industrie à 15 km : "), "{out}");
    assert!(first.contains("sur 2651 sans stage"), "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("stage le plus proche"))
            .count(),
        2,
        "{out}"
    );
    let (code, out, _) = metiers(&["coverage", "--radius", "15", "--sector", "H", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 2651);
    assert_eq!(
        v["summary"].as_array().unwrap().last().unwrap()["area"],
        "all"
    );
    let (code, out, _) = metiers(&[
        "coverage",
        "--origins",
        "colleges",
        "--radius",
        "10,20",
        "--sector",
        "H,J",
        "--csv",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1 + 388 * 2 * 2);
    assert!(out.starts_with("origin,origin_name,departement,radius_km,sector,stages"));
}

#[test]
fn coverage_refuses_a_bad_radius_sector_or_origin_with_exit_2() {
    for (args, field) in [
        (vec!["coverage", "--radius", "0"], "radii_km[0]"),
        (vec!["coverage", "--radius", "-5"], "radii_km[0]"),
        (vec!["coverage", "--sector", "Z"], "sectors[0]"),
        (vec!["coverage", "--origins", "cantons"], "--origins"),
    ] {
        let (code, _, err) = metiers(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("invalid_input") && err.contains(field),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn coverage_of_h3_cells_names_each_cell_after_its_commune() {
    let (code, out, err) = metiers(&[
        "coverage",
        "--origins",
        "h3",
        "--h3-resolution",
        "6",
        "--sector",
        "H",
        "--limit",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().next().unwrap().ends_with("sans stage"), "{out}");
    let (code, _, err) = metiers(&["coverage", "--origins", "h3", "--h3-resolution", "12"]);
    assert_eq!(code, 2);
    assert!(err.contains("h3_resolution"), "{err}");
}

#[test]
fn help_and_usage_mistakes_are_in_french() {
    let (code, out, _) = metiers(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Utilisation : metiers [OPTIONS] <COMMANDE>"),
        "{out}"
    );
    assert!(
        out.contains("Commandes") && out.contains("Affiche l'aide"),
        "{out}"
    );
    let (code, out, _) = metiers(&["stages", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Utilisation : metiers stages"), "{out}");
    assert!(out.contains("Rayon en km (30 par défaut)"), "{out}");
    for english in [
        "Usage:",
        "Print help",
        "[default:",
        "possible values",
        "Stages that fit",
    ] {
        assert!(!out.contains(english), "{english} in: {out}");
    }
    let cases: [(&[&str], &str); 5] = [
        (&["stages", "--nope"], "option inconnue « --nope »"),
        (
            &["stages", "--radius", "abc"],
            "valeur invalide « abc » pour --radius",
        ),
        (
            &["stagez"],
            "commande inconnue « stagez » ; vouliez-vous dire « stages » ?",
        ),
        (
            &["--format", "xml", "stages"],
            "valeurs possibles : table, json, csv",
        ),
        (
            &["stages", "--near", "Caen", "--insee", "14118"],
            "ne va pas avec",
        ),
    ];
    for (args, message) in cases {
        let (code, _, err) = metiers(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("erreur (invalid_input) : "), "{err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("error:"), "{err}");
    }
    // The command alone: the help, and the status of a usage error.
    let (code, _, err) = metiers(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("Utilisation"), "{err}");
}

#[test]
fn tables_name_companies_and_communes_and_cut_titles_between_words() {
    let (code, out, _) = metiers(&["stages", "--near", "Flers", "--radius", "30"]);
    assert_eq!(code, 0);
    let header = out.lines().nth(1).unwrap();
    assert!(
        header.contains("entreprise") && header.contains("commune"),
        "{header}"
    );
    let first = out.lines().nth(2).unwrap();
    assert!(
        first.contains("(fictif)") || first.contains("…"),
        "a company name: {first}"
    );
    // Every cut title ends after a whole word: the character before "…" ends a word of the
    // full title, which the CSV form gives.
    let (_, csv_out, _) = metiers(&[
        "--format", "csv", "stages", "--near", "Flers", "--radius", "30",
    ]);
    let mut rows = csv::Reader::from_reader(csv_out.as_bytes());
    let titles: Vec<String> = rows
        .records()
        .map(|r| r.unwrap().get(4).unwrap().to_string())
        .collect();
    let mut cut = 0;
    for (line, title) in out.lines().skip(2).zip(&titles) {
        let Some(shown) = line.split("  ").map(str::trim).find(|c| c.ends_with('…')) else {
            continue;
        };
        let kept = shown.trim_end_matches('…');
        assert!(
            title.starts_with(kept),
            "{kept:?} is the start of {title:?}"
        );
        let after = title[kept.len()..].chars().next();
        assert!(
            after.is_none_or(|c| !c.is_alphanumeric()),
            "{kept:?} cut {title:?} inside a word"
        );
        cut += 1;
    }
    assert!(cut > 0, "some titles are long enough to be cut: {out}");
    // Sample names with the elisions of French.
    let (_, out, _) = metiers(&[
        "companies",
        "--near",
        "Le Havre",
        "--radius",
        "5",
        "--limit",
        "50",
    ]);
    assert!(
        out.contains(" du Havre (fictif)") && !out.contains(" de Le Havre"),
        "{out}"
    );
}

#[test]
fn format_csv_gives_one_row_a_result_with_names_beside_ids() {
    let (code, out, _) = metiers(&[
        "--format", "csv", "stages", "--near", "Flers", "--radius", "20",
    ]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "rank",
            "score",
            "distance_km",
            "id",
            "title",
            "kind",
            "company",
            "company_name",
            "commune",
            "commune_name",
            "reasons"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(
            r.get(6).unwrap().starts_with('C') && r.get(7).unwrap().ends_with("(fictif)"),
            "{r:?}"
        );
        assert_eq!(r.get(8).unwrap().len(), 5, "an INSEE code: {r:?}");
        assert!(!r.get(9).unwrap().is_empty(), "{r:?}");
    }
    for args in [
        &["--format", "csv", "ambassadors", "--near", "Caen"][..],
        &["--format", "csv", "companies", "--near", "Rouen"],
        &["--format", "csv", "metiers", "fraiseur"],
        &["--format", "csv", "places", "Saint-Martin"],
        &["--format", "csv", "counters"],
        &[
            "--format", "csv", "discover", "--near", "Alençon", "--radius", "15",
        ],
    ] {
        let (code, out, err) = metiers(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let width = reader.headers().unwrap().len();
        let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
        assert!(
            !rows.is_empty() && rows.iter().all(|r| r.len() == width),
            "{args:?}: {out}"
        );
    }
    let (code, _, err) = metiers(&["--json", "--format", "csv", "counters"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_place_that_begins_with_a_minus_sign_is_read_as_a_place() {
    // "-0.37, 49.18" (lat and lon swapped) was taken for an unknown option "-0".
    for args in [
        &["stages", "--near", "-0.37, 49.18"][..],
        &["places", "-0.37,49.18"],
    ] {
        let (code, _, err) = metiers(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(
            err.contains("look swapped") && err.contains("Caen (14118)"),
            "{args:?}: {err}"
        );
    }
}
