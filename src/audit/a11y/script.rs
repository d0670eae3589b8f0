//! What a page's scripts may change, for the static audit: the HTML as served is not always
//! the page people get. The static audit cannot run script, so it says "cannot tell" where a
//! script visibly could change the verdict, and leaves the deciding to the render stage:
//!
//! - a failure on an element that a script acts on (its id named in an inline script or
//!   handler, or a focus or key handler on it, inside it or on an ancestor) becomes "cannot tell": the script
//!   may move focus away from it, hide it, or name it. Other handlers (a click that navigates)
//!   do not run until someone acts, and change nothing the rules read;
//! - a bypass-blocks failure on a page with a control whose handler names a navigation block
//!   by id becomes "cannot tell" (a toggle that hides it);
//! - a page that builds content into shadow roots or custom elements (`attachShadow`,
//!   `customElements.define`) hides that content from the HTML as served: every rule that found
//!   nothing on it says "cannot tell" once for the page.
//!
//! Scripts that only load others (analytics, a cookie banner from elsewhere) name nothing and
//! change no verdict: a page is not doubted merely for having script.

use std::collections::HashSet;

use scraper::Selector;

use super::{Finding, Outcome};
use crate::page::ParsedPage;

/// What the static audit can see of a page's scripts.
#[derive(Debug, Default)]
pub(crate) struct Scripts {
    /// The text of inline scripts and event-handler attributes.
    text: String,
    /// Ids of the page's elements that the script text names.
    named_ids: HashSet<String>,
    /// Whether a handler attribute names a navigation block of the page (a control that
    /// toggles it).
    handler_names_id: bool,
    /// Whether the page builds shadow DOM or custom elements.
    pub(crate) builds_shadow: bool,
}

impl Scripts {
    /// Reads the page's inline scripts and handler attributes.
    pub(crate) fn read(page: &ParsedPage) -> Scripts {
        let mut text = String::new();
        let mut handlers = String::new();
        let mut ids: Vec<&str> = Vec::new();
        let mut navs: Vec<&str> = Vec::new();
        for node in page.html.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if el.name() == "script" && el.attr("src").is_none() && is_js(el.attr("type")) {
                for t in node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| &**t))
                {
                    text.push_str(t);
                    text.push('\n');
                }
            }
            for (k, v) in el.attrs() {
                if k.len() > 2 && k.starts_with("on") {
                    text.push_str(v);
                    text.push('\n');
                    handlers.push_str(v);
                    handlers.push('\n');
                }
            }
            if let Some(id) = el.id().filter(|i| !i.trim().is_empty()) {
                ids.push(id);
                if el.name() == "nav" || el.attr("role") == Some("navigation") {
                    navs.push(id);
                }
            }
        }
        if text.is_empty() {
            return Scripts::default();
        }
        let names = |text: &str, id: &str| {
            ["'", "\"", "`"].iter().any(|q| {
                text.contains(&format!("{q}{id}{q}")) || text.contains(&format!("{q}#{id}"))
            })
        };
        let handler_names_id = navs.iter().any(|id| names(&handlers, id));
        let named_ids = ids
            .into_iter()
            .filter(|id| {
                ["'", "\"", "`"].iter().any(|q| {
                    text.contains(&format!("{q}{id}{q}")) || text.contains(&format!("{q}#{id}"))
                })
            })
            .map(str::to_string)
            .collect();
        let builds_shadow = text.contains("attachShadow") || text.contains("customElements.define");
        Scripts {
            text,
            named_ids,
            handler_names_id,
            builds_shadow,
        }
    }

    /// Whether there is any inline script or handler at all.
    fn any(&self) -> bool {
        !self.text.is_empty()
    }

    /// Whether a script acts on the element at `selector`: names its id or a descendant's, or
    /// handles focus or keys on it, inside it or on an ancestor.
    fn acts_on(&self, page: &ParsedPage, selector: &str, rule: &str) -> bool {
        let Ok(sel) = Selector::parse(selector) else {
            return false;
        };
        page.html.select(&sel).any(|el| {
            let named =
                |e: &scraper::node::Element| e.id().is_some_and(|id| self.named_ids.contains(id));
            let handles =
                |e: &scraper::node::Element| e.attrs().any(|(k, _)| FOCUS_HANDLERS.contains(&k));
            if named(el.value()) {
                return true;
            }
            // Rules about focusable content: focus handlers on it, or a script acting on what a
            // container holds.
            CONTAINER_RULES.contains(&rule)
                && el
                    .descendants()
                    .filter_map(|n| n.value().as_element())
                    .any(|e| named(e) || handles(e))
        })
    }

    /// Turns failures a script could undo into "cannot tell" (see the module doc).
    pub(crate) fn doubt(&self, page: &ParsedPage, findings: &mut [Finding]) {
        if !self.any() {
            return;
        }
        for f in findings
            .iter_mut()
            .filter(|f| f.outcome == Outcome::Failed && !READS_SCRIPT.contains(&f.rule.as_str()))
        {
            let doubtful = if f.selector.is_empty() {
                self.handler_names_id && PAGE_RULES.contains(&f.rule.as_str())
            } else {
                self.acts_on(page, &f.selector, &f.rule)
            };
            if doubtful {
                f.outcome = Outcome::CantTell;
                f.message.push_str(
                    " (A script on this page acts on this part of it, so only the rendered page can decide: see --render.)",
                );
            }
        }
    }
}

