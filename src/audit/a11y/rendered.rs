//! Rendered checks: findings from measurements of a page in a browser (the render stage
//! takes them; see `crate::render`). They decide what the markup cannot: whether keyboard
//! focus shows (WCAG 2.4.7, ACT oj04fd), whether focus can leave every part of the page
//! (2.1.2), whether text survives the spacing of 1.4.12 and a 320 CSS px viewport (1.4.10),
//! whether small targets sit too close together (2.5.8) and whether scrolling boxes can be
//! reached by keyboard (2.1.1, ACT 0ssw9k). Each reports `failed` only when the measurement
//! leaves no doubt, and `cantTell` where a person must look (a trap whose way out the page may
//! explain, a text field whose only focus sign may be its caret).

use serde::{Deserialize, Serialize};

use super::{Finding, Impact, Outcome, RuleInfo};

/// One stop of the keyboard walk: the element that held focus after a Tab press.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FocusStop {
    /// A selector for the element (`None`: focus went back to the document).
    pub key: Option<String>,
    /// Its start tag.
    #[serde(default)]
    pub snippet: String,
    /// Its tag name.
    #[serde(default)]
    pub tag: String,
    /// Whether it has a box on screen.
    #[serde(default)]
    pub rendered: bool,
    /// Whether its style (or its parents', children's or pseudo-elements') differs with focus.
    #[serde(default)]
    pub style_changed: bool,
    /// Whether removing and restoring focus worked (so the comparison is sound).
    #[serde(default)]
    pub restored: bool,
    /// Whether it sits inside `aria-hidden="true"`.
    #[serde(default)]
    pub aria_hidden: bool,
    /// What differed.
    #[serde(default)]
    pub diff: String,
    /// Whether the screen looked any different with focus than without (compared only when
    /// no style changed).
    #[serde(default)]
    pub screen_changed: Option<bool>,
}

impl FocusStop {
    /// Whether the element holds a document of its own (see [`FRAMES`]): while focus is inside
    /// it, every Tab press lands in that document, not this one.
    pub fn in_frame(&self) -> bool {
        FRAMES.contains(&self.tag.as_str())
    }
}

/// An element a measurement points at.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Item {
    /// A selector for it.
    pub selector: String,
    /// Its start tag.
    pub snippet: String,
    /// What was found.
    #[serde(default)]
    pub message: String,
    /// Whether the measurement leaves it to a person (a target by its ARIA role alone, which
    /// may take no click).
    #[serde(default)]
    pub unsure: bool,
}

/// The page at 320 CSS px wide.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reflow {
    /// Whether the page is wider than the viewport.
    pub overflow: bool,
    /// Text that reaches past the right edge outside the criterion's exceptions.
    pub culprits: Vec<Item>,
    /// Text past the edge inside an exception (table, image, code…) or a clipping box.
    pub excepted: u32,
    /// The page's width.
    #[serde(default)]
    pub scroll_width: f64,
}

/// A scrolling box.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scrollable {
    /// A selector for it.
    pub selector: String,
    /// Its start tag.
    pub snippet: String,
    /// Whether it or something in it can take keyboard focus.
    pub focusable: bool,
    /// Whether it sits inside `aria-hidden="true"`.
    pub aria_hidden: bool,
}

/// What the render stage measured on a page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Measurements {
    /// The keyboard walk, in order.
    pub stops: Vec<FocusStop>,
    /// Whether the walk came back to where it started (or to the document) within its limit.
    pub walk_complete: bool,
    /// Elements keyboard focus cycles among without a way out (Tab, Shift+Tab or Escape), when
    /// the walk found such a cycle and other elements were left unreachable.
    pub trap: Vec<String>,
    /// The tabbable, rendered elements of the page.
    pub tabbables: Vec<String>,
    /// Whether the page's text mentions keys (a trap may be allowed when its exit is explained).
    pub mentions_keys: bool,
    /// Whether the page's scripts listen for focus, blur or key events.
    pub focus_listeners: bool,
    /// Undersized targets too close to others (WCAG 2.5.8).
    pub target_size: Vec<Item>,
    /// Boxes that cut text off under WCAG 1.4.12's spacing.
    pub text_spacing: Vec<Item>,
    /// The page at 320 CSS px.
    pub reflow: Reflow,
    /// Scrolling boxes.
    pub scrollables: Vec<Scrollable>,
}

