//! WAI-ARIA 1.2 data shared by the rules: roles, states and properties, their value types, which
//! roles support, require or prohibit which attributes, and the required context and owned
//! elements. Transcribed from WAI-ARIA 1.2 (W3C Recommendation, 6 June 2023) §5.4 and §6.6, plus
//! the DPUB-ARIA 1.0 and Graphics-ARIA 1.0 role lists.
//!
//! This module holds data and lookups only; the rules that use it live in `aria_rules.rs`.

/// Non-abstract roles of WAI-ARIA 1.2, DPUB-ARIA 1.0 and Graphics-ARIA 1.0.
const ROLES: &[&str] = &[
    "alert",
    "alertdialog",
    "application",
    "article",
    "banner",
    "blockquote",
    "button",
    "caption",
    "cell",
    "checkbox",
    "code",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "definition",
    "deletion",
    "dialog",
    "directory",
    "document",
    "emphasis",
    "feed",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "insertion",
    "link",
    "list",
    "listbox",
    "listitem",
    "log",
    "main",
    "mark",
    "marquee",
    "math",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "navigation",
    "none",
    "note",
    "option",
    "paragraph",
    "presentation",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "strong",
    "subscript",
    "superscript",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "term",
    "textbox",
    "time",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treegrid",
    "treeitem",
    "doc-abstract",
    "doc-acknowledgments",
    "doc-afterword",
    "doc-appendix",
    "doc-backlink",
    "doc-biblioentry",
    "doc-bibliography",
    "doc-biblioref",
    "doc-chapter",
    "doc-colophon",
    "doc-conclusion",
    "doc-cover",
    "doc-credit",
    "doc-credits",
    "doc-dedication",
    "doc-endnote",
    "doc-endnotes",
    "doc-epigraph",
    "doc-epilogue",
    "doc-errata",
    "doc-example",
    "doc-footnote",
    "doc-foreword",
    "doc-glossary",
    "doc-glossref",
    "doc-index",
    "doc-introduction",
    "doc-noteref",
    "doc-notice",
    "doc-pagebreak",
    "doc-pagefooter",
    "doc-pageheader",
    "doc-pagelist",
    "doc-part",
    "doc-preface",
    "doc-prologue",
    "doc-pullquote",
    "doc-qna",
    "doc-subtitle",
    "doc-tip",
    "doc-toc",
    "graphics-document",
    "graphics-object",
    "graphics-symbol",
];

/// The role as a static string when `token` is a known non-abstract role (case-insensitive).
pub fn known_role(token: &str) -> Option<&'static str> {
    ROLES
        .iter()
        .copied()
        .find(|r| r.eq_ignore_ascii_case(token))
}

/// The value type of an ARIA attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `true` or `false`.
    TrueFalse,
    /// `true`, `false` or `undefined`.
    TrueFalseUndefined,
    /// `true`, `false` or `mixed`.
    Tristate,
    /// One id.
    IdRef,
    /// Ids separated by spaces.
    IdRefs,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// Any string.
    Text,
    /// One of the listed tokens.
    Token(&'static [&'static str]),
    /// Any of the listed tokens, space separated.
    Tokens(&'static [&'static str]),
}

