//! cargo-fuzz target: `redlet::rdb::fuzz::restore_payload` on arbitrary
//! bytes (a DUMP payload body; the footer is appended with a valid CRC).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redlet::rdb::fuzz::restore_payload(data);
});
