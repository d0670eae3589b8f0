//! The accessibility barriers the generator plants, and the civicscan rule id that should report
//! each one. This table is the one place to adjust when the accessibility rules are renamed.

use serde::{Deserialize, Serialize};

/// A kind of accessibility barrier planted on a demo page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Barrier {
    /// An informative image with no `alt`.
    ImageAlt,
    /// A form field with no label of any kind.
    Label,
    /// A link with no text (an icon link).
    LinkName,
    /// A button with no text.
    ButtonName,
    /// `<html>` without `lang`.
    HtmlLang,
    /// `<html lang>` with a value that is not a language tag.
    HtmlLangValid,
    /// An empty `<title>`.
    DocumentTitle,
    /// A heading level skipped (h1 then h4).
    HeadingOrder,
    /// A heading with no text.
    EmptyHeading,
    /// Text whose inline colours fail 4.5:1.
    ColorContrast,
    /// A viewport that blocks zooming.
    MetaViewport,
    /// A positive `tabindex`.
    Tabindex,
    /// A `role` that is not an ARIA role.
    AriaRoles,
    /// A video that plays with sound on load.
    AutoplayAudio,
    /// A timed `<meta http-equiv=refresh>`.
    MetaRefresh,
    /// Two elements with the same `id`.
    DuplicateId,
    /// Link text that says nothing out of context ("click here").
    LinkPurpose,
    /// A link to a PDF that does not say it is a PDF.
    PdfLinkFormat,
    /// An `<iframe>` without a title.
    FrameTitle,
    /// An image button without alt text.
    InputImageAlt,
    /// A `<select>` with no label.
    SelectName,
    /// Scrolling `<marquee>` text.
    Marquee,
    /// No `<main>` landmark and no skip link (an old template without landmarks). The content
    /// still starts with its `<h1>`, which meets WCAG 2.4.1 (technique H69, ACT cf77f2), so
    /// this is the best-practice `landmark-one-main` finding, not a `bypass` failure.
    Bypass,
    /// A widget whose script keeps keyboard focus inside it (Tab and Shift+Tab go round its
    /// own controls, Escape does nothing). Only a browser sees it; only the scripted council
    /// ([`super::scripted`]) has it.
    KeyboardTrap,
}

/// Every barrier with the rule id expected to report it. Adjust the ids here to follow the
/// accessibility rules (axe-core's ids where axe has the rule).
pub const RULE_IDS: &[(Barrier, &str)] = &[
    (Barrier::ImageAlt, "image-alt"),
    (Barrier::Label, "label"),
    (Barrier::LinkName, "link-name"),
    (Barrier::ButtonName, "button-name"),
    (Barrier::HtmlLang, "html-has-lang"),
    (Barrier::HtmlLangValid, "html-lang-valid"),
    (Barrier::DocumentTitle, "document-title"),
    (Barrier::HeadingOrder, "heading-order"),
    (Barrier::EmptyHeading, "empty-heading"),
    (Barrier::ColorContrast, "color-contrast"),
    (Barrier::MetaViewport, "meta-viewport"),
    (Barrier::Tabindex, "tabindex"),
    (Barrier::AriaRoles, "aria-roles"),
    (Barrier::AutoplayAudio, "no-autoplay-audio"),
    (Barrier::MetaRefresh, "meta-refresh"),
    (Barrier::DuplicateId, "duplicate-id"),
    (Barrier::LinkPurpose, "link-text-vague"),
    (Barrier::PdfLinkFormat, "link-document-format"),
    (Barrier::FrameTitle, "frame-title"),
    (Barrier::InputImageAlt, "input-image-alt"),
    (Barrier::SelectName, "select-name"),
    (Barrier::Marquee, "marquee"),
    (Barrier::Bypass, "landmark-one-main"),
];

/// Barriers only a page rendered in a browser shows, with their rule ids. The generator never
/// draws these (so adding one changes no generated council); the scripted council plants them.
pub const RENDERED_RULE_IDS: &[(Barrier, &str)] = &[(Barrier::KeyboardTrap, "keyboard-trap")];

impl Barrier {
    /// Every barrier kind the generator plants in the HTML as served.
    pub fn all() -> impl Iterator<Item = Barrier> {
        RULE_IDS.iter().map(|(b, _)| *b)
    }

