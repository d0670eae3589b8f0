//! Page templates: four "CMS" styles that lay out the same content in different markup, the
//! way real council sites built on different products do.
//!
//! - `Gov`: a GOV.UK-like design system page (semantic landmarks, breadcrumbs, summary lists);
//! - `Classic`: an older table-laid CMS with a fixed-width wrapper and a left navigation column;
//! - `Cards`: a modern card grid with a compact header;
//! - `Cluttered`: a busy portal with a mega-menu, tiles and promotional boxes.

use serde::{Deserialize, Serialize};

use super::barriers::Barrier;

/// A page template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// GOV.UK-like.
    Gov,
    /// Old table-laid CMS.
    Classic,
    /// Modern card-based.
    Cards,
    /// Busy portal.
    Cluttered,
}

impl Style {
    /// Every style.
    pub const ALL: [Style; 4] = [Style::Gov, Style::Classic, Style::Cards, Style::Cluttered];

    /// The style's name.
    pub fn name(self) -> &'static str {
        match self {
            Style::Gov => "gov",
            Style::Classic => "classic",
            Style::Cards => "cards",
            Style::Cluttered => "cluttered",
        }
    }
}

/// Site-wide furniture shared by every page of a site.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The council's name.
    pub council: String,
    /// The template.
    pub style: Style,
    /// Header navigation links (href, text).
    pub nav: Vec<(String, String)>,
    /// Footer links.
    pub footer: Vec<(String, String)>,
    /// The search form: action path and query parameter name.
    pub search: Option<(String, String)>,
    /// A "My account" link.
    pub account: bool,
    /// A fixed-width wrapper (the page does not reflow on a phone).
    pub fixed_width: bool,
    /// A responsive viewport meta element.
    pub viewport: bool,
    /// The year in the copyright line.
    pub year: i16,
}

/// A form field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The `name`.
    pub name: String,
    /// The visible label.
    pub label: String,
}

/// A block of page content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph; `[text](href)` makes a link.
    Para(String),
    /// A second-level heading.
    Heading(String),
    /// A list of links (href, text).
    Links(Vec<(String, String)>),
    /// Cards: (href, title, description).
    Cards(Vec<(String, String, String)>),
    /// A form (action, method, fields, button text).
    Form {
        /// Where it submits.
        action: String,
        /// `get` or `post`.
        method: String,
        /// Its fields.
        fields: Vec<Field>,
        /// The submit button's text.
        button: String,
    },
    /// Raw HTML (search results, A–Z letters).
    Raw(String),
}

/// One page's content.
#[derive(Debug, Clone)]
pub struct PageSpec {
    /// Path and query.
    pub path: String,
    /// The `<title>` text before the council's name.
    pub title: String,
    /// The main heading.
    pub h1: String,
    /// Breadcrumbs (href, text), home first.
    pub crumbs: Vec<(String, String)>,
    /// Content.
    pub blocks: Vec<Block>,
    /// The "last updated" date shown, if any.
    pub updated: Option<String>,
    /// A "printer-friendly version" link.
    pub print_link: bool,
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Splits `[text](href)` markup into HTML and the links it holds.
pub fn inline(text: &str) -> (String, Vec<(String, String)>) {
    let mut html = String::new();
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        html.push_str(&esc(&rest[..open]));
        let label = &rest[open + 1..close];
        let href = &rest[close + 2..end];
        html.push_str(&format!("<a href=\"{}\">{}</a>", esc(href), esc(label)));
        links.push((href.to_string(), label.to_string()));
        rest = &rest[end + 1..];
    }
    html.push_str(&esc(rest));
    (html, links)
}

