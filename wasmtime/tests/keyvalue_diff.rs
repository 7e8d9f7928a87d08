//! wasi:keyvalue differential test: one seeded random sequence of
//! get/set/delete/exists/list-keys/increment/get-many/set-many/delete-many
//! runs through a guest component (`examples/kv-probe`, built by
//! `bash examples/plugin/build.sh` to `target/plugin/kv-probe.wasm`)
//! linked to each provider in turn, and every result must agree:
//!
//! - `wasmtime-wasi-keyvalue` 48's in-memory provider, the reference;
//! - redlet's wasi:keyvalue from `redlet_wasmtime::plugin::add_to_linker`,
//!   backed by the native engine;
//! - the redlet component's wasi:keyvalue export: the probe plugged into
//!   `target/component/redlet.wasm` (`wac plug`, here through `wac-graph`),
//!   run with storage in memory.
//!
//! What is compared: every op's outcome, with two normalisations for what
//! the interface leaves to the provider: `list-keys` is the sorted set of
//! keys over all pages (pages and order are the provider's), and an
//! `other` error compares by kind, not text (Redis's text against the
//! reference's). The sequence stays inside what both providers define the
//! same way: values are bytes, and numbers are canonical non-negative
//! decimals below 2^63 (the reference parses `u64`, Redis `i64` without
//! leading zeros or `+`).
//!
//! The reference's `open("")` clones its initial data into each bucket, so
//! the probe opens one bucket and runs the whole sequence on it.
//!
//! `REDLET_KV_SEED=<n>` reruns with another seed, `REDLET_KV_OPS=<n>` with
//! another length.

mod plugin_support;

use plugin_support::{MemBlobs, NativeState};
use redlet_wasmtime::plugin::RedletCtx;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store};

wasmtime::component::bindgen!({
    path: ["../wit", "../examples/kv-probe/wit"],
    world: "redlet:kv-probe/kv-probe",
});

use exports::redlet::kv_probe::probe::{Op, Outcome};
use wasi::keyvalue::store::Error as KvError;

fn load_probe(engine: &Engine) -> Component {
    let wasm = plugin_support::kv_probe_component().unwrap_or_else(|e| panic!("{e}"));
    Component::new(engine, wasm).unwrap_or_else(|e| panic!("loading the probe: {e:#}"))
}

/// splitmix64: a seeded generator, so a failing sequence can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A key: mostly from a small hot pool (so ops hit the same keys often),
/// including the empty key and non-ASCII ones; a quarter from a cold pool
/// of 400, so the keyspace outgrows a `list-keys` page (redlet pages 100
/// keys at a time) and listings follow cursors.
fn key(rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        return format!("cold:{}", rng.below(400));
    }
    match rng.below(40) {
        0 => String::new(),
        1 => "ключ".to_string(),
        2 => "a:b:c".to_string(),
        3 => "with space".to_string(),
        4 => "🔑".to_string(),
        n => format!("k{n}"),
    }
}

fn value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(20) {
        // Canonical decimals, what `increment` can count on.
        0..=9 => rng.below(1000).to_string().into_bytes(),
        10 => (u64::MAX >> 2).to_string().into_bytes(),
        11 => Vec::new(),
        12 => vec![0u8, 255, 13, 10, 0],
        13 => {
            let n = 1000 + rng.below(4000) as usize;
            (0..n).map(|i| (i % 251) as u8).collect()
        }
        14..=16 => {
            let n = rng.below(12) as usize;
            (0..n).map(|_| rng.below(256) as u8).collect()
        }
        _ => format!("text-{}", rng.below(100)).into_bytes(),
    }
}

fn keys(rng: &mut Rng) -> Vec<String> {
    (0..rng.below(6)).map(|_| key(rng)).collect()
}

