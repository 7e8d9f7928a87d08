//! HyperLogLog, bit-compatible with Redis 7.0: the value is an ordinary
//! string whose bytes are exactly what Redis stores, so HLLs move between
//! redlet and Redis with GET/SET and both compute the same registers, bytes
//! and estimates.
//!
//! ## Representation
//!
//! A 16-byte header, then the registers:
//!
//! | bytes | field |
//! |---|---|
//! | 0..4 | magic `"HYLL"` |
//! | 4 | encoding: 0 dense, 1 sparse |
//! | 5..8 | unused (kept as found, never checked) |
//! | 8..16 | cached cardinality, little endian; the top bit of byte 15 set means "stale" |
//!
//! There are 16384 registers (P = 14), each the longest run of trailing zero
//! bits + 1 (1..=51) seen among the hashes landing in it. Hashes are
//! MurmurHash64A with seed `0xadc83b19`: the low 14 bits pick the register.
//!
//! - **Dense**: 16384 6-bit registers packed LSB-first into 12288 bytes
//!   (register `i` starts at bit `6i`, its low bits in the low bits of byte
//!   `6i/8`). A dense value is exactly 12304 bytes long.
//! - **Sparse**: a run-length sequence of opcodes covering all 16384
//!   registers in order: `00xxxxxx` ZERO (1..=64 zero registers),
//!   `01xxxxxx yyyyyyyy` XZERO (1..=16384 zero registers, 14-bit length),
//!   `1vvvvvxx` VAL (1..=4 registers of value 1..=32). A new HLL is sparse
//!   (one XZERO). It is promoted to dense, for good, when a register needs a
//!   value over 32 or when an edit would make the string longer than
//!   `hll-sparse-max-bytes`.
//!
//! The edit paths reproduce Redis's exactly (how opcodes split, which
//! neighbours merge, when promotion happens), because the bytes are visible
//! to GET. Values written by users may be corrupt: the validity check
//! ([`is_valid`]) is Redis's (magic, encoding, dense length); sparse opcodes
//! are checked as they are walked (decoding fails on a run passing the last
//! register or a total other than 16384, as in Redis builds carrying the
//! CVE-2025-32023 fix, such as the reference 7.0.15), and a read past the
//! end of the string sees the zero byte Redis's strings always carry after
//! their end.
//!
//! The estimate is Ertl's improved estimator ("New cardinality estimation
//! algorithms for HyperLogLog sketches", arXiv:1702.01284) computed with the
//! same floating-point operations in the same order as Redis, so PFCOUNT
//! answers the same number. The square root is computed here (`core` has
//! none) and is correctly rounded, as IEEE requires of C's `sqrt`.

use alloc::vec;
use alloc::vec::Vec;

/// Header size in bytes.
pub const HDR_SIZE: usize = 16;
/// log2 of the number of registers.
pub const P: u32 = 14;
/// Bits of the hash used for the zero run (64 - P).
pub const Q: usize = 64 - P as usize;
/// Number of registers.
pub const REGISTERS: usize = 1 << P;
/// Bits per dense register.
pub const BITS: usize = 6;
/// Largest value a dense register holds.
pub const REGISTER_MAX: u8 = (1 << BITS) - 1;
/// Length of a dense HLL string.
pub const DENSE_SIZE: usize = HDR_SIZE + (REGISTERS * BITS).div_ceil(8);
/// Encoding byte of a dense HLL.
pub const DENSE: u8 = 0;
/// Encoding byte of a sparse HLL.
pub const SPARSE: u8 = 1;
/// Seed Redis hashes elements with.
pub const SEED: u64 = 0xadc8_3b19;

