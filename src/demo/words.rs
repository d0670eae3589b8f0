//! The words of the demo web: service categories and top-task pages, with several wordings of
//! each so that no two templates or councils say things the same way.
//!
//! The words are data, in `words.toml` beside this file (its header describes each table). The
//! file is built into the binary and parsed once, on first use, into the types below; a problem
//! in it is reported as `src/demo/words.toml:line:col: message`, and a unit test parses the
//! shipped file so a build that passed its tests cannot meet one. Entries keep the file's order:
//! the generator picks among them with a seeded random choice, so the order is part of the demo.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

/// How the built-in file is named in errors.
const BUILTIN_NAME: &str = "src/demo/words.toml";
/// The built-in file.
const BUILTIN_TEXT: &str = include_str!("words.toml");

static BUILTIN: LazyLock<Words> = LazyLock::new(|| {
    // The shipped file is parsed by a unit test below, so this cannot fail in a tested build.
    parse(BUILTIN_TEXT, BUILTIN_NAME)
        .unwrap_or_else(|e| panic!("the demo's built-in words are invalid:\n{e}"))
});

/// The built-in words, parsed on first use.
pub fn builtin() -> &'static Words {
    &BUILTIN
}

/// All the words of the demo web.
#[derive(Debug)]
pub struct Words {
    /// The service categories.
    pub categories: Vec<Category>,
    /// The top tasks' words.
    pub tasks: Vec<TaskWords>,
    /// Info pages for services that have no top task of their own (coverage only).
    pub service_pages: Vec<ServicePage>,
    /// Sentences for the "no online form" routes: `{pdf}` is the form's path.
    pub pdf_route: Vec<String>,
    /// Phone-only routes.
    pub phone_route: Vec<String>,
    /// Sentences that date a page: `{year}` is an old year and `{next}` the year after.
    pub stale: Vec<String>,
    /// Filler news headlines for news pages.
    pub news: Vec<String>,
}

impl Words {
    /// The category with an id; the first category for an unknown id (the file is checked, so
    /// every id the words use is known).
    pub fn category(&self, id: &str) -> &Category {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .unwrap_or(&self.categories[0])
    }
}

/// A service category: what a landing page is called and what it says.
#[derive(Debug)]
pub struct Category {
    /// Our id.
    pub id: String,
    /// Names for the landing page and its navigation link.
    pub labels: Vec<String>,
    /// Names to use instead when the LGSL service in `named_service` is missing.
    pub labels_without: Vec<String>,
    /// A service the usual labels name (e.g. recycling in "Bins and recycling").
    pub named_service: Option<u32>,
    /// Short path segments for card-style URLs.
    pub short: Vec<String>,
    /// One-line descriptions for cards and lists.
    pub blurbs: Vec<String>,
}

/// How a task is done, which decides its call to action and its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Report something.
    Report,
    /// Apply or claim.
    Apply,
    /// Book and pay.
    Book,
    /// Pay a bill or charge.
    Pay,
    /// Look something up (no form to complete).
    Lookup,
    /// Read and follow links.
    Info,
}

/// A form field.
#[derive(Debug)]
pub struct FieldSpec {
    /// The input's name.
    pub name: String,
    /// Its label.
    pub label: String,
    /// The question id the label answers "yes" for, if any.
    pub implies: Option<String>,
}

/// Sentences for one question.
#[derive(Debug)]
pub struct Fact {
    /// The ruleset question id.
    pub question: String,
    /// Sentences that make the answer "yes".
    pub yes: Vec<String>,
    /// Sentences to use when the answer is "no" (none: the page says nothing).
    pub no: Vec<String>,
}

/// The words of one top task.
#[derive(Debug)]
pub struct TaskWords {
    /// The ruleset task id.
    pub task: String,
    /// Its category id.
    pub category: String,
    /// The LGSL service the page shows for coverage, if any.
    pub service: Option<u32>,
    /// Link texts and page titles.
    pub titles: Vec<String>,
    /// URL slugs.
    pub slugs: Vec<String>,
    /// A–Z entries.
    pub az: Vec<String>,
    /// Opening sentences (say nothing any question asks about).
    pub intro: Vec<String>,
    /// Facts by question id.
    pub facts: Vec<Fact>,
    /// The call to action.
    pub action: Action,
    /// Link texts to the online form or payment.
    pub online_links: Vec<String>,
    /// Fields of the online form.
    pub fields: Vec<FieldSpec>,
}

