//! Text alternatives for non-text content. WCAG 1.1.1 (Non-text Content), 4.1.2 for image
//! buttons, 2.1.1 for server-side image maps. ACT rules 23a2a8 (image has non-empty accessible
//! name), 59796f (image button), 7d6734 (SVG with explicit role), 8fc3b6 (object rendering
//! non-text content), and as best practice 46ca7f (element marked decorative is not exposed,
//! which ACT maps to no success criterion).
//!
//! These rules check that an alternative exists, not that it is good: the quality of alt text
//! is left to a person (1.1.1 stays in the manual list for that part).

use super::{Impact, Outcome, Rule, RuleInfo, Sink};

/// `<img>` (and HTML elements with role `img`) need a non-empty accessible name.
pub static IMAGE_ALT: Rule = Rule {
    info: RuleInfo {
        id: "image-alt",
        title: "Images have a text alternative",
        wcag: &["1.1.1"],
        act: &["23a2a8"],
        impact: Impact::Critical,
        advice: "Give the image an alt attribute that says what it shows or does; use alt=\"\" only when it is decorative.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            let n = &cx.nodes[i];
            if n.hidden() || n.is_svg() || n.role != Some("img") {
                continue;
            }
            if cx.name(i).is_empty() {
                let msg = if n.has("alt") {
                    "Image has an empty text alternative but is not marked decorative"
                } else {
                    "Image has no alt attribute"
                };
                out.element(cx, i, Outcome::Failed, msg);
            }
        }
    },
};

/// HTML elements other than `<img>` with role `img` need a name.
pub static ROLE_IMG_ALT: Rule = Rule {
    info: RuleInfo {
        id: "role-img-alt",
        title: "Elements with role=\"img\" have a text alternative",
        wcag: &["1.1.1"],
        act: &["23a2a8"],
        impact: Impact::Serious,
        advice: "Name the element with aria-label or aria-labelledby.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in &cx.aria {
            let n = &cx.nodes[i];
            if n.tag == "img"
                || n.is_svg()
                || n.hidden()
                || n.role != Some("img")
                || !n.explicit_role
            {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "Element with role=\"img\" has no accessible name",
                );
            }
        }
    },
};

/// `<input type="image">` needs a name.
pub static INPUT_IMAGE_ALT: Rule = Rule {
    info: RuleInfo {
        id: "input-image-alt",
        title: "Image buttons have a text alternative",
        wcag: &["1.1.1", "4.1.2"],
        act: &["59796f"],
        impact: Impact::Critical,
        advice: "Give the image button an alt attribute that says what the button does.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("input") {
            let n = &cx.nodes[i];
            let image = n
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("image"));
            if !image || n.hidden() || n.role != Some("button") {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "Image button has no accessible name",
                );
            }
        }
    },
};

/// SVG elements with an explicit image role need a name.
pub static SVG_IMG_ALT: Rule = Rule {
    info: RuleInfo {
        id: "svg-img-alt",
        title: "SVG images with an explicit role have a text alternative",
        wcag: &["1.1.1"],
        act: &["7d6734"],
        impact: Impact::Serious,
        advice: "Add a <title> child or aria-label to the SVG, or hide it with aria-hidden=\"true\" if it is decorative.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in &cx.aria {
            let n = &cx.nodes[i];
            if !n.is_svg() || n.hidden() || !n.explicit_role {
                continue;
            }
            if !matches!(
                n.role,
                Some("img" | "graphics-document" | "graphics-symbol")
            ) {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "SVG with an image role has no accessible name",
                );
            }
        }
    },
};

const IMAGE_EXT: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "avif", "tif", "tiff",
];
const MEDIA_EXT: &[&str] = &[
    "mp3", "mp4", "wav", "ogg", "oga", "ogv", "webm", "m4a", "m4v", "mov", "aac", "flac",
];

