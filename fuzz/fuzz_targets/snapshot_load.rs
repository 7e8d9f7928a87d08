//! cargo-fuzz target: `redlet::persist::fuzz::snapshot_load` on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redlet::persist::fuzz::snapshot_load(data);
});
