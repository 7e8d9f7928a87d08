//! Deterministic memory accounting against the bytes really allocated.
//!
//! A counting global allocator tallies, per thread, the bytes requested from
//! the system allocator (allocations minus frees). For every type, at a small
//! and a large size, the growth of `used_memory` while building a dataset
//! must be within ±15% of the growth of that tally, and deleting everything
//! must bring `used_memory` back to its starting figure exactly.

mod common;
use common::*;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use redlet::Engine;

struct Counting;

thread_local! {
    static LIVE: Cell<i64> = const { Cell::new(0) };
}

fn add(n: i64) {
    // `try_with`: the thread's slot may be gone while it shuts down.
    let _ = LIVE.try_with(|c| c.set(c.get() + n));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        add(l.size() as i64);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        add(-(l.size() as i64));
        System.dealloc(p, l)
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        add(l.size() as i64);
        System.alloc_zeroed(l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        add(new as i64 - l.size() as i64);
        System.realloc(p, l, new)
    }
}

#[global_allocator]
static A: Counting = Counting;

fn live() -> i64 {
    LIVE.with(|c| c.get())
}

fn cmd(e: &mut Engine, a: &[Vec<u8>]) {
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    let r = e.command(&refs);
    assert!(!matches!(r, redlet::Reply::Error(_)), "{:?} -> {:?}", String::from_utf8_lossy(&a[0]), r);
}

fn s(x: impl AsRef<[u8]>) -> Vec<u8> {
    x.as_ref().to_vec()
}

/// Builds `keys` keys with `build(engine, key)` and returns (accounted
/// growth, allocated growth, ratio); then deletes them all and checks that
/// `used_memory` is back to its start.
fn measure(name: &str, keys: usize, build: impl Fn(&mut Engine, &[u8])) -> f64 {
    let (mut e, _clock) = engine();
    // Warm up what the first commands allocate once (stats, buffers).
    cmd(&mut e, &[s("SET"), s("warm"), s("x")]);
    cmd(&mut e, &[s("DEL"), s("warm")]);
    let u0 = e.used_memory();
    let a0 = live();
    for i in 0..keys {
        let k = format!("{}:{:06}", name, i);
        build(&mut e, k.as_bytes());
    }
    let du = e.used_memory() as i64 - u0 as i64;
    let da = live() - a0;
    let ratio = du as f64 / da as f64;
    println!("{:<24} keys {:>6}: used_memory +{:>10}  allocated +{:>10}  ratio {:.3}", name, keys, du, da, ratio);
    for i in 0..keys {
        let k = format!("{}:{:06}", name, i);
        cmd(&mut e, &[s("DEL"), s(k)]);
    }
    assert_eq!(e.used_memory(), u0, "{}: used_memory back to its start after DEL", name);
    ratio
}

fn check(name: &str, keys: usize, build: impl Fn(&mut Engine, &[u8])) {
    let r = measure(name, keys, build);
    assert!((0.85..=1.15).contains(&r), "{}: accounted/allocated = {:.3}", name, r);
}

fn push_batched(e: &mut Engine, head: &[&str], key: &[u8], items: impl Iterator<Item = Vec<Vec<u8>>>) {
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let flush = |e: &mut Engine, batch: &mut Vec<Vec<u8>>| {
        if batch.is_empty() {
            return;
        }
        let mut a: Vec<Vec<u8>> = head.iter().map(s).collect();
        a.insert(1, key.to_vec());
        a.append(batch);
        cmd(e, &a);
    };
    for it in items {
        batch.extend(it);
        if batch.len() >= 200 {
            flush(e, &mut batch);
        }
    }
    flush(e, &mut batch);
}

#[test]
fn strings() {
    check("str-int", 2000, |e, k| cmd(e, &[s("SET"), s(k), s("12345")]));
    check("str-small", 2000, |e, k| cmd(e, &[s("SET"), s(k), s("hello world value")]));
    check("str-1k", 2000, |e, k| cmd(e, &[s("SET"), s(k), vec![b'x'; 1024]]));
    check("str-large", 4, |e, k| cmd(e, &[s("SET"), s(k), vec![b'x'; 1 << 20]]));
    check("str-append", 200, |e, k| {
        for _ in 0..20 {
            cmd(e, &[s("APPEND"), s(k), vec![b'y'; 100]]);
        }
    });
}