/// Every ARIA 1.2 state and property with its value type and whether it is global. The
/// properties deprecated as globals in 1.2 (`aria-disabled`, `aria-errormessage`,
/// `aria-haspopup`, `aria-invalid`) are still global there, so they count as such.
const ATTRS: &[(&str, ValueType, bool)] = {
    use ValueType::*;
    &[
        ("aria-activedescendant", IdRef, false),
        ("aria-atomic", TrueFalse, true),
        (
            "aria-autocomplete",
            Token(&["inline", "list", "both", "none"]),
            false,
        ),
        ("aria-braillelabel", Text, true),
        ("aria-brailleroledescription", Text, true),
        ("aria-busy", TrueFalse, true),
        ("aria-checked", Tristate, false),
        ("aria-colcount", Integer, false),
        ("aria-colindex", Integer, false),
        ("aria-colindextext", Text, false),
        ("aria-colspan", Integer, false),
        ("aria-controls", IdRefs, true),
        (
            "aria-current",
            Token(&["page", "step", "location", "date", "time", "true", "false"]),
            true,
        ),
        ("aria-describedby", IdRefs, true),
        ("aria-description", Text, true),
        ("aria-details", IdRefs, true),
        ("aria-disabled", TrueFalse, true),
        (
            "aria-dropeffect",
            Tokens(&["copy", "execute", "link", "move", "none", "popup"]),
            true,
        ),
        ("aria-errormessage", IdRefs, true),
        ("aria-expanded", TrueFalseUndefined, false),
        ("aria-flowto", IdRefs, true),
        ("aria-grabbed", TrueFalseUndefined, true),
        (
            "aria-haspopup",
            Token(&["false", "true", "menu", "listbox", "tree", "grid", "dialog"]),
            true,
        ),
        ("aria-hidden", TrueFalseUndefined, true),
        (
            "aria-invalid",
            Token(&["grammar", "false", "spelling", "true"]),
            true,
        ),
        ("aria-keyshortcuts", Text, true),
        ("aria-label", Text, true),
        ("aria-labelledby", IdRefs, true),
        ("aria-level", Integer, false),
        ("aria-live", Token(&["assertive", "off", "polite"]), true),
        ("aria-modal", TrueFalse, false),
        ("aria-multiline", TrueFalse, false),
        ("aria-multiselectable", TrueFalse, false),
        (
            "aria-orientation",
            Token(&["horizontal", "undefined", "vertical"]),
            false,
        ),
        ("aria-owns", IdRefs, true),
        ("aria-placeholder", Text, false),
        ("aria-posinset", Integer, false),
        ("aria-pressed", Tristate, false),
        ("aria-readonly", TrueFalse, false),
        (
            "aria-relevant",
            Tokens(&["additions", "all", "removals", "text"]),
            true,
        ),
        ("aria-required", TrueFalse, false),
        ("aria-roledescription", Text, true),
        ("aria-rowcount", Integer, false),
        ("aria-rowindex", Integer, false),
        ("aria-rowindextext", Text, false),
        ("aria-rowspan", Integer, false),
        ("aria-selected", TrueFalseUndefined, false),
        ("aria-setsize", Integer, false),
        (
            "aria-sort",
            Token(&["ascending", "descending", "none", "other"]),
            false,
        ),
        ("aria-valuemax", Number, false),
        ("aria-valuemin", Number, false),
        ("aria-valuenow", Number, false),
        ("aria-valuetext", Text, false),
    ]
};

/// The value type and globality of a defined ARIA attribute (`None` when it is not defined).
pub fn attr_info(name: &str) -> Option<(ValueType, bool)> {
    ATTRS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, g)| (*t, *g))
}

/// Whether `value` is valid for an attribute of type `t` (empty values are the caller's concern).
pub fn value_valid(t: ValueType, value: &str) -> bool {
    let v = value.trim();
    let is = |opts: &[&str]| opts.iter().any(|o| o.eq_ignore_ascii_case(v));
    match t {
        ValueType::TrueFalse => is(&["true", "false"]),
        ValueType::TrueFalseUndefined => is(&["true", "false", "undefined"]),
        ValueType::Tristate => is(&["true", "false", "mixed"]),
        // WAI-ARIA leaves dangling id references to the author; ACT 6a7281 accepts any value.
        ValueType::IdRef | ValueType::IdRefs | ValueType::Text => true,
        ValueType::Integer => v.parse::<i64>().is_ok(),
        ValueType::Number => v.parse::<f64>().is_ok_and(f64::is_finite),
        ValueType::Token(opts) => opts.iter().any(|o| o.eq_ignore_ascii_case(v)),
        ValueType::Tokens(opts) => {
            !v.is_empty()
                && v.split_ascii_whitespace()
                    .all(|t| opts.iter().any(|o| o.eq_ignore_ascii_case(t)))
        }
    }
}

const VALUE_RANGE: &[&str] = &[
    "aria-valuemax",
    "aria-valuemin",
    "aria-valuenow",
    "aria-valuetext",
];
const CELL: &[&str] = &[
    "aria-colindex",
    "aria-colindextext",
    "aria-colspan",
    "aria-rowindex",
    "aria-rowindextext",
    "aria-rowspan",
];

