//! `check`'s report of each file: its own and cross-file findings merged and turned
//! into lines and columns.

use super::super::output::{self, FileReport};
use super::super::shown;
use super::{Analysed, Group, Outcome};
use crate::analysis;
use rayon::prelude::*;
use std::sync::Arc;

/// The report of a file as it is on disk (a fix that could not be written).
pub(super) fn unfixed_report(path: &str, text: &str, group: &Group) -> FileReport {
    let ctx = group.context();
    let a = analysis::analyze(Arc::from(text), None, &ctx);
    let diagnostics = output::convert(&a.text, &a.lines, &a.findings);
    FileReport {
        path: path.to_string(),
        text: a.text.clone(),
        lines: a.lines.clone(),
        diagnostics,
        fixed: 0,
    }
}

/// A file's report, which own finding each diagnostic shows, how many own findings.
pub(super) type Reported = (FileReport, Vec<Option<usize>>, usize);

/// Each checked file's report: its own and cross-file findings merged (as
/// [`crate::workspace::merge`] merges them) and converted to lines and columns, places
/// in other files resolved; with it, which own finding each diagnostic shows (see
/// [`shown::FileKey::origin`]) and how many own findings there are. `None` for a path that
/// could not be checked. In parallel.
pub(super) fn reports(outcomes: &[Outcome]) -> Vec<Option<Reported>> {
    let by_path: std::collections::HashMap<&str, &Analysed> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Checked { file, .. } => Some((file.path.as_str(), file)),
            Outcome::Problem(_) => None,
        })
        .collect();
    let resolve = |p: &str, span: crate::finding::Span| {
        by_path
            .get(p)
            .map(|f| output::range_of(&f.text, &f.lines, span))
    };
    outcomes
        .par_iter()
        .map(|o| match o {
            Outcome::Checked { file, .. } => {
                let (merged, origin) = shown::merge(&file.own, &file.across);
                Some((
                    FileReport {
                        path: file.path.clone(),
                        text: file.text.clone(),
                        lines: file.lines.clone(),
                        diagnostics: output::convert_with(
                            &file.text,
                            &file.lines,
                            &merged,
                            &resolve,
                        ),
                        fixed: file.fixed,
                    },
                    origin,
                    file.own.len(),
                ))
            }
            Outcome::Problem(_) => None,
        })
        .collect()
}
