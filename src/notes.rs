//! The note layer: GFM/Pandoc footnotes (`[^label]`, `[^label]: text`, `^[inline]`)
//! and numbered endnotes (`(1)`, `[1]`, `¹`, `<sup>1</sup>`) resolved to a Notes section.
//!
//! tree-sitter-md has no footnote nodes, so this layer is ours. (STUB: the notes
//! owner replaces `analyze` with the real implementation.)

use crate::finding::Span;
use crate::markdown::MdModel;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoteStyle {
    /// `[^label]` with a `[^label]: …` definition.
    Footnote,
    /// `^[text]`: the note is in place.
    Inline,
    /// `(1)`, `[1]`, `¹`, `<sup>1</sup>` resolved to an entry of a Notes section.
    Endnote,
}

/// A place in the text that cites a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub style: NoteStyle,
    /// The whole marker, e.g. `[^3]` or `(3)`.
    pub span: Span,
    /// The label as written (`3`, `source-a`).
    pub label: String,
    /// The label's span inside the marker.
    pub label_span: Span,
}

/// A note's text: a footnote definition, an inline note, or a Notes-section entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    pub style: NoteStyle,
    /// The whole definition including continuation lines.
    pub span: Span,
    pub label: String,
    pub label_span: Span,
    /// The note's content (may be empty).
    pub content: Span,
}

/// All notes of one document version.
#[derive(Clone, Debug, Default)]
pub struct Notes {
    pub markers: Vec<Marker>,
    pub definitions: Vec<Definition>,
    /// The Notes section (heading to end of its list), when the document has one.
    pub notes_section: Option<Span>,
}

/// Labels compare as GFM says: case-insensitively, whitespace collapsed.
pub fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Notes {
    pub fn marker_at(&self, offset: usize) -> Option<&Marker> {
        self.markers.iter().find(|m| m.span.touches(offset))
    }
    pub fn definition_at(&self, offset: usize) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.label_span.touches(offset) || d.span.contains(offset))
    }
    /// The first definition for a marker's label and style family.
    pub fn definition_for(&self, style: NoteStyle, label: &str) -> Option<&Definition> {
        let key = label_key(label);
        self.definitions
            .iter()
            .find(|d| same_family(d.style, style) && label_key(&d.label) == key)
    }
    /// Every marker citing a label.
    pub fn markers_for<'a>(
        &'a self,
        style: NoteStyle,
        label: &str,
    ) -> impl Iterator<Item = &'a Marker> + 'a {
        let key = label_key(label);
        self.markers
            .iter()
            .filter(move |m| same_family(m.style, style) && label_key(&m.label) == key)
    }
}

fn same_family(a: NoteStyle, b: NoteStyle) -> bool {
    a == b
}

/// Find every marker and definition in `text`.
pub fn analyze(_text: &str, _md: &MdModel) -> Notes {
    Notes::default()
}