/// Focus shows on screen (WCAG 2.4.7).
pub static FOCUS_VISIBLE: RuleInfo = RuleInfo {
    id: "focus-visible",
    title: "Keyboard focus is visible",
    wcag: &["2.4.7"],
    act: &["oj04fd"],
    impact: Impact::Serious,
    advice: "Give every focusable element a visible focus style (keep the browser's outline, or a clear border, box-shadow or underline on :focus-visible).",
    best_practice: false,
};

/// Focus can always move on (WCAG 2.1.2).
pub static KEYBOARD_TRAP: RuleInfo = RuleInfo {
    id: "keyboard-trap",
    title: "Keyboard focus is never trapped",
    wcag: &["2.1.2"],
    act: &[],
    impact: Impact::Critical,
    advice: "Let Tab and Shift+Tab move focus out of every component (or Escape close it), and do not send focus back into it from script.",
    best_practice: false,
};

/// Text survives the spacing of WCAG 1.4.12.
pub static TEXT_SPACING: RuleInfo = RuleInfo {
    id: "text-spacing-clipped",
    title: "Text is not cut off when its spacing is increased",
    wcag: &["1.4.12"],
    act: &[],
    impact: Impact::Serious,
    advice: "Let boxes holding text grow with it: avoid fixed heights with overflow hidden on text containers.",
    best_practice: false,
};

/// Content reflows at 320 CSS px (WCAG 1.4.10).
pub static REFLOW: RuleInfo = RuleInfo {
    id: "reflow",
    title: "Content reflows at 320 CSS pixels without horizontal scrolling",
    wcag: &["1.4.10"],
    act: &[],
    impact: Impact::Serious,
    advice: "Use a responsive layout: no fixed widths or minimum widths wider than the screen on text blocks; let long words wrap.",
    best_practice: false,
};

/// Targets are big enough or far enough apart (WCAG 2.5.8).
pub static TARGET_SIZE: RuleInfo = RuleInfo {
    id: "target-size",
    title: "Targets are at least 24 by 24 CSS pixels or spaced apart",
    wcag: &["2.5.8"],
    act: &[],
    impact: Impact::Serious,
    advice: "Make links and buttons at least 24×24 CSS px, or leave room so a 24 px circle on each does not touch another.",
    best_practice: false,
};

/// Scrolling boxes can be reached by keyboard (WCAG 2.1.1).
pub static SCROLLABLE_FOCUSABLE: RuleInfo = RuleInfo {
    id: "scrollable-region-focusable",
    title: "Scrollable regions can be reached by keyboard",
    wcag: &["2.1.1"],
    act: &["0ssw9k"],
    impact: Impact::Serious,
    advice: "Give a scrolling box tabindex=\"0\" (and a name), or put a focusable element inside it.",
    best_practice: false,
};

/// The rendered rules, for the registry.
pub static RENDERED_RULES: &[&RuleInfo] = &[
    &FOCUS_VISIBLE,
    &KEYBOARD_TRAP,
    &TEXT_SPACING,
    &REFLOW,
    &TARGET_SIZE,
    &SCROLLABLE_FOCUSABLE,
];

/// Elements whose focus may show only as a text caret.
const TEXT_ENTRY: &[&str] = &["input", "textarea"];

/// Elements holding a document of their own. While focus is inside one, the page sees the
/// frame itself as focused at every Tab press, and taking focus from the frame and giving it
/// back lands on the frame's document, not on the element inside, so neither the screen comparison nor the walk can judge what the
/// framed document shows or lets the keyboard do. (That document is audited as a page of its
/// own when it is in scope.)
const FRAMES: &[&str] = &["iframe", "frame", "object", "embed"];