/// Plain text of inline markup (links keep their text).
pub fn plain(text: &str) -> String {
    let (html, _) = inline(text);
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

impl Block {
    /// The links this block holds (href, text).
    pub fn links(&self) -> Vec<(String, String)> {
        match self {
            Block::Para(t) => inline(t).1,
            Block::Links(l) => l.clone(),
            Block::Cards(c) => c.iter().map(|(h, t, _)| (h.clone(), t.clone())).collect(),
            Block::Heading(_) | Block::Form { .. } | Block::Raw(_) => Vec::new(),
        }
    }

    /// The block's visible text, for the search index.
    pub fn text(&self) -> String {
        match self {
            Block::Para(t) => plain(t),
            Block::Heading(t) => t.clone(),
            Block::Links(l) => l
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Block::Cards(c) => c
                .iter()
                .map(|(_, t, d)| format!("{t} {d}"))
                .collect::<Vec<_>>()
                .join(" "),
            Block::Form { fields, .. } => fields
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Block::Raw(_) => String::new(),
        }
    }
}

impl PageSpec {
    /// Every link in the page's content (not the site furniture).
    pub fn links(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.crumbs.clone();
        for b in &self.blocks {
            out.extend(b.links());
        }
        out
    }

    /// The page's text, for the search index.
    pub fn text(&self) -> String {
        let mut out = self.h1.clone();
        for b in &self.blocks {
            out.push(' ');
            out.push_str(&b.text());
        }
        out
    }
}

/// The links every page of a site carries in its furniture (href, text).
pub fn chrome_links(chrome: &Chrome) -> Vec<(String, String)> {
    let mut out = vec![("/".to_string(), "Home".to_string())];
    out.extend(chrome.nav.iter().cloned());
    if chrome.account {
        out.push(("/my-account".into(), "My account".into()));
    }
    out.extend(chrome.footer.iter().cloned());
    out
}

const CSS_GOV: &str = "body{font-family:Arial,sans-serif;color:#0b0c0c;background:#ffffff;margin:0}\
a{color:#1d70b8}.container{max-width:960px;margin:0 auto;padding:0 15px}\
header{background:#0b0c0c;color:#ffffff}header a{color:#ffffff}";
const CSS_CLASSIC: &str = "body{font-family:Verdana,sans-serif;font-size:13px;color:#000000;background:#ffffff}\
#wrapper{width:980px;margin:0 auto}td{vertical-align:top}a{color:#003399}";
const CSS_CARDS: &str = "body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#ffffff}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px}\
.card{border:1px solid #cccccc;padding:16px}a{color:#00558c}main{max-width:1100px;margin:auto}";
const CSS_CLUTTERED: &str = "body{font-family:Tahoma,sans-serif;color:#222222;background:#ffffff}\
a{color:#0645ad}.mega a{color:#1a3a6e}.tile{display:inline-block;margin:4px;padding:8px;border:1px solid #999999}";
const CSS_FIXED: &str = "#page{width:1000px}";

/// Renders one page with its barriers. `n` varies ids and file names of planted barriers.
pub fn render(chrome: &Chrome, spec: &PageSpec, barriers: &[Barrier], n: usize) -> String {
    let has = |b: Barrier| barriers.contains(&b);
    let mut h = String::with_capacity(8192);
    h.push_str("<!DOCTYPE html>\n");
    if has(Barrier::HtmlLang) {
        h.push_str("<html>\n");
    } else if has(Barrier::HtmlLangValid) {
        h.push_str("<html lang=\"english\">\n");
    } else {
        h.push_str("<html lang=\"en-GB\">\n");
    }
    h.push_str("<head>\n<meta charset=\"utf-8\">\n");
    if has(Barrier::DocumentTitle) {
        h.push_str("<title></title>\n");
    } else {
        let title = match chrome.style {
            Style::Gov | Style::Cards => format!("{} - {}", spec.title, chrome.council),
            Style::Classic => format!("{} : {}", chrome.council, spec.title),
            Style::Cluttered => format!("{} | {}", spec.title, chrome.council),
        };
        h.push_str(&format!("<title>{}</title>\n", esc(&title)));
    }
    if has(Barrier::MetaViewport) {
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no\">\n");
    } else if chrome.viewport {
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    }
    if has(Barrier::MetaRefresh) {
        h.push_str("<meta http-equiv=\"refresh\" content=\"300\">\n");
    }
    let css = match chrome.style {
        Style::Gov => CSS_GOV,
        Style::Classic => CSS_CLASSIC,
        Style::Cards => CSS_CARDS,
        Style::Cluttered => CSS_CLUTTERED,
    };
    h.push_str(&format!("<style>{css}"));
    if chrome.fixed_width && chrome.style != Style::Classic {
        h.push_str(CSS_FIXED);
    }
    h.push_str("</style>\n</head>\n<body>\n");

    let content = content_html(chrome.style, spec, barriers, n);
    let bypass = has(Barrier::Bypass);
    match chrome.style {
        Style::Gov => gov(chrome, spec, &content, bypass, &mut h),
        Style::Classic => classic(chrome, spec, &content, bypass, &mut h),
        Style::Cards => cards(chrome, spec, &content, bypass, &mut h),
        Style::Cluttered => cluttered(chrome, spec, &content, bypass, &mut h),
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn search_form(chrome: &Chrome, id: &str) -> String {
    let Some((action, param)) = &chrome.search else {
        return String::new();
    };
    match chrome.style {
        Style::Gov => format!(
            "<form class=\"search\" action=\"{action}\" method=\"get\" role=\"search\">\
             <label for=\"{id}\" class=\"visually-hidden\">Search this site</label>\
             <input type=\"search\" id=\"{id}\" name=\"{param}\"> <button type=\"submit\">Search</button></form>"
        ),
        Style::Classic => format!(
            "<form name=\"searchform\" action=\"{action}\" method=\"get\">\
             <label for=\"{id}\">Search:</label> <input type=\"text\" id=\"{id}\" name=\"{param}\" size=\"20\">\
             <input type=\"submit\" value=\"Go\"></form>"
        ),
        Style::Cards => format!(
            "<div role=\"search\"><form action=\"{action}\"><input type=\"search\" name=\"{param}\" \
             aria-label=\"Search\" placeholder=\"What are you looking for?\"> <button>Search</button></form></div>"
        ),
        Style::Cluttered => format!(
            "<form id=\"{id}-form\" action=\"{action}\" method=\"get\"><label for=\"{id}\">Search the site</label> \
             <input id=\"{id}\" name=\"{param}\" type=\"text\" title=\"Search\"> <button type=\"submit\">Find</button></form>"
        ),
    }
}

fn link_list(links: &[(String, String)], class: &str) -> String {
    let mut s = format!("<ul class=\"{class}\">");
    for (href, text) in links {
        s.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            esc(href),
            esc(text)
        ));
    }
    s.push_str("</ul>");
    s
}

