//! A short, fixed-seed run of the fuzz targets (`fuzz/`): mutations of a
//! valid snapshot and journal, and random bytes, through the same target
//! functions cargo-fuzz runs. No panic, no hang (each target has a time
//! budget and every input must finish quickly), no unbounded allocation
//! (lengths are checked against the input before allocating; a huge
//! allocation would abort the test).
//!
//! `REDLET_FUZZ_SECS=<n>` changes the per-target budget (default 2 s); the
//! long run is `cargo +nightly fuzz run <target>` (see docs/FORMAT.md).
//! `REDLET_FUZZ_CORPUS=<dir>` also writes the seeds to
//! `<dir>/<target>/seed` for cargo-fuzz.

use std::time::{Duration, Instant};

use redlet::persist::fuzz;

/// xorshift64*: the mutation source, fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        match rng.below(8) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            2 => {
                let n = rng.below(v.len() + 1);
                v.truncate(n);
            }
            3 => {
                let i = rng.below(v.len() + 1);
                let n = rng.below(16);
                for k in 0..n {
                    v.insert(i + k, rng.next() as u8);
                }
            }
            4 if v.len() > 2 => {
                let a = rng.below(v.len());
                let b = a + rng.below(v.len() - a);
                v.drain(a..b);
            }
            5 if !v.is_empty() => {
                // Interesting values: 0, 0xff, 0x7f, 0x80 (varint edges).
                let i = rng.below(v.len());
                v[i] = [0u8, 0xff, 0x7f, 0x80][rng.below(4)];
            }
            6 if v.len() > 8 => {
                let a = rng.below(v.len() - 8);
                let chunk = v[a..a + 8].to_vec();
                let i = rng.below(v.len());
                v.splice(i..i, chunk);
            }
            _ => {
                let n = rng.below(64);
                v = (0..n).map(|_| rng.next() as u8).collect();
            }
        }
    }
    v
}

fn budget() -> Duration {
    let secs: f64 = std::env::var("REDLET_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

/// Runs `target` on mutations of `seed` until the budget is spent; returns
/// the number of inputs and the slowest one's time.
fn run(name: &str, seed: &[u8], target: fn(&[u8])) -> (u64, Duration) {
    if let Ok(dir) = std::env::var("REDLET_FUZZ_CORPUS") {
        let d = std::path::Path::new(&dir).join(name);
        std::fs::create_dir_all(&d).expect("corpus dir");
        std::fs::write(d.join("seed"), seed).expect("write seed");
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
    let start = Instant::now();
    let mut n = 0u64;
    let mut slowest = Duration::ZERO;
    target(seed);
    while start.elapsed() < budget() {
        let input = mutate(&mut rng, seed);
        let t = Instant::now();
        target(&input);
        let took = t.elapsed();
        // A hang, not a busy machine: inputs normally take well under 100 ms.
        assert!(took < Duration::from_secs(10), "{name}: input of {} bytes took {took:?}: {:?}", input.len(), &input[..input.len().min(200)]);
        if took > Duration::from_millis(500) && std::env::var("REDLET_FUZZ_SHOW_SLOW").is_ok() {
            eprintln!("{name}: slow input ({took:?}): {:?}", String::from_utf8_lossy(&input[..input.len().min(300)]));
        }
        slowest = slowest.max(took);
        n += 1;
    }
    eprintln!("fuzz smoke {name}: {n} inputs in {:?}, slowest {slowest:?}", start.elapsed());
    (n, slowest)
}

#[test]
fn snapshot_load() {
    let seed = fuzz::seed_snapshot();
    assert!(seed.len() > 100);
    let (n, _) = run("snapshot_load", &seed, fuzz::snapshot_load);
    assert!(n > 100);
}

#[test]
fn journal_replay() {
    let seed = fuzz::seed_journal();
    assert!(seed.len() > 100);
    let (n, _) = run("journal_replay", &seed, fuzz::journal_replay);
    assert!(n > 100);
}

#[test]
fn resp_parse() {
    let seed = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nPING\r\n*1\r\n$4\r\nPING\r\n*-1\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".to_vec();
    let (n, _) = run("resp_parse", &seed, fuzz::resp_parse);
    assert!(n > 100);
}

fn rdb_restore_target(d: &[u8]) {
    redlet::rdb::fuzz::restore_payload(d);
}

#[test]
fn rdb_restore() {
    let seeds = redlet::rdb::fuzz::seed_payloads();
    for s in &seeds {
        // The target takes a payload without its 10-byte footer.
        assert!(redlet::rdb::fuzz::restore_payload(&s[..s.len() - 10]));
    }
    // A multi-node list, a listpack sorted set, a stream with a group (the
    // other seeds are mutated by tests/rdb.rs).
    for (name, i) in [("rdb_restore_list", 4), ("rdb_restore_zset", 9), ("rdb_restore_stream", 11)] {
        let s = &seeds[i];
        let (n, _) = run(name, &s[..s.len() - 10], rdb_restore_target);
        assert!(n > 100);
    }
}

#[test]
fn rdb_load() {
    let seed = redlet::rdb::fuzz::seed_file();
    assert!(seed.len() > 100);
    let (n, _) = run("rdb_load", &seed, redlet::rdb::fuzz::rdb_file);
    assert!(n > 100);
}