fn finding(
    info: &RuleInfo,
    outcome: Outcome,
    selector: &str,
    snippet: &str,
    message: String,
) -> Finding {
    Finding {
        rule: info.id.to_string(),
        outcome,
        wcag: info.wcag.iter().map(|s| s.to_string()).collect(),
        act: info.act.iter().map(|s| s.to_string()).collect(),
        impact: info.impact,
        selector: selector.to_string(),
        snippet: snippet.to_string(),
        message,
        rendered: true,
    }
}

/// The findings the measurements decide, capped at `cap` a rule, each marked rendered.
pub fn findings(m: &Measurements, disabled: &[String], cap: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let on = |r: &RuleInfo| !disabled.iter().any(|d| d == r.id);
    let push = |out: &mut Vec<Finding>, f: Finding| {
        if out.iter().filter(|o: &&Finding| o.rule == f.rule).count() < cap {
            out.push(f);
        }
    };
    if on(&FOCUS_VISIBLE) {
        // An element reached more than once (focus going round, or Tab moving inside a frame)
        // is judged once.
        let mut judged: Vec<&str> = Vec::new();
        for s in &m.stops {
            let (Some(key), Some(false)) = (&s.key, s.screen_changed) else {
                continue;
            };
            if s.style_changed || !s.restored || !s.rendered || judged.contains(&key.as_str()) {
                continue;
            }
            judged.push(key);
            let (outcome, message) = if s.in_frame() {
                (
                    Outcome::CantTell,
                    "Focus went into this frame, whose own document shows (or hides) where focus is; the page around it cannot tell. Check the framed content with the keyboard.".to_string(),
                )
            } else if TEXT_ENTRY.contains(&s.tag.as_str()) {
                (
                    Outcome::CantTell,
                    "Focus on this field changes nothing but perhaps its text caret; check that focus can be seen.".to_string(),
                )
            } else {
                (
                    Outcome::Failed,
                    "Reached with Tab, this element looks exactly the same with focus as without: nothing on screen shows where focus is.".to_string(),
                )
            };
            push(
                &mut out,
                finding(&FOCUS_VISIBLE, outcome, key, &s.snippet, message),
            );
        }
    }
    if on(&KEYBOARD_TRAP) && !m.trap.is_empty() {
        let first = m.stops.iter().find(|s| s.key.as_ref() == m.trap.first());
        let in_frame = m.trap.iter().any(|k| {
            m.stops
                .iter()
                .any(|s| s.key.as_ref() == Some(k) && s.in_frame())
        });
        let (outcome, how) = if in_frame {
            (
                Outcome::CantTell,
                " Focus went into a frame, whose own document takes the keys while it holds focus: check with the keyboard whether focus can leave it.",
            )
        } else if m.mentions_keys {
            (
                Outcome::CantTell,
                " The page mentions keys: check whether it explains another way out.",
            )
        } else {
            (Outcome::Failed, "")
        };
        push(
            &mut out,
            finding(
                &KEYBOARD_TRAP,
                outcome,
                m.trap.first().map_or("", String::as_str),
                first.map_or("", |s| s.snippet.as_str()),
                format!(
                    "Keyboard focus goes round {} element(s) and cannot leave them with Tab, Shift+Tab or Escape; {} other element(s) of the page cannot be reached.{how}",
                    m.trap.len(),
                    m.tabbables.iter().filter(|t| !m.trap.contains(t)).count()
                ),
            ),
        );
    }
    if on(&TEXT_SPACING) {
        for i in &m.text_spacing {
            push(
                &mut out,
                finding(
                    &TEXT_SPACING,
                    Outcome::Failed,
                    &i.selector,
                    &i.snippet,
                    i.message.clone(),
                ),
            );
        }
    }
    if on(&REFLOW) && m.reflow.overflow && !m.reflow.culprits.is_empty() {
        for i in &m.reflow.culprits {
            push(
                &mut out,
                finding(
                    &REFLOW,
                    Outcome::Failed,
                    &i.selector,
                    &i.snippet,
                    format!(
                        "At 320 CSS px wide the page is {} px wide and this text runs past the right edge, so reading it means scrolling sideways.",
                        m.reflow.scroll_width.round()
                    ),
                ),
            );
        }
    }
    if on(&TARGET_SIZE) {
        for i in &m.target_size {
            let (outcome, message) = if i.unsure {
                (
                    Outcome::CantTell,
                    format!(
                        "{} One of the two is a target by its ARIA role alone (neither focusable nor a link or control), so whether it takes a pointer at all is not known: check it.",
                        i.message
                    ),
                )
            } else {
                (Outcome::Failed, i.message.clone())
            };
            push(
                &mut out,
                finding(&TARGET_SIZE, outcome, &i.selector, &i.snippet, message),
            );
        }
    }
    if on(&SCROLLABLE_FOCUSABLE) {
        for s in m
            .scrollables
            .iter()
            .filter(|s| !s.focusable && !s.aria_hidden)
        {
            push(
                &mut out,
                finding(
                    &SCROLLABLE_FOCUSABLE,
                    Outcome::Failed,
                    &s.selector,
                    &s.snippet,
                    "This box scrolls, but neither it nor anything in it can take keyboard focus, so a keyboard user cannot scroll it.".to_string(),
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(key: &str, tag: &str) -> FocusStop {
        FocusStop {
            key: Some(key.to_string()),
            tag: tag.to_string(),
            snippet: format!("<{tag}>"),
            rendered: true,
            restored: true,
            screen_changed: Some(false),
            ..FocusStop::default()
        }
    }

    /// A link, then four Tab presses inside the frame `frame` (each seen by the page as the
    /// frame itself).
    fn into_frame(frame: &str) -> Vec<FocusStop> {
        let mut stops = vec![stop("#a", "a")];
        stops.extend(std::iter::repeat_n(stop(frame, "iframe"), 4));
        stops
    }

    fn rule<'a>(fs: &'a [Finding], id: &str) -> Vec<&'a Finding> {
        fs.iter().filter(|f| f.rule == id).collect()
    }

    #[test]
    fn an_element_that_looks_the_same_with_focus_fails_once_however_often_it_is_reached() {
        let m = Measurements {
            stops: vec![stop("#a", "a"), stop("#b", "button"), stop("#a", "a")],
            ..Measurements::default()
        };
        let fs = findings(&m, &[], 50);
        let fv = rule(&fs, "focus-visible");
        assert_eq!(fv.len(), 2, "{fv:?}");
        assert!(fv.iter().all(|f| f.outcome == Outcome::Failed));
    }

    #[test]
    fn focus_inside_a_frame_is_not_judged_from_the_page_around_it() {
        // Every Tab inside the frame shows the page the frame itself as focused.
        let m = Measurements {
            stops: into_frame("#main > iframe:nth-of-type(1)"),
            ..Measurements::default()
        };
        let fs = findings(&m, &[], 50);
        let fv = rule(&fs, "focus-visible");
        assert_eq!(fv.len(), 2, "{fv:?}");
        let on_frame: Vec<_> = fv
            .iter()
            .filter(|f| f.selector.contains("iframe"))
            .collect();
        assert_eq!(on_frame.len(), 1);
        assert_eq!(on_frame[0].outcome, Outcome::CantTell);
    }

    #[test]
    fn a_cycle_through_a_frame_is_not_called_a_trap() {
        let m = Measurements {
            stops: into_frame("#f"),
            trap: vec!["#f".to_string()],
            tabbables: vec!["#a".to_string(), "#f".to_string()],
            ..Measurements::default()
        };
        let fs = findings(&m, &[], 50);
        let trap = rule(&fs, "keyboard-trap");
        assert_eq!(trap.len(), 1);
        assert_eq!(trap[0].outcome, Outcome::CantTell);

        let widget = stop("#w", "div");
        let m = Measurements {
            stops: vec![stop("#a", "a"), widget.clone(), widget.clone(), widget],
            trap: vec!["#w".to_string()],
            tabbables: vec!["#a".to_string(), "#w".to_string()],
            ..Measurements::default()
        };
        assert_eq!(
            rule(&findings(&m, &[], 50), "keyboard-trap")[0].outcome,
            Outcome::Failed
        );
    }
}
