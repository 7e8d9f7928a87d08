//! SORT and SORT_RO (their table entries live in the keys family table).
//!
//! Redis's algorithm, step by step (`sortCommandGeneric`): parse options,
//! look the key up (missing = empty list; not a list/set/zset = WRONGTYPE),
//! clamp LIMIT to the length, load the elements, load each element's weight
//! (the element itself, or the `BY` pattern's key or hash field), sort,
//! then emit the LIMIT range, expanding each element through the `GET`
//! patterns, or store it as a list.
//!
//! Exactness notes:
//! - numeric weights are read with C `strtod` rules (leading whitespace,
//!   hex floats, `inf`/`nan` forms; the text must be consumed up to its end
//!   or a NUL; overflow, and inexact underflow, are errors), see [`strtod`];
//! - equal weights order by the element's bytes; ALPHA compares bytes (the C
//!   and C.UTF-8 locales' collation), up to the first NUL unless STORE is
//!   given (Redis then compares binary-safe);
//! - Redis's `qsort` is glibc's stable merge sort, except that BY with a
//!   LIMIT uses Redis's own partial quicksort ([`pqsort`], ported
//!   faithfully) whose order of equal elements is not stable;
//! - sets are loaded in the set type's iteration order: ascending for an
//!   intset, as Redis; slot order for a hashtable (Redis's hash order cannot
//!   be reproduced, which only shows with BY nosort or ties);
//! - not reproduced: Redis never clears `errno` before its `strtod`, so
//!   after a SORT that hit a range error, a later SORT whose weights are
//!   non-integer strings can fail too until unrelated code resets `errno`;
//! - sorted sets are converted to the skiplist encoding as Redis does;
//!   with BY nosort they come in score order (reversed by DESC), only the
//!   LIMIT range loaded; otherwise in score order where Redis uses its
//!   dict's order (which only shows through ties).

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::cmd::{is_kw, Args, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::reply::Reply;
use crate::types::{List, Value};

/// Options of [`sort`].
#[derive(Debug, Clone, Default)]
pub struct SortOptions<'a> {
    /// `BY pattern`: weights come from the keys (or `key->field` hash
    /// fields) the pattern names with `*` replaced by the element. A
    /// pattern without `*` means "do not sort".
    pub by: Option<&'a [u8]>,
    /// Skip sorting whatever `by` says (set by the parser when any of several
    /// BY options had no `*`, which Redis never undoes).
    pub nosort: bool,
    /// `LIMIT offset count` (negative count = to the end).
    pub limit: Option<(i64, i64)>,
    /// `GET pattern...`; `#` is the element itself.
    pub get: Vec<&'a [u8]>,
    /// DESC.
    pub desc: bool,
    /// ALPHA: compare as strings, not numbers.
    pub alpha: bool,
    /// `STORE key`: store the result as a list instead of returning it.
    pub store: Option<&'a [u8]>,
}

/// What [`sort`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortOutcome {
    /// The result (GET of a missing key yields `None`).
    Items(Vec<Option<Vec<u8>>>),
    /// STORE: the length of the stored list (0 = the key was deleted).
    Stored(u64),
}

/// One element being sorted.
struct Item {
    obj: Vec<u8>,
    score: f64,
    /// ALPHA with BY: the weight string, `None` when its key is missing.
    cmpobj: Option<Vec<u8>>,
}

/// SORT handler.
pub fn sort_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    sort_generic(cx, a, false)
}

/// SORT_RO handler (STORE is a syntax error).
pub fn sort_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    sort_generic(cx, a, true)
}

fn sort_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, readonly: bool) -> Result<Reply> {
    let key = a.req()?;
    let mut o = SortOptions::default();
    while let Some(arg) = a.next() {
        let left = a.remaining();
        if is_kw(arg, "asc") {
            o.desc = false;
        } else if is_kw(arg, "desc") {
            o.desc = true;
        } else if is_kw(arg, "alpha") {
            o.alpha = true;
        } else if is_kw(arg, "limit") && left >= 2 {
            let start = a.i64()?;
            let count = a.i64()?;
            o.limit = Some((start, count));
        } else if !readonly && is_kw(arg, "store") && left >= 1 {
            o.store = Some(a.req()?);
        } else if is_kw(arg, "by") && left >= 1 {
            let p = a.req()?;
            if !has_star(p) {
                o.nosort = true;
            }
            o.by = Some(p);
        } else if is_kw(arg, "get") && left >= 1 {
            o.get.push(a.req()?);
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok(match sort(cx, key, &o)? {
        SortOutcome::Items(items) => Reply::Array(items.into_iter().map(|i| i.map_or(Reply::Nil, Reply::Bulk)).collect()),
        SortOutcome::Stored(n) => Reply::Int(n as i64),
    })
}

/// The bytes of `s` a C string function sees: up to the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(i) => &s[..i],
        None => s,
    }
}

