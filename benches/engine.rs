//! In-process benchmark: SET then GET of N keys (16-byte keys, 32-byte values)
//! through the engine's command path and through its typed API, against a bare
//! `hashbrown::HashMap<Box<[u8]>, Box<[u8]>>` doing the same work (insert an
//! owned copy; read back an owned copy, as a reply does). Prints medians of
//! several runs and the ratio engine/baseline (higher is better; target
//! >= 0.5). Run: `cargo bench --bench engine` (N via REDLET_BENCH_N).

use std::hint::black_box;
use std::time::Instant;

use redlet::clock::SystemClock;
use redlet::{Config, Engine, Options};

fn keys(n: usize) -> (Vec<[u8; 16]>, Vec<[u8; 32]>) {
    let ks = (0..n).map(|i| {
        let mut k = [b'0'; 16];
        k[..4].copy_from_slice(b"key:");
        let s = format!("{:012}", i);
        k[4..].copy_from_slice(s.as_bytes());
        k
    });
    let vs = (0..n).map(|i| {
        let mut v = [b'x'; 32];
        v[..8].copy_from_slice(&(i as u64).to_le_bytes());
        v[8] = b'v'; // never an integer
        v
    });
    (ks.collect(), vs.collect())
}

fn engine() -> Engine {
    Engine::new(Options { config: Config::default(), clock: Box::new(SystemClock), seed: 42 })
}

/// Returns (set_secs, get_secs).
fn run_baseline(ks: &[[u8; 16]], vs: &[[u8; 32]]) -> (f64, f64) {
    let mut m: hashbrown::HashMap<Box<[u8]>, Box<[u8]>> = hashbrown::HashMap::new();
    let t = Instant::now();
    for (k, v) in ks.iter().zip(vs) {
        m.insert(Box::from(&k[..]), Box::from(&v[..]));
    }
    let set = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for k in ks {
        let v: Vec<u8> = m.get(&k[..]).map(|v| v.to_vec()).unwrap_or_default();
        black_box(v);
    }
    (set, t.elapsed().as_secs_f64())
}

fn run_execute(ks: &[[u8; 16]], vs: &[[u8; 32]]) -> (f64, f64) {
    let mut e = engine();
    let c = e.open_client(Default::default());
    let t = Instant::now();
    for (k, v) in ks.iter().zip(vs) {
        black_box(e.execute(c, &[b"SET", &k[..], &v[..]]));
    }
    let set = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for k in ks {
        black_box(e.execute(c, &[b"GET", &k[..]]));
    }
    (set, t.elapsed().as_secs_f64())
}

fn run_typed(ks: &[[u8; 16]], vs: &[[u8; 32]]) -> (f64, f64) {
    let mut e = engine();
    let t = Instant::now();
    for (k, v) in ks.iter().zip(vs) {
        let _ = black_box(e.set(0, &k[..], &v[..], Default::default()));
    }
    let set = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for k in ks {
        let _ = black_box(e.get(0, &k[..]));
    }
    (set, t.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::var("REDLET_BENCH_N").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let rounds: usize = std::env::var("REDLET_BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let (ks, vs) = keys(n);
    let mut res: [[Vec<f64>; 2]; 3] = Default::default();
    // Alternate the variants each round so drift affects all alike.
    for _ in 0..rounds {
        for (i, f) in [run_baseline as fn(&[[u8; 16]], &[[u8; 32]]) -> (f64, f64), run_execute, run_typed].iter().enumerate() {
            let (s, g) = f(&ks, &vs);
            res[i][0].push(s);
            res[i][1].push(g);
        }
    }
    let names = ["baseline hashbrown", "engine execute()", "engine typed API"];
    println!("in-process SET+GET of {} keys (16 B keys, 32 B values), median of {} rounds", n, rounds);
    println!("{:<20} {:>12} {:>12} {:>10} {:>10}", "variant", "SET ops/s", "GET ops/s", "SET ratio", "GET ratio");
    let base_set = median(res[0][0].clone());
    let base_get = median(res[0][1].clone());
    for (i, name) in names.iter().enumerate() {
        let s = median(res[i][0].clone());
        let g = median(res[i][1].clone());
        println!(
            "{:<20} {:>12.0} {:>12.0} {:>9.2}x {:>9.2}x",
            name,
            n as f64 / s,
            n as f64 / g,
            base_set / s,
            base_get / g
        );
    }
}