/// An information page for a service with no top task of its own.
#[derive(Debug)]
pub struct ServicePage {
    /// The LGSL code.
    pub lgsl: u32,
    /// The category whose landing page lists it.
    pub category: String,
    /// Titles to choose from.
    pub titles: Vec<String>,
    /// Its one paragraph.
    pub text: String,
}

/// A problem in a words file, at a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// A words file that does not parse or does not make sense; each problem is listed as
/// `file:line:col: message`.
#[derive(Debug, Error)]
#[error("{}", .problems.iter().map(|p| format!("{}:{}:{}: {}", .path, p.line, p.col, p.message)).collect::<Vec<_>>().join("\n"))]
pub struct WordsError {
    /// The file.
    pub path: String,
    /// Every problem found.
    pub problems: Vec<Problem>,
}

/// Parses and checks words text; `source` names it in errors.
pub fn parse(text: &str, source: &str) -> Result<Words, WordsError> {
    let raw: raw::Words = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        WordsError {
            path: source.to_string(),
            problems: vec![Problem {
                line,
                col,
                message: e.message().trim().to_string(),
            }],
        }
    })?;
    let mut c = Checker {
        text,
        problems: Vec::new(),
    };
    let words = c.words(raw);
    if c.problems.is_empty() {
        Ok(words)
    } else {
        c.problems.sort_by_key(|p| (p.line, p.col));
        Err(WordsError {
            path: source.to_string(),
            problems: c.problems,
        })
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    (line, col)
}

/// The file as written, with the places of what is checked.
mod raw {
    use serde::Deserialize;
    use toml::Spanned;

