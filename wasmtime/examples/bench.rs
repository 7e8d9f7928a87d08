//! In-process benchmark of the component against the native engine, ratios
//! from one run:
//!
//! - SET then GET of N keys (default 1,000,000; `REDLET_BENCH_N`) through
//!   the component's typed functions and through `call`, against the
//!   native engine's typed API and `execute` (target >= 0.3x).
//! - Instantiation of the pre-compiled component (`InstancePre`): median
//!   of 200 (target <= 1 ms).
//!
//! `cargo run --release -p redlet-wasmtime --example bench`

use std::time::{Duration, Instant};

use redlet::clock::SystemClock;
use redlet::{ClientInfo, Config, Engine, Options};
use redlet_wasmtime::{default_component_path, Limits, MemSpaces, Outcome, Redlet, RedletConfig, SetCondition, SetExpiry, SetOptions};

fn key(i: usize) -> Vec<u8> {
    format!("key:{i:08}").into_bytes()
}

fn main() {
    let n: usize = std::env::var("REDLET_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let keys: Vec<Vec<u8>> = (0..n).map(key).collect();
    let value = b"value-0123456789".to_vec();

    // Native, typed.
    let mut eng = Engine::new(Options { config: Config::default(), clock: Box::new(SystemClock), seed: 1 });
    let t = Instant::now();
    for k in &keys {
        eng.set(0, k, &value, Default::default()).expect("set");
    }
    for k in &keys {
        assert!(eng.get(0, k).expect("get").is_some());
    }
    let native_typed = t.elapsed();
    drop(eng);

    // Native, execute (the command path).
    let mut eng = Engine::new(Options { config: Config::default(), clock: Box::new(SystemClock), seed: 1 });
    let id = eng.open_client(ClientInfo::default());
    let t = Instant::now();
    for k in &keys {
        eng.execute(id, &[b"SET", k, &value]);
    }
    for k in &keys {
        eng.execute(id, &[b"GET", k]);
    }
    let native_call = t.elapsed();
    drop(eng);

    let path = default_component_path();
    let redlet = Redlet::from_file(&path, &RedletConfig::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });

    // Component, typed.
    let mut inst = redlet.instantiate(MemSpaces::new(), SystemClock, Limits::default()).expect("instantiate");
    let db = inst.open(&[], None, Some(1)).expect("open");
    let c = db.connect(&mut inst, "bench").expect("connect");
    let opts = SetOptions { condition: SetCondition::Always, expiry: SetExpiry::None };
    let t = Instant::now();
    for k in &keys {
        c.set(&mut inst, k, &value, opts).expect("set");
    }
    for k in &keys {
        assert!(c.get(&mut inst, k).expect("get").is_some());
    }
    let comp_typed = t.elapsed();
    drop(inst);

    // Component, call.
    let mut inst = redlet.instantiate(MemSpaces::new(), SystemClock, Limits::default()).expect("instantiate");
    let db = inst.open(&[], None, Some(1)).expect("open");
    let c = db.connect(&mut inst, "bench").expect("connect");
    let t = Instant::now();
    for k in &keys {
        let r = c.call(&mut inst, &[b"SET".as_slice(), k, &value]).expect("call");
        debug_assert!(matches!(r, Outcome::Done(_)));
    }
    for k in &keys {
        c.call(&mut inst, &[b"GET".as_slice(), k]).expect("call");
    }
    let comp_call = t.elapsed();
    drop(inst);

    // Instantiation.
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let inst = redlet.instantiate(MemSpaces::new(), SystemClock, Limits::default()).expect("instantiate");
            let d = t.elapsed();
            drop(inst);
            d
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];

    let per = |d: Duration| d.as_secs_f64() * 1e9 / (2 * n) as f64;
    println!("SET+GET of {n} keys (ns per command; ratio = native time / component time, target >= 0.3)");
    println!("  typed: native {:8.0} ns  component {:8.0} ns  ratio {:.2}", per(native_typed), per(comp_typed), native_typed.as_secs_f64() / comp_typed.as_secs_f64());
    println!("  call:  native {:8.0} ns  component {:8.0} ns  ratio {:.2}", per(native_call), per(comp_call), native_call.as_secs_f64() / comp_call.as_secs_f64());
    println!("instantiation (InstancePre), median of 200: {:.3} ms (target <= 1 ms)", median.as_secs_f64() * 1e3);
}