fn crumbs_html(spec: &PageSpec, sep: &str) -> String {
    if spec.crumbs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = spec
        .crumbs
        .iter()
        .map(|(h, t)| format!("<a href=\"{}\">{}</a>", esc(h), esc(t)))
        .collect();
    format!(
        "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><p>{}</p></nav>",
        parts.join(sep)
    )
}

fn footer_html(chrome: &Chrome, class: &str) -> String {
    format!(
        "<footer class=\"{class}\">{}<p>&copy; {} {}</p></footer>\n",
        link_list(&chrome.footer, "footer-links"),
        chrome.year,
        esc(&chrome.council)
    )
}

fn account_link(chrome: &Chrome) -> &'static str {
    if chrome.account {
        "<a href=\"/my-account\" class=\"account\">My account</a>"
    } else {
        ""
    }
}

fn gov(chrome: &Chrome, spec: &PageSpec, content: &str, bypass: bool, h: &mut String) {
    if !bypass {
        h.push_str("<a href=\"#main\" class=\"skip-link\">Skip to main content</a>\n");
    }
    h.push_str(&format!(
        "<header><div class=\"container\">\
         <a href=\"/\" class=\"logo\"><img src=\"/assets/logo.svg\" alt=\"{} home page\" width=\"160\" height=\"40\"></a> {} {}</div>\n",
        esc(&chrome.council),
        account_link(chrome),
        search_form(chrome, "site-search")
    ));
    if !chrome.nav.is_empty() {
        h.push_str(&format!(
            "<nav aria-label=\"Main\" class=\"container\">{}</nav>",
            link_list(&chrome.nav, "nav")
        ));
    }
    h.push_str("</header>\n<div class=\"container\" id=\"page\">");
    h.push_str(&crumbs_html(spec, " &gt; "));
    let main = if bypass { "div" } else { "main" };
    h.push_str(&format!(
        "<{main} id=\"main\">\n<h1>{}</h1>\n{content}",
        esc(&spec.h1)
    ));
    if let Some(date) = &spec.updated {
        h.push_str(&format!(
            "<p class=\"updated\">Last updated: {}</p>",
            esc(date)
        ));
    }
    h.push_str(&format!("</{main}></div>\n"));
    h.push_str(&footer_html(chrome, "container"));
}

