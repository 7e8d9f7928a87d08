//! LZF, the compression RDB strings use (liblzf by Marc Lehmann, BSD;
//! written here from its algorithm, not its code).
//!
//! The compressor reproduces Redis's build of liblzf exactly (`lzfP.h`:
//! `HLOG 16`, `VERY_FAST 1`, `ULTRA_FAST 0`), so a DUMP's compressed
//! strings are byte for byte Redis's. Format: `000LLLLL` + L+1 literal
//! bytes; `LLLooooo oooooooo` a back reference of L+2 bytes (L < 7) at
//! distance o+1; `111ooooo LLLLLLLL oooooooo` one of L+9 bytes.
//!
//! One deliberate difference: Redis leaves its hash table uninitialized
//! (`INIT_HTAB 0`), so a stale slot can, rarely, point at an earlier equal
//! triple and give another (equally valid) encoding. Here the table starts
//! empty for every input, which is what liblzf does with `INIT_HTAB 1`.

use alloc::vec;
use alloc::vec::Vec;

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

/// Most output bytes one input byte of an LZF stream can produce: a
/// 3-byte long back reference yields 264 bytes. Bounds what a declared
/// uncompressed length may claim before anything is allocated.
pub const MAX_RATIO: usize = 88;

#[inline(always)]
fn idx(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// A reusable compressor: the hash table (256 KiB) is allocated once and
/// cleared between inputs, so an RDB export of many small strings does not
/// allocate it per string.
pub struct Compressor {
    /// Input position + ... of the last triple hashed to each slot; 0 is
    /// "none" (position 0 can never be a reference: liblzf requires
    /// `ref > in_data`).
    htab: Vec<u32>,
}

impl Default for Compressor {
    fn default() -> Self {
        Self::new()
    }
}

impl Compressor {
    /// A compressor with an empty table.
    pub fn new() -> Self {
        Compressor { htab: Vec::new() }
    }

    /// `lzf_compress(input, out_len)`: the compressed bytes if they fit in
    /// `out_len` bytes, else `None` (as liblzf returns 0).
    pub fn compress(&mut self, input: &[u8], out_len: usize) -> Option<Vec<u8>> {
        if input.is_empty() || out_len == 0 || input.len() > u32::MAX as usize {
            return None;
        }
        if self.htab.is_empty() {
            self.htab = vec![0u32; HSIZE];
        }
        let r = self.run(input, out_len);
        // Clear what this input touched: every slot any of its triples
        // hashes to (a superset of the slots written).
        if input.len() >= HSIZE / 4 {
            self.htab.iter_mut().for_each(|s| *s = 0);
        } else if input.len() >= 3 {
            let mut h = ((input[0] as u32) << 8) | input[1] as u32;
            for &b in &input[2..] {
                h = (h << 8) | b as u32;
                self.htab[idx(h)] = 0;
            }
        }
        r
    }

    fn run(&mut self, inp: &[u8], out_len: usize) -> Option<Vec<u8>> {
        let in_len = inp.len();
        let htab = &mut self.htab;
        let mut out = vec![0u8; out_len];
        let mut op: usize = 1; // a literal run starts with its length byte
        let mut lit: usize = 0;
        let mut ip: usize = 0;
        let mut hval: u32 = if in_len >= 2 { ((inp[0] as u32) << 8) | inp[1] as u32 } else { 0 };
        while ip + 2 < in_len {
            hval = (hval << 8) | inp[ip + 2] as u32;
            let slot = idx(hval);
            let r = htab[slot] as usize;
            htab[slot] = ip as u32;
            let off = ip.wrapping_sub(r).wrapping_sub(1);
            if r > 0 && off < MAX_OFF && inp[r + 2] == inp[ip + 2] && inp[r] == inp[ip] && inp[r + 1] == inp[ip + 1] {
                let mut len: usize = 2;
                let maxlen = (in_len - ip - len).min(MAX_REF);
                if op + 3 + 1 >= out_len && op - usize::from(lit == 0) + 3 + 1 >= out_len {
                    return None;
                }
                out[op - lit - 1] = (lit as u8).wrapping_sub(1); // stop the run
                op -= usize::from(lit == 0); // an empty run is undone
                'm: {
                    if maxlen > 16 {
                        for _ in 0..16 {
                            len += 1;
                            if inp[r + len] != inp[ip + len] {
                                break 'm;
                            }
                        }
                    }
                    loop {
                        len += 1;
                        if !(len < maxlen && inp[r + len] == inp[ip + len]) {
                            break;
                        }
                    }
                }
                len -= 2;
                ip += 1;
                if len < 7 {
                    out[op] = ((off >> 8) + (len << 5)) as u8;
                    op += 1;
                } else {
                    out[op] = ((off >> 8) + (7 << 5)) as u8;
                    out[op + 1] = (len - 7) as u8;
                    op += 2;
                }
                out[op] = off as u8;
                op += 1;
                lit = 0;
                op += 1; // start a run
                ip += len + 1;
                if ip + 2 >= in_len {
                    break;
                }
                // VERY_FAST: hash the last two positions of the match.
                ip -= 2;
                hval = ((inp[ip] as u32) << 8) | inp[ip + 1] as u32;
                hval = (hval << 8) | inp[ip + 2] as u32;
                htab[idx(hval)] = ip as u32;
                ip += 1;
                hval = (hval << 8) | inp[ip + 2] as u32;
                htab[idx(hval)] = ip as u32;
                ip += 1;
            } else {
                if op >= out_len {
                    return None;
                }
                lit += 1;
                out[op] = inp[ip];
                op += 1;
                ip += 1;
                if lit == MAX_LIT {
                    out[op - lit - 1] = (lit - 1) as u8;
                    lit = 0;
                    op += 1;
                }
            }
        }
        if op + 3 > out_len {
            return None;
        }
        while ip < in_len {
            lit += 1;
            out[op] = inp[ip];
            op += 1;
            ip += 1;
            if lit == MAX_LIT {
                out[op - lit - 1] = (lit - 1) as u8;
                lit = 0;
                op += 1;
            }
        }
        out[op - lit - 1] = (lit as u8).wrapping_sub(1);
        op -= usize::from(lit == 0);
        out.truncate(op);
        Some(out)
    }
}

