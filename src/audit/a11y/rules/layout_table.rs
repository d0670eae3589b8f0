//! Layout tables do not use data-table markup. WCAG 1.3.1 (Info and Relationships); failure
//! technique F46 (using `th`, `caption` or a non-empty `summary` in layout tables). No ACT
//! rule.
//!
//! A table is certainly layout when its author says so (`role="presentation"` or `"none"`) or
//! when it has a single cell, which holds no tabular data. Header cells, a caption or a
//! summary there tell screen reader users about a data table that is not there.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::{text_of, words};

/// `th`, `caption`, `summary` in a layout table.
pub static LAYOUT_TABLE: Rule = Rule {
    info: RuleInfo {
        id: "layout-table-semantics",
        title: "Layout tables have no header cells, caption or summary",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Moderate,
        advice: "In a table used for layout, change <th> to <td> and remove the <caption> and summary; for a heading, use <h2>–<h6> instead of a header cell.",
        best_practice: false,
    },
    check: |cx, out| {
        for &t in cx.tag("table") {
            let n = &cx.nodes[t];
            if n.not_rendered || n.aria_hidden {
                continue;
            }
            let declared_layout =
                n.explicit_role && matches!(n.role, Some("none" | "presentation"));
            let own = |d: usize| cx.ancestors(d).find(|&a| cx.nodes[a].tag == "table") == Some(t);
            let cells: Vec<usize> = cx
                .descendants(t)
                .filter(|&d| matches!(cx.nodes[d].tag, "td" | "th") && own(d))
                .collect();
            let single_cell = cells.len() == 1
                && cells
                    .first()
                    .and_then(|&c| cx.nodes[c].attr("colspan"))
                    .is_none_or(|s| s.trim() == "1");
            if !declared_layout && !single_cell {
                continue;
            }
            let why = if declared_layout {
                "a table marked role=\"presentation\""
            } else {
                "a one-cell table, which holds no tabular data"
            };
            if let Some(&th) = cells.iter().find(|&&c| cx.nodes[c].tag == "th") {
                out.element(
                    cx,
                    th,
                    Outcome::Failed,
                    format!("A header cell (<th>) is used in {why}: screen readers announce a data table that is not there"),
                );
            } else if let Some(c) = cx
                .children(t)
                .find(|&c| cx.nodes[c].tag == "caption" && words(&text_of(cx, c)).next().is_some())
            {
                out.element(
                    cx,
                    c,
                    Outcome::Failed,
                    format!("A <caption> is used in {why}"),
                );
            } else if n.attr("summary").is_some_and(|s| !s.trim().is_empty()) {
                out.element(
                    cx,
                    t,
                    Outcome::Failed,
                    format!("A summary attribute is used in {why}"),
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn header_cell_in_layout_table_fails() {
        // The W3C BAD tickets page: an image of a heading in the only cell, a <th>.
        let one = r#"<table width="600"><tr><th><img src="headline_prices.gif" alt="Ticket prices"></th></tr></table>"#;
        assert_eq!(outcomes(&LAYOUT_TABLE, one), (1, 0));
        let declared =
            r#"<table role="presentation" summary="Layout"><tr><td>a</td><td>b</td></tr></table>"#;
        assert_eq!(outcomes(&LAYOUT_TABLE, declared), (1, 0));
        let clean = r#"<table role="presentation"><tr><td>a</td><td>b</td></tr></table>"#;
        assert_eq!(outcomes(&LAYOUT_TABLE, clean), (0, 0));
        let data = "<table><caption>Fees</caption><tr><th>Adult</th><td>£3</td></tr></table>";
        assert_eq!(outcomes(&LAYOUT_TABLE, data), (0, 0));
    }
}