/// The seeded sequence of `n` ops.
fn sequence(seed: u64, n: usize) -> Vec<Op> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| match rng.below(100) {
            0..=17 => Op::Get(key(&mut rng)),
            18..=37 => Op::Set((key(&mut rng), value(&mut rng))),
            38..=45 => Op::Delete(key(&mut rng)),
            46..=55 => Op::Exists(key(&mut rng)),
            56..=58 => Op::ListKeys,
            59..=74 => Op::Increment((key(&mut rng), rng.below(100))),
            75..=82 => Op::GetMany(keys(&mut rng)),
            83..=91 => Op::SetMany((0..rng.below(6)).map(|_| (key(&mut rng), value(&mut rng))).collect()),
            _ => Op::DeleteMany(keys(&mut rng)),
        })
        .collect()
}

/// An outcome in the form both providers must agree on.
#[derive(Debug, PartialEq)]
enum Norm {
    Done,
    Value(Option<Vec<u8>>),
    Flag(bool),
    Keys(Vec<String>),
    Number(u64),
    Values(Vec<Option<(String, Vec<u8>)>>),
    NoSuchStore,
    AccessDenied,
    Other,
}

fn normalize(o: &Outcome) -> Norm {
    match o {
        Outcome::Done => Norm::Done,
        Outcome::Value(v) => Norm::Value(v.clone()),
        Outcome::Flag(b) => Norm::Flag(*b),
        Outcome::Keys((keys, _pages)) => {
            let mut keys = keys.clone();
            keys.sort();
            Norm::Keys(keys)
        }
        Outcome::Number(n) => Norm::Number(*n),
        Outcome::Values(v) => Norm::Values(v.clone()),
        Outcome::Failed(KvError::NoSuchStore) => Norm::NoSuchStore,
        Outcome::Failed(KvError::AccessDenied) => Norm::AccessDenied,
        Outcome::Failed(KvError::Other(_)) => Norm::Other,
    }
}

/// Store state of the reference run.
struct RefState {
    table: ResourceTable,
    kv: wasmtime_wasi_keyvalue::WasiKeyValueCtx,
}

fn engine() -> Engine {
    Engine::new(&Config::new()).expect("wasmtime engine")
}

/// Runs `ops` through the probe linked to wasmtime-wasi-keyvalue's
/// in-memory provider.
fn run_reference(engine: &Engine, probe: &Component, bucket: &str, ops: &[Op]) -> Vec<Outcome> {
    let mut linker = Linker::<RefState>::new(engine);
    wasmtime_wasi_keyvalue::add_to_linker(&mut linker, |s: &mut RefState| {
        wasmtime_wasi_keyvalue::WasiKeyValue::new(&s.kv, &mut s.table)
    })
    .expect("link wasmtime-wasi-keyvalue");
    let state = RefState { table: ResourceTable::new(), kv: wasmtime_wasi_keyvalue::WasiKeyValueCtx::builder().build() };
    let mut store = Store::new(engine, state);
    let probe = KvProbe::instantiate(&mut store, probe, &linker).expect("instantiate the probe");
    probe.redlet_kv_probe_probe().call_run(&mut store, bucket, ops).expect("probe run")
}

/// Runs `ops` through the probe linked to redlet's wasi:keyvalue over the
/// native engine (an in-memory host of its own).
fn run_native(engine: &Engine, probe: &Component, bucket: &str, ops: &[Op]) -> Vec<Outcome> {
    let linker = plugin_support::native_linker(engine).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::new(engine, NativeState { redlet: RedletCtx::new(plugin_support::fixed_host()) });
    let probe = KvProbe::instantiate(&mut store, probe, &linker).expect("instantiate the probe");
    probe.redlet_kv_probe_probe().call_run(&mut store, bucket, ops).expect("probe run")
}

/// The probe plugged into the redlet component (its wasi:keyvalue
/// imports served by the component's exports).
fn composed_probe(engine: &Engine) -> Component {
    let redlet = plugin_support::redlet_component().unwrap_or_else(|e| panic!("{e}"));
    let probe = plugin_support::kv_probe_component().unwrap_or_else(|e| panic!("{e}"));
    let composed = plugin_support::compose(&probe, &redlet).unwrap_or_else(|e| panic!("composing the probe with the component: {e}"));
    Component::new(engine, composed).expect("load the composition")
}