/// `strchr(pattern, '*') != NULL`.
fn has_star(p: &[u8]) -> bool {
    c_str(p).contains(&b'*')
}

/// Redis's `lookupKeyByPattern`: `#` is `subst` itself; otherwise the first
/// `*` is replaced by `subst` and, if `->field` (non-empty) follows it, the
/// field of the hash at that key is read; else the string at that key. A
/// pattern without `*`, a missing key or field, or a wrong type gives `None`.
/// The key lookup is a counted read.
pub fn lookup_by_pattern(cx: &mut Ctx<'_>, pattern: &[u8], subst: &[u8]) -> Option<Vec<u8>> {
    if pattern.first() == Some(&b'#') && pattern.get(1).is_none_or(|&b| b == 0) {
        return Some(subst.to_vec());
    }
    let cpat = c_str(pattern);
    let star = cpat.iter().position(|&b| b == b'*')?;
    // strstr(p+1, "->") with a non-NUL byte after the arrow.
    let after = &cpat[star + 1..];
    let arrow = after.windows(2).position(|w| w == b"->").map(|i| star + 1 + i).filter(|&f| f + 2 < cpat.len());
    let (postfix_end, field) = match arrow {
        Some(f) => (f, Some(&pattern[f + 2..])),
        None => (pattern.len(), None),
    };
    let mut k = Vec::with_capacity(pattern.len() + subst.len());
    k.extend_from_slice(&pattern[..star]);
    k.extend_from_slice(subst);
    k.extend_from_slice(&pattern[star + 1..postfix_end]);
    let now = cx.now;
    let e = cx.db().read(&k, now)?;
    match (&e.value, field) {
        (Value::Hash(h), Some(f)) => h.get(f).map(|v| v.to_vec()),
        (Value::Str(s), None) => Some(s.to_vec()),
        _ => None,
    }
}

