//! The words and shares the sample draws from: sector shares, company names, first names,
//! trainings (every name says it is fictitious).

/// Grand domaine shares of companies, before local adjustments.
pub(super) const GRAND_DOMAINES: [(&str, f64); 14] = [
    ("D", 20.0), // commerce, vente, grande distribution
    ("H", 17.0), // industrie
    ("J", 10.0), // santé
    ("F", 9.0),  // construction, bâtiment
    ("K", 8.0),  // services à la personne et à la collectivité
    ("N", 8.0),  // transport et logistique
    ("G", 8.0),  // hôtellerie-restauration, tourisme
    ("A", 6.0),  // agriculture, espaces verts, soins aux animaux
    ("I", 6.0),  // installation et maintenance
    ("M", 4.0),  // support à l'entreprise
    ("C", 2.0),  // banque, assurance, immobilier
    ("E", 1.0),  // communication, médias
    ("B", 0.5),  // arts et façonnage d'ouvrages d'art
    ("L", 0.5),  // spectacle
];

/// Domaines weighing more than 1 inside their grand domaine.
pub(super) const DOMAINE_BOOSTS: [(&str, f64); 20] = [
    ("H21", 4.0), // agro-alimentaire
    ("H29", 3.0), // mécanique, automobile
    ("H23", 2.5), // chimie, pharmacie (vallée de la Seine)
    ("H27", 2.0), // énergie (Flamanville, Paluel, Penly)
    ("H26", 1.5), // électronique, aéronautique
    ("H25", 1.5),
    ("H33", 1.5),
    ("H12", 1.5),
    ("A14", 2.0), // production agricole
    ("A15", 2.5), // soins aux animaux: chevaux de l'Orne et de la Manche
    ("D15", 2.5), // grande distribution
    ("D12", 2.0),
    ("D11", 2.0),
    ("N11", 2.0), // magasinage, manutention
    ("N12", 1.5),
    ("N41", 2.0),
    ("N32", 1.5), // portuaire
    ("J15", 2.0), // soins paramédicaux
    ("K13", 1.5), // aide à la vie quotidienne
    ("G18", 1.5), // service en restauration
];

pub(super) const COMPANY_WORDS: [(&str, &[&str]); 14] = [
    ("A", &["Ferme", "Haras", "Pépinières", "GAEC"]),
    ("B", &["Atelier d'art", "Maison d'artisans"]),
    ("C", &["Agence", "Cabinet"]),
    ("D", &["Magasin", "Commerce", "Boutique", "Hypermarché"]),
    ("E", &["Studio", "Éditions"]),
    ("F", &["Bâtiment", "Constructions", "Charpentes"]),
    ("G", &["Hôtel", "Restaurant", "Auberge"]),
    ("H", &["Industries", "Ateliers", "Usine", "Laboratoires"]),
    ("I", &["Maintenance", "Services techniques"]),
    ("J", &["Centre de santé", "Clinique", "Cabinet médical"]),
    ("K", &["Association", "Services", "Centre social"]),
    ("L", &["Compagnie", "Scène"]),
    ("M", &["Conseil", "Cabinet"]),
    ("N", &["Transports", "Logistique", "Entrepôts"]),
];

pub(super) const GREEK: [&str; 16] = [
    "Alpha", "Bêta", "Gamma", "Delta", "Epsilon", "Zêta", "Êta", "Thêta", "Iota", "Kappa",
    "Lambda", "Mu", "Sigma", "Tau", "Oméga", "Psi",
];

pub(super) const FIRST_NAMES: [&str; 24] = [
    "Camille",
    "Dominique",
    "Claude",
    "Alex",
    "Sacha",
    "Charlie",
    "Morgan",
    "Lou",
    "Noa",
    "Eden",
    "Maël",
    "Yanis",
    "Léa",
    "Inès",
    "Hugo",
    "Jade",
    "Lucas",
    "Manon",
    "Nathan",
    "Chloé",
    "Enzo",
    "Emma",
    "Louis",
    "Zoé",
];

pub(super) const TRAININGS: [&str; 7] = [
    "CAP",
    "Bac pro",
    "BTS",
    "BUT",
    "Licence professionnelle",
    "Titre professionnel",
    "Diplôme d'État",
];
