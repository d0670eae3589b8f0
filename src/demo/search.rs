//! The demo sites' own search: a real handler over the site's pages, good or bad on purpose.

use serde::{Deserialize, Serialize};

use super::render::{Style, esc};
use super::truth::SearchQuality;

/// One indexed page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Path and query.
    pub path: String,
    /// Title.
    pub title: String,
    /// Visible text.
    pub text: String,
}

/// A site's search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSpec {
    /// The path the search form submits to.
    pub path: String,
    /// The query parameter.
    pub param: String,
    /// How it behaves.
    pub quality: SearchQuality,
    /// The index.
    pub docs: Vec<SearchDoc>,
    /// Paths a junk search always returns.
    pub junk: Vec<String>,
    /// The results page up to the results.
    pub shell_before: String,
    /// The results page after the results.
    pub shell_after: String,
    /// The template, for results markup.
    pub style: Style,
}

/// Where results go in the page shell.
pub const RESULTS_MARKER: &str = "<!--results-->";

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "for", "to", "my", "of", "on", "and", "your", "in", "is",
];

fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    let w = w.strip_suffix("'s").unwrap_or(w);
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(stem)
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .collect()
}

impl SearchSpec {
    /// The results for a query, best first (at most 10), as indexes into `docs`.
    pub fn run(&self, query: &str) -> Vec<usize> {
        let query = query.trim();
        match self.quality {
            SearchQuality::Missing | SearchQuality::Empty => Vec::new(),
            SearchQuality::Junk => self
                .junk
                .iter()
                .filter_map(|p| self.docs.iter().position(|d| &d.path == p))
                .collect(),
            SearchQuality::Poor => {
                // Exact phrase anywhere in the text, listed in index order reversed (oldest
                // content was indexed last), the way some old search plug-ins behave.
                let q = query.to_lowercase();
                if q.is_empty() {
                    return Vec::new();
                }
                let mut hits: Vec<usize> = self
                    .docs
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.text.to_lowercase().contains(&q))
                    .map(|(i, _)| i)
                    .collect();
                hits.reverse();
                hits.truncate(10);
                hits
            }
            SearchQuality::Good => {
                let q = tokens(query);
                if q.is_empty() {
                    return Vec::new();
                }
                let mut scored: Vec<(u32, usize, usize)> = self
                    .docs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        let title = tokens(&d.title);
                        let text = tokens(&d.text);
                        let mut score = 0;
                        for t in &q {
                            if title.contains(t) {
                                score += 5;
                            }
                            if text.contains(t) {
                                score += 1;
                            }
                        }
                        (score > 0).then_some((score, d.path.len(), i))
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
                scored.into_iter().take(10).map(|(_, _, i)| i).collect()
            }
        }
    }

    /// The paths of the results for a query.
    pub fn result_paths(&self, query: &str) -> Vec<String> {
        self.run(query)
            .into_iter()
            .map(|i| self.docs[i].path.clone())
            .collect()
    }

    /// The whole results page for a query.
    pub fn page(&self, query: &str) -> String {
        let hits = self.run(query);
        let q = esc(query);
        let mut list = String::new();
        let snippet = |d: &SearchDoc| {
            let s: String = d.text.chars().take(160).collect();
            esc(&s)
        };
        match self.style {
            Style::Gov => {
                list.push_str(&format!(
                    "<p>{} results for &lsquo;{q}&rsquo;</p><ol class=\"search-results\">",
                    hits.len()
                ));
                for &i in &hits {
                    let d = &self.docs[i];
                    list.push_str(&format!(
                        "<li><h2><a href=\"{}\">{}</a></h2><p>{}</p></li>",
                        esc(&d.path),
                        esc(&d.title),
                        snippet(d)
                    ));
                }
                list.push_str("</ol>");
            }
            Style::Classic => {
                list.push_str(&format!(
                    "<p>Your search for <b>{q}</b> found {} pages.</p><table class=\"results\">",
                    hits.len()
                ));
                for (n, &i) in hits.iter().enumerate() {
                    let d = &self.docs[i];
                    list.push_str(&format!(
                        "<tr><td>{}.</td><td><a href=\"{}\">{}</a><br>{}</td></tr>",
                        n + 1,
                        esc(&d.path),
                        esc(&d.title),
                        snippet(d)
                    ));
                }
                list.push_str("</table>");
            }
            Style::Cards => {
                list.push_str(&format!(
                    "<p class=\"count\">Showing {} results</p><div class=\"grid\">",
                    hits.len()
                ));
                for &i in &hits {
                    let d = &self.docs[i];
                    list.push_str(&format!(
                        "<div class=\"card\"><h2 class=\"card-title\"><a href=\"{}\">{}</a></h2><p>{}</p></div>",
                        esc(&d.path),
                        esc(&d.title),
                        snippet(d)
                    ));
                }
                list.push_str("</div>");
            }
            Style::Cluttered => {
                list.push_str(&format!(
                    "<p>Showing results 1 - {} of {} for \"{q}\"</p><ul id=\"results\">",
                    hits.len(),
                    hits.len()
                ));
                for &i in &hits {
                    let d = &self.docs[i];
                    list.push_str(&format!(
                        "<li><a href=\"{}\">{}</a> <span class=\"summary\">{}</span></li>",
                        esc(&d.path),
                        esc(&d.title),
                        snippet(d)
                    ));
                }
                list.push_str("</ul>");
            }
        }
        if hits.is_empty() {
            list.push_str("<p>No results found. Check your spelling or try different words.</p>");
        }
        format!("{}{list}{}", self.shell_before, self.shell_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(quality: SearchQuality) -> SearchSpec {
        let doc = |p: &str, t: &str| SearchDoc {
            path: p.into(),
            title: t.into(),
            text: format!("{t} some words"),
        };
        SearchSpec {
            path: "/search".into(),
            param: "q".into(),
            quality,
            docs: vec![
                doc("/news", "Latest news"),
                doc("/bins/missed", "Report a missed bin"),
                doc("/council-tax/pay", "Pay your council tax"),
            ],
            junk: vec!["/news".into()],
            shell_before: "<html><body>".into(),
            shell_after: "</body></html>".into(),
            style: Style::Gov,
        }
    }

    #[test]
    fn good_search_ranks_the_matching_title_first() {
        let s = spec(SearchQuality::Good);
        assert_eq!(s.result_paths("report missed bins")[0], "/bins/missed");
        assert_eq!(s.result_paths("pay council tax")[0], "/council-tax/pay");
    }

    #[test]
    fn junk_search_ignores_the_query() {
        let s = spec(SearchQuality::Junk);
        assert_eq!(s.result_paths("pay council tax"), vec!["/news".to_string()]);
    }

    #[test]
    fn results_page_escapes_the_query() {
        let s = spec(SearchQuality::Empty);
        let page = s.page("<script>");
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
        assert!(page.contains("No results"));
    }
}
