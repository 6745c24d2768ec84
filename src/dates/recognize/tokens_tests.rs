//! The dates tokenizer against a walk over characters.

use super::*;

/// The tokens as a walk over `char_indices` finds them: what [`tokenize`] did
/// before it read ASCII byte by byte.
fn char_tokens(text: &str, piece: Span) -> Vec<(K, usize, usize, bool)> {
    let mut out = Vec::new();
    let Some(s) = text.get(piece.start..piece.end) else {
        return out;
    };
    let mut gap = true;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        let k = if c.is_ascii_digit() {
            K::Num
        } else if c.is_alphabetic() {
            K::Word
        } else {
            K::Punct
        };
        let mut end = i + c.len_utf8();
        if k != K::Punct {
            while let Some(&(j, d)) = it.peek() {
                let same = match k {
                    K::Num => d.is_ascii_digit(),
                    _ => d.is_alphabetic(),
                };
                if !same {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
        }
        out.push((k, piece.start + i, piece.start + end, gap));
        gap = false;
    }
    out
}

fn tokens(text: &str, piece: Span) -> Vec<(K, usize, usize, bool)> {
    let mut v = Vec::new();
    tokenize(text, piece, &mut v);
    v.iter().map(|t| (t.k, t.s, t.e, t.gap)).collect()
}

/// The byte-wise tokenizer gives the tokens of the character-wise one: on every
/// fixture and on texts mixing what it must tell apart (white space of every kind,
/// letters and digits beyond ASCII, combining marks, punctuation).
#[test]
fn tokens_are_those_of_a_walk_over_characters() {
    let mut texts: Vec<String> = vec![
        "On 25 June 1950, at 0400 hours; 1950-06-25 (Sunday).".into(),
        "\u{b}a\u{c}b\u{85}c\u{a0}d\u{2009}e\u{3000}f\u{1680}g\u{2028}h\r\n\ti".into(),
        "Pak Hŏn-yŏng, Ким Ир Сен, 金日成, Sŏul১২৩ ٣٤ x²y ½ e\u{301}té Ǆ ﬁ".into(),
        "ab12cd--34,,é5ü6 7ö.\u{200b}z\u{feff}q".into(),
        String::new(),
        "1".into(),
        "é".into(),
    ];
    texts.extend(
        crate::project::fixture_texts::all()
            .into_iter()
            .map(|(_, t)| t),
    );
    for t in &texts {
        let whole = Span::new(0, t.len());
        assert_eq!(tokens(t, whole), char_tokens(t, whole), "{t:.80}");
        // Pieces starting and ending anywhere on a character boundary.
        let cuts: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        for w in cuts.windows(2).step_by(97) {
            let piece = Span::new(w[0], (w[1] + 40).min(t.len()));
            if t.is_char_boundary(piece.end) {
                assert_eq!(
                    tokens(t, piece),
                    char_tokens(t, piece),
                    "{piece:?} of {t:.80}"
                );
            }
        }
    }
}
