//! Structure: lists, definition lists, tables, headings and tab order. WCAG 1.3.1 (Info and
//! Relationships). ACT rules a25f45 (headers attribute refers to cells in the same table) and
//! d0f69e (table header cell has assigned cells). Positive `tabindex` (related to 2.4.3 Focus
//! Order) and skipped heading levels (related to 1.3.1 and 2.4.6) are best practice, as in
//! axe-core: a page can meet the criteria with either.
//!
//! Tables are modelled as a grid of cells with `colspan`/`rowspan`, for HTML tables and ARIA
//! `table`/`grid`/`treegrid` alike. Whether a table is a layout table is not guessed.

use super::{Ctx, Impact, Outcome, Rule, RuleInfo};

/// Positive `tabindex` breaks the natural tab order.
pub static TABINDEX: Rule = Rule {
    info: RuleInfo {
        id: "tabindex",
        title: "No positive tabindex",
        wcag: &[],
        act: &[],
        impact: Impact::Serious,
        advice: "Use tabindex=\"0\" or -1, and put elements in the order they should be reached.",
        best_practice: true,
    },
    check: |cx, out| {
        for &i in &cx.tabindexed {
            if cx.tabindex(i).is_some_and(|t| t > 0) && !cx.nodes[i].not_rendered {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    "tabindex greater than 0 changes the tab order",
                );
            }
        }
    },
};

fn heading_level(cx: &Ctx<'_>, i: usize) -> Option<u32> {
    let n = &cx.nodes[i];
    if n.role != Some("heading") {
        return None;
    }
    if let Some(l) = n
        .attr("aria-level")
        .and_then(|l| l.trim().parse::<u32>().ok())
        .filter(|&l| l > 0)
    {
        return Some(l);
    }
    match n.tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => Some(2),
    }
}

/// Heading levels go up by one at a time.
pub static EMPTY_HEADING_ORDER: Rule = Rule {
    info: RuleInfo {
        id: "heading-order",
        title: "Heading levels increase by one",
        wcag: &[],
        act: &[],
        impact: Impact::Moderate,
        advice: "Do not skip heading levels: an <h2> is followed by <h3>, not <h4>.",
        best_practice: true,
    },
    check: |cx, out| {
        let mut prev: Option<u32> = None;
        for i in 0..cx.nodes.len() {
            if cx.nodes[i].hidden() {
                continue;
            }
            let Some(level) = heading_level(cx, i) else {
                continue;
            };
            if let Some(p) = prev
                && level > p + 1
            {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Heading level {level} follows level {p}"),
                );
            }
            prev = Some(level);
        }
    },
};

const LIST_OK: &[&str] = &["li", "script", "template"];

/// `<ul>`/`<ol>` contain only `<li>`.
pub static LIST: Rule = Rule {
    info: RuleInfo {
        id: "list",
        title: "Lists contain only list items",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Put every child of <ul>/<ol> in an <li>.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("ul").iter().chain(cx.tag("ol")) {
            let n = &cx.nodes[i];
            if n.explicit_role || n.hidden() {
                continue;
            }
            // A child given the listitem role is a list item to assistive technology: the
            // structure is conveyed (1.3.1), though the HTML is not valid (ACT ff89c9 passes
            // `<ul><div role="listitem">`, and so does axe-core's `list`).
            let bad = cx.children(i).find(|&c| {
                let cn = &cx.nodes[c];
                let item =
                    LIST_OK.contains(&cn.tag) || (cn.explicit_role && cn.role == Some("listitem"));
                !item && !cn.hidden()
            });
            if let Some(c) = bad {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!(
                        "List contains a <{}> that is not a list item",
                        cx.nodes[c].tag
                    ),
                );
            }
        }
    },
};

/// `<li>` sits in a list.
pub static LISTITEM: Rule = Rule {
    info: RuleInfo {
        id: "listitem",
        title: "List items are in a list",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Put <li> elements inside <ul> or <ol>.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("li") {
            let n = &cx.nodes[i];
            if n.explicit_role || n.hidden() {
                continue;
            }
            let ok = n.parent.is_some_and(|p| {
                let pn = &cx.nodes[p];
                matches!(pn.tag, "ul" | "ol" | "menu") && !pn.explicit_role
                    || pn.role == Some("list")
            });
            if !ok {
                out.element(cx, i, Outcome::Failed, "List item is not inside a list");
            }
        }
    },
};