#[test]
fn lists() {
    check("list-small", 1000, |e, k| push_batched(e, &["RPUSH"], k, (0..5).map(|i| vec![format!("elem-{}", i).into_bytes()])));
    check("list-large", 4, |e, k| push_batched(e, &["RPUSH"], k, (0..20000).map(|i| vec![format!("element-{}", i).into_bytes()])));
}

#[test]
fn hashes() {
    check("hash-small", 1000, |e, k| push_batched(e, &["HSET"], k, (0..5).map(|i| vec![format!("f{}", i).into_bytes(), format!("value-{}", i).into_bytes()])));
    check("hash-large", 4, |e, k| push_batched(e, &["HSET"], k, (0..20000).map(|i| vec![format!("field-{}", i).into_bytes(), format!("value-{}", i).into_bytes()])));
}

#[test]
fn sets() {
    check("set-intset", 1000, |e, k| push_batched(e, &["SADD"], k, (0..10).map(|i| vec![format!("{}", i * 7).into_bytes()])));
    check("set-small", 1000, |e, k| push_batched(e, &["SADD"], k, (0..10).map(|i| vec![format!("member-{}", i).into_bytes()])));
    check("set-large", 4, |e, k| push_batched(e, &["SADD"], k, (0..20000).map(|i| vec![format!("member-{}", i).into_bytes()])));
    check("set-intset-large", 4, |e, k| push_batched(e, &["SADD"], k, (0..400).map(|i| vec![format!("{}", i * 3).into_bytes()])));
}

#[test]
fn zsets() {
    check("zset-small", 1000, |e, k| push_batched(e, &["ZADD"], k, (0..5).map(|i| vec![format!("{}", i).into_bytes(), format!("member-{}", i).into_bytes()])));
    check("zset-large", 4, |e, k| push_batched(e, &["ZADD"], k, (0..20000).map(|i| vec![format!("{}", i).into_bytes(), format!("member-{}", i).into_bytes()])));
}

#[test]
fn streams() {
    check("stream-small", 500, |e, k| {
        for i in 0..5 {
            cmd(e, &[s("XADD"), s(k), s("*"), s("field"), format!("value-{}", i).into_bytes(), s("n"), format!("{}", i).into_bytes()]);
        }
    });
    check("stream-groups", 100, |e, k| {
        for i in 0..50 {
            cmd(e, &[s("XADD"), s(k), format!("{}-1", i + 1).into_bytes(), s("field"), format!("value-{}", i).into_bytes()]);
        }
        cmd(e, &[s("XGROUP"), s("CREATE"), s(k), s("g1"), s("0")]);
        cmd(e, &[s("XGROUP"), s("CREATE"), s(k), s("g2"), s("0")]);
        cmd(e, &[s("XREADGROUP"), s("GROUP"), s("g1"), s("alice"), s("COUNT"), s("20"), s("STREAMS"), s(k), s(">")]);
        cmd(e, &[s("XREADGROUP"), s("GROUP"), s("g1"), s("bob"), s("COUNT"), s("20"), s("STREAMS"), s(k), s(">")]);
        cmd(e, &[s("XREADGROUP"), s("GROUP"), s("g2"), s("carol"), s("STREAMS"), s(k), s(">")]);
    });
    check("stream-large", 2, |e, k| {
        for i in 0..20000 {
            cmd(e, &[s("XADD"), s(k), format!("{}-1", i + 1).into_bytes(), s("field"), format!("value-{}", i).into_bytes(), s("other"), s("x")]);
        }
    });
}

#[test]
fn hyperloglogs() {
    check("hll-sparse", 1000, |e, k| push_batched(e, &["PFADD"], k, (0..20).map(|i| vec![format!("el-{}", i).into_bytes()])));
    check("hll-dense", 20, |e, k| push_batched(e, &["PFADD"], k, (0..5000).map(|i| vec![format!("el-{}", i).into_bytes()])));
}

#[test]
fn flushall_returns_to_baseline() {
    let (mut e, _clock) = engine();
    let u0 = e.used_memory();
    for i in 0..500 {
        cmd(&mut e, &[s("SET"), format!("k{}", i).into_bytes(), s("v")]);
        cmd(&mut e, &[s("RPUSH"), format!("l{}", i).into_bytes(), s("a"), s("b")]);
        cmd(&mut e, &[s("EXPIRE"), format!("l{}", i).into_bytes(), s("1000")]);
    }
    assert!(e.used_memory() > u0);
    cmd(&mut e, &[s("FLUSHALL")]);
    assert_eq!(e.used_memory(), u0);
}
