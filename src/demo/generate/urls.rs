//! URLs in each template's manner: landing, task, form and news pages.

use super::builder::Builder;
use crate::demo::names;
use crate::demo::render::Style;
use crate::demo::words::{self, Action};

impl Builder<'_> {
    pub(super) fn title_words(title: &str) -> String {
        title
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }

    pub(super) fn landing_path(&mut self, cat: &words::Category, label: &str) -> String {
        match self.style {
            Style::Gov => format!("/{}", names::slugify(label)),
            Style::Classic => {
                let id = self.id();
                format!("/info/{id}/{}", Self::title_words(label))
            }
            Style::Cards => format!("/services/{}", self.pick_word(&cat.short)),
            Style::Cluttered => {
                let id = self.id();
                format!("/index.aspx?articleid={id}")
            }
        }
    }

    pub(super) fn task_path(&mut self, landing: &str, slug: &str, title: &str) -> String {
        match self.style {
            Style::Gov | Style::Cards => format!("{landing}/{slug}"),
            Style::Classic => {
                let id = self.id();
                format!("/article/{id}/{}", Self::title_words(title))
            }
            Style::Cluttered => {
                let id = self.id();
                format!("/index.aspx?articleid={id}")
            }
        }
    }

    pub(super) fn form_path(&mut self, slug: &str, action: Action) -> String {
        let verb = match action {
            Action::Report => "report",
            Action::Pay => "pay",
            Action::Book => "book",
            _ => "apply",
        };
        match (self.style, action) {
            (Style::Gov, Action::Pay) => format!("/pay/{slug}"),
            (Style::Gov, _) => format!("/forms/{slug}"),
            (Style::Classic, Action::Pay) => format!("/site/scripts/payments.php?fund={slug}"),
            (Style::Classic, _) => {
                let id = self.id();
                format!("/site/scripts/xforms_form.php?formID={id}")
            }
            (Style::Cards, _) => format!("/do-it-online/{verb}/{slug}"),
            (Style::Cluttered, Action::Pay) => format!("/payments/{slug}"),
            (Style::Cluttered, _) => format!("/{verb}-it/{slug}"),
        }
    }

    pub(super) fn news_path(&mut self, title: &str) -> String {
        match self.style {
            Style::Gov | Style::Cards => format!("/news/{}", names::slugify(title)),
            Style::Classic => {
                let id = self.id();
                format!("/news/article/{id}/{}", Self::title_words(title))
            }
            Style::Cluttered => {
                let id = self.id();
                format!("/news.aspx?id={id}")
            }
        }
    }
}
