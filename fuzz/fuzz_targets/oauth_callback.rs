#![no_main]

use libfuzzer_sys::fuzz_target;

// `[at][byte][query]`: the callback query read from a redirect URL and its state verified; the issued
// state with the byte at `at` replaced must not verify.
fuzz_target!(|data: &[u8]| {
    let (edit, query) = match data {
        [at, byte, rest @ ..] => (Some((usize::from(*at), *byte)), rest),
        _ => (None, data),
    };
    spec_runtime::fuzz::callback(&String::from_utf8_lossy(query), edit);
});
