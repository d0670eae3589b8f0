//! Language tag checks (BCP 47 / RFC 5646 syntax and the IANA primary language subtags).
//!
//! The IANA registry is large; this keeps the ISO 639-1 two-letter codes, which are the
//! registered primary subtags of 2 letters, and accepts 3-letter codes unless they are the
//! ISO 639-2 form of a language that has a 2-letter subtag (RFC 5646 §2.2.1 says the shortest
//! code must be used, so `eng` is not a valid tag where `en` is).

/// ISO 639-1 codes (all registered as primary language subtags).
const TWO_LETTER: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce \
ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he \
hi ho hr ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks \
ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv \
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su \
sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// ISO 639-2 codes whose language has a 2-letter subtag (so the 3-letter form is not valid).
const LONG_FORMS: &str = "aar abk afr aka alb amh ara arg arm asm ava aym aze bak bam bel ben bis \
bod bos bre bul bur cat ces cha che chi chu chv cor cos cre cym cze dan deu div dut dzo ell eng epo \
est eus ewe fao fas fij fin fra fre fry ful geo ger gla gle glg glv gre grn guj hat hau heb her hin \
hmo hrv hun hye ibo ido iii iku ile ina ind ipk ice isl ita jav jpn kal kan kas kat kau kaz khm kik \
kin kir kom kon kor kua kur lao lat lav lim lin lit ltz lub lug mac mah mal mao mar may mkd mlg mlt \
mon mri msa mya nau nav nbl nde ndo nep nld nno nob nor nya oci oji ori orm oss pan per pli pol por \
pus que roh ron rum run rus sag san sin slk slo slv sme smo sna snd som sot spa sqi srd srp ssw sun \
swa swe tah tam tat tel tgk tgl tha tib tir ton tsn tso tuk tur twi uig ukr urd uzb ven vie vol wel \
wln wol xho yid yor zha zho zul";

/// Whether `tag` is a well-formed language tag with a known primary language subtag.
pub fn valid_tag(tag: &str) -> bool {
    let tag = tag.trim();
    if tag.is_empty() {
        return false;
    }
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    if !parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return false;
    }
    if !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    match primary.len() {
        2 => TWO_LETTER.split(' ').any(|c| c == primary),
        3 => !LONG_FORMS.split(' ').any(|c| c == primary),
        _ => false,
    }
}

/// The primary language subtag, lower case.
pub fn primary(tag: &str) -> String {
    tag.trim()
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_primary_subtags() {
        for ok in ["en", "EN", "en-GB", "fr-CH", "en-US-GB", "cy", "gd", "sco"] {
            assert!(valid_tag(ok), "{ok}");
        }
        for bad in [
            "", "  ", "eng", "em-US", "#!", "dutch", "English", "i-lux", "en--GB",
        ] {
            assert!(!valid_tag(bad), "{bad}");
        }
    }
}