/// The non-global states and properties a role supports (including inherited ones). `None` for
/// roles this table does not know, so callers can stay silent rather than guess.
pub fn supported(role: &str) -> Option<Vec<&'static str>> {
    let mut v: Vec<&'static str> = Vec::new();
    let mut add = |xs: &[&'static str]| v.extend_from_slice(xs);
    match role {
        "alertdialog" | "dialog" => add(&["aria-modal"]),
        "application" => add(&["aria-activedescendant", "aria-expanded"]),
        "article" => add(&["aria-posinset", "aria-setsize"]),
        "button" => add(&["aria-expanded", "aria-pressed"]),
        "cell" => add(CELL),
        "checkbox" | "switch" => add(&[
            "aria-checked",
            "aria-expanded",
            "aria-readonly",
            "aria-required",
        ]),
        "columnheader" | "rowheader" | "gridcell" => {
            add(CELL);
            add(&[
                "aria-expanded",
                "aria-readonly",
                "aria-required",
                "aria-selected",
                "aria-sort",
            ]);
        }
        "combobox" => add(&[
            "aria-activedescendant",
            "aria-autocomplete",
            "aria-expanded",
            "aria-readonly",
            "aria-required",
        ]),
        "document" | "link" | "group" | "region" | "navigation" | "tabpanel" => {
            add(&["aria-expanded", "aria-activedescendant"])
        }
        "grid" | "treegrid" | "table" => add(&[
            "aria-activedescendant",
            "aria-colcount",
            "aria-multiselectable",
            "aria-readonly",
            "aria-rowcount",
            "aria-expanded",
            "aria-orientation",
            "aria-required",
        ]),
        "heading" => add(&["aria-level"]),
        "listbox" => add(&[
            "aria-activedescendant",
            "aria-expanded",
            "aria-multiselectable",
            "aria-orientation",
            "aria-readonly",
            "aria-required",
        ]),
        "listitem" => add(&[
            "aria-level",
            "aria-posinset",
            "aria-setsize",
            "aria-expanded",
        ]),
        "menu" | "menubar" | "toolbar" | "tablist" | "radiogroup" | "tree" => add(&[
            "aria-activedescendant",
            "aria-orientation",
            "aria-multiselectable",
            "aria-readonly",
            "aria-required",
            "aria-expanded",
        ]),
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => add(&[
            "aria-expanded",
            "aria-posinset",
            "aria-setsize",
            "aria-checked",
        ]),
        "meter" | "progressbar" => add(VALUE_RANGE),
        "option" | "treeitem" => add(&[
            "aria-checked",
            "aria-posinset",
            "aria-selected",
            "aria-setsize",
            "aria-expanded",
            "aria-level",
        ]),
        "radio" => add(&["aria-checked", "aria-posinset", "aria-setsize"]),
        "row" => {
            add(CELL);
            add(&[
                "aria-activedescendant",
                "aria-expanded",
                "aria-level",
                "aria-posinset",
                "aria-selected",
                "aria-setsize",
            ]);
        }
        "scrollbar" | "separator" | "slider" => {
            add(VALUE_RANGE);
            add(&["aria-orientation", "aria-readonly"]);
        }
        "spinbutton" => {
            add(VALUE_RANGE);
            add(&["aria-readonly", "aria-required", "aria-activedescendant"]);
        }
        "tab" => add(&[
            "aria-expanded",
            "aria-posinset",
            "aria-selected",
            "aria-setsize",
        ]),
        "textbox" | "searchbox" => add(&[
            "aria-activedescendant",
            "aria-autocomplete",
            "aria-multiline",
            "aria-placeholder",
            "aria-readonly",
            "aria-required",
        ]),
        "alert" | "banner" | "blockquote" | "caption" | "code" | "complementary"
        | "contentinfo" | "definition" | "deletion" | "emphasis" | "feed" | "figure" | "form"
        | "generic" | "img" | "insertion" | "list" | "log" | "main" | "mark" | "marquee"
        | "math" | "note" | "paragraph" | "search" | "status" | "strong" | "subscript"
        | "superscript" | "term" | "time" | "timer" | "tooltip" => {}
        _ => return None,
    }
    Some(v)
}

/// States and properties a role requires (WAI-ARIA 1.2 "Required States and Properties").
/// ACT 4e8ab6 follows the 1.2 table, including `aria-level` on `heading`.
pub fn required(role: &str) -> &'static [&'static str] {
    match role {
        "checkbox" | "menuitemcheckbox" | "menuitemradio" | "radio" | "switch" => &["aria-checked"],
        "combobox" => &["aria-expanded"],
        "heading" => &["aria-level"],
        "meter" | "slider" => &["aria-valuenow"],
        "scrollbar" => &["aria-controls", "aria-valuenow"],
        _ => &[],
    }
}

/// Roles on which `aria-label` and `aria-labelledby` are prohibited (WAI-ARIA 1.2).
pub fn naming_prohibited(role: &str) -> bool {
    matches!(
        role,
        "caption"
            | "code"
            | "deletion"
            | "emphasis"
            | "generic"
            | "insertion"
            | "paragraph"
            | "presentation"
            | "none"
            | "strong"
            | "subscript"
            | "superscript"
    )
}