/// SORT / SORT_RO with all options, on the selected db.
pub fn sort(cx: &mut Ctx<'_>, key: &[u8], opts: &SortOptions<'_>) -> Result<SortOutcome> {
    let now = cx.now;
    let mut dontsort = opts.nosort || opts.by.is_some_and(|b| !has_star(b));
    let mut alpha = opts.alpha;
    let mut by = opts.by;
    let desc = opts.desc;

    // Look the key up and load the vector, with LIMIT clamped to the length.
    let mut start: i64;
    let mut end: i64;
    let mut items: Vec<Item>;
    {
        // Redis converts a listpack-encoded sorted set for SORT, for good
        // (OBJECT ENCODING then says skiplist), even for SORT_RO.
        let value = cx.db().read(key, now).map(|e| {
            if let Value::ZSet(z) = &mut e.value {
                z.convert_to_skiplist();
            }
            &e.value
        });
        let empty = Value::List(Box::default());
        let value = value.unwrap_or(&empty);
        let total = match value {
            Value::List(l) => l.len(),
            Value::Set(s) => s.len(),
            Value::ZSet(z) => z.len(),
            _ => return Err(Error::WrongType),
        };
        if dontsort && matches!(value, Value::Set(_)) && opts.store.is_some() {
            // A set has no natural order: make a stored result deterministic.
            dontsort = false;
            alpha = true;
            by = None;
        }
        let mut vectorlen = total as i64;
        let (limit_start, limit_count) = opts.limit.unwrap_or((0, -1));
        start = limit_start.clamp(0, vectorlen);
        let limit_count = limit_count.clamp(-1, vectorlen);
        end = if limit_count < 0 { vectorlen - 1 } else { start + limit_count - 1 };
        if start >= vectorlen {
            start = vectorlen - 1;
            end = vectorlen - 2;
        }
        if end >= vectorlen {
            end = vectorlen - 1;
        }
        let new = |obj: Vec<u8>| Item { obj, score: 0.0, cmpobj: None };
        items = match value {
            Value::List(l) if dontsort => {
                if start != 0 || end != vectorlen - 1 {
                    vectorlen = end - start + 1;
                }
                let mut v = Vec::new();
                if end >= start {
                    let take = vectorlen.max(0) as usize;
                    let s = start as usize;
                    if desc {
                        v.extend(l.iter().rev().skip(s).take(take).map(|x| new(x.to_vec())));
                    } else {
                        v.extend(l.iter().skip(s).take(take).map(|x| new(x.to_vec())));
                    }
                    end -= start;
                    start = 0;
                }
                v
            }
            Value::List(l) => l.iter().map(|x| new(x.to_vec())).collect(),
            Value::Set(s) => s.iter().map(|m| new(m.to_vec())).collect(),
            // Not sorting: the sorted set's own order (reversed by DESC),
            // only the LIMIT range loaded, as Redis's optimisation does.
            Value::ZSet(z) if dontsort => {
                if start != 0 || end != vectorlen - 1 {
                    vectorlen = end - start + 1;
                }
                let take = vectorlen.max(0) as usize;
                let s = start.max(0) as usize;
                let mut v = Vec::with_capacity(take.min(z.len()));
                if take > 0 && s < z.len() {
                    let from = if desc { z.len() - 1 - s } else { s };
                    v.extend(z.iter_from(from, desc).take(take).map(|(m, _)| new(m.to_vec())));
                }
                end -= start;
                start = 0;
                v
            }
            // Redis loads the members in its dict's order, which only shows
            // through ties (ALPHA BY with equal or missing weights, or BY
            // with LIMIT); ours is score order.
            Value::ZSet(z) => z.iter().map(|(m, _)| new(m.to_vec())).collect(),
            _ => return Err(Error::WrongType),
        };
    }

    // Load the weights.
    let mut conversion_error = false;
    if !dontsort {
        for it in items.iter_mut() {
            let byval = match by {
                Some(p) => match lookup_by_pattern(cx, p, &it.obj) {
                    Some(v) => Some(v),
                    None => continue,
                },
                None => None,
            };
            if alpha {
                if by.is_some() {
                    it.cmpobj = byval;
                }
            } else {
                let w = byval.as_deref().unwrap_or(&it.obj);
                let (score, ok) = sort_weight(w);
                it.score = score;
                if !ok {
                    conversion_error = true;
                }
            }
        }
        if !conversion_error {
            let store = opts.store.is_some();
            let bypattern = by.is_some();
            let mut cmp = |a: &Item, b: &Item| {
                let c = compare(a, b, alpha, bypattern, store);
                if desc {
                    c.reverse()
                } else {
                    c
                }
            };
            if bypattern && (start != 0 || end != items.len() as i64 - 1) {
                pqsort(&mut items, start, end, &mut cmp);
            } else {
                // glibc's qsort is a stable merge sort.
                items.sort_by(cmp);
            }
        }
    }
    if conversion_error {
        return Err(Error::err("One or more scores can't be converted into double"));
    }

    // Emit the range.
    let range: &[Item] = if end >= start && start >= 0 { items.get(start as usize..=end as usize).unwrap_or(&[]) } else { &[] };
    match opts.store {
        None => {
            let per = opts.get.len().max(1);
            let mut out = Vec::with_capacity(range.len().saturating_mul(per));
            for it in range {
                if opts.get.is_empty() {
                    out.push(Some(it.obj.clone()));
                }
                for g in &opts.get {
                    out.push(lookup_by_pattern(cx, g, &it.obj));
                }
            }
            Ok(SortOutcome::Items(out))
        }
        Some(dst) => {
            let mut list: VecDeque<Vec<u8>> = VecDeque::new();
            for it in range {
                if opts.get.is_empty() {
                    list.push_back(it.obj.clone());
                }
                for g in &opts.get {
                    list.push_back(lookup_by_pattern(cx, g, &it.obj).unwrap_or_default());
                }
            }
            let n = list.len() as u64;
            if n > 0 {
                cx.db().set(dst, Value::List(Box::new(List::from(list))), false, now);
                cx.touched(dst);
                cx.notify(notify::LIST, "sortstore", dst);
                cx.dirty(n);
            } else if cx.db().remove(dst, now).is_some() {
                cx.touched(dst);
                cx.notify(notify::GENERIC, "del", dst);
                cx.dirty(1);
            }
            Ok(SortOutcome::Stored(n))
        }
    }
}

