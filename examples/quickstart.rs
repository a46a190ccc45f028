//! Quickstart: search a métier, locate communes, measure a distance.
//! Run with `cargo run --example quickstart`.

use metiers::{Geography, Referential};

fn main() -> Result<(), metiers::Error> {
    let rome = Referential::embedded()?;
    let geo = Geography::normandy()?;

    println!("Métiers pour « fraiseur » :");
    for hit in rome.search("fraiseur", 3)? {
        println!(
            "  {}  {:<45} (titre : {})",
            hit.code, hit.label, hit.matched_title
        );
    }

    let flers = &geo.locate("Flers")?[0];
    let caen = &geo.locate("caen")?[0];
    println!(
        "\n{} ({}) → {} ({}) : {:.1} km à vol d'oiseau",
        flers.name,
        flers.code.as_deref().unwrap_or(""),
        caen.name,
        caen.code.as_deref().unwrap_or(""),
        flers.distance_km(caen)
    );

    println!("\n« cherbourg » désigne :");
    for place in geo.locate("cherbourg")? {
        println!(
            "  {} ({} habitants)",
            place.name,
            place.population.unwrap_or(0)
        );
    }
    Ok(())
}
