//! Pulled diagnostics (`textDocument/diagnostic`) and the `annalist/timeline` request.

use crate::facts::{Analysis, Context};
use crate::lsp::publish::Inputs;
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

/// A full report (`{"kind":"full","items":…}`, as serialising the typed report without
/// a `resultId` gives) around `items`, a JSON array, in parts: the array is not copied.
pub fn report_parts(items: Vec<u8>) -> Vec<Vec<u8>> {
    vec![
        b"{\"kind\":\"full\",\"items\":".to_vec(),
        items,
        b"}".to_vec(),
    ]
}

impl Backend {
    /// The answer to `textDocument/diagnostic`: a full report (no `resultId`), its items
    /// the same bytes a publication of this analysis has, written from the document's
    /// kept publication ([`crate::lsp::published`]): an edit converts only the
    /// diagnostics it touched. In the server, serialised directly (see
    /// [`crate::lsp::wire::raw_result`]); in-process, the same items read back.
    pub async fn on_diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let items = self.pulled_items(&params.text_document.uri).await?;
        match crate::lsp::wire::raw_result(report_parts(items)) {
            Ok(token) => Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(token),
                        items: Vec::new(),
                    },
                }),
            )),
            // No merger (in-process): the report read back from its bytes.
            Err(parts) => serde_json::from_slice(&parts.concat()).map_err(|e| {
                crate::lsp::state::internal(format!("diagnostics could not be read ({e})"))
            }),
        }
    }

    /// The pulled diagnostics of `uri` (a JSON array): its own findings and cross-file
    /// findings, as serialising [`crate::lsp::publish::diagnostics_of`] gives them,
    /// through the document's kept publication, which they then replace. `[]` for a
    /// document that is not open.
    ///
    /// Not waiting for the workspace index: an answer given before it lands holds the
    /// cross-file findings against the open documents, and is kept as the document's
    /// comparison, so that the index's landing ([`crate::lsp::publish::refresh`]) asks
    /// the client to pull again when the answer would change.
    pub async fn pulled_items(&self, uri: &Uri) -> Result<Vec<u8>> {
        let Some((a, _, _)) = self.analysis(uri).await? else {
            return Ok(b"[]".to_vec());
        };
        // In the document's turn (see `publish_doc`): the inputs taken under the store's
        // lock, the answer computed without it.
        let turn = match lock(&self.state).docs.get(uri) {
            Some(e) => e.publishing.clone(),
            None => return Ok(b"[]".to_vec()),
        };
        let _turn = turn.lock().await;
        let (inputs, kept, current, mut published) = {
            let mut st = lock(&self.state);
            // The comparison the scheduler made (and `refresh` keeps current) for this
            // very analysis, when it has: not made a second time per version.
            let current = st.docs.get(uri).and_then(|e| {
                let (g, current) = e.analysis.as_ref()?;
                (*g == e.generation && Arc::ptr_eq(current, &a)).then_some(*g)
            });
            let kept = st.docs.get(uri).and_then(|e| {
                let (g, current) = e.analysis.as_ref()?;
                let (ga, across) = e.across.as_ref()?;
                (g == ga && Arc::ptr_eq(current, &a)).then(|| across.clone())
            });
            let Some(inputs) = Inputs::of(&st, uri, &a, kept.is_none()) else {
                return Ok(b"[]".to_vec());
            };
            let published = st
                .docs
                .get_mut(uri)
                .map(|e| std::mem::take(&mut e.published))
                .unwrap_or_default();
            (inputs, kept, current, published)
        };
        let (across, compared) = match kept {
            Some(across) => (across, false),
            None => (Arc::new(inputs.across()), true),
        };
        let items = inputs.serialise(&mut published, &across);
        let mut st = lock(&self.state);
        if let Some(e) = st.docs.get_mut(uri) {
            e.published = published;
            // What the client is told, for `refresh` to compare with (if the analysis is
            // still the current one).
            let still = e
                .analysis
                .as_ref()
                .is_some_and(|(g, now)| *g == e.generation && Arc::ptr_eq(now, &a));
            if let (Some(g), true, true) = (current, still, compared) {
                e.across = Some((g, across));
            }
        }
        Ok(items)
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
