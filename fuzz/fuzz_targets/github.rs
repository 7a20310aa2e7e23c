#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spec_core_fuzz::run(spec_core::SignatureScheme::Github, data));
