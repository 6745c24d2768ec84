//! Hover and inlay hints.

use crate::facts::Context;
use crate::lsp::convert::{to_offset, to_position, to_range, to_span};
use crate::lsp::publish::Inputs;
use crate::lsp::state::{Backend, lock};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

impl Backend {
    pub async fn on_hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((a, enc, res)) = self.analysis(&p.text_document.uri).await? else {
            return Ok(None);
        };
        let state = self.state.clone();
        let uri = p.text_document.uri.clone();
        Self::guard("hover", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            let mut h = crate::ide::hover(&a, &ctx, offset)?;
            // On a name: how the whole workspace spells it.
            if let Some(m) = crate::ide::entity::entity_at(&a, offset).filter(|m| m.span == h.span)
                && let Some(e) = a.knowledge(&ctx).gazetteer.get(m.entity)
            {
                // The documents taken under the store's lock, read without it.
                let inputs = Inputs::of(&lock(&state), &uri, &a, false);
                let docs = inputs.as_ref().map(Inputs::docs).unwrap_or_default();
                let uses = crate::workspace::spellings_of(&docs, &e.id);
                if let Some(line) = crate::workspace::spellings_line(&uses) {
                    h.markdown.push_str("\n\n");
                    h.markdown.push_str(&line);
                }
            }
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(to_range(&a, h.span, enc)),
            })
        })
    }

    pub async fn on_inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((a, enc, res)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        if !res.config.features.inlay_hints || !res.config.features.dates {
            return Ok(None);
        }
        Self::guard("inlayHint", || {
            let range = to_span(&a, params.range, enc);
            let hints: Vec<InlayHint> = crate::ide::date::inlay_hints(&a)
                .into_iter()
                .filter(|(off, _)| range.touches(*off))
                .map(|(off, label)| InlayHint {
                    position: to_position(&a, off, enc),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect();
            Some(hints)
        })
    }
}