fn classic(chrome: &Chrome, spec: &PageSpec, content: &str, bypass: bool, h: &mut String) {
    h.push_str("<div id=\"wrapper\"><table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td colspan=\"2\" class=\"banner\">");
    h.push_str(&format!(
        "<a href=\"/\"><img src=\"/images/banner.gif\" alt=\"{}\" width=\"600\" height=\"80\"></a> {} {}</td></tr>\n<tr><td class=\"leftnav\" width=\"200\">",
        esc(&chrome.council),
        search_form(chrome, "keywords"),
        account_link(chrome)
    ));
    let mut nav = vec![("/".to_string(), "Home".to_string())];
    nav.extend(chrome.nav.iter().cloned());
    h.push_str(&format!(
        "<div class=\"menu\">{}</div>",
        link_list(&nav, "menu")
    ));
    h.push_str("</td><td class=\"content\">");
    h.push_str(&crumbs_html(spec, " / "));
    let main = if bypass { "div" } else { "main" };
    h.push_str(&format!(
        "<{main} id=\"content\"><h1>{}</h1>\n{content}",
        esc(&spec.h1)
    ));
    if let Some(date) = &spec.updated {
        h.push_str(&format!(
            "<p><small>Page last reviewed {}</small></p>",
            esc(date)
        ));
    }
    if spec.print_link {
        h.push_str(&format!(
            "<p><a href=\"/print{}\">Printer friendly version</a></p>",
            esc(&spec.path)
        ));
    }
    h.push_str(&format!("</{main}></td></tr></table>\n"));
    h.push_str(&footer_html(chrome, "footer"));
    h.push_str("</div>\n");
}

fn cards(chrome: &Chrome, spec: &PageSpec, content: &str, bypass: bool, h: &mut String) {
    h.push_str(&format!(
        "<header class=\"site-header\"><a href=\"/\" class=\"brand\">{}</a> {}",
        esc(&chrome.council),
        search_form(chrome, "q")
    ));
    if !chrome.nav.is_empty() {
        h.push_str(&format!(
            "<nav aria-label=\"Site\">{}</nav>",
            link_list(&chrome.nav, "menu")
        ));
    }
    h.push_str(account_link(chrome));
    let main = if bypass { "div" } else { "main" };
    h.push_str(&format!("</header>\n<{main} id=\"page\">"));
    h.push_str(&crumbs_html(spec, " › "));
    h.push_str(&format!("<h1>{}</h1>\n{content}", esc(&spec.h1)));
    if let Some(date) = &spec.updated {
        h.push_str(&format!("<p class=\"meta\">Updated {}</p>", esc(date)));
    }
    h.push_str(&format!("</{main}>\n"));
    h.push_str(&footer_html(chrome, "site-footer"));
}

fn cluttered(chrome: &Chrome, spec: &PageSpec, content: &str, bypass: bool, h: &mut String) {
    h.push_str(&format!(
        "<div id=\"page\"><div id=\"top\"><a href=\"/\"><img src=\"/img/crest.png\" alt=\"{} crest\"></a> {} {}</div>\n",
        esc(&chrome.council),
        search_form(chrome, "txtSearch"),
        account_link(chrome)
    ));
    h.push_str(&format!(
        "<div class=\"mega\"><p>Services</p>{}</div>\n",
        link_list(&chrome.nav, "mega-menu")
    ));
    h.push_str(&crumbs_html(spec, " &raquo; "));
    let main = if bypass { "div" } else { "main" };
    h.push_str(&format!(
        "<{main} id=\"main-content\"><h1>{}</h1>\n{content}",
        esc(&spec.h1)
    ));
    if spec.print_link {
        h.push_str(&format!(
            "<p><a href=\"/print{}\">Print this page</a></p>",
            esc(&spec.path)
        ));
    }
    if let Some(date) = &spec.updated {
        h.push_str(&format!("<p class=\"date\">Published: {}</p>", esc(date)));
    }
    h.push_str(&format!("</{main}>\n"));
    h.push_str(&footer_html(chrome, "footer"));
    h.push_str("</div>\n");
}