/// Redis's `sortCompare` before DESC is applied.
fn compare(a: &Item, b: &Item, alpha: bool, bypattern: bool, store: bool) -> Ordering {
    // strcoll in the C/C.UTF-8 locale is strcmp: bytes up to the first NUL.
    let coll = |x: &[u8], y: &[u8]| c_str(x).cmp(c_str(y));
    if !alpha {
        if a.score > b.score {
            Ordering::Greater
        } else if a.score < b.score {
            Ordering::Less
        } else {
            a.obj.cmp(&b.obj)
        }
    } else if bypattern {
        match (&a.cmpobj, &b.cmpobj) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) if store => x.cmp(y),
            (Some(x), Some(y)) => coll(x, y),
        }
    } else if store {
        a.obj.cmp(&b.obj)
    } else {
        coll(&a.obj, &b.obj)
    }
}

/// A numeric weight as SORT reads it: `strtod` must stop at the end of the
/// string (or at a NUL), without range error and not NaN. Returns the value
/// and whether it was acceptable.
fn sort_weight(s: &[u8]) -> (f64, bool) {
    let (v, used, erange) = strtod(s);
    let at_end = s.get(used).is_none_or(|&b| b == 0);
    (v, at_end && !erange && !v.is_nan())
}

// ---------------------------------------------------------------------------
// Partial quicksort (Redis's pqsort.c, Bentley & McIlroy's qsort that only
// recurses into partitions overlapping the wanted range).
// ---------------------------------------------------------------------------

/// Sorts `v` enough that positions `lrange..=rrange` hold what a full sort
/// would put there, visiting and swapping elements in exactly the order
/// Redis's `pqsort` does, so equal elements end up where Redis puts them.
pub fn pqsort<T>(v: &mut [T], lrange: i64, rrange: i64, cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    pqsort_at(v, 0, v.len(), lrange, rrange, cmp);
}

fn med3<T>(v: &[T], a: usize, b: usize, c: usize, cmp: &mut impl FnMut(&T, &T) -> Ordering) -> usize {
    if cmp(&v[a], &v[b]) == Ordering::Less {
        if cmp(&v[b], &v[c]) == Ordering::Less {
            b
        } else if cmp(&v[a], &v[c]) == Ordering::Less {
            c
        } else {
            a
        }
    } else if cmp(&v[b], &v[c]) == Ordering::Greater {
        b
    } else if cmp(&v[a], &v[c]) == Ordering::Less {
        a
    } else {
        c
    }
}

fn vecswap<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        v.swap(a + i, b + i);
    }
}

/// True when the block `lo..lo+n` lies wholly before or after the range.
fn outside(lo: usize, n: usize, lrange: i64, rrange: i64) -> bool {
    let (l, r) = (lo as i64, (lo + n) as i64 - 1);
    (lrange < l && rrange < l) || (lrange > r && rrange > r)
}

