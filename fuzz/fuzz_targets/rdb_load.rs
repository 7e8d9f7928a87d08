//! cargo-fuzz target: `redlet::rdb::fuzz::rdb_file` on arbitrary bytes (an
//! RDB file; its checksum is zeroed so mutations reach the decoder).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redlet::rdb::fuzz::rdb_file(data);
});
