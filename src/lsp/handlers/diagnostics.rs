//! Pulled diagnostics (`textDocument/diagnostic`) and the `annalist/timeline` request.

use crate::facts::{Analysis, Context};
use crate::lsp::publish::{across_for, diagnostics_of, wait_ready};
use crate::lsp::state::{Backend, lock};
use serde_json::Value;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// Params of `annalist/timeline`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextDocumentIdentifierParams {
    pub text_document: TextDocumentIdentifier,
}

/// The document's timeline as JSON (`{"events": [...]}`), the same value
/// `annalist timeline --format json` prints.
pub fn timeline_json(a: &Analysis, ctx: &Context) -> Value {
    serde_json::to_value(crate::ide::timeline::build(a, ctx)).unwrap_or(Value::Null)
}

impl Backend {
    pub async fn on_diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = match self.analysis(&uri).await? {
            Some((a, enc, _)) => {
                wait_ready(&self.ready).await;
                let st = lock(&self.state);
                // The comparison the scheduler made (and `refresh` keeps current) for
                // this very analysis, when it has: not made a second time per version.
                let kept = st.docs.get(&uri).and_then(|e| {
                    let (g, current) = e.analysis.as_ref()?;
                    let (ga, across) = e.across.as_ref()?;
                    (g == ga && Arc::ptr_eq(current, &a)).then(|| across.clone())
                });
                let across = kept.unwrap_or_else(|| Arc::new(across_for(&st, &uri, &a)));
                diagnostics_of(&st, &uri, &a, &across, enc)
            }
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    pub async fn timeline(&self, params: TextDocumentIdentifierParams) -> Result<Value> {
        let Some((a, _, res)) = self.analysis(&params.text_document.uri).await? else {
            return Err(Error::invalid_params("the document is not open"));
        };
        Self::guard("timeline", || {
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            timeline_json(&a, &ctx)
        })
    }
}