    use super::Action;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Words {
        pub category: Spanned<Vec<Category>>,
        pub task: Vec<Task>,
        pub service_page: Vec<ServicePage>,
        pub routes: Routes,
        pub filler: Filler,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Category {
        pub id: Spanned<String>,
        pub labels: Spanned<Vec<String>>,
        #[serde(default)]
        pub labels_without: Vec<String>,
        pub named_service: Option<u32>,
        pub short: Spanned<Vec<String>>,
        pub blurbs: Spanned<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Task {
        pub task: Spanned<String>,
        pub category: Spanned<String>,
        pub service: Option<u32>,
        pub action: Action,
        pub titles: Spanned<Vec<String>>,
        pub slugs: Spanned<Vec<String>>,
        pub az: Spanned<Vec<String>>,
        pub intro: Spanned<Vec<String>>,
        #[serde(default)]
        pub online_links: Vec<String>,
        #[serde(default)]
        pub fields: Vec<Field>,
        #[serde(default)]
        pub fact: Vec<Fact>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Field {
        pub name: String,
        pub label: String,
        pub implies: Option<Spanned<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Fact {
        pub question: Spanned<String>,
        pub yes: Spanned<Vec<String>>,
        #[serde(default)]
        pub no: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ServicePage {
        pub lgsl: u32,
        pub category: Spanned<String>,
        pub titles: Spanned<Vec<String>>,
        pub text: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Routes {
        pub pdf: Spanned<Vec<String>>,
        pub phone: Spanned<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Filler {
        pub stale: Spanned<Vec<String>>,
        pub news: Spanned<Vec<String>>,
    }
}

/// Checks what the generator relies on: a list it picks from is never empty, every category a
/// task or page names exists, ids are unique, and a field implies one of its task's facts.
struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, col) = line_col(self.text, span.start);
        self.problems.push(Problem {
            line,
            col,
            message: message.into(),
        });
    }

    /// A list the generator picks one entry of.
    fn list(&mut self, list: Spanned<Vec<String>>, what: &str) -> Vec<String> {
        if list.get_ref().is_empty() {
            self.push(
                list.span(),
                format!("{what} is empty; the demo picks one of its entries"),
            );
        }
        list.into_inner()
    }

    fn words(&mut self, raw: raw::Words) -> Words {
        if raw.category.get_ref().is_empty() {
            self.push(raw.category.span(), "there is no [[category]]");
        }
        let mut ids = BTreeSet::new();
        let categories: Vec<Category> = raw
            .category
            .into_inner()
            .into_iter()
            .map(|c| {
                let id = c.id.get_ref().clone();
                if !ids.insert(id.clone()) {
                    self.push(c.id.span(), format!("category \"{id}\" is defined twice"));
                }
                Category {
                    labels: self.list(c.labels, &format!("category \"{id}\": labels")),
                    labels_without: c.labels_without,
                    named_service: c.named_service,
                    short: self.list(c.short, &format!("category \"{id}\": short")),
                    blurbs: self.list(c.blurbs, &format!("category \"{id}\": blurbs")),
                    id,
                }
            })
            .collect();
        let mut task_ids = BTreeSet::new();
        let tasks = raw
            .task
            .into_iter()
            .map(|t| {
                let id = t.task.get_ref().clone();
                if !task_ids.insert(id.clone()) {
                    self.push(t.task.span(), format!("task \"{id}\" is defined twice"));
                }
                self.known_category(&ids, &t.category);
                let mut questions = BTreeSet::new();
                let facts: Vec<Fact> = t
                    .fact
                    .into_iter()
                    .map(|f| {
                        let question = f.question.get_ref().clone();
                        if !questions.insert(question.clone()) {
                            self.push(
                                f.question.span(),
                                format!("task \"{id}\": question \"{question}\" has two facts"),
                            );
                        }
                        Fact {
                            yes: self
                                .list(f.yes, &format!("task \"{id}\", fact \"{question}\": yes")),
                            no: f.no,
                            question,
                        }
                    })
                    .collect();
                let fields = t
                    .fields
                    .into_iter()
                    .map(|f| {
                        if let Some(q) = &f.implies
                            && !questions.contains(q.get_ref())
                        {
                            self.push(
                                q.span(),
                                format!(
                                    "task \"{id}\": field \"{}\" implies \"{}\", which is not one \
                                     of the task's facts",
                                    f.name,
                                    q.get_ref()
                                ),
                            );
                        }
                        FieldSpec {
                            name: f.name,
                            label: f.label,
                            implies: f.implies.map(Spanned::into_inner),
                        }
                    })
                    .collect();
                TaskWords {
                    category: t.category.into_inner(),
                    service: t.service,
                    titles: self.list(t.titles, &format!("task \"{id}\": titles")),
                    slugs: self.list(t.slugs, &format!("task \"{id}\": slugs")),
                    az: self.list(t.az, &format!("task \"{id}\": az")),
                    intro: self.list(t.intro, &format!("task \"{id}\": intro")),
                    facts,
                    action: t.action,
                    online_links: t.online_links,
                    fields,
                    task: id,
                }
            })
            .collect();
        let service_pages = raw
            .service_page
            .into_iter()
            .map(|p| {
                self.known_category(&ids, &p.category);
                ServicePage {
                    lgsl: p.lgsl,
                    category: p.category.into_inner(),
                    titles: self.list(p.titles, &format!("service page {}: titles", p.lgsl)),
                    text: p.text,
                }
            })
            .collect();
        Words {
            categories,
            tasks,
            service_pages,
            pdf_route: self.list(raw.routes.pdf, "routes.pdf"),
            phone_route: self.list(raw.routes.phone, "routes.phone"),
            stale: self.list(raw.filler.stale, "filler.stale"),
            news: self.list(raw.filler.news, "filler.news"),
        }
    }

    fn known_category(&mut self, ids: &BTreeSet<String>, category: &Spanned<String>) {
        if !ids.contains(category.get_ref()) {
            self.push(
                category.span(),
                format!("no [[category]] has the id \"{}\"", category.get_ref()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> String {
        match parse(text, "words.toml") {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    /// The smallest file that parses; tests break one part of it at a time.
    const MINIMAL: &str = r#"
[[category]]
id = "waste"
labels = ["Bins"]
short = ["bins"]
blurbs = ["Bin days"]

[[task]]
task = "report-missed-bin"
category = "waste"
action = "report"
titles = ["Report a missed bin"]
slugs = ["report-a-missed-bin"]
az = ["Missed bins"]
intro = ["Tell us."]
fields = [{ name = "where", label = "Where?", implies = "report-window" }]

[[task.fact]]
question = "report-window"
yes = ["Within two days."]

[[service_page]]
lgsl = 533
category = "waste"
titles = ["Recycling"]
text = "Rinse tins."

[routes]
pdf = ["Post the [form]({pdf})."]
phone = ["Call us."]

[filler]
stale = ["In {year}."]
news = ["Park opens"]
"#;

    #[test]
    fn the_built_in_words_parse_and_keep_the_files_order() {
        let w = parse(BUILTIN_TEXT, BUILTIN_NAME).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.categories[0].id, "waste");
        assert_eq!(w.categories[0].labels[0], "Bins and recycling");
        assert_eq!(w.tasks[0].task, "report-missed-bin");
        assert_eq!(w.tasks[0].facts[1].question, "report-window");
        assert!(w.tasks.len() >= 20, "{} tasks", w.tasks.len());
        assert!(w.service_pages.len() >= 30);
        assert_eq!(w.news[0], "New play area opens in the town park");
        // The same words through `builtin()`, which the generator uses.
        assert_eq!(builtin().tasks.len(), w.tasks.len());
    }

    #[test]
    fn a_minimal_file_parses() {
        let w = parse(MINIMAL, "words.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.tasks[0].action, Action::Report);
        assert_eq!(
            w.tasks[0].fields[0].implies.as_deref(),
            Some("report-window")
        );
        assert_eq!(w.category("no-such").id, "waste");
    }

    #[test]
    fn a_syntax_error_names_the_file_line_and_column() {
        let e = problems(&MINIMAL.replace("id = \"waste\"", "id = \"waste"));
        assert!(e.starts_with("words.toml:3:"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_refused_where_it_stands() {
        let text = MINIMAL.replace("short = [\"bins\"]", "short = [\"bins\"]\nshrot = [\"x\"]");
        let e = problems(&text);
        assert!(e.starts_with("words.toml:6:"), "{e}");
        assert!(e.contains("shrot"), "{e}");
    }

    #[test]
    fn an_unknown_action_is_refused() {
        let e = problems(&MINIMAL.replace("action = \"report\"", "action = \"complain\""));
        assert!(e.starts_with("words.toml:11:"), "{e}");
        assert!(e.contains("complain"), "{e}");
    }

    #[test]
    fn an_empty_list_the_demo_picks_from_is_refused_at_its_place() {
        let e = problems(&MINIMAL.replace("titles = [\"Report a missed bin\"]", "titles = []"));
        assert_eq!(
            e,
            "words.toml:12:10: task \"report-missed-bin\": titles is empty; the demo picks one of \
             its entries"
        );
        let e = problems(&MINIMAL.replace("news = [\"Park opens\"]", "news = []"));
        assert!(
            e.starts_with("words.toml:34:8: filler.news is empty"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_category_is_refused_for_tasks_and_service_pages() {
        let e = problems(&MINIMAL.replace("category = \"waste\"", "category = \"wsate\""));
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 2, "{e}");
        assert!(
            lines[0].starts_with("words.toml:10:12: no [[category]] has the id \"wsate\""),
            "{e}"
        );
        assert!(lines[1].starts_with("words.toml:24:12:"), "{e}");
    }

    #[test]
    fn duplicates_and_a_field_implying_no_fact_are_refused() {
        let twice = MINIMAL.replace(
            "[[service_page]]",
            "[[category]]\nid = \"waste\"\nlabels = [\"B\"]\nshort = [\"b\"]\nblurbs = [\"b\"]\n\n[[service_page]]",
        );
        assert!(
            problems(&twice).contains("category \"waste\" is defined twice"),
            "{}",
            problems(&twice)
        );
        let e = problems(&MINIMAL.replace("implies = \"report-window\"", "implies = \"where\""));
        assert!(e.starts_with("words.toml:16:"), "{e}");
        assert!(e.contains("not one of the task's facts"), "{e}");
    }
}