/// `<dl>` contains only `<dt>`/`<dd>` groups.
pub static DEFINITION_LIST: Rule = Rule {
    info: RuleInfo {
        id: "definition-list",
        title: "Definition lists contain only terms and definitions",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Put only <dt> and <dd> (optionally grouped in <div>) inside <dl>.",
        best_practice: false,
    },
    check: |cx, out| {
        const OK: &[&str] = &["dt", "dd", "script", "template"];
        for &i in cx.tag("dl") {
            let n = &cx.nodes[i];
            if n.explicit_role || n.hidden() {
                continue;
            }
            let bad = cx.children(i).find(|&c| {
                let cn = &cx.nodes[c];
                if cn.hidden() || OK.contains(&cn.tag) {
                    return false;
                }
                if cn.tag == "div" && !cn.explicit_role {
                    return cx
                        .children(c)
                        .any(|g| !OK.contains(&cx.nodes[g].tag) && !cx.nodes[g].hidden());
                }
                true
            });
            if let Some(c) = bad {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!(
                        "Definition list contains a <{}> that is not a term or definition",
                        cx.nodes[c].tag
                    ),
                );
            }
        }
    },
};

/// `<dt>`/`<dd>` sit in a `<dl>`.
pub static DLITEM: Rule = Rule {
    info: RuleInfo {
        id: "dlitem",
        title: "Terms and definitions are in a definition list",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Put <dt> and <dd> inside a <dl>.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("dt").iter().chain(cx.tag("dd")) {
            let n = &cx.nodes[i];
            if n.explicit_role || n.hidden() {
                continue;
            }
            let ok = n.parent.is_some_and(|p| {
                let pn = &cx.nodes[p];
                pn.tag == "dl"
                    || pn.tag == "div" && pn.parent.is_some_and(|g| cx.nodes[g].tag == "dl")
            });
            if !ok {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("<{}> is not inside a <dl>", n.tag),
                );
            }
        }
    },
};

fn is_table_role(r: Option<&str>) -> bool {
    matches!(r, Some("table" | "grid" | "treegrid"))
}

/// The nearest table (element with a table role, or a `<table>`) containing `i`.
fn table_of(cx: &Ctx<'_>, i: usize) -> Option<usize> {
    cx.ancestors(i)
        .find(|&a| cx.nodes[a].tag == "table" || is_table_role(cx.nodes[a].role))
}

/// A placed cell: index, first row, first column, rows and columns spanned.
#[derive(Debug, Clone, Copy)]
struct Placed {
    i: usize,
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
}

fn is_cell_role(r: Option<&str>) -> bool {
    matches!(r, Some("cell" | "gridcell" | "columnheader" | "rowheader"))
}

/// The table's cells placed on a grid (HTML table model, simplified).
fn grid(cx: &Ctx<'_>, t: usize) -> Vec<Placed> {
    let rows: Vec<usize> = cx
        .descendants(t)
        .filter(|&d| {
            cx.nodes[d].role == Some("row") && table_of(cx, d) == Some(t) && !cx.nodes[d].hidden()
        })
        .collect();
    let mut placed = Vec::new();
    let mut taken: Vec<Vec<bool>> = Vec::new();
    for (r, &row) in rows.iter().enumerate() {
        let mut col = 0;
        for c in cx.a11y_children(row) {
            if !is_cell_role(cx.nodes[c].role) {
                continue;
            }
            while taken
                .get(r)
                .is_some_and(|v| v.get(col).copied().unwrap_or(false))
            {
                col += 1;
            }
            let span = |a: &str| {
                cx.nodes[c]
                    .attr(a)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .filter(|&v| v > 0)
                    .unwrap_or(1)
            };
            let (cols, rows_n) = (
                span("colspan").min(1000),
                span("rowspan").min(rows.len().max(1)),
            );
            for rr in r..r + rows_n {
                if taken.len() <= rr {
                    taken.resize(rr + 1, Vec::new());
                }
                if taken[rr].len() < col + cols {
                    taken[rr].resize(col + cols, false);
                }
                taken[rr][col..col + cols].fill(true);
            }
            placed.push(Placed {
                i: c,
                row: r,
                col,
                rows: rows_n,
                cols,
            });
            col += cols;
        }
    }
    placed
}

/// `headers` refers to cells of the same table.
pub static TD_HEADERS: Rule = Rule {
    info: RuleInfo {
        id: "td-headers-attr",
        title: "headers attributes refer to cells in the same table",
        wcag: &["1.3.1"],
        act: &["a25f45"],
        impact: Impact::Serious,
        advice: "Make every id in headers the id of a header cell in the same table (not the cell itself).",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("td").iter().chain(cx.tag("th")) {
            let n = &cx.nodes[i];
            let Some(headers) = n.attr("headers") else {
                continue;
            };
            if headers.trim().is_empty() || n.hidden() {
                continue;
            }
            let Some(t) = table_of(cx, i) else { continue };
            if !is_table_role(cx.nodes[t].role) || cx.nodes[t].hidden() {
                continue;
            }
            let bad = headers.split_ascii_whitespace().find(|id| {
                cx.idref(i, id).is_none_or(|h| {
                    h == i || !matches!(cx.nodes[h].tag, "td" | "th") || table_of(cx, h) != Some(t)
                })
            });
            if let Some(id) = bad {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("headers=\"{headers}\": \"{id}\" is not another cell of this table"),
                );
            }
        }
    },
};

