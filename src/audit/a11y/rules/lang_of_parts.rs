//! Passages in another language say so with `lang`. WCAG 3.1.2 (Language of Parts);
//! sufficient technique H58. ACT rule off6ek (element language subtag matches language) needs
//! a language detector and is not claimed.
//!
//! Decided only where the language is certain without a detector: a passage of 20 letters or
//! more written in a script the element's language does not use (Arabic, Urdu or Bengali
//! text under `lang="en"`), or, on English pages, a passage of eight words or more in which
//! at least a quarter are common words of Welsh, Polish, French, Spanish or German and almost
//! none are English ones. Names of languages in a language menu are single words and are left
//! alone (3.1.2 exempts words of indeterminate language).

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};
use super::{own_text, seen, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
    Tamil,
    Thai,
    Hangul,
    Cjk,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Devanagari => "Devanagari",
            Script::Bengali => "Bengali",
            Script::Gurmukhi => "Gurmukhi",
            Script::Gujarati => "Gujarati",
            Script::Tamil => "Tamil",
            Script::Thai => "Thai",
            Script::Hangul => "Korean",
            Script::Cjk => "Chinese or Japanese",
        }
    }
}

fn script_of(c: char) -> Option<Script> {
    let u = u32::from(c);
    Some(match u {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF => Script::Greek,
        0x400..=0x4FF => Script::Cyrillic,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        0x900..=0x97F => Script::Devanagari,
        0x980..=0x9FF => Script::Bengali,
        0xA00..=0xA7F => Script::Gurmukhi,
        0xA80..=0xAFF => Script::Gujarati,
        0xB80..=0xBFF => Script::Tamil,
        0xE00..=0xE7F => Script::Thai,
        0x1100..=0x11FF | 0xAC00..=0xD7AF => Script::Hangul,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => Script::Cjk,
        _ => return None,
    })
}

/// The scripts a language is written in (primary subtag); Latin for the rest.
fn scripts_of(lang: &str) -> &'static [Script] {
    match lang {
        "ar" | "fa" | "ur" | "ps" | "ku" | "sd" | "ug" => &[Script::Arabic],
        "he" | "yi" | "iw" => &[Script::Hebrew],
        "ru" | "uk" | "bg" | "be" | "mk" | "kk" | "ky" | "mn" | "tg" => &[Script::Cyrillic],
        "sr" => &[Script::Cyrillic, Script::Latin],
        "el" => &[Script::Greek],
        "hi" | "mr" | "ne" | "sa" => &[Script::Devanagari],
        "bn" | "as" => &[Script::Bengali],
        "pa" => &[Script::Gurmukhi, Script::Arabic],
        "gu" => &[Script::Gujarati],
        "ta" => &[Script::Tamil],
        "th" => &[Script::Thai],
        "ko" => &[Script::Hangul, Script::Cjk],
        "zh" | "ja" => &[Script::Cjk],
        _ => &[Script::Latin],
    }
}

/// Common words of a language that are not English words.
const MARKERS: &[(&str, &str, &[&str])] = &[
    (
        "cy",
        "Welsh",
        &[
            "yr",
            "yn",
            "mae",
            "eich",
            "ein",
            "gyda",
            "chi",
            "hefyd",
            "neu",
            "ond",
            "wedi",
            "bydd",
            "sydd",
            "hyn",
            "hwn",
            "hon",
            "ydych",
            "ydy",
            "oes",
            "dim",
            "gan",
            "rydym",
            "rydych",
            "gael",
            "cael",
            "gwybodaeth",
            "cyngor",
            "croeso",
            "ddim",
            "fydd",
            "hynny",
            "ni",
            "drwy",
            "fod",
            "bod",
            "ei",
            "eu",
            "ac",
            "y",
        ],
    ),
    (
        "pl",
        "Polish",
        &[
            "w", "z", "na", "nie", "się", "jest", "że", "jak", "ale", "dla", "przez", "jeśli",
            "lub", "są", "oraz", "czy", "może", "które", "który", "która", "od", "po", "prosimy",
            "pan", "pani", "należy", "można", "tylko", "także", "jeżeli",
        ],
    ),
    (
        "fr",
        "French",
        &[
            "le", "la", "les", "des", "du", "et", "est", "une", "pour", "dans", "vous", "nous",
            "sur", "avec", "qui", "que", "pas", "cette", "sont", "au", "aux", "votre", "vos",
            "être", "peut", "ou", "plus", "leur",
        ],
    ),
    (
        "es",
        "Spanish",
        &[
            "el", "los", "las", "del", "y", "es", "una", "para", "con", "por", "que", "se", "su",
            "sus", "como", "más", "está", "usted", "puede", "nuestro", "sobre", "también",
        ],
    ),
    (
        "de",
        "German",
        &[
            "der", "die", "das", "und", "ist", "nicht", "mit", "für", "sie", "ein", "eine", "auf",
            "den", "dem", "zu", "von", "sich", "auch", "bei", "wir", "ihr", "oder", "ihre",
            "können",
        ],
    ),
];

const ENGLISH: &[&str] = &[
    "the", "and", "of", "to", "is", "for", "you", "your", "with", "this", "that", "are", "be",
    "on", "it", "we", "our", "will", "can", "from", "have", "by", "or", "if", "not",
];