/// The extension of a URL path, lower case.
pub(crate) fn extension(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next()?;
    let last = path.rsplit('/').next()?;
    let (_, ext) = last.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// `<object>` showing an image, audio or video needs a name.
pub static OBJECT_ALT: Rule = Rule {
    info: RuleInfo {
        id: "object-alt",
        title: "Objects showing images or media have a text alternative",
        wcag: &["1.1.1"],
        act: &["8fc3b6"],
        impact: Impact::Serious,
        advice: "Name the object with aria-label, aria-labelledby or title.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("object") {
            let n = &cx.nodes[i];
            if n.hidden() || n.explicit_role && matches!(n.role, Some("none" | "presentation")) {
                continue;
            }
            let by_type = n.attr("type").map(|t| t.trim().to_ascii_lowercase());
            let non_text = match by_type {
                Some(t) if !t.is_empty() => {
                    t.starts_with("image/") || t.starts_with("audio/") || t.starts_with("video/")
                }
                _ => n.attr("data").and_then(extension).is_some_and(|e| {
                    IMAGE_EXT.contains(&e.as_str()) || MEDIA_EXT.contains(&e.as_str())
                }),
            };
            if !non_text {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "Object showing non-text content has no accessible name",
                );
            }
        }
    },
};

/// `<area href>` needs alt text.
pub static AREA_ALT: Rule = Rule {
    info: RuleInfo {
        id: "area-alt",
        title: "Image map areas have a text alternative",
        wcag: &["1.1.1", "2.4.4", "4.1.2"],
        act: &[],
        impact: Impact::Critical,
        advice: "Give each <area> an alt attribute that says where the link goes.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("area") {
            let n = &cx.nodes[i];
            if !n.has("href") || n.aria_hidden {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "Image map area has no text alternative",
                );
            }
        }
    },
};

/// Alt text that is only a file name says nothing.
pub static ALT_FILENAME: Rule = Rule {
    info: RuleInfo {
        id: "image-alt-filename",
        title: "Image alt text is not a file name",
        wcag: &["1.1.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Replace the file name with words that say what the image shows.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("img").iter().chain(cx.tag("input")) {
            let n = &cx.nodes[i];
            let Some(alt) = n.attr("alt").map(str::trim) else {
                continue;
            };
            if alt.is_empty() || alt.contains(' ') || n.hidden() {
                continue;
            }
            let ext = alt.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            let src_name = n
                .attr("src")
                .and_then(|s| s.split(['?', '#']).next())
                .and_then(|s| s.rsplit('/').next());
            if ext.is_some_and(|e| IMAGE_EXT.contains(&e.as_str()))
                || src_name.is_some_and(|s| s.eq_ignore_ascii_case(alt))
            {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Alt text \"{alt}\" is a file name"),
                );
            }
        }
    },
};

/// Elements marked decorative must not be exposed by conflict resolution.
pub static PRESENTATION_EXPOSED: Rule = Rule {
    info: RuleInfo {
        id: "presentation-role-conflict",
        title: "Elements marked as decorative are not exposed",
        wcag: &[],
        act: &["46ca7f"],
        impact: Impact::Minor,
        advice: "Remove the ARIA attributes and tabindex from the decorative element, or give it a real role and name.",
        best_practice: true,
    },
    check: |cx, out| {
        let check = |i: usize, out: &mut Sink<'_>| {
            let n = &cx.nodes[i];
            let marked = n
                .attr("role")
                .and_then(|r| r.split_ascii_whitespace().find_map(super::aria::known_role))
                .is_some_and(|r| matches!(r, "none" | "presentation"))
                || (n.tag == "img" && n.attr("alt") == Some(""));
            if marked && !n.hidden() && !matches!(n.role, Some("none" | "presentation")) {
                out.element(cx, i, Outcome::Failed, "Element marked as decorative is exposed to assistive technology because it is focusable or has ARIA attributes");
            }
        };
        for &i in &cx.aria {
            check(i, out);
        }
        for &i in cx.tag("img") {
            if !cx.aria.contains(&i) {
                check(i, out);
            }
        }
    },
};