/// The content area: blocks, with body barriers planted after the first paragraph.
fn content_html(style: Style, spec: &PageSpec, barriers: &[Barrier], n: usize) -> String {
    let mut out = String::new();
    let mut planted = false;
    let plant = |out: &mut String| {
        for b in barriers {
            if let Some(s) = b.body_snippet(n) {
                out.push_str(&s);
                out.push('\n');
            }
        }
    };
    for block in &spec.blocks {
        if !planted && matches!(block, Block::Heading(_) | Block::Links(_) | Block::Cards(_)) {
            plant(&mut out);
            planted = true;
        }
        out.push_str(&block_html(style, block));
        out.push('\n');
        if !planted && matches!(block, Block::Para(_)) {
            plant(&mut out);
            planted = true;
        }
    }
    if !planted {
        plant(&mut out);
    }
    out
}

fn block_html(style: Style, block: &Block) -> String {
    match block {
        Block::Para(t) => format!("<p>{}</p>", inline(t).0),
        Block::Heading(t) => format!("<h2>{}</h2>", esc(t)),
        Block::Links(links) => match style {
            Style::Classic => {
                let mut s = String::from("<table class=\"links\">");
                for (href, text) in links {
                    s.push_str(&format!(
                        "<tr><td>&bull;</td><td><a href=\"{}\">{}</a></td></tr>",
                        esc(href),
                        esc(text)
                    ));
                }
                s.push_str("</table>");
                s
            }
            _ => link_list(links, "links"),
        },
        Block::Cards(cards) => match style {
            Style::Gov => {
                let mut s = String::from("<ul class=\"services\">");
                for (href, title, desc) in cards {
                    s.push_str(&format!(
                        "<li><a href=\"{}\">{}</a><p>{}</p></li>",
                        esc(href),
                        esc(title),
                        esc(desc)
                    ));
                }
                s.push_str("</ul>");
                s
            }
            Style::Cards => {
                let mut s = String::from("<div class=\"grid\">");
                for (href, title, desc) in cards {
                    s.push_str(&format!(
                        "<div class=\"card\"><h2 class=\"card-title\"><a href=\"{}\">{}</a></h2><p>{}</p></div>",
                        esc(href),
                        esc(title),
                        esc(desc)
                    ));
                }
                s.push_str("</div>");
                s
            }
            Style::Classic => {
                let mut s = String::from("<table class=\"services\">");
                for pair in cards.chunks(2) {
                    s.push_str("<tr>");
                    for (href, title, desc) in pair {
                        s.push_str(&format!(
                            "<td><a href=\"{}\"><b>{}</b></a><br>{}</td>",
                            esc(href),
                            esc(title),
                            esc(desc)
                        ));
                    }
                    s.push_str("</tr>");
                }
                s.push_str("</table>");
                s
            }
            Style::Cluttered => {
                let mut s = String::from("<div class=\"tiles\">");
                for (href, title, _) in cards {
                    s.push_str(&format!(
                        "<div class=\"tile\"><a href=\"{}\">{}</a></div>",
                        esc(href),
                        esc(title)
                    ));
                }
                s.push_str("</div>");
                s
            }
        },
        Block::Form {
            action,
            method,
            fields,
            button,
        } => {
            let mut s = format!(
                "<form action=\"{}\" method=\"{}\" class=\"service-form\">",
                esc(action),
                esc(method)
            );
            for (i, f) in fields.iter().enumerate() {
                let id = format!("f-{}-{i}", f.name);
                let input = format!(
                    "<input type=\"text\" id=\"{id}\" name=\"{}\">",
                    esc(&f.name)
                );
                let label = format!("<label for=\"{id}\">{}</label>", esc(&f.label));
                s.push_str(&match style {
                    Style::Gov => format!("<div class=\"form-group\">{label} {input}</div>"),
                    Style::Classic => format!("<p>{label}<br>{input}</p>"),
                    Style::Cards => format!("<div class=\"field\">{label}{input}</div>"),
                    Style::Cluttered => format!(
                        "<p><label>{} <input type=\"text\" name=\"{}\"></label></p>",
                        esc(&f.label),
                        esc(&f.name)
                    ),
                });
            }
            s.push_str(&format!(
                "<button type=\"submit\">{}</button></form>",
                esc(button)
            ));
            s
        }
        Block::Raw(html) => html.clone(),
    }
}