/// The language of every element: the nearest non-empty `lang`, primary subtag, lower case.
/// One pass in document order (a parent comes before its children).
fn languages(cx: &Ctx<'_>) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::with_capacity(cx.nodes.len());
    for i in 0..cx.nodes.len() {
        let own = cx.nodes[i]
            .attr("lang")
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.trim()
                    .split(['-', '_'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            });
        let lang = own.or_else(|| cx.nodes[i].parent.and_then(|p| out[p].clone()));
        out.push(lang);
    }
    out
}

/// What the passage is written in, when it is certain and differs from `lang`.
fn foreign(text: &str, lang: &str) -> Option<String> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    let mut letters = 0;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if let Some(s) = script_of(c) {
            match counts.iter_mut().find(|(k, _)| *k == s) {
                Some(e) => e.1 += 1,
                None => counts.push((s, 1)),
            }
        }
    }
    let (main, n) = counts.iter().copied().max_by_key(|(_, n)| *n)?;
    let enough = if main == Script::Cjk { 6 } else { 20 };
    if n >= enough && n * 10 >= letters * 8 && !scripts_of(lang).contains(&main) {
        return Some(format!("{} script", main.name()));
    }
    if lang != "en" || main != Script::Latin {
        return None;
    }
    // Most text is English: count its common words without allocating, and stop as soon as
    // there are enough of them.
    let total = words(text).count();
    if total < 8 {
        return None;
    }
    let mut english = 0;
    for w in words(text) {
        if w.len() <= 4 && ENGLISH.iter().any(|e| e.eq_ignore_ascii_case(w)) {
            english += 1;
            if english * 20 >= total {
                return None;
            }
        }
    }
    let ws: Vec<String> = words(text).map(str::to_lowercase).collect();
    MARKERS.iter().find_map(|(_, name, list)| {
        let hits: Vec<&String> = ws.iter().filter(|w| list.contains(&w.as_str())).collect();
        let mut distinct = hits.clone();
        distinct.sort();
        distinct.dedup();
        (hits.len() * 4 >= ws.len() && distinct.len() >= 3).then(|| (*name).to_string())
    })
}

/// A passage in another language without `lang`.
pub static LANG_OF_PARTS: Rule = Rule {
    info: RuleInfo {
        id: "lang-of-parts",
        title: "Passages in another language are marked with lang",
        wcag: &["3.1.2"],
        act: &[],
        impact: Impact::Serious,
        advice: "Add a lang attribute naming the passage's language to the element that holds it, e.g. <p lang=\"cy\"> for Welsh or <p lang=\"ar\" dir=\"rtl\"> for Arabic.",
        best_practice: false,
    },
    check: |cx, out| {
        let mut langs: Option<Vec<Option<String>>> = None;
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            if !super::has_own_text(cx, i)
                || n.not_rendered
                || matches!(n.tag, "script" | "style" | "title" | "option")
            {
                continue;
            }
            if !seen(cx, i) && n.aria_hidden {
                continue;
            }
            let text = own_text(cx, i);
            if text.trim().chars().count() < 6 {
                continue;
            }
            let langs = langs.get_or_insert_with(|| languages(cx));
            let Some(lang) = langs[i].as_deref() else {
                continue;
            };
            if let Some(what) = foreign(&text, lang) {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("A passage in {what} sits in an element whose language is \"{lang}\""),
                );
                if out.full() {
                    return;
                }
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn passage_in_another_script_or_language_without_lang_fails() {
        let urdu = "<p>اگر آپ کو اس صفحے کو پڑھنے میں مدد کی ضرورت ہے تو ہم سے رابطہ کریں</p>";
        assert_eq!(outcomes(&LANG_OF_PARTS, urdu), (1, 0));
        let marked = "<p lang=\"ur\" dir=\"rtl\">اگر آپ کو اس صفحے کو پڑھنے میں مدد کی ضرورت ہے تو ہم سے رابطہ کریں</p>";
        assert_eq!(outcomes(&LANG_OF_PARTS, marked), (0, 0));
        let welsh = "<p>Mae'r wybodaeth hon ar gael yn Gymraeg hefyd, ac mae croeso i chi gysylltu gyda ni yn y Gymraeg.</p>";
        assert_eq!(outcomes(&LANG_OF_PARTS, welsh), (1, 0));
        let welsh_marked = "<p lang=\"cy\">Mae'r wybodaeth hon ar gael yn Gymraeg hefyd, ac mae croeso i chi gysylltu gyda ni yn y Gymraeg.</p>";
        assert_eq!(outcomes(&LANG_OF_PARTS, welsh_marked), (0, 0));
        let english =
            "<p>You can pay your council tax online, by direct debit or at the post office.</p>";
        assert_eq!(outcomes(&LANG_OF_PARTS, english), (0, 0));
        let menu = r#"<ul><li><a href="/ar">العربية</a></li><li><a href="/pl">Polski</a></li><li><a href="/cy">Cymraeg</a></li></ul>"#;
        assert_eq!(outcomes(&LANG_OF_PARTS, menu), (0, 0));
    }
}