fn pqsort_at<T>(v: &mut [T], mut a: usize, mut n: usize, lrange: i64, rrange: i64, cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    loop {
        if n < 7 {
            for pm in a + 1..a + n {
                let mut pl = pm;
                while pl > a && cmp(&v[pl - 1], &v[pl]) == Ordering::Greater {
                    v.swap(pl, pl - 1);
                    pl -= 1;
                }
            }
            return;
        }
        let mut pm = a + n / 2;
        if n > 7 {
            let mut pl = a;
            let mut pn = a + n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
                pm = med3(v, pm - d, pm, pm + d, cmp);
                pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
            }
            pm = med3(v, pl, pm, pn, cmp);
        }
        v.swap(a, pm);
        let (mut pa, mut pb) = (a + 1, a + 1);
        let (mut pc, mut pd) = (a + n - 1, a + n - 1);
        loop {
            while pb <= pc {
                let r = cmp(&v[pb], &v[a]);
                if r == Ordering::Greater {
                    break;
                }
                if r == Ordering::Equal {
                    v.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb <= pc {
                let r = cmp(&v[pc], &v[a]);
                if r == Ordering::Less {
                    break;
                }
                if r == Ordering::Equal {
                    v.swap(pc, pd);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb, pc);
            pb += 1;
            pc -= 1;
        }
        let pn = a + n;
        let r = (pa - a).min(pb - pa);
        vecswap(v, a, pb - r, r);
        let r = (pd - pc).min(pn - pd - 1);
        vecswap(v, pb, pn - r, r);
        let r = pb - pa;
        if r > 1 && !outside(a, r, lrange, rrange) {
            pqsort_at(v, a, r, lrange, rrange, cmp);
        }
        let r = pd - pc;
        if r > 1 {
            a = pn - r;
            n = r;
            if !outside(a, n, lrange, rrange) {
                continue;
            }
        }
        return;
    }
}

// ---------------------------------------------------------------------------
// C strtod
// ---------------------------------------------------------------------------

/// glibc `strtod`: returns the value, how many bytes were used (0 when no
/// number was found, leading whitespace included otherwise) and whether it
/// set `ERANGE` (overflow to infinity; a result in the subnormal range or
/// zero that is inexact, tininess judged after rounding as on x86). Checked
/// against glibc 2.36 by differential fuzzing; the only known difference is
/// the `ERANGE` glibc may set while reading a `nan(...)` payload, which does
/// not matter to SORT (NaN is refused anyway).
pub fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'+') | Some(b'-')) {
        i += 1;
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if starts(b"inf") {
        let n = if starts(b"infinity") { 8 } else { 3 };
        return (sign(f64::INFINITY), i + n, false);
    }
    if starts(b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let body = rest[4..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
            if rest.get(4 + body) == Some(&b')') {
                n = 5 + body;
            }
        }
        return (sign(f64::NAN), i + n, false);
    }
    if (starts(b"0x")) && rest.get(2).is_some_and(|c| c.is_ascii_hexdigit() || (*c == b'.' && rest.get(3).is_some_and(|d| d.is_ascii_hexdigit()))) {
        let (v, n, erange) = hex_float(&rest[2..]);
        return (sign(v), i + 2 + n, erange);
    }
    let (v, n, erange) = dec_float(rest);
    if n == 0 {
        return (0.0, 0, false);
    }
    (sign(v), i + n, erange)
}

/// Length of the run of ASCII digits at the start of `s`.
fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// An optional exponent `e[+-]digits` (or `p...` for hex) at the start of
/// `s`: bytes used and value (saturated).
fn exponent(s: &[u8], mark: u8) -> (usize, i64) {
    if s.first().is_none_or(|c| c.to_ascii_lowercase() != mark) {
        return (0, 0);
    }
    let mut j = 1;
    let neg = s.get(1) == Some(&b'-');
    if matches!(s.get(1), Some(b'+') | Some(b'-')) {
        j = 2;
    }
    let d = digits(&s[j..]);
    if d == 0 {
        return (0, 0);
    }
    let mut e: i64 = 0;
    for &c in &s[j..j + d] {
        e = e.saturating_mul(10).saturating_add((c - b'0') as i64);
    }
    (j + d, if neg { -e } else { e })
}

/// An unsigned decimal float at the start of `s`.
fn dec_float(s: &[u8]) -> (f64, usize, bool) {
    let int = digits(s);
    let mut n = int;
    let mut frac = 0;
    if s.get(n) == Some(&b'.') {
        frac = digits(&s[n + 1..]);
        if int + frac > 0 {
            n += 1 + frac;
        }
    }
    if int + frac == 0 {
        return (0.0, 0, false);
    }
    let (elen, exp) = exponent(&s[n..], b'e');
    n += elen;
    // Rust's parser is correctly rounded, like glibc's; it takes the same
    // syntax once the exponent is clamped to something it can hold.
    let mut text = Vec::with_capacity(n + 24);
    text.extend_from_slice(&s[..int]);
    if frac > 0 {
        text.push(b'.');
        text.extend_from_slice(&s[int + 1..int + 1 + frac]);
    }
    let exp_c = exp.clamp(-10_000_000_000, 10_000_000_000);
    text.extend_from_slice(alloc::format!("e{}", exp_c).as_bytes());
    let v: f64 = core::str::from_utf8(&text).ok().and_then(|t| t.parse().ok()).unwrap_or(0.0);
    // Significant digits and their decimal exponent: value = D * 10^E.
    let mut sig: Vec<u8> = s[..int].iter().chain(s.get(int + 1..int + 1 + frac).unwrap_or(&[]).iter()).copied().collect();
    let mut e10 = exp_c.saturating_sub(frac as i64);
    let lead = sig.iter().take_while(|&&c| c == b'0').count();
    sig.drain(..lead);
    while sig.last() == Some(&b'0') {
        sig.pop();
        e10 += 1;
    }
    let erange = if v.is_infinite() {
        true
    } else if sig.is_empty() {
        false
    } else if v == 0.0 {
        true
    } else if v.abs() < f64::MIN_POSITIVE {
        cmp_tiny(v.abs().to_bits(), 1074, &sig, e10) != Ordering::Equal
    } else if v.abs() == f64::MIN_POSITIVE {
        // Tininess is judged after rounding to 53 bits with an unbounded
        // exponent: below 2^-1022 - 2^-1076 (half a step under 2^-1022) the
        // value stays tiny even though the subnormal rounding gave 2^-1022.
        cmp_tiny((1 << 54) - 1, 1076, &sig, e10) == Ordering::Greater
    } else {
        false
    };
    (v, n, erange)
}

