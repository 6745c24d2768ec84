//! Any bytes on stdin, in any chunking: the sanitiser never panics, and everything it
//! passes on is a message the LSP framework decodes.
#![no_main]

use annalist::lsp::wire::{Framer, Out};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let mut f = Framer::default();
    let mut out = Vec::new();
    let step = (cut as usize).max(1);
    for chunk in rest.chunks(step) {
        f.push(chunk);
        out.extend(f.extract(false, false));
    }
    out.extend(f.extract(false, true));
    out.extend(f.extract(true, false));
    for o in out {
        if let Out::Message(body) = o {
            let text = std::str::from_utf8(&body).expect("UTF-8");
            let v: serde_json::Value = serde_json::from_str(text).expect("JSON");
            assert!(v.is_object(), "{text}");
        }
    }
});