/// `<img ismap>` needs a pointer.
pub static SERVER_SIDE_IMAGE_MAP: Rule = Rule {
    info: RuleInfo {
        id: "server-side-image-map",
        title: "No server-side image maps",
        wcag: &["2.1.1"],
        act: &[],
        impact: Impact::Minor,
        advice: "Use a client-side image map (<map> and <area>) or ordinary links instead of ismap.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            if cx.nodes[i].has("ismap") {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "Server-side image map cannot be used with a keyboard",
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::fails;
    use super::*;

    #[test]
    fn fails_when_alt_missing() {
        assert_eq!(fails(&IMAGE_ALT, r#"<img src="a.png">"#), 1);
        assert_eq!(
            fails(&IMAGE_ALT, r#"<img src="a.png" alt="Map of the ward">"#),
            0
        );
        assert_eq!(fails(&IMAGE_ALT, r#"<img src="a.png" alt="">"#), 0);
        assert_eq!(
            fails(&IMAGE_ALT, r#"<img src="a.png" aria-hidden="true">"#),
            0
        );
    }

    #[test]
    fn fails_image_button_without_name() {
        assert_eq!(
            fails(&INPUT_IMAGE_ALT, r#"<input type="image" src="go.png">"#),
            1
        );
        assert_eq!(
            fails(
                &INPUT_IMAGE_ALT,
                r#"<input type="image" src="go.png" alt="Search">"#
            ),
            0
        );
    }

    #[test]
    fn fails_svg_img_without_title() {
        assert_eq!(
            fails(&SVG_IMG_ALT, r#"<svg role="img"><circle r="4"/></svg>"#),
            1
        );
        assert_eq!(
            fails(&SVG_IMG_ALT, r#"<svg role="img"><title>Logo</title></svg>"#),
            0
        );
    }

    #[test]
    fn fails_object_image_without_name() {
        assert_eq!(fails(&OBJECT_ALT, r#"<object data="a.png"></object>"#), 1);
        assert_eq!(
            fails(
                &OBJECT_ALT,
                r#"<object data="a.png" title="Ward map"></object>"#
            ),
            0
        );
    }

    #[test]
    fn fails_area_without_alt() {
        assert_eq!(
            fails(
                &AREA_ALT,
                r##"<map name="m"><area href="/a" shape="rect" coords="0,0,1,1"></map>"##
            ),
            1
        );
        assert_eq!(
            fails(
                &AREA_ALT,
                r##"<map name="m"><area href="/a" alt="Bins"></map>"##
            ),
            0
        );
    }

    #[test]
    fn fails_filename_alt() {
        assert_eq!(
            fails(
                &ALT_FILENAME,
                r#"<img src="/x/IMG_0042.jpg" alt="IMG_0042.jpg">"#
            ),
            1
        );
        assert_eq!(
            fails(
                &ALT_FILENAME,
                r#"<img src="/x/IMG_0042.jpg" alt="Town hall">"#
            ),
            0
        );
    }

    #[test]
    fn fails_decorative_image_made_focusable() {
        assert_eq!(
            fails(
                &PRESENTATION_EXPOSED,
                r#"<img alt="" src="a.png" tabindex="0">"#
            ),
            1
        );
        assert_eq!(
            fails(&PRESENTATION_EXPOSED, r#"<img alt="" src="a.png">"#),
            0
        );
        assert_eq!(fails(&ROLE_IMG_ALT, r#"<div role="img"></div>"#), 1);
        assert_eq!(
            fails(
                &ROLE_IMG_ALT,
                r#"<div role="img" aria-label="Chart"></div>"#
            ),
            0
        );
        assert_eq!(
            fails(
                &SERVER_SIDE_IMAGE_MAP,
                r#"<a href="/m"><img src="m.png" alt="Map" ismap></a>"#
            ),
            1
        );
    }
}
