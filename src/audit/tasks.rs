//! Task completion: can a resident find and complete each top task?
//!
//! (Being built under issue 5.) For each task that applies to the council's type: find the task
//! page, then answer the ruleset's questions, each with its evidence.

use serde::{Deserialize, Serialize};

/// A yes/no answer, or why it could not be given. "Yes" is always the good answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Could not be decided (no A–Z, search form missing, …); leaves the denominator.
    NotTested,
}

/// One question's answer with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionAnswer {
    /// The question's id within the task.
    pub question: String,
    /// The answer.
    pub answer: Answer,
    /// The page that shows it, when there is one.
    pub evidence_url: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
}

/// The outcome of one task for one council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The task's id.
    pub task: String,
    /// The task page found, if any.
    pub page_url: Option<String>,
    /// The click path from the home page to it (home first).
    pub route: Vec<String>,
    /// Why this page was taken as the task page.
    pub reason: String,
    /// Answers, in the ruleset's question order.
    pub answers: Vec<QuestionAnswer>,
}
