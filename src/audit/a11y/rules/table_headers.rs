//! Data tables mark up their header cells. WCAG 1.3.1 (Info and Relationships); failure
//! technique F91 (not correctly marking up table headers), sufficient techniques H51 and H63.
//! No ACT rule (d0f69e and a25f45 check header cells that exist).
//!
//! Failed when the header row is certain and uses `<td>`: the row is in `<thead>`, or every
//! cell of the first row is wholly bold while the rows below hold plain data (no links, no
//! nested tables: a data table, not page layout). A table that looks like data (caption,
//! summary or `<thead>`) but has no header cells at all is a review item.

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};
use super::{text_of, words};

fn rows(cx: &Ctx<'_>, t: usize) -> Vec<usize> {
    cx.descendants(t)
        .filter(|&d| {
            cx.nodes[d].tag == "tr"
                && cx.ancestors(d).find(|&a| cx.nodes[a].tag == "table") == Some(t)
        })
        .collect()
}

fn cells(cx: &Ctx<'_>, row: usize) -> Vec<usize> {
    cx.children(row)
        .filter(|&c| matches!(cx.nodes[c].tag, "td" | "th"))
        .collect()
}

/// Whether all the cell's text sits inside `<b>`, `<strong>` or bold CSS.
fn wholly_bold(cx: &Ctx<'_>, cell: usize) -> bool {
    let text = text_of(cx, cell);
    if words(&text).next().is_none() {
        return false;
    }
    std::iter::once(cell)
        .chain(cx.descendants(cell))
        .filter(|&d| {
            cx.nodes[d]
                .el
                .children()
                .any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty()))
        })
        .all(|d| cx.nodes[d].bold)
}

fn has_header_cells(cx: &Ctx<'_>, t: usize) -> bool {
    cx.descendants(t).any(|d| {
        let n = &cx.nodes[d];
        n.tag == "th"
            || matches!(n.role, Some("columnheader" | "rowheader"))
            || n.has("headers")
            || n.has("scope")
    })
}

/// Header rows and columns are `<th>`.
pub static TABLE_HEADERS: Rule = Rule {
    info: RuleInfo {
        id: "table-header-cells",
        title: "Data tables mark up their header cells",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Make the table's header row (and first column, if it labels the rows) <th> cells with scope=\"col\" or scope=\"row\" instead of bold <td> cells.",
        best_practice: false,
    },
    check: |cx, out| {
        for &t in cx.tag("table") {
            let n = &cx.nodes[t];
            if n.hidden() || n.role != Some("table") || has_header_cells(cx, t) {
                continue;
            }
            let rows = rows(cx, t);
            let grid: Vec<Vec<usize>> = rows.iter().map(|&r| cells(cx, r)).collect();
            let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
            if rows.len() < 2 || cols < 2 {
                continue;
            }
            let nested = cx.descendants(t).any(|d| cx.nodes[d].tag == "table");
            let thead_row = rows.iter().position(|&r| {
                cx.nodes[r]
                    .parent
                    .is_some_and(|p| cx.nodes[p].tag == "thead")
            });
            if let Some(r) = thead_row
                && grid[r].len() >= 2
            {
                out.element(
                    cx,
                    rows[r],
                    Outcome::Failed,
                    "The table's header row (in <thead>) is made of <td> cells, so screen readers do not announce the headers",
                );
                continue;
            }
            let first = &grid[0];
            let body_plain = grid[1..]
                .iter()
                .flatten()
                .any(|&c| !wholly_bold(cx, c) && words(&text_of(cx, c)).next().is_some());
            let no_links = !cx.descendants(t).any(|d| cx.nodes[d].role == Some("link"));
            if first.len() >= 2
                && first.iter().all(|&c| wholly_bold(cx, c))
                && body_plain
                && no_links
                && !nested
                && grid.len() >= 3
            {
                out.element(
                    cx,
                    rows[0],
                    Outcome::Failed,
                    "The first row looks like column headers (bold text) but its cells are <td>, not <th>",
                );
                continue;
            }
            let data_signals = cx.children(t).any(|c| {
                let cn = &cx.nodes[c];
                (cn.tag == "caption" && words(&text_of(cx, c)).next().is_some())
                    || matches!(cn.tag, "thead" | "tfoot")
            }) || n.attr("summary").is_some_and(|s| !s.trim().is_empty());
            if data_signals && !nested {
                out.element(
                    cx,
                    t,
                    Outcome::CantTell,
                    "The table has a caption or summary but no header cells: if it has a header row or column, mark it up with <th>",
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
    fn bold_td_header_row_fails_and_th_passes() {
        let bold = "<table><tr><td><b>Show</b></td><td><b>Adult</b></td></tr>\
            <tr><td>Obelisks</td><td>$20.90</td></tr><tr><td>Les Garçons</td><td>$27.90</td></tr></table>";
        assert_eq!(outcomes(&TABLE_HEADERS, bold), (1, 0));
        let th = "<table><tr><th scope=col>Show</th><th scope=col>Adult</th></tr>\
            <tr><td>Obelisks</td><td>$20.90</td></tr></table>";
        assert_eq!(outcomes(&TABLE_HEADERS, th), (0, 0));
        let thead = "<table><thead><tr><td>Show</td><td>Adult</td></tr></thead>\
            <tbody><tr><td>Obelisks</td><td>$20.90</td></tr></tbody></table>";
        assert_eq!(outcomes(&TABLE_HEADERS, thead), (1, 0));
        // Page layout: a navigation row of bold links is not a header row.
        let layout = "<table><tr><td><b><a href=/>Home</a></b></td><td><b><a href=/news>News</a></b></td></tr>\
            <tr><td>Welcome</td><td>Today</td></tr><tr><td>a</td><td>b</td></tr></table>";
        assert_eq!(outcomes(&TABLE_HEADERS, layout), (0, 0));
        let captioned = "<table><caption>Fees</caption><tr><td>Adult</td><td>£3</td></tr><tr><td>Child</td><td>£1</td></tr></table>";
        assert_eq!(outcomes(&TABLE_HEADERS, captioned), (0, 1));
    }
}
