//! Quickstart: the stages a pupil in Flers who likes manual work can do, best first, with the
//! reasons; then a job-title search and a distance. Everything comes from the embedded Normandy
//! data (the catalogue is a fictitious sample). Run with `cargo run --example quickstart`.

use metiers::{Engine, Query};

fn main() -> Result<(), metiers::Error> {
    let engine = Engine::normandy()?;

    let query = Query::near("Flers")
        .radius(30.0)
        .interest("J'aime le travail manuel")
        .limit(5);
    let page = engine.search_stages(&query)?;
    println!(
        "Stages pour un élève de Flers qui aime le travail manuel ({} dans un rayon de 30 km) :",
        page.total
    );
    for m in &page.matches {
        println!(
            "  {:.3}  {}\n         {}",
            m.score,
            m.item.title.as_deref().unwrap_or(m.item.kind.label()),
            m.reasons.join(" · ")
        );
    }

    let hit = &engine.search_metiers("fraiseur", 1)?[0];
    println!(
        "\n« fraiseur » : {} {} (titre : {})",
        hit.code, hit.label, hit.matched_title
    );
    println!(
        "Flers → Caen : {:.1} km",
        engine.distance_km("Flers", "Caen")?
    );
    Ok(())
}