/// `lzf_decompress` into exactly `out_len` bytes: `None` if the stream is
/// malformed (a reference before the start, a truncated instruction) or
/// does not produce exactly `out_len` bytes. The caller bounds `out_len`
/// (see [`MAX_RATIO`]).
pub fn decompress(src: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(out_len);
    let mut i = 0;
    while i < src.len() {
        let ctrl = src[i] as usize;
        i += 1;
        if ctrl < 32 {
            let n = ctrl + 1;
            if out.len() + n > out_len {
                return None;
            }
            out.extend_from_slice(src.get(i..i.checked_add(n)?)?);
            i += n;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *src.get(i)? as usize;
                i += 1;
            }
            let back = ((ctrl & 0x1F) << 8) + *src.get(i)? as usize + 1;
            i += 1;
            len += 2;
            if out.len() + len > out_len {
                return None;
            }
            let start = out.len().checked_sub(back)?;
            // Overlapping copies repeat the pattern, byte by byte.
            for k in 0..len {
                let b = out[start + k];
                out.push(b);
            }
        }
    }
    (out.len() == out_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut c = Compressor::new();
        let mut inputs: Vec<Vec<u8>> = vec![b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(), (0..5000u32).map(|i| (i % 7) as u8).collect()];
        let mut x = 1u32;
        inputs.push((0..20000).map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8 % 4
        }).collect());
        for inp in inputs {
            let z = c.compress(&inp, inp.len() - 4).unwrap();
            assert!(z.len() < inp.len());
            assert_eq!(decompress(&z, inp.len()).unwrap(), inp);
            // The table is cleared between inputs: same bytes twice.
            assert_eq!(c.compress(&inp, inp.len() - 4).unwrap(), z);
        }
        // Incompressible input does not fit in len - 4.
        let noise: Vec<u8> = (0..64u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert!(c.compress(&noise, noise.len() - 4).is_none());
    }

    #[test]
    fn redis_bytes() {
        // `SET k` 50 a's DUMPs (redis-server 7.0.15) as
        // `00 C3 09 32 01 61 61 E0 25 00 01 61 61 ...`: 2 literals (position
        // 0 is never a reference), 46 bytes back 1, 2 literals.
        let z = [0x01, 0x61, 0x61, 0xE0, 0x25, 0x00, 0x01, 0x61, 0x61];
        let mut c = Compressor::new();
        assert_eq!(c.compress(&[b'a'; 50], 46).unwrap(), z.to_vec());
        assert_eq!(decompress(&z, 50).unwrap(), vec![b'a'; 50]);
        assert!(decompress(&z, 49).is_none());
        assert!(decompress(&[0x20, 0x00], 3).is_none());
    }
}