/// Runs `ops` through the composed probe (a fresh instance, storage in
/// memory).
fn run_component(engine: &Engine, component: &Component, bucket: &str, ops: &[Op]) -> Vec<Outcome> {
    let linker = plugin_support::composed_linker(engine).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::new(engine, MemBlobs::default());
    let probe = KvProbe::instantiate(&mut store, component, &linker).expect("instantiate the composition");
    probe.redlet_kv_probe_probe().call_run(&mut store, bucket, ops).expect("probe run")
}

/// Compares two runs op by op: the first difference, with the op and both
/// outcomes (their full error texts included).
fn diff(name: &str, ops: &[Op], reference: &[Outcome], got: &[Outcome], seed: u64) -> Result<(), String> {
    if reference.len() != ops.len() || got.len() != ops.len() {
        return Err(format!("{} ops, {} reference outcomes, {} from {name}", ops.len(), reference.len(), got.len()));
    }
    for (i, ((op, r), g)) in ops.iter().zip(reference).zip(got).enumerate() {
        if normalize(r) != normalize(g) {
            return Err(format!("seed {seed}: op {i} {op:?}\n  wasmtime-wasi-keyvalue: {r:?}\n  {name}: {g:?}"));
        }
    }
    Ok(())
}

/// [`diff`], failing the test on a difference.
fn compare(name: &str, ops: &[Op], reference: &[Outcome], got: &[Outcome], seed: u64) {
    if let Err(e) = diff(name, ops, reference, got, seed) {
        panic!("{e}");
    }
}

/// Counts of the outcome kinds, so the test shows the sequence exercised
/// errors and hits, not just misses.
fn tally(outcomes: &[Outcome]) -> String {
    let (mut hits, mut misses, mut errors, mut numbers, mut lists, mut pages) = (0, 0, 0, 0, 0, 0);
    for o in outcomes {
        match o {
            Outcome::Value(Some(_)) | Outcome::Flag(true) => hits += 1,
            Outcome::Value(None) | Outcome::Flag(false) => misses += 1,
            Outcome::Failed(_) => errors += 1,
            Outcome::Number(_) => numbers += 1,
            Outcome::Keys((_, p)) => {
                lists += 1;
                pages += p;
            }
            _ => {}
        }
    }
    format!("{hits} hits, {misses} misses, {numbers} increments, {errors} errors, {lists} key listings in {pages} pages")
}

