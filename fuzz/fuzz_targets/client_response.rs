#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spec_runtime::fuzz::client_response_input(data));
