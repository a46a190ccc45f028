//! Great-circle distances, computed the same way natively and in WebAssembly.

/// Mean Earth radius in km (IUGG), as used by most GIS tools.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance in km between two (lat, lon) points in degrees.
///
/// Computed with `libm`, so native and WebAssembly builds give the same bits.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Radians::new(a).distance_km(&Radians::new(b))
}

/// A point with the sines and cosines of its latitude and longitude, computed once: the distance
/// between two such points needs no trigonometry but one inverse sine. [`distance_km`] uses it,
/// so every distance the library reports comes from the same formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radians {
    sin_lat: f64,
    cos_lat: f64,
    sin_lon: f64,
    cos_lon: f64,
}

impl Radians {
    /// From (lat, lon) in degrees.
    pub fn new((lat, lon): (f64, f64)) -> Radians {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        Radians {
            sin_lat: libm::sin(lat),
            cos_lat: libm::cos(lat),
            sin_lon: libm::sin(lon),
            cos_lon: libm::cos(lon),
        }
    }

    /// The haversine term `h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)`, written with
    /// `sin²(x/2) = (1 − cos x)/2` and the cosine of a difference, so only products and sums.
    /// The distance grows with `h`: comparing it with [`Radians::h_of_km`] tests a radius.
    pub fn haversine(&self, other: &Radians) -> f64 {
        let cos_dlat = self.cos_lat * other.cos_lat + self.sin_lat * other.sin_lat;
        let cos_dlon = self.cos_lon * other.cos_lon + self.sin_lon * other.sin_lon;
        (((1.0 - cos_dlat) + self.cos_lat * other.cos_lat * (1.0 - cos_dlon)) * 0.5).max(0.0)
    }

    /// The haversine term of a distance in km.
    pub fn h_of_km(km: f64) -> f64 {
        let s = libm::sin((km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2));
        s * s
    }

    /// Distance in km for a haversine term.
    pub fn km_of_h(h: f64) -> f64 {
        2.0 * EARTH_RADIUS_KM * libm::asin(libm::sqrt(h.min(1.0)))
    }

    /// Great-circle distance in km.
    pub fn distance_km(&self, other: &Radians) -> f64 {
        Radians::km_of_h(self.haversine(other))
    }
}
