//! cargo-fuzz target: `redlet::persist::fuzz::journal_replay` on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redlet::persist::fuzz::journal_replay(data);
});