fn seed_and_len() -> (u64, usize) {
    let seed = std::env::var("REDLET_KV_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_2026);
    let n = std::env::var("REDLET_KV_OPS").ok().and_then(|s| s.parse().ok()).unwrap_or(4000);
    (seed, n)
}

/// The reference against itself: the sequence is deterministic and the
/// comparison is sound (a rerun agrees, the tally shows every kind).
#[test]
fn reference_is_deterministic() {
    let (seed, n) = seed_and_len();
    let engine = engine();
    let probe = load_probe(&engine);
    let ops = sequence(seed, n);
    let a = run_reference(&engine, &probe, "", &ops);
    let b = run_reference(&engine, &probe, "", &ops);
    compare("reference rerun", &ops, &a, &b, seed);
    println!("{n} ops, seed {seed}: {}", tally(&a));
}

/// redlet's wasi:keyvalue over the native engine gives what the reference
/// gives.
#[test]
fn native_engine_matches_reference() {
    let (seed, n) = seed_and_len();
    let engine = engine();
    let probe = load_probe(&engine);
    let ops = sequence(seed, n);
    let reference = run_reference(&engine, &probe, "", &ops);
    let native = run_native(&engine, &probe, "", &ops);
    compare("redlet (native engine)", &ops, &reference, &native, seed);
    println!("native engine: {n} ops agree (seed {seed}; {})", tally(&native));
}

/// The redlet component's wasi:keyvalue export gives what the reference
/// gives.
#[test]
fn component_matches_reference() {
    let (seed, n) = seed_and_len();
    let engine = engine();
    let probe = load_probe(&engine);
    let ops = sequence(seed, n);
    let reference = run_reference(&engine, &probe, "", &ops);
    let component = run_component(&engine, &composed_probe(&engine), "", &ops);
    compare("redlet (component)", &ops, &reference, &component, seed);
    println!("component: {n} ops agree (seed {seed}; {})", tally(&component));
}

/// The comparison catches a difference (a changed value, a missing key in
/// a listing), so agreeing runs mean something.
#[test]
fn comparison_detects_differences() {
    let ops = vec![Op::Get("k".into()), Op::ListKeys];
    let reference = vec![Outcome::Value(Some(b"1".to_vec())), Outcome::Keys((vec!["a".into(), "b".into()], 1))];
    let same = vec![Outcome::Value(Some(b"1".to_vec())), Outcome::Keys((vec!["b".into(), "a".into()], 3))];
    compare("same up to order and pages", &ops, &reference, &same, 0);
    for bad in [
        vec![Outcome::Value(Some(b"2".to_vec())), Outcome::Keys((vec!["a".into(), "b".into()], 1))],
        vec![Outcome::Value(Some(b"1".to_vec())), Outcome::Keys((vec!["a".into()], 1))],
    ] {
        assert!(diff("bad", &ops, &reference, &bad, 0).is_err(), "a difference went unnoticed: {bad:?}");
    }
}

/// Where redlet's wasi:keyvalue knowingly differs from the in-memory
/// reference (the random sequence stays clear of these), pinned so a
/// change is seen: numbers are Redis integers (i64, canonical decimal
/// text, as INCRBY reads them), where the reference parses `u64` with
/// Rust's `str::parse`; and buckets `"0"`..`"15"` are keyspaces, where the
/// reference has only `""`.
#[test]
fn known_differences() {
    let engine = engine();
    let probe = load_probe(&engine);
    let composed = composed_probe(&engine);
    let set = |v: &str| Op::Set(("n".into(), v.as_bytes().to_vec()));
    let inc = |d: u64| Op::Increment(("n".into(), d));
    let number = |n: u64| Norm::Number(n);
    // (what, bucket, ops, the reference's last outcome, redlet's)
    let cases: Vec<(&str, &str, Vec<Op>, Norm, Norm)> = vec![
        ("leading zeros", "", vec![set("007"), inc(1)], number(8), Norm::Other),
        ("a plus sign", "", vec![set("+5"), inc(1)], number(6), Norm::Other),
        ("a value above i64::MAX", "", vec![set("10000000000000000000"), inc(1)], number(10_000_000_000_000_000_001), Norm::Other),
        ("a delta above i64::MAX", "", vec![inc(1 << 63)], number(1 << 63), Norm::Other),
        ("a negative value made non-negative", "", vec![set("-5"), inc(10)], Norm::Other, number(5)),
        ("a result still negative", "", vec![set("-5"), inc(1)], Norm::Other, Norm::Other),
        ("bucket \"0\"", "0", vec![inc(1)], Norm::NoSuchStore, number(1)),
        ("bucket \"15\"", "15", vec![inc(1)], Norm::NoSuchStore, number(1)),
        ("bucket \"16\"", "16", vec![inc(1)], Norm::NoSuchStore, Norm::NoSuchStore),
        ("bucket \"cache\"", "cache", vec![inc(1)], Norm::NoSuchStore, Norm::NoSuchStore),
    ];
    for (what, bucket, ops, want_ref, want_redlet) in cases {
        let last = |v: Vec<Outcome>| normalize(v.last().expect("an outcome"));
        assert_eq!(last(run_reference(&engine, &probe, bucket, &ops)), want_ref, "reference, {what}");
        assert_eq!(last(run_native(&engine, &probe, bucket, &ops)), want_redlet, "native engine, {what}");
        assert_eq!(last(run_component(&engine, &composed, bucket, &ops)), want_redlet, "component, {what}");
    }
}
