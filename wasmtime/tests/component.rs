//! The wasmtime host over the real component: persistence through the
//! storage import (save, drop, reinstantiate; journal; injected storage
//! failures; corrupt blobs), limits (fuel, memory) with recovery from
//! storage, blocking and wakeups, and the typed functions agreeing with
//! `call`.
//!
//! The component comes from `$REDLET_COMPONENT` or
//! `<repo>/target/component/redlet.wasm` (`bash component/build.sh`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use redlet::clock::{ManualClock, SystemClock};
use redlet::Reply;
use redlet_host::storage::{FaultOp, Faults};
use redlet_wasmtime::{
    default_component_path, Connection, Database, DirStorage, Error, Instance, Limits, MemSpaces, Outcome, Redlet, RedletConfig, Scored, SetCondition,
    SetExpiry, SetOptions,
};

fn compile(config: RedletConfig) -> Redlet {
    let path = default_component_path();
    assert!(path.exists(), "the redlet component is missing at {}: run `bash component/build.sh` (or set REDLET_COMPONENT)", path.display());
    Redlet::from_file(&path, &config).unwrap_or_else(|e| panic!("{e}"))
}

/// The component compiled once per test binary.
fn redlet() -> &'static Redlet {
    static R: OnceLock<Redlet> = OnceLock::new();
    R.get_or_init(|| compile(RedletConfig::default()))
}

/// The component compiled with fuel metering.
fn fueled() -> &'static Redlet {
    static R: OnceLock<Redlet> = OnceLock::new();
    R.get_or_init(|| compile(RedletConfig { fuel: true, epochs: false }))
}

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!("redlet-wasmtime-{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn call(c: &Connection, inst: &mut Instance, args: &[&str]) -> Reply {
    match c.call(inst, args).unwrap() {
        Outcome::Done(r) => r,
        Outcome::Blocked => panic!("{args:?} blocked"),
    }
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Writes one key of each kind.
fn fill(c: &Connection, inst: &mut Instance) {
    call(c, inst, &["SET", "s", "v"]);
    call(c, inst, &["HSET", "h", "f1", "a", "f2", "b"]);
    call(c, inst, &["RPUSH", "l", "1", "2", "3"]);
    call(c, inst, &["SADD", "set", "x", "y"]);
    call(c, inst, &["ZADD", "z", "1", "one", "2", "two"]);
    call(c, inst, &["XADD", "st", "1-1", "f", "v"]);
    call(c, inst, &["SET", "ttl", "v", "PX", "100000000"]);
}

/// Checks what [`fill`] wrote.
fn check(c: &Connection, inst: &mut Instance) {
    assert_eq!(call(c, inst, &["GET", "s"]), bulk("v"));
    assert_eq!(call(c, inst, &["HGET", "h", "f2"]), bulk("b"));
    assert_eq!(call(c, inst, &["LRANGE", "l", "0", "-1"]), Reply::Array(vec![bulk("1"), bulk("2"), bulk("3")]));
    assert_eq!(call(c, inst, &["SCARD", "set"]), Reply::Int(2));
    assert_eq!(call(c, inst, &["ZSCORE", "z", "two"]), bulk("2"));
    assert_eq!(call(c, inst, &["XLEN", "st"]), Reply::Int(1));
    let Reply::Int(ttl) = call(c, inst, &["PTTL", "ttl"]) else { panic!("PTTL") };
    assert!(ttl > 0, "{ttl}");
    assert_eq!(call(c, inst, &["DBSIZE"]), Reply::Int(7));
}

#[test]
fn save_drop_reinstantiate() {
    let dir = temp_dir("save");
    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[("appendonly", "no")], Some("default"), Some(1)).unwrap();
    let c = db.connect(&mut inst, "test").unwrap();
    fill(&c, &mut inst);
    db.save(&mut inst).unwrap();
    drop(inst);
    // The same file `redlet serve --dir` uses.
    assert!(dir.join("redlet.snapshot").exists());

    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[("appendonly", "no")], Some("default"), None).unwrap();
    assert_eq!(db.load_report(&mut inst).unwrap().keys_loaded, 7);
    let c = db.connect(&mut inst, "test").unwrap();
    check(&c, &mut inst);
    c.close(&mut inst).unwrap();
    db.close(&mut inst).unwrap();
}

