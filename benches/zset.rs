//! In-process sorted-set benchmark: ZADD of N random members (16-byte
//! members, random scores) into one key, then N ZSCORE (members in random
//! order, and again in insertion order as the engine benchmark probes its
//! keys), ZRANK and ZRANGE (10 members from a random rank, with scores)
//! through the engine's typed
//! API, against a baseline of `BTreeSet<(OrderedScore, Vec<u8>)>` plus
//! `HashMap<Vec<u8>, f64>` doing the same work (rank on a BTreeSet is a
//! count over `range(..)`; a range from rank r walks r elements).
//!
//! The baseline's rank and range queries are O(n), so it runs only
//! `REDLET_BENCH_Q` of them (default 1000) and rates are compared per
//! operation. Prints medians of several rounds as ops/s and the ratio
//! engine/baseline (higher is better; targets: at least 1.0 for ZRANK and
//! ZRANGE, 0.5 for ZADD and ZSCORE). Run: `cargo bench --bench zset`
//! (N via REDLET_BENCH_N, rounds via REDLET_BENCH_ROUNDS).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::time::Instant;

use redlet::clock::SystemClock;
use redlet::{Config, Engine, Options};

/// A score with a total order, as a sorted set orders scores.
#[derive(Clone, Copy, PartialEq)]
struct OrderedScore(f64);

impl Eq for OrderedScore {}

impl PartialOrd for OrderedScore {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for OrderedScore {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// xorshift64*, so runs are reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
}

struct Data {
    members: Vec<[u8; 16]>,
    scores: Vec<f64>,
    /// Members to look up (ZSCORE, ZRANK), in random order.
    probes: Vec<usize>,
    /// Ranks to start ZRANGE at.
    ranks: Vec<usize>,
}

fn data(n: usize) -> Data {
    let mut r = Rng(0x9E3779B97F4A7C15);
    let hex = b"0123456789abcdef";
    let members = (0..n)
        .map(|_| {
            let x = r.next();
            let mut m = [0u8; 16];
            for (i, b) in m.iter_mut().enumerate() {
                *b = hex[((x >> (i * 4)) & 15) as usize];
            }
            m
        })
        .collect();
    let scores = (0..n).map(|_| (r.next() >> 11) as f64 / (1u64 << 53) as f64 * 1e6).collect();
    let probes = (0..n).map(|_| (r.next() % n as u64) as usize).collect();
    let ranks = (0..n).map(|_| (r.next() % n as u64) as usize).collect();
    Data { members, scores, probes, ranks }
}

/// Seconds for: adds, score lookups (random order), rank lookups (q of
/// them), ranges (q), score lookups (insertion order).
type Times = [f64; 5];

fn run_baseline(d: &Data, q: usize) -> Times {
    let mut set: BTreeSet<(OrderedScore, Vec<u8>)> = BTreeSet::new();
    let mut map: HashMap<Vec<u8>, f64> = HashMap::new();
    let t = Instant::now();
    for (m, &s) in d.members.iter().zip(&d.scores) {
        if let Some(old) = map.insert(m.to_vec(), s) {
            set.remove(&(OrderedScore(old), m.to_vec()));
        }
        set.insert((OrderedScore(s), m.to_vec()));
    }
    let add = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &i in &d.probes {
        black_box(map.get(&d.members[i][..]).copied());
    }
    let score = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &i in &d.probes[..q] {
        let m = &d.members[i];
        let rank = map.get(&m[..]).map(|&s| set.range(..(OrderedScore(s), m.to_vec())).count());
        black_box(rank);
    }
    let rank = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &r in &d.ranks[..q] {
        let v: Vec<(Vec<u8>, f64)> = set.iter().skip(r).take(10).map(|(s, m)| (m.clone(), s.0)).collect();
        black_box(v);
    }
    let range = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for m in &d.members {
        black_box(map.get(&m[..]).copied());
    }
    let seq = t.elapsed().as_secs_f64();
    [add, score, rank, range, seq]
}

fn run_engine(d: &Data) -> Times {
    let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(SystemClock), seed: 42 });
    let key = b"zset";
    let t = Instant::now();
    for (m, &s) in d.members.iter().zip(&d.scores) {
        let _ = black_box(e.zadd(0, key, &[(s, &m[..])]));
    }
    let add = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &i in &d.probes {
        let _ = black_box(e.zscore(0, key, &d.members[i]));
    }
    let score = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &i in &d.probes {
        let _ = black_box(e.zrank(0, key, &d.members[i]));
    }
    let rank = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for &r in &d.ranks {
        let _ = black_box(e.zrange(0, key, r as i64, r as i64 + 9));
    }
    let range = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for m in &d.members {
        let _ = black_box(e.zscore(0, key, m));
    }
    let seq = t.elapsed().as_secs_f64();
    [add, score, rank, range, seq]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::var("REDLET_BENCH_N").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let rounds: usize = std::env::var("REDLET_BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let q: usize = std::env::var("REDLET_BENCH_Q").ok().and_then(|s| s.parse().ok()).unwrap_or(1000).min(n);
    let d = data(n);
    let mut base: [Vec<f64>; 5] = Default::default();
    let mut eng: [Vec<f64>; 5] = Default::default();
    for _ in 0..rounds {
        let b = run_baseline(&d, q);
        let x = run_engine(&d);
        for i in 0..5 {
            base[i].push(b[i]);
            eng[i].push(x[i]);
        }
    }
    // Operations each timing covers.
    let base_ops = [n, n, q, q, n];
    let eng_ops = [n, n, n, n, n];
    println!("sorted set of {} random members, median of {} rounds (baseline rank/range: {} queries)", n, rounds, q);
    println!("{:<24} {:>16} {:>16} {:>8}", "op", "baseline ops/s", "engine ops/s", "ratio");
    for (i, name) in ["ZADD", "ZSCORE", "ZRANK", "ZRANGE", "ZSCORE (insertion order)"].iter().enumerate() {
        let b = base_ops[i] as f64 / median(base[i].clone());
        let x = eng_ops[i] as f64 / median(eng[i].clone());
        println!("{:<24} {:>16.0} {:>16.0} {:>7.2}x", name, b, x, x / b);
    }
}
