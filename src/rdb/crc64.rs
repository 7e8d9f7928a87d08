//! Redis's CRC-64 (`crc64.c`): the Jones polynomial `0xad93d23594c935a9`,
//! reflected in and out, no final xor, started at 0 by its callers. Check
//! value: `0xe9c6d914c4b8d9ca` for `"123456789"` (Redis's own self-test).
//! It guards DUMP payloads and RDB files.
//!
//! Slice-by-8 tables from [`crate::snapshot::crc64_slice8`], which builds
//! the snapshot's CRC-64/XZ too: same engine, another polynomial and
//! another init/xorout.

// The reflected Jones polynomial.
crate::snapshot::crc64_slice8!(0x95AC_9329_AC4B_C9B5);

/// Redis's `crc64(crc, data)`: continues the checksum `crc` (0 to start)
/// over `data`.
pub fn crc64(crc: u64, data: &[u8]) -> u64 {
    update(crc, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_check_value() {
        assert_eq!(crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
        // Continuing equals one pass, at every split.
        let data = b"This is a test of the emergency broadcast system.";
        for k in 0..data.len() {
            assert_eq!(crc64(crc64(0, &data[..k]), &data[k..]), crc64(0, data));
        }
    }
}