/// Compares `m * 2^-k` with `sig * 10^e10` (`sig` has no leading or
/// trailing zeros), exactly: `m * 2^-k = m * 5^k * 10^-k`.
fn cmp_tiny(m: u64, k: u32, sig: &[u8], e10: i64) -> Ordering {
    // m * 5^1074 in base 1e9 limbs, little-endian.
    let mut limbs: Vec<u64> = alloc::vec![m % 1_000_000_000, m / 1_000_000_000 % 1_000_000_000, m / 1_000_000_000_000_000_000];
    for _ in 0..k {
        let mut carry = 0u64;
        for l in limbs.iter_mut() {
            let x = *l * 5 + carry;
            *l = x % 1_000_000_000;
            carry = x / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut dec: Vec<u8> = Vec::new();
    for (k, l) in limbs.iter().rev().enumerate() {
        let s = if k == 0 { alloc::format!("{}", l) } else { alloc::format!("{:09}", l) };
        dec.extend_from_slice(s.as_bytes());
    }
    let mut e = -(k as i64);
    while dec.last() == Some(&b'0') {
        dec.pop();
        e += 1;
    }
    // Same leading-digit position first, then digit by digit.
    let mag_tiny = dec.len() as i64 + e;
    let mag_in = (sig.len() as i64).saturating_add(e10);
    mag_tiny.cmp(&mag_in).then_with(|| dec.as_slice().cmp(sig))
}

/// An unsigned hex float after `0x`: `h*[.h*][p[+-]d+]`, correctly rounded
/// to nearest-even.
fn hex_float(s: &[u8]) -> (f64, usize, bool) {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut n = 0;
    let push = |d: u64, frac: bool, mant: &mut u64, exp: &mut i64, sticky: &mut bool| {
        if *mant >> 60 == 0 {
            *mant = (*mant << 4) | d;
            if frac {
                *exp -= 4;
            }
        } else {
            *sticky |= d != 0;
            if !frac {
                *exp += 4;
            }
        }
    };
    while let Some(d) = s.get(n).and_then(|c| (*c as char).to_digit(16)) {
        push(d as u64, false, &mut mant, &mut exp, &mut sticky);
        n += 1;
    }
    if s.get(n) == Some(&b'.') {
        n += 1;
        while let Some(d) = s.get(n).and_then(|c| (*c as char).to_digit(16)) {
            push(d as u64, true, &mut mant, &mut exp, &mut sticky);
            n += 1;
        }
    }
    let (elen, pexp) = exponent(&s[n..], b'p');
    n += elen;
    if mant == 0 {
        return (0.0, n, false);
    }
    let lz = mant.leading_zeros() as i64;
    mant <<= lz;
    // value = mant * 2^(exp + pexp - lz); its leading bit has exponent e2.
    let e2 = exp.saturating_add(pexp).saturating_sub(lz).saturating_add(63);
    if e2 > 1023 {
        return (f64::INFINITY, n, true);
    }
    // Bits kept: 53 for normal numbers, fewer below 2^-1022.
    let bits = if e2 >= -1022 { 53 } else { e2 + 1075 };
    let (keep, rem_gt_half, rem_eq_half, inexact) = if bits < 0 {
        // Below half the smallest subnormal: rounds to zero.
        (0u64, false, false, true)
    } else if bits == 0 {
        // The leading bit (set) is the half bit of the smallest subnormal.
        let below = mant << 1 != 0 || sticky;
        (0u64, below, !below, true)
    } else {
        let shift = (64 - bits) as u32; // 11..=63
        let keep = mant >> shift;
        let rem = mant & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        (keep, rem > half || (rem == half && sticky), rem == half && !sticky, rem != 0 || sticky)
    };
    let round_up = rem_gt_half || (rem_eq_half && keep & 1 == 1);
    let keep = keep + round_up as u64;
    // keep * 2^(e2 - bits + 1), exactly representable by construction.
    let scale = e2 - bits.max(0) + 1;
    let v = ldexp(keep as f64, scale);
    if v.is_infinite() {
        return (v, n, true);
    }
    let tiny = e2 < -1022 && !(e2 == -1023 && v >= f64::MIN_POSITIVE && round53_carries(mant));
    (v, n, tiny && inexact)
}

/// Whether rounding the 64-bit `mant` (top bit set) to 53 bits carries into
/// a new leading bit (tininess is judged after rounding on x86).
fn round53_carries(mant: u64) -> bool {
    let keep = mant >> 11;
    let rem = mant & 0x7ff;
    keep == (1 << 53) - 1 && (rem > 0x400 || (rem == 0x400 && keep & 1 == 1))
}

/// `x * 2^e` for results that are exactly representable (or overflow).
fn ldexp(mut x: f64, e: i64) -> f64 {
    // Past +-2200 every finite non-zero double over- or underflows anyway;
    // clamping bounds the loops below whatever exponent the text gave.
    let mut e = e.clamp(-2200, 2200);
    // 2^k for a normal exponent (|k| <= 1000 here), built from its bits.
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    while e > 1000 {
        x *= pow2(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= pow2(-1000);
        e += 1000;
    }
    x * pow2(e)
}

impl Engine {
    /// `SORT key [options]` on db `db` (`opts.store` makes it SORT ... STORE).
    pub fn sort(&mut self, db: usize, key: &[u8], opts: &SortOptions<'_>) -> Result<SortOutcome> {
        self.with_ctx(db, |cx| sort(cx, key, opts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_like_glibc() {
        let ok = |s: &str, v: f64| {
            let (x, ok) = sort_weight(s.as_bytes());
            assert!(ok, "{:?} should parse", s);
            assert_eq!(x, v, "{:?}", s);
        };
        let bad = |s: &str| assert!(!sort_weight(s.as_bytes()).1, "{:?} should fail", s);
        ok("", 0.0);
        ok(" 4", 4.0);
        ok("\t\n\x0b\x0c\r 5", 5.0);
        ok("0x10", 16.0);
        ok("0X1P3", 8.0);
        ok("1e3", 1000.0);
        ok("1.", 1.0);
        ok(".5", 0.5);
        ok("+5", 5.0);
        ok("-Infinity", f64::NEG_INFINITY);
        ok("INF", f64::INFINITY);
        ok("0e-500", 0.0);
        ok("0.0000e999", 0.0);
        ok("0x1p-1074", f64::from_bits(1));
        ok("0x1p-1022", f64::MIN_POSITIVE);
        ok("1e-300", 1e-300);
        ok("1\0junk", 1.0);
        ok("2.22507385850720138e-308", f64::MIN_POSITIVE);
        ok("0x1.fffffffffffff8p-1023", f64::MIN_POSITIVE);
        for s in ["1e400", "1e-400", "1e-310", "nan", "nan(1)", "1e", "1e+", "0x", "0x1p", "0x.p1", ".", "infinit", "2\t", " ", "+", "2.2250738585072011e-308", "0x1p-1075", "0x1.8p-1074", "4.9406564584124654e-324", "0x1p-99999999999999999999", "0x1p99999999999999999999", "2.22507385850720115e-308", "0x1.fffffffffffff7p-1023"] {
            bad(s);
        }
    }

    #[test]
    fn pqsort_sorts_the_range() {
        let mut v: Vec<u32> = (0..200).map(|i| (i * 7919) % 211).collect();
        let mut sorted = v.clone();
        sorted.sort();
        pqsort(&mut v, 10, 19, &mut |a: &u32, b: &u32| a.cmp(b));
        assert_eq!(&v[10..20], &sorted[10..20]);
    }
}
