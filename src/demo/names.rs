//! Invented council names: place names built from syllables, with the styles each council type
//! uses. None is the name of a real council (a test checks against the shipped register).

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::sites::CouncilType;

/// Word beginnings for English places.
const ENGLISH_HEADS: &[&str] = &[
    "Ald", "Brack", "Cran", "Dun", "Elm", "Fen", "Gart", "Holl", "Kel", "Lang", "Marl", "Nether",
    "Orm", "Pens", "Quen", "Rad", "Stow", "Thorn", "Wick", "Yarl", "Ash", "Bex", "Cold", "Dray",
];
/// Word endings for English places.
const ENGLISH_TAILS: &[&str] = &[
    "mere", "wick", "stead", "combe", "dale", "worth", "bridge", "field", "holme", "ley", "thorpe",
    "bury", "hurst", "brook",
];
const SCOTTISH_HEADS: &[&str] = &["Glen", "Inver", "Strath", "Kil", "Auch", "Bal", "Dal"];
const SCOTTISH_TAILS: &[&str] = &[
    "allow", "morie", "carran", "lochan", "brae", "duie", "fearn",
];
const WELSH_HEADS: &[&str] = &["Llan", "Aber", "Pen", "Cwm", "Tre", "Bryn", "Caer"];
const WELSH_TAILS: &[&str] = &[
    "wyddan", "tawel", "gwern", "ddu", "fechan", "eithin", "onnen",
];
const IRISH_HEADS: &[&str] = &["Bally", "Carrick", "Drum", "Lough", "Kilna", "Derry"];
const IRISH_TAILS: &[&str] = &["moyle", "nagh", "clare", "brack", "shane", "vally"];
const LONDON_PLACES: &[&str] = &[
    "Thamesmead Reach",
    "Northgate",
    "Fleetbrook",
    "Kingsholt",
    "Riverside Vale",
    "Eastwharf",
];
/// English regions (ONS) for English councils.
const ENGLISH_REGIONS: &[&str] = &[
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "South East",
    "South West",
];

/// A made-up place name for a council type.
pub fn place(rng: &mut impl Rng, council_type: CouncilType) -> String {
    let (heads, tails) = match council_type {
        CouncilType::SU => (SCOTTISH_HEADS, SCOTTISH_TAILS),
        CouncilType::WU => (WELSH_HEADS, WELSH_TAILS),
        CouncilType::NI => (IRISH_HEADS, IRISH_TAILS),
        CouncilType::LB => {
            return LONDON_PLACES
                .choose(rng)
                .copied()
                .unwrap_or("Northgate")
                .to_string();
        }
        _ => (ENGLISH_HEADS, ENGLISH_TAILS),
    };
    let head = heads.choose(rng).copied().unwrap_or("Ald");
    let tail = tails.choose(rng).copied().unwrap_or("mere");
    format!("{head}{tail}")
}

/// The council's full name in the style its type uses.
pub fn council_name(rng: &mut impl Rng, council_type: CouncilType, place: &str) -> String {
    let styles: &[&str] = match council_type {
        CouncilType::CC => &["{} County Council"],
        CouncilType::SD => &["{} District Council", "{} Borough Council"],
        CouncilType::MD => &["{} Metropolitan Borough Council", "City of {} Council"],
        CouncilType::EU => &["{} Council", "{} City Council", "{} Borough Council"],
        CouncilType::LB => &["London Borough of {}", "Royal Borough of {}"],
        CouncilType::SU => &["{} Council", "{} City Council"],
        CouncilType::WU => &["{} County Borough Council", "{} Council"],
        CouncilType::NI => &["{} District Council", "{} Borough Council"],
    };
    styles
        .choose(rng)
        .copied()
        .unwrap_or("{} Council")
        .replace("{}", place)
}

/// The nation and region of a council of this type.
pub fn nation_region(
    rng: &mut impl Rng,
    council_type: CouncilType,
) -> (&'static str, &'static str) {
    match council_type {
        CouncilType::SU => ("Scotland", "Scotland"),
        CouncilType::WU => ("Wales", "Wales"),
        CouncilType::NI => ("Northern Ireland", "Northern Ireland"),
        CouncilType::LB => ("England", "London"),
        _ => (
            "England",
            ENGLISH_REGIONS.choose(rng).copied().unwrap_or("South East"),
        ),
    }
}

/// A slug from a name: lower case, words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