/// Header cells have cells to head.
pub static TH_HAS_CELLS: Rule = Rule {
    info: RuleInfo {
        id: "th-has-data-cells",
        title: "Table header cells have cells they head",
        wcag: &["1.3.1"],
        act: &["d0f69e"],
        impact: Impact::Serious,
        advice: "Remove header cells that head nothing, or mark them up as ordinary cells.",
        best_practice: false,
    },
    check: |cx, out| {
        let mut tables: Vec<usize> = (0..cx.nodes.len())
            .filter(|&i| is_table_role(cx.nodes[i].role) && !cx.nodes[i].hidden())
            .collect();
        tables.dedup();
        for t in tables {
            let cells = grid(cx, t);
            // A one-cell table holds no tabular data: a header cell there is the
            // layout-table-semantics finding (F46), not a header without cells (axe agrees).
            if cells.len() <= 1 {
                continue;
            }
            for h in &cells {
                let hn = &cx.nodes[h.i];
                let role = hn.role;
                if !matches!(role, Some("columnheader" | "rowheader")) || hn.hidden() {
                    continue;
                }
                let auto_th = hn.tag == "th" && !hn.explicit_role && hn.attr("scope").is_none();
                let column = if auto_th {
                    // HTML "auto" scope: a header in a row of headers heads its column.
                    cells.iter().filter(|c| c.row == h.row).all(|c| {
                        matches!(cx.nodes[c.i].tag, "th")
                            || matches!(cx.nodes[c.i].role, Some("columnheader" | "rowheader"))
                    })
                } else {
                    role == Some("columnheader")
                };
                let id = hn.el.value().id();
                let assigned = cells.iter().any(|c| {
                    if c.i == h.i {
                        return false;
                    }
                    let cn = &cx.nodes[c.i];
                    if let Some(hs) = cn.attr("headers").filter(|v| !v.trim().is_empty()) {
                        return id.is_some_and(|id| hs.split_ascii_whitespace().any(|x| x == id));
                    }
                    if column {
                        c.col < h.col + h.cols && h.col < c.col + c.cols
                    } else {
                        c.row < h.row + h.rows && h.row < c.row + c.rows
                    }
                });
                if !assigned {
                    out.element(cx, h.i, Outcome::Failed, "Header cell heads no cells");
                }
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::fails;
    use super::*;

    #[test]
    fn fails_positive_tabindex_and_skipped_heading() {
        assert_eq!(fails(&TABINDEX, r#"<a href="/" tabindex="3">x</a>"#), 1);
        assert_eq!(fails(&TABINDEX, r#"<div tabindex="0">x</div>"#), 0);
        assert_eq!(fails(&EMPTY_HEADING_ORDER, "<h1>a</h1><h3>b</h3>"), 1);
        assert_eq!(
            fails(
                &EMPTY_HEADING_ORDER,
                "<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2>"
            ),
            0
        );
    }

    #[test]
    fn fails_broken_lists() {
        assert_eq!(fails(&LIST, "<ul><li>a</li><p>b</p></ul>"), 1);
        assert_eq!(fails(&LIST, "<ul><li>a</li></ul>"), 0);
        assert_eq!(fails(&LIST, r#"<ul><div role="listitem">a</div></ul>"#), 0);
        assert_eq!(fails(&LIST, r#"<ul><div role="note">a</div></ul>"#), 1);
        assert_eq!(fails(&LISTITEM, "<div><li>a</li></div>"), 1);
        assert_eq!(fails(&DEFINITION_LIST, "<dl><dt>a</dt><p>b</p></dl>"), 1);
        assert_eq!(
            fails(&DEFINITION_LIST, "<dl><div><dt>a</dt><dd>b</dd></div></dl>"),
            0
        );
        assert_eq!(fails(&DLITEM, "<div><dt>a</dt></div>"), 1);
    }

    #[test]
    fn fails_headers_pointing_outside_table_and_empty_header_column() {
        assert_eq!(
            fails(
                &TD_HEADERS,
                r#"<table><tr><th id="h">A</th></tr><tr><td headers="x">1</td></tr></table>"#
            ),
            1
        );
        assert_eq!(
            fails(
                &TD_HEADERS,
                r#"<table><tr><th id="h">A</th></tr><tr><td headers="h">1</td></tr></table>"#
            ),
            0
        );
        assert_eq!(
            fails(
                &TH_HAS_CELLS,
                "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr></table>"
            ),
            1
        );
        assert_eq!(
            fails(
                &TH_HAS_CELLS,
                "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
            ),
            0
        );
    }
}
