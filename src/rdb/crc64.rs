//! Redis's CRC-64 (`crc64.c`): the Jones polynomial `0xad93d23594c935a9`,
//! reflected in and out, no final xor, started at 0 by its callers. Check
//! value: `0xe9c6d914c4b8d9ca` for `"123456789"` (Redis's own self-test).
//! It guards DUMP payloads and RDB files.
//!
//! Slice-by-8 tables, built the way [`crate::snapshot::crc64`] builds its
//! own (a zeroed static filled on first use where 64-bit atomics exist, so
//! the 16 KiB of table cost no bytes in the wasm; computed at compile time
//! elsewhere). Kept separate from that CRC-64/XZ: same shape, another
//! polynomial and another init/xorout.

/// The reflected Jones polynomial.
const POLY: u64 = 0x95AC_9329_AC4B_C9B5;

const fn tables() -> [[u64; 256]; 8] {
    let mut t = [[0u64; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut s = 1;
    while s < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            i += 1;
        }
        s += 1;
    }
    t
}

#[cfg(target_has_atomic = "64")]
mod table {
    use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    static T: [[AtomicU64; 256]; 8] = [const { [const { AtomicU64::new(0) }; 256] }; 8];
    static READY: AtomicBool = AtomicBool::new(false);

    /// The tables, filled if this is the first use (racing first uses each
    /// write the same values; `READY` publishes them).
    #[inline]
    pub(super) fn get() -> &'static [[AtomicU64; 256]; 8] {
        if !READY.load(Ordering::Acquire) {
            fill();
        }
        &T
    }

    #[cold]
    fn fill() {
        let v = super::tables();
        for (row, vrow) in T.iter().zip(&v) {
            for (e, &x) in row.iter().zip(vrow) {
                e.store(x, Ordering::Relaxed);
            }
        }
        READY.store(true, Ordering::Release);
    }

    #[inline(always)]
    pub(super) fn at(t: &[[AtomicU64; 256]; 8], s: usize, i: u64) -> u64 {
        t[s][i as usize].load(Ordering::Relaxed)
    }
}

#[cfg(not(target_has_atomic = "64"))]
mod table {
    static T: [[u64; 256]; 8] = super::tables();

    #[inline]
    pub(super) fn get() -> &'static [[u64; 256]; 8] {
        &T
    }

    #[inline(always)]
    pub(super) fn at(t: &[[u64; 256]; 8], s: usize, i: u64) -> u64 {
        t[s][i as usize]
    }
}

/// Redis's `crc64(crc, data)`: continues the checksum `crc` (0 to start)
/// over `data`.
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    use table::at;
    let t = table::get();
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let v = crc ^ u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        crc = at(t, 7, v & 0xFF)
            ^ at(t, 6, (v >> 8) & 0xFF)
            ^ at(t, 5, (v >> 16) & 0xFF)
            ^ at(t, 4, (v >> 24) & 0xFF)
            ^ at(t, 3, (v >> 32) & 0xFF)
            ^ at(t, 2, (v >> 40) & 0xFF)
            ^ at(t, 1, (v >> 48) & 0xFF)
            ^ at(t, 0, v >> 56);
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ at(t, 0, (crc ^ b as u64) & 0xFF);
    }
    crc
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