/// The roles an element of `role` must sit inside (WAI-ARIA 1.2 "Required Context Role").
pub fn required_context(role: &str) -> &'static [&'static str] {
    match role {
        "caption" => &["figure", "grid", "table", "treegrid"],
        "cell" => &["row"],
        "columnheader" | "gridcell" | "rowheader" => &["row"],
        "listitem" => &["list", "directory"],
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => &["group", "menu", "menubar"],
        "option" => &["group", "listbox"],
        "row" => &["grid", "rowgroup", "table", "treegrid"],
        "rowgroup" => &["grid", "table", "treegrid"],
        "tab" => &["tablist"],
        "treeitem" => &["group", "tree"],
        _ => &[],
    }
}

/// The roles an element of `role` may own (WAI-ARIA 1.2 "Required Owned Elements"); `None` when
/// the role has no such requirement.
pub fn required_owned(role: &str) -> Option<&'static [&'static str]> {
    Some(match role {
        "feed" => &["article"],
        "grid" | "table" | "treegrid" => &["caption", "row", "rowgroup"],
        "list" | "directory" => &["listitem"],
        "listbox" => &["group", "option"],
        "menu" | "menubar" => &[
            "group",
            "menuitem",
            "menuitemcheckbox",
            "menuitemradio",
            "separator",
        ],
        "radiogroup" => &["radio"],
        "row" => &["cell", "columnheader", "gridcell", "rowheader"],
        "rowgroup" => &["row"],
        "tablist" => &["tab"],
        "tree" => &["group", "treeitem"],
        _ => return None,
    })
}

/// The roles a `group` owned by an element of `role` may own: WAI-ARIA 1.2 writes them with an
/// arrow in the container's required owned elements (`menu` requires `group → menuitem`, and
/// so on). A group in such a group is held to the same list, as ACT bc4a75's examples hold
/// it (nested groups are allowed, what they own is not free). `None` when the role owns no
/// groups this way (a `group` is then only checked by what the role itself allows).
pub fn group_owned(role: &str) -> Option<&'static [&'static str]> {
    // For each of these the group's list is the container's own (`listbox` requires
    // `group → option`, `tree` `group → treeitem`, and a menu's separators are allowed in its
    // groups too), so it is read from there.
    matches!(role, "listbox" | "menu" | "menubar" | "tree")
        .then(|| required_owned(role))
        .flatten()
}

/// Roles whose children are presentational (WAI-ARIA 1.2 "Children Presentational: True").
pub fn children_presentational(role: &str) -> bool {
    matches!(
        role,
        "button"
            | "checkbox"
            | "img"
            | "menuitemcheckbox"
            | "menuitemradio"
            | "meter"
            | "option"
            | "progressbar"
            | "radio"
            | "scrollbar"
            | "separator"
            | "slider"
            | "switch"
            | "tab"
            | "graphics-symbol"
    )
}

/// Roles that take their name from their content (accname 1.2 step 2F).
pub fn name_from_content(role: &str) -> bool {
    matches!(
        role,
        "button"
            | "cell"
            | "checkbox"
            | "columnheader"
            | "gridcell"
            | "heading"
            | "link"
            | "menuitem"
            | "menuitemcheckbox"
            | "menuitemradio"
            | "option"
            | "radio"
            | "row"
            | "rowheader"
            | "switch"
            | "tab"
            | "tooltip"
            | "treeitem"
            | "doc-backlink"
            | "doc-biblioref"
            | "doc-glossref"
            | "doc-noteref"
            | "caption"
            | "code"
            | "deletion"
            | "emphasis"
            | "insertion"
            | "mark"
            | "strong"
            | "subscript"
            | "superscript"
            | "term"
            | "time"
            | "definition"
    )
}

/// Interactive widget roles (for nested-interactive and focus checks).
pub fn is_widget(role: &str) -> bool {
    matches!(
        role,
        "button"
            | "checkbox"
            | "combobox"
            | "gridcell"
            | "link"
            | "listbox"
            | "menuitem"
            | "menuitemcheckbox"
            | "menuitemradio"
            | "option"
            | "radio"
            | "scrollbar"
            | "searchbox"
            | "slider"
            | "spinbutton"
            | "switch"
            | "tab"
            | "textbox"
            | "treeitem"
    )
}
