//! Rename, completion and code actions (quick fixes).

use crate::finding::Span;
use crate::lsp::convert::{Carry, diagnostic, text_edit, to_offset, to_range, to_span};
use crate::lsp::publish::{across_for, locate};
use crate::lsp::state::{Backend, lock};
use std::collections::HashMap;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

impl Backend {
    pub async fn on_prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((a, enc, _)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        Self::guard("prepareRename", || {
            let offset = to_offset(&a, params.position, enc);
            crate::ide::prepare_rename(&a, offset)
                .map(|s| PrepareRenameResponse::Range(to_range(&a, s, enc)))
        })
    }

    pub async fn on_rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let Some((a, enc, _)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let result = Self::guard("rename", || {
            let offset = to_offset(&a, p.position, enc);
            crate::ide::rename(&a, offset, &params.new_name)
        })?;
        match result {
            None => Ok(None),
            Some(Err(msg)) => Err(Error::invalid_params(msg)),
            Some(Ok(edits)) => {
                let edits: Vec<TextEdit> = edits.iter().map(|e| text_edit(&a, e, enc)).collect();
                Ok(Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri, edits)])),
                    ..Default::default()
                }))
            }
        }
    }

    pub async fn on_completion(
        &self,
        params: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some((a, enc, res)) = self.analysis(&p.text_document.uri).await? else {
            return Ok(None);
        };
        if !res.config.features.completion {
            return Ok(None);
        }
        Self::guard("completion", || {
            let offset = to_offset(&a, p.position, enc);
            // After `@`: the keys of the document's bibliographies.
            if let Some(items) = crate::ide::citation::completions(&a.citations, &a.text, offset) {
                return Some(CompletionResponse::Array(
                    items
                        .into_iter()
                        .map(|c| CompletionItem {
                            label: c.key.clone(),
                            kind: Some(CompletionItemKind::REFERENCE),
                            detail: Some(c.detail),
                            documentation: Some(Documentation::String(c.documentation)),
                            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                                range: to_range(&a, c.replace, enc),
                                new_text: c.key,
                            })),
                            ..Default::default()
                        })
                        .collect(),
                ));
            }
            crate::ide::footnote_completions(&a, offset).map(|labels| {
                CompletionResponse::Array(
                    labels
                        .into_iter()
                        .map(|(label, preview)| CompletionItem {
                            label: label.clone(),
                            kind: Some(CompletionItemKind::REFERENCE),
                            detail: Some(preview),
                            insert_text: Some(label),
                            ..Default::default()
                        })
                        .collect(),
                )
            })
        })
    }

    pub async fn on_code_action(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((a, enc, res)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let state = self.state.clone();
        Self::guard("codeAction", || {
            let st = lock(&state);
            // The cross-file findings the client was last given for this analysis
            // (published or pulled): a fix is offered for what the editor shows. Before
            // the workspace index lands that is the comparison with the open documents;
            // its landing republishes, and the next request offers the rest.
            let kept = st.docs.get(&uri).and_then(|e| {
                let (g, current) = e.analysis.as_ref()?;
                let (ga, across) = e.across.as_ref()?;
                (g == ga && std::sync::Arc::ptr_eq(current, &a)).then(|| across.clone())
            });
            let across = match kept {
                Some(across) => across,
                None => std::sync::Arc::new(across_for(&st, &uri, &a)),
            };
            let findings = crate::workspace::merge(&a.findings, &across);
            let other = |p: &str, s: Span| locate(&st, p, s, enc);
            let carry = Carry::new(res.config.docs_url.as_deref(), st.supports);
            let span = to_span(&a, params.range, enc);
            let mut actions = Vec::new();
            for f in findings.iter() {
                let hit = f.span.overlaps(span)
                    || f.span.touches(span.start)
                    || (span.is_empty() && f.span.contains(span.start));
                if !hit {
                    continue;
                }
                let diag = diagnostic(&a, &uri, f, enc, &other, carry);
                for (i, fix) in f.fixes.iter().enumerate() {
                    let edits: Vec<TextEdit> =
                        fix.edits.iter().map(|e| text_edit(&a, e, enc)).collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.label(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diag.clone()]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), edits)])),
                            ..Default::default()
                        }),
                        is_preferred: Some(i == 0 && fix.safe),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
    }
}