/// Rules whose verdict is about the script itself (a handler that blurs, a select that
/// navigates on change): the script they read is the failure.
const READS_SCRIPT: &[&str] = &["focus-blur", "select-onchange", "click-focusable"];

/// Rules about focusable content inside an element.
const CONTAINER_RULES: &[&str] = &["aria-hidden-focus", "presentational-children-focus"];

/// Page-level rules a control toggling part of the page can change.
const PAGE_RULES: &[&str] = &["bypass"];

/// Handlers that run when focus moves or keys are pressed.
const FOCUS_HANDLERS: &[&str] = &[
    "onfocus",
    "onblur",
    "onfocusin",
    "onfocusout",
    "onkeydown",
    "onkeyup",
    "onkeypress",
];

fn is_js(t: Option<&str>) -> bool {
    t.is_none_or(|t| {
        let t = t.trim().to_ascii_lowercase();
        t.is_empty() || t == "module" || t.contains("javascript") || t.contains("ecmascript")
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, settings};
    use super::super::{Outcome, SiteCss, audit_page};
    use crate::page::ParsedPage;

    fn outcomes(body: &str, rule: &str) -> Vec<Outcome> {
        let url = url::Url::parse("https://example.gov.uk/").expect("static url");
        let page = ParsedPage::parse(url, &doc(body));
        audit_page(&page, &SiteCss::empty(), &settings())
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.outcome)
            .collect()
    }

    #[test]
    fn a_failure_on_an_element_a_script_names_cannot_be_told() {
        let hidden = r#"<div aria-hidden="true"><a id="s" href="/">x</a></div>"#;
        assert_eq!(outcomes(hidden, "aria-hidden-focus"), [Outcome::Failed]);
        let moved = format!(
            "{hidden}<script>document.getElementById('s').addEventListener('focus', () => {{}})</script>"
        );
        assert_eq!(outcomes(&moved, "aria-hidden-focus"), [Outcome::CantTell]);
    }

    #[test]
    fn a_click_handler_or_a_script_that_names_nothing_changes_no_verdict() {
        let body = r#"<span role="lnik" onclick="location.href='/'">x</span><script src="/analytics.js"></script><script>window.dataLayer = [];</script>"#;
        assert_eq!(outcomes(body, "aria-roles"), [Outcome::Failed]);
    }

    #[test]
    fn content_built_into_shadow_roots_leaves_every_rule_unsure() {
        let body = r#"<p id="p"></p><script>document.getElementById('p').attachShadow({mode:'open'}).textContent = 'Hi'</script>"#;
        assert_eq!(outcomes(body, "image-alt"), [Outcome::CantTell]);
    }
}