#[test]
fn other_spaces_are_subfolders() {
    let dir = temp_dir("spaces");
    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[], Some("tenant-a"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    call(&c, &mut inst, &["SET", "k", "a"]);
    db.save(&mut inst).unwrap();
    assert!(dir.join("tenant-a").join("redlet.snapshot").exists());
    assert!(!dir.join("redlet.snapshot").exists());
    assert!(matches!(inst.open(&[], Some("../x"), None), Err(Error::Storage(_))));
}

#[test]
fn journal_acknowledged_writes_survive_a_drop() {
    let mut spaces = MemSpaces::new();
    let cfg = [("appendonly", "yes"), ("appendfsync", "always"), ("save", "")];
    let mut inst = redlet().instantiate(spaces.clone(), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&cfg, Some("default"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    fill(&c, &mut inst);
    // No save, no shutdown: only the journal holds the writes.
    drop(inst);
    assert!(spaces.with(|m| m.get("default").is_some_and(|s| s.blobs.contains_key("journal"))));

    let mut inst = redlet().instantiate(spaces.clone(), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&cfg, Some("default"), None).unwrap();
    assert!(db.load_report(&mut inst).unwrap().journal_records >= 7);
    let c = db.connect(&mut inst, "t").unwrap();
    check(&c, &mut inst);
}

#[test]
fn failing_storage_is_an_error_and_the_last_snapshot_stays() {
    let dir = temp_dir("faults");
    let faults = Faults::new();
    let mut inst = redlet().instantiate(DirStorage::with_faults(&dir, Arc::clone(&faults)), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[("appendonly", "no"), ("save", "")], Some("default"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    call(&c, &mut inst, &["SET", "k", "good"]);
    db.save(&mut inst).unwrap();
    let good = std::fs::read(dir.join("redlet.snapshot")).unwrap();

    call(&c, &mut inst, &["SET", "k", "lost"]);
    for op in [FaultOp::Write, FaultOp::Fsync, FaultOp::Rename] {
        faults.fail(op, 0, true);
        match db.save(&mut inst) {
            Err(Error::Storage(m)) => assert!(m.contains("snapshot"), "{m}"),
            other => panic!("{op:?}: {other:?}"),
        }
        faults.clear();
        // SAVE through RESP gets Redis's error reply, the instance lives.
        faults.fail(op, 0, true);
        assert!(matches!(call(&c, &mut inst, &["SAVE"]), Reply::Error(_)));
        faults.clear();
        assert_eq!(std::fs::read(dir.join("redlet.snapshot")).unwrap(), good, "{op:?} touched the snapshot");
    }
    assert!(!inst.is_poisoned());
    drop(inst);

    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[("appendonly", "no")], Some("default"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    assert_eq!(call(&c, &mut inst, &["GET", "k"]), bulk("good"));
}

#[test]
fn corrupt_blob_is_refused_at_open() {
    let dir = temp_dir("corrupt");
    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[("appendonly", "no")], Some("default"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    fill(&c, &mut inst);
    db.save(&mut inst).unwrap();
    drop(inst);
    let path = dir.join("redlet.snapshot");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();

    let mut inst = redlet().instantiate(DirStorage::new(&dir), SystemClock, Limits::default()).unwrap();
    match inst.open(&[("appendonly", "no")], Some("default"), None) {
        Err(Error::Storage(m)) => assert!(m.starts_with("snapshot"), "unclear error: {m}"),
        other => panic!("corrupt snapshot opened: {other:?}"),
    }
    // Refused, not repaired or replaced.
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!inst.is_poisoned());
}

#[test]
fn fuel_limit_stops_a_huge_keys_and_the_host_recovers() {
    let spaces = MemSpaces::new();
    let cfg = [("appendonly", "yes"), ("appendfsync", "always"), ("save", "")];
    let limits = Limits { fuel: Some(200_000_000), ..Limits::default() };
    let mut inst = fueled().instantiate(spaces.clone(), SystemClock, limits.clone()).unwrap();
    let db = inst.open(&cfg, Some("default"), None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    const N: usize = 200_000;
    for chunk in 0..N / 1000 {
        let mut args = vec![b("MSET")];
        for i in chunk * 1000..(chunk + 1) * 1000 {
            args.push(format!("key:{i}").into_bytes());
            args.push(b("value"));
        }
        assert_eq!(c.call_owned(&mut inst, &args).unwrap(), Outcome::Done(Reply::ok()));
    }
    // Fits: fuel is per call.
    assert_eq!(call(&c, &mut inst, &["DBSIZE"]), Reply::Int(N as i64));

    inst.set_limits(Limits { fuel: Some(2_000_000), ..Limits::default() }).unwrap();
    assert_eq!(call(&c, &mut inst, &["GET", "key:5"]), bulk("value"));
    match c.call(&mut inst, &["KEYS", "*"]) {
        Err(Error::Trap(m)) => assert!(m.contains("fuel"), "{m}"),
        other => panic!("KEYS * under a small budget: {other:?}"),
    }
    assert!(inst.is_poisoned());
    assert!(matches!(c.call(&mut inst, &["PING"]), Err(Error::Trap(_))));

    // Drop the instance, reopen from storage: every acknowledged write.
    let _ = db;
    let (storage, clock) = inst.into_imports();
    // Loading 200k journal records needs more than a request's budget.
    let mut inst = fueled().instantiate_boxed(storage, clock, Limits::default()).unwrap();
    let db = inst.open(&cfg, Some("default"), None).unwrap();
    inst.set_limits(limits).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    assert_eq!(call(&c, &mut inst, &["DBSIZE"]), Reply::Int(N as i64));
    assert_eq!(call(&c, &mut inst, &["GET", "key:199999"]), bulk("value"));
}

#[test]
fn memory_limit_is_an_error_not_an_abort() {
    let limits = Limits { memory: Some(32 << 20), ..Limits::default() };
    let mut inst = redlet().instantiate(MemSpaces::new(), SystemClock, limits).unwrap();
    let db = inst.open(&[], None, None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    let big = vec![b'x'; 1 << 20];
    let mut failed = None;
    for i in 0..100 {
        match c.call(&mut inst, &[b("SET"), format!("k{i}").into_bytes(), big.clone()]) {
            Ok(_) => {}
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    assert!(matches!(failed, Some(Error::Trap(_))), "{failed:?}");
    assert!(inst.is_poisoned());
}

#[test]
fn blocked_call_is_woken_and_taken() {
    let clock = ManualClock::new(1_700_000_000_000);
    let mut inst = redlet().instantiate(MemSpaces::new(), clock.clone(), Limits::default()).unwrap();
    let db = inst.open(&[], None, None).unwrap();
    let a = db.connect(&mut inst, "a").unwrap();
    let w = db.connect(&mut inst, "w").unwrap();
    assert_eq!(w.call(&mut inst, &["BLPOP", "q", "0"]).unwrap(), Outcome::Blocked);
    assert!(w.is_blocked(&mut inst).unwrap());
    assert_eq!(call(&a, &mut inst, &["RPUSH", "q", "x"]), Reply::Int(1));
    let id = w.id(&mut inst).unwrap();
    assert_eq!(db.woken(&mut inst).unwrap(), vec![id]);
    assert_eq!(w.take(&mut inst).unwrap(), vec![Reply::Array(vec![bulk("q"), bulk("x")])]);

    // A timeout is served by tick once the clock passed it.
    assert_eq!(w.call(&mut inst, &["BLPOP", "q", "1"]).unwrap(), Outcome::Blocked);
    let at = db.next_wakeup(&mut inst).unwrap().expect("a deadline");
    clock.set_ms(at + 1);
    db.tick(&mut inst).unwrap();
    assert_eq!(db.woken(&mut inst).unwrap(), vec![id]);
    assert_eq!(w.take(&mut inst).unwrap(), vec![Reply::NilArray]);
}

#[test]
fn typed_and_call_agree() {
    let mut inst = redlet().instantiate(MemSpaces::new(), SystemClock, Limits::default()).unwrap();
    let db: Database = inst.open(&[], None, Some(7)).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    let always = SetOptions { condition: SetCondition::Always, expiry: SetExpiry::None };
    assert!(c.set(&mut inst, b"k", b"v", always).unwrap());
    assert_eq!(call(&c, &mut inst, &["GET", "k"]), bulk("v"));
    call(&c, &mut inst, &["SET", "k2", "w"]);
    assert_eq!(c.get(&mut inst, b"k2").unwrap(), Some(b("w")));
    assert!(!c.set(&mut inst, b"k", b"x", SetOptions { condition: SetCondition::IfAbsent, expiry: SetExpiry::None }).unwrap());
    assert_eq!(call(&c, &mut inst, &["SET", "k", "x", "NX"]), Reply::Nil);
    assert_eq!(c.incrby(&mut inst, b"n", 5).unwrap(), 5);
    assert_eq!(call(&c, &mut inst, &["INCRBY", "n", "5"]), Reply::Int(10));
    assert_eq!(c.hset(&mut inst, b"h", &[(b("f"), b("1"))]).unwrap(), 1);
    assert_eq!(call(&c, &mut inst, &["HGETALL", "h"]), Reply::Array(vec![bulk("f"), bulk("1")]));
    assert_eq!(c.lpush(&mut inst, b"l", &[b("a"), b("b")]).unwrap(), 2);
    assert_eq!(call(&c, &mut inst, &["LRANGE", "l", "0", "-1"]), Reply::Array(vec![bulk("b"), bulk("a")]));
    assert_eq!(c.lrange(&mut inst, b"l", 0, -1).unwrap(), vec![b("b"), b("a")]);
    assert_eq!(c.zadd(&mut inst, b"z", &[Scored { member: b("m"), score: 1.5 }]).unwrap(), 1);
    assert_eq!(call(&c, &mut inst, &["ZSCORE", "z", "m"]), bulk("1.5"));
    assert_eq!(c.zrank(&mut inst, b"z", b"m", false).unwrap(), Some(0));
    assert!(c.expire(&mut inst, b"k", 100_000).unwrap());
    let Reply::Int(ttl) = call(&c, &mut inst, &["PTTL", "k"]) else { panic!() };
    assert!(ttl > 99_000 && ttl <= 100_000);
    // The same error text on both paths.
    let Err(Error::Reply(typed)) = c.lpush(&mut inst, b"k", &[b("x")]) else { panic!("WRONGTYPE expected") };
    let Reply::Error(e) = call(&c, &mut inst, &["LPUSH", "k", "x"]) else { panic!("WRONGTYPE expected") };
    assert_eq!(e.to_string(), typed);
    assert!(typed.starts_with("WRONGTYPE"));
    // The typed functions run in the connection's selected keyspace.
    call(&c, &mut inst, &["SELECT", "3"]);
    assert_eq!(c.get(&mut inst, b"k").unwrap(), None);
}

#[test]
fn epoch_deadline_interrupts_a_long_call() {
    let redlet = compile(RedletConfig { fuel: false, epochs: true });
    let mut inst = redlet.instantiate(MemSpaces::new(), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[], None, None).unwrap();
    let c = db.connect(&mut inst, "t").unwrap();
    for chunk in 0..200 {
        let mut args = vec![b("MSET")];
        for i in chunk * 1000..(chunk + 1) * 1000 {
            args.push(format!("key:{i}").into_bytes());
            args.push(b("value"));
        }
        c.call_owned(&mut inst, &args).unwrap();
    }
    inst.set_limits(Limits { epoch_ticks: Some(1), ..Limits::default() }).unwrap();
    // A timer thread ticks the epoch every millisecond.
    let engine = redlet.engine().clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                engine.increment_epoch();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
    };
    let mut result = Ok(Outcome::Blocked);
    // KEYS * over 200k keys runs for many milliseconds in a debug build;
    // a few tries in case a call slipped between two ticks.
    for _ in 0..20 {
        result = c.call(&mut inst, &["KEYS", "*"]);
        if result.is_err() {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    ticker.join().unwrap();
    match result {
        Err(Error::Trap(m)) => assert!(m.contains("interrupt"), "{m}"),
        other => panic!("KEYS * past its epoch deadline: {:?}", other.map(|_| "completed")),
    }
    assert!(inst.is_poisoned());
}

/// `Database::connect_as` (issue 13): a password is AUTH, none is the
/// trusted-host form; the connection's commands and typed functions are
/// held to the user's keys; WRONGPASS for a wrong password or no user.
#[test]
fn connect_as_confines_calls_and_typed_functions() {
    let mut inst = redlet().instantiate(MemSpaces::new(), SystemClock, Limits::default()).unwrap();
    let db = inst.open(&[], None, Some(1)).unwrap();
    let admin = db.connect(&mut inst, "admin").unwrap();
    assert_eq!(call(&admin, &mut inst, &["ACL", "SETUSER", "app", "on", ">pw", "~a:*", "&a:*", "+@all", "-@admin", "-@dangerous", "-scan", "-randomkey"]), Reply::ok());
    assert_eq!(call(&admin, &mut inst, &["SET", "b:1", "secret"]), Reply::ok());
    let noperm_key = Error::Reply("NOPERM this user has no permissions to access one of the keys used as arguments".into());
    for pass in [Some("pw"), None] {
        let c = db.connect_as(&mut inst, "app", "app", pass).unwrap();
        assert_eq!(call(&c, &mut inst, &["GET", "b:1"]), Reply::Error(redlet::Error::msg("NOPERM this user has no permissions to access one of the keys used as arguments")));
        assert_eq!(c.get(&mut inst, b"b:1"), Err(noperm_key.clone()));
        assert_eq!(c.set(&mut inst, b"a:1", b"x", SetOptions { condition: SetCondition::Always, expiry: SetExpiry::None }), Ok(true));
        assert_eq!(c.get(&mut inst, b"a:1"), Ok(Some(b("x"))));
    }
    let wrongpass = Error::Reply("WRONGPASS invalid username-password pair or user is disabled.".into());
    assert_eq!(db.connect_as(&mut inst, "", "app", Some("bad")).err(), Some(wrongpass.clone()));
    assert_eq!(db.connect_as(&mut inst, "", "nobody", None).err(), Some(wrongpass));
    assert_eq!(call(&admin, &mut inst, &["GET", "b:1"]), bulk("secret"));
}