const SPARSE_VAL_MAX_VALUE: u8 = 32;
const SPARSE_VAL_MAX_LEN: usize = 4;
const SPARSE_ZERO_MAX_LEN: usize = 64;
const SPARSE_XZERO_MAX_LEN: usize = 16384;
/// 0.5 / ln(2).
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The HLL's sparse opcodes are inconsistent (Redis: "Corrupted HLL object
/// detected").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// MurmurHash2, 64-bit version, as Redis has it (little-endian word loads on
/// every platform). The length enters the seed as a C `int`.
pub fn murmurhash64a(key: &[u8], seed: u32) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let len = key.len() as u32 as i32 as i64 as u64;
    let mut h = (seed as u64) ^ len.wrapping_mul(M);
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        let mut k = u64::from_le_bytes(b);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= (b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element lands in and its run length (1..=51).
pub fn pat_len(ele: &[u8]) -> (usize, u8) {
    let hash = murmurhash64a(ele, SEED as u32);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// A new, empty HLL: sparse, one XZERO covering every register, valid cache
/// holding 0.
pub fn new_sparse() -> Vec<u8> {
    let mut v = vec![0u8; HDR_SIZE];
    v[..4].copy_from_slice(b"HYLL");
    v[4] = SPARSE;
    let mut left = REGISTERS;
    while left > 0 {
        let n = left.min(SPARSE_XZERO_MAX_LEN);
        push_xzero(&mut v, n);
        left -= n;
    }
    v
}

/// Redis's `isHLLObjectOrReply` test on a string's bytes: long enough for
/// the header, magic "HYLL", a known encoding, and a dense value exactly
/// [`DENSE_SIZE`] long.
pub fn is_valid(v: &[u8]) -> bool {
    v.len() >= HDR_SIZE && &v[..4] == b"HYLL" && v[4] <= SPARSE && (v[4] != DENSE || v.len() == DENSE_SIZE)
}

/// True for a dense HLL (call only on [`is_valid`] values).
pub fn is_dense(v: &[u8]) -> bool {
    v.get(4) == Some(&DENSE)
}

/// The cached cardinality, if the cache is valid.
pub fn cached_card(v: &[u8]) -> Option<u64> {
    let b: [u8; 8] = v.get(8..16)?.try_into().ok()?;
    (b[7] & 0x80 == 0).then(|| u64::from_le_bytes(b))
}

/// Stores `card` as the cached cardinality (a value with the top bit set
/// reads back as stale, as in Redis).
pub fn set_cached_card(v: &mut [u8], card: u64) {
    if let Some(c) = v.get_mut(8..16) {
        c.copy_from_slice(&card.to_le_bytes());
    }
}

/// Marks the cached cardinality stale.
pub fn invalidate_cache(v: &mut [u8]) {
    if let Some(b) = v.get_mut(15) {
        *b |= 0x80;
    }
}

// ---- dense registers ----

/// Register `i` of the dense register array `regs` (bytes past the end read
/// as zero, like the string terminator Redis reads there).
fn dense_get(regs: &[u8], i: usize) -> u8 {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let b0 = regs.get(byte).copied().unwrap_or(0) as u32;
    let b1 = regs.get(byte + 1).copied().unwrap_or(0) as u32;
    (((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX as u32) as u8
}

/// Sets register `i` to `val` (<= 63). The last register never spills into
/// the byte after the array for such values, so nothing is written there.
fn dense_put(regs: &mut [u8], i: usize, val: u8) {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let v = val as u32;
    if let Some(b) = regs.get_mut(byte) {
        *b &= !((REGISTER_MAX as u32) << fb) as u8;
        *b |= (v << fb) as u8;
    }
    if let Some(b) = regs.get_mut(byte + 1) {
        *b &= !((REGISTER_MAX as u32) >> (8 - fb)) as u8;
        *b |= (v >> (8 - fb)) as u8;
    }
}

/// Raises register `i` to `count` if it is lower; true if it changed.
fn dense_set(regs: &mut [u8], i: usize, count: u8) -> bool {
    if count > dense_get(regs, i) {
        dense_put(regs, i, count);
        true
    } else {
        false
    }
}

// ---- sparse opcodes ----

/// A byte of the string, or the implicit terminator (0) past its end.
fn at(v: &[u8], i: usize) -> u8 {
    v.get(i).copied().unwrap_or(0)
}

fn is_zero(b: u8) -> bool {
    b & 0xc0 == 0
}

fn is_xzero(b: u8) -> bool {
    b & 0xc0 == 0x40
}

fn is_val(b: u8) -> bool {
    b & 0x80 != 0
}

fn zero_len(b: u8) -> usize {
    (b & 0x3f) as usize + 1
}

fn xzero_len(v: &[u8], p: usize) -> usize {
    ((((at(v, p) & 0x3f) as usize) << 8) | at(v, p + 1) as usize) + 1
}

fn val_value(b: u8) -> u8 {
    ((b >> 2) & 0x1f) + 1
}

fn val_len(b: u8) -> usize {
    (b & 0x3) as usize + 1
}

fn val_op(val: u8, len: usize) -> u8 {
    (((val - 1) << 2) | (len as u8 - 1)) | 0x80
}

fn push_xzero(out: &mut Vec<u8>, len: usize) {
    let l = len - 1;
    out.push((l >> 8) as u8 | 0x40);
    out.push((l & 0xff) as u8);
}

/// Appends a run of `len` (1..=16384) zero registers: ZERO up to 64, else
/// XZERO.
fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > SPARSE_ZERO_MAX_LEN {
        push_xzero(out, len);
    } else {
        out.push((len - 1) as u8);
    }
}

/// Walks the sparse opcodes of `v` (after the header) as Redis's decoders
/// do: `zeros(n)` for zero runs and `val(first, n, value)` for VAL runs.
/// True when the opcodes cover exactly [`REGISTERS`] registers; a run that
/// would pass the last register stops the walk as invalid (the bounds check
/// of the CVE-2025-32023 fix, which the reference Redis 7.0.15 build
/// carries).
fn walk_sparse(v: &[u8], mut zeros: impl FnMut(usize), mut val: impl FnMut(usize, usize, u8)) -> bool {
    let mut idx = 0usize;
    let mut p = HDR_SIZE;
    while p < v.len() {
        let b = v[p];
        let (n, step) = if is_zero(b) {
            (zero_len(b), 1)
        } else if is_xzero(b) {
            (xzero_len(v, p), 2)
        } else {
            (val_len(b), 1)
        };
        if idx + n > REGISTERS {
            return false;
        }
        if is_val(b) {
            val(idx, n, val_value(b));
        } else {
            zeros(n);
        }
        idx += n;
        p += step;
    }
    idx == REGISTERS
}

/// PFDEBUG DECODE's text for a sparse HLL: `z:<n>` for ZERO, `Z:<n>` for
/// XZERO, `v:<value>,<n>` for VAL, space separated.
pub fn decode_sparse(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut p = HDR_SIZE;
    while p < v.len() {
        let b = v[p];
        let text = if is_zero(b) {
            p += 1;
            alloc::format!("z:{} ", zero_len(b))
        } else if is_xzero(b) {
            let n = xzero_len(v, p);
            p += 2;
            alloc::format!("Z:{} ", n)
        } else {
            p += 1;
            alloc::format!("v:{},{} ", val_value(b), val_len(b))
        };
        out.extend_from_slice(text.as_bytes());
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out
}

/// Register `i` of a dense HLL string (PFDEBUG GETREG).
pub fn dense_register(v: &[u8], i: usize) -> u8 {
    dense_get(v.get(HDR_SIZE..).unwrap_or(&[]), i)
}

/// Converts a sparse HLL to dense in place (the header, cache included, is
/// kept; the encoding byte changes). A dense HLL is left alone.
pub fn sparse_to_dense(v: &mut Vec<u8>) -> Result<(), Corrupt> {
    if at(v, 4) == DENSE {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    let hdr = v.get(..HDR_SIZE).ok_or(Corrupt)?;
    dense[..HDR_SIZE].copy_from_slice(hdr);
    dense[4] = DENSE;
    let regs = &mut dense[HDR_SIZE..];
    let valid = walk_sparse(v, |_| {}, |first, n, value| {
        for i in first..first + n {
            dense_put(regs, i, value);
        }
    });
    if !valid {
        return Err(Corrupt);
    }
    *v = dense;
    Ok(())
}

/// Raises sparse register `index` to `count` if lower, editing the opcodes
/// exactly as Redis's `hllSparseSet` does, promoting to dense when needed.
/// Ok(true) when a register changed.
fn sparse_set(v: &mut Vec<u8>, index: usize, count: u8, max_bytes: u64) -> Result<bool, Corrupt> {
    if count > SPARSE_VAL_MAX_VALUE {
        return promote(v, index, count);
    }
    // Step 1: find the opcode covering `index`.
    let end = v.len();
    let mut p = HDR_SIZE;
    let mut first = 0usize;
    let mut prev: Option<usize> = None;
    let mut span = 0usize;
    while p < end {
        let b = v[p];
        let mut oplen = 1;
        if is_zero(b) {
            span = zero_len(b);
        } else if is_val(b) {
            span = val_len(b);
        } else {
            span = xzero_len(v, p);
            oplen = 2;
        }
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += oplen;
        first += span;
    }
    if span == 0 || p >= end {
        return Err(Corrupt);
    }
    let b = v[p];
    let oldlen = if is_xzero(b) { 2 } else { 1 };
    let (zero_op, runlen) = if is_zero(b) {
        (true, zero_len(b))
    } else if is_xzero(b) {
        (true, xzero_len(v, p))
    } else {
        (false, val_len(b))
    };

    // Step 2: the trivial in-place updates.
    let mut trivial = false;
    if !zero_op {
        if val_value(b) >= count {
            return Ok(false);
        }
        trivial = runlen == 1;
    } else if is_zero(b) && runlen == 1 {
        trivial = true;
    }
    if trivial {
        v[p] = val_op(count, 1);
    } else {
        // The general case: split the opcode around `index`.
        let last = first + span - 1;
        let mut seq: Vec<u8> = Vec::with_capacity(5);
        if zero_op {
            if index != first {
                push_zeros(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zeros(&mut seq, last - index);
            }
        } else {
            let cur = val_value(b);
            if index != first {
                seq.push(val_op(cur, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(cur, last - index));
            }
        }
        // Step 3: replace the old opcode with the sequence.
        let delta = seq.len() as isize - oldlen as isize;
        if delta > 0 && (end as u64).saturating_add(delta as u64) > max_bytes {
            return promote(v, index, count);
        }
        let new_len = (end as isize + delta) as usize;
        // An XZERO cut by the end of the string (corrupt) loses what Redis
        // would write past the new length.
        v.splice(p..(p + oldlen).min(end), seq);
        v.truncate(new_len);
    }

    // Step 4: merge adjacent VALs of equal value, scanning at most five
    // opcodes from the one before the edit.
    let mut p = prev.unwrap_or(HDR_SIZE);
    let mut scan = 5;
    while p < v.len() && scan > 0 {
        scan -= 1;
        let b = v[p];
        if is_xzero(b) {
            p += 2;
            continue;
        } else if is_zero(b) {
            p += 1;
            continue;
        }
        if p + 1 < v.len() && is_val(v[p + 1]) {
            let (v1, v2) = (val_value(b), val_value(v[p + 1]));
            if v1 == v2 {
                let len = val_len(b) + val_len(v[p + 1]);
                if len <= SPARSE_VAL_MAX_LEN {
                    v[p + 1] = val_op(v1, len);
                    v.remove(p);
                    continue;
                }
            }
        }
        p += 1;
    }
    invalidate_cache(v);
    Ok(true)
}

/// Promotes to dense, then sets the register.
fn promote(v: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    sparse_to_dense(v)?;
    Ok(dense_set(&mut v[HDR_SIZE..], index, count))
}

/// Raises register `index` to `count` whatever the encoding. Sparse edits
/// invalidate the cache themselves; dense ones leave that to the caller,
/// as in Redis.
pub fn set_register(v: &mut Vec<u8>, index: usize, count: u8, max_bytes: u64) -> Result<bool, Corrupt> {
    match at(v, 4) {
        DENSE => Ok(dense_set(v.get_mut(HDR_SIZE..).ok_or(Corrupt)?, index, count)),
        SPARSE => sparse_set(v, index, count, max_bytes),
        _ => Err(Corrupt),
    }
}

/// Adds one element (PFADD's step): Ok(true) if a register changed.
pub fn add(v: &mut Vec<u8>, ele: &[u8], max_bytes: u64) -> Result<bool, Corrupt> {
    let (index, count) = pat_len(ele);
    set_register(v, index, count, max_bytes)
}

/// Merges the registers of `v` into `max` (`max[i] = max(max[i], reg[i])`).
/// A sparse value that does not cover exactly every register is corrupt.
pub fn merge_into(max: &mut [u8; REGISTERS], v: &[u8]) -> Result<(), Corrupt> {
    if at(v, 4) == DENSE {
        let regs = v.get(HDR_SIZE..).unwrap_or(&[]);
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(regs, i));
        }
        return Ok(());
    }
    let valid = walk_sparse(v, |_| {}, |first, n, value| {
        for m in &mut max[first..first + n] {
            *m = (*m).max(value);
        }
    });
    if valid {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// The HLL whose registers are `max`, encoded as PFMERGE writes into
/// `dest`: every non-zero register is raised in turn (sparse edits,
/// promotion and all), after converting `dest` to dense if `use_dense`.
/// The cache is invalidated.
pub fn store_registers(dest: &mut Vec<u8>, max: &[u8; REGISTERS], use_dense: bool, max_bytes: u64) -> Result<(), Corrupt> {
    if use_dense {
        sparse_to_dense(dest)?;
    }
    for (j, &m) in max.iter().enumerate() {
        if m != 0 {
            // Errors cannot happen on a validated value; Redis ignores them.
            let _ = set_register(dest, j, m, max_bytes);
        }
    }
    invalidate_cache(dest);
    Ok(())
}

/// The cardinality estimate of a valid HLL string (ignoring the cache).
/// Corrupt sparse opcodes are an error.
pub fn count(v: &[u8]) -> Result<u64, Corrupt> {
    let mut histo = [0u64; 64];
    if at(v, 4) == DENSE {
        let regs = v.get(HDR_SIZE..).unwrap_or(&[]);
        for i in 0..REGISTERS {
            histo[dense_get(regs, i) as usize] += 1;
        }
    } else {
        let mut zeros = 0u64;
        let valid = walk_sparse(v, |n| zeros += n as u64, |_, n, value| histo[value as usize] += n as u64);
        histo[0] += zeros;
        if !valid {
            return Err(Corrupt);
        }
    }
    Ok(estimate(&histo))
}

/// The estimate for one register per byte (PFCOUNT over several keys).
pub fn count_registers(regs: &[u8; REGISTERS]) -> u64 {
    let mut histo = [0u64; 64];
    for &r in regs.iter() {
        histo[(r & 63) as usize] += 1;
    }
    estimate(&histo)
}

/// Ertl's improved estimator from the register histogram, operation for
/// operation as Redis's `hllCount`.
fn estimate(histo: &[u64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histo[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histo[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histo[0] as f64 / m);
    llround(ALPHA_INF * m * m / z) as u64
}

/// Ertl's sigma.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let z_prime = z;
        z += x * y;
        y += y;
        if z_prime == z {
            return z;
        }
    }
}

/// Ertl's tau (C's `pow(1 - x, 2)` is a plain square: compilers fold it).
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = sqrt(x);
        let z_prime = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if z_prime == z {
            return z / 3.0;
        }
    }
}

/// C's `llroundl` of a double: halves away from zero; out of range (or
/// NaN) gives `LLONG_MIN`, as x86-64's conversion does.
fn llround(x: f64) -> i64 {
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
        return i64::MIN;
    }
    let t = x as i64;
    // Exact: |x| < 2^63 and, below 2^53, subtracting the integer part is exact.
    let frac = x - t as f64;
    if frac >= 0.5 {
        t + 1
    } else if frac <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// Correctly rounded square root (round to nearest even) of a positive,
/// finite, normal double: the integer square root of the scaled
/// significand, with a sticky bit, rounded by the exact u128 -> f64
/// conversion, then scaled back by a power of two.
pub fn sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 || x.is_infinite() {
        return x;
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    // x = mant * 2^e with mant an integer.
    let (mut mant, mut e) = if exp == 0 { (frac, -1074i64) } else { (frac | (1u64 << 52), exp - 1075) };
    // Normalize subnormals so the root keeps its precision.
    while mant < (1u64 << 52) {
        mant <<= 1;
        e -= 1;
    }
    if e & 1 != 0 {
        mant <<= 1;
        e -= 1;
    }
    // mant < 2^54; scale by 2^70 so the root has >= 62 significant bits.
    let n = (mant as u128) << 70;
    let r = n.isqrt();
    let sticky = (r * r != n) as u128;
    let root = ((r << 1) | sticky) as f64; // sqrt(x) = root * 2^(e/2 - 35 - 1)
    scale(root, e / 2 - 36)
}

/// `v * 2^k` for results in the normal range, in steps that stay exact.
fn scale(mut v: f64, mut k: i64) -> f64 {
    while k > 1000 {
        v *= f64::from_bits(((1000 + 1023) as u64) << 52);
        k -= 1000;
    }
    while k < -1000 {
        v *= f64::from_bits(((-1000 + 1023) as u64) << 52);
        k += 1000;
    }
    v * f64::from_bits(((k + 1023) as u64) << 52)
}

/// PFSELFTEST, as Redis runs it: (1) 1000 rounds of random dense register
/// writes read back; (2) 10,000,000 elements added to a dense and a sparse
/// HLL, checking at each power of ten that the sparse one is still sparse
/// while small, that both estimate the same, and that the error stays
/// within six standard errors. The error text is Redis's.
pub fn selftest(mut rand: impl FnMut() -> u32, max_bytes: u64) -> Result<(), alloc::string::String> {
    use alloc::format;
    let mut dense = vec![0u8; DENSE_SIZE];
    let mut want = vec![0u8; REGISTERS];
    for _ in 0..1000 {
        for (i, w) in want.iter_mut().enumerate() {
            let r = (rand() & REGISTER_MAX as u32) as u8;
            *w = r;
            dense_put(&mut dense[HDR_SIZE..], i, r);
        }
        for (i, &w) in want.iter().enumerate() {
            let got = dense_get(&dense[HDR_SIZE..], i);
            if got != w {
                return Err(format!("TESTFAILED Register {} should be {} but is {}", i, w, got));
            }
        }
    }
    dense.iter_mut().for_each(|b| *b = 0);
    dense[..4].copy_from_slice(b"HYLL");
    let mut sparse = new_sparse();
    let relerr = 1.04 / 128.0; // 1.04 / sqrt(16384)
    let mut checkpoint: u64 = 1;
    let seed = rand() as u64 | ((rand() as u64) << 32);
    for j in 1..=10_000_000u64 {
        let ele = (j ^ seed).to_le_bytes();
        let (index, run) = pat_len(&ele);
        dense_set(&mut dense[HDR_SIZE..], index, run);
        let _ = set_register(&mut sparse, index, run, max_bytes);
        if j != checkpoint {
            continue;
        }
        if j < max_bytes / 2 && is_dense(&sparse) {
            return Err(alloc::string::String::from("TESTFAILED sparse encoding not used"));
        }
        let dc = count(&dense).unwrap_or(0);
        if Ok(dc) != count(&sparse) {
            return Err(alloc::string::String::from("TESTFAILED dense/sparse disagree"));
        }
        let abserr = (checkpoint as i64 - dc as i64).unsigned_abs();
        let mut maxerr = ceil(relerr * 6.0 * checkpoint as f64);
        if j == 10 {
            maxerr = 1;
        }
        if abserr > maxerr {
            return Err(format!("TESTFAILED Too big error. card:{} abserr:{}", checkpoint, abserr));
        }
        checkpoint *= 10;
    }
    Ok(())
}

/// `ceil` of a non-negative double below 2^63.
fn ceil(x: f64) -> u64 {
    let t = x as u64;
    if (t as f64) < x {
        t + 1
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn sqrt_is_correctly_rounded() {
        let mut s = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = (s >> 11) as f64 / (1u64 << 53) as f64 + f64::MIN_POSITIVE;
            assert_eq!(sqrt(x).to_bits(), std::primitive::f64::sqrt(x).to_bits(), "{x}");
            let y = f64::from_bits(s & 0x7fef_ffff_ffff_ffff);
            assert_eq!(sqrt(y).to_bits(), std::primitive::f64::sqrt(y).to_bits(), "{y}");
        }
        for x in [1.0, 2.0, 4.0, 0.25, 1e-300, 1e300, 0.5, 0.999_999_999, 5e-324, 1e-310] {
            assert_eq!(sqrt(x).to_bits(), std::primitive::f64::sqrt(x).to_bits());
        }
    }

    #[test]
    fn llround_halves_away() {
        assert_eq!(llround(2.5), 3);
        assert_eq!(llround(2.4999), 2);
        assert_eq!(llround(-2.5), -3);
        assert_eq!(llround(f64::INFINITY), i64::MIN);
    }

    #[test]
    fn dense_registers_roundtrip() {
        let mut regs = vec![0u8; DENSE_SIZE - HDR_SIZE];
        let mut want = vec![0u8; REGISTERS];
        let mut s = 7u64;
        for (i, w) in want.iter_mut().enumerate() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (s >> 58) as u8;
            *w = r;
            dense_put(&mut regs, i, r);
        }
        for (i, &w) in want.iter().enumerate() {
            assert_eq!(dense_get(&regs, i), w);
        }
    }

    #[test]
    fn sparse_and_dense_agree() {
        let mut sp = new_sparse();
        let mut de = new_sparse();
        sparse_to_dense(&mut de).unwrap();
        for i in 0..5000u32 {
            let e = i.to_le_bytes();
            assert_eq!(add(&mut sp, &e, u64::MAX).unwrap(), add(&mut de, &e, u64::MAX).unwrap());
            if i % 97 == 0 {
                assert_eq!(count(&sp).unwrap(), count(&de).unwrap());
            }
        }
        assert!(!is_dense(&sp));
        let mut conv = sp.clone();
        sparse_to_dense(&mut conv).unwrap();
        assert_eq!(conv[HDR_SIZE..], de[HDR_SIZE..]);
    }
}