    /// The civicscan accessibility rule id expected to report this barrier.
    pub fn rule_id(self) -> &'static str {
        RULE_IDS
            .iter()
            .chain(RENDERED_RULE_IDS)
            .find(|(b, _)| *b == self)
            .map_or("unknown", |(_, id)| id)
    }

    /// Whether the page template applies the barrier (in `<head>`, on `<html>`, or in the page
    /// frame) rather than a snippet planted in the content.
    pub fn by_template(self) -> bool {
        matches!(
            self,
            Barrier::HtmlLang
                | Barrier::HtmlLangValid
                | Barrier::DocumentTitle
                | Barrier::MetaViewport
                | Barrier::MetaRefresh
                | Barrier::Bypass
        )
    }

    /// The HTML planted in the body for a body barrier; `n` varies ids and file names.
    /// Template barriers return `None`: the page template applies them.
    pub fn body_snippet(self, n: usize) -> Option<String> {
        let s = match self {
            Barrier::ImageAlt => {
                format!("<p><img src=\"/images/photo-{n}.jpg\" width=\"600\" height=\"300\"></p>")
            }
            Barrier::Label => format!(
                "<form class=\"feedback\" action=\"/feedback\" method=\"post\">\
                 <p>Was this page useful?</p><input type=\"text\" name=\"page-feedback-{n}\">\
                 <button type=\"submit\">Send feedback</button></form>"
            ),
            Barrier::LinkName => {
                "<p class=\"share\"><a href=\"/share\"><span class=\"icon icon-share\"></span></a></p>"
                    .to_string()
            }
            Barrier::ButtonName => {
                "<p><button type=\"button\" class=\"print-button\"><span class=\"icon-print\"></span></button></p>"
                    .to_string()
            }
            Barrier::HeadingOrder => {
                "<h4>Related information</h4><p>See the other pages in this section.</p>".to_string()
            }
            Barrier::EmptyHeading => "<h2></h2>".to_string(),
            Barrier::ColorContrast => "<p style=\"color:#b4b4b4;background-color:#ffffff\">Opening hours may vary on bank holidays.</p>".to_string(),
            Barrier::Tabindex => {
                "<p><a href=\"/contact-us\" tabindex=\"3\">Contact the team</a></p>".to_string()
            }
            Barrier::AriaRoles => {
                "<div role=\"sidebar-box\"><p>Need help? Visit one of our customer service centres.</p></div>"
                    .to_string()
            }
            Barrier::AutoplayAudio => format!(
                "<video src=\"/media/welcome-{n}.mp4\" autoplay controls width=\"400\"></video>"
            ),
            Barrier::DuplicateId => {
                "<div id=\"content-block\"><p>Information on this page is reviewed regularly.</p></div>\
                 <div id=\"content-block\"><p>Tell us if anything is wrong.</p></div>"
                    .to_string()
            }
            Barrier::LinkPurpose => {
                "<p>For more information <a href=\"/contact-us\">click here</a>.</p>".to_string()
            }
            Barrier::PdfLinkFormat => format!(
                "<p><a href=\"/documents/guidance-notes-{n}.pdf\">Guidance notes</a></p>"
            ),
            Barrier::FrameTitle => {
                "<iframe src=\"/embed/feedback\" width=\"300\" height=\"120\"></iframe>".to_string()
            }
            Barrier::InputImageAlt => {
                "<form action=\"/feedback\" method=\"post\"><label for=\"rate\">Rate this page</label> \
                 <input id=\"rate\" type=\"text\" name=\"rate\"> <input type=\"image\" src=\"/images/go.png\"></form>"
                    .to_string()
            }
            Barrier::SelectName => {
                "<form action=\"/translate\" method=\"get\"><select name=\"lang\"><option>English</option>\
                 <option>Cymraeg</option><option>Polski</option></select> <button type=\"submit\">Translate</button></form>"
                    .to_string()
            }
            Barrier::Marquee => {
                "<marquee>Christmas opening hours are now available</marquee>".to_string()
            }
            Barrier::KeyboardTrap => keyboard_trap(n),
            Barrier::HtmlLang
            | Barrier::HtmlLangValid
            | Barrier::DocumentTitle
            | Barrier::MetaViewport
            | Barrier::MetaRefresh
            | Barrier::Bypass => return None,
        };
        Some(s)
    }
}

/// A web-chat box whose script sends Tab from its last control back to its first and Shift+Tab
/// from its first to its last, so keyboard focus that enters it cannot leave (WCAG 2.1.2).
fn keyboard_trap(n: usize) -> String {
    format!(
        r#"<section class="webchat" aria-labelledby="webchat-title-{n}">
<h2 id="webchat-title-{n}">Ask us a question</h2>
<label for="webchat-message-{n}">Your question</label>
<textarea id="webchat-message-{n}" rows="3" cols="40"></textarea>
<button type="button" id="webchat-send-{n}">Send</button>
<script>
(function () {{
  var box = document.getElementById('webchat-message-{n}');
  var send = document.getElementById('webchat-send-{n}');
  box.addEventListener('keydown', function (e) {{
    if (e.key === 'Tab') {{ e.preventDefault(); send.focus(); }}
  }});
  send.addEventListener('keydown', function (e) {{
    if (e.key === 'Tab') {{ e.preventDefault(); box.focus(); }}
  }});
}})();
</script>
</section>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_barrier_has_one_rule_id() {
        let mut ids: Vec<&str> = Barrier::all().map(Barrier::rule_id).collect();
        assert!(!ids.contains(&"unknown"));
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "rule ids must be distinct");
    }

    #[test]
    fn rendered_barriers_have_rule_ids_and_markup_but_are_never_drawn() {
        for (b, id) in RENDERED_RULE_IDS {
            assert_eq!(b.rule_id(), *id);
            assert!(b.body_snippet(1).is_some());
            assert!(!Barrier::all().any(|x| x == *b), "{b:?} is not drawn");
        }
    }

    #[test]
    fn body_barriers_have_markup_and_head_barriers_do_not() {
        for b in Barrier::all() {
            assert_eq!(b.body_snippet(1).is_none(), b.by_template(), "{b:?}");
        }
    }
}
