//! `Query` from JSON, then every search with it: results within the radius, pages that fit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::Query;
use metiers_fuzz::{check, normandy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(q) = check(Query::from_json(text)) else {
        return;
    };
    let e = normandy();
    if let Some(page) = check(e.search_stages(&q)) {
        assert!(page.matches.len() <= page.limit);
        if page
            .origin
            .as_ref()
            .is_some_and(|o| o.kind != metiers::PlaceKind::Departement)
            && !q.widen
        {
            let radius = q.radius_km.unwrap_or(metiers::scoring::DEFAULT_RADIUS_KM);
            for m in &page.matches {
                assert!(
                    m.distance_km.is_some_and(|d| d <= radius + 0.01),
                    "beyond the radius"
                );
            }
        }
    }
    let _ = check(e.search_ambassadors(&q));
    let _ = check(e.search_companies(&q));
    let _ = check(e.metiers_near(&q));
    let _ = check(e.ambassadors_for_class(&q));
    let _ = check(e.companies_for_class(&q));
});
