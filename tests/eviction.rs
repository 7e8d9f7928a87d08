//! `maxmemory` and the eight eviction policies, deterministic on a manual
//! clock and a fixed seed: which keys go, OOM errors (plain, inside MULTI,
//! EXEC), LFU counters and their decay, OBJECT FREQ/IDLETIME, the `evicted`
//! notification, WATCH, blocked clients, CONFIG SET, and the bound on
//! `used_memory` under sustained writes. Error texts and MULTI behaviour
//! checked against redis-server 7.0.15.

mod common;
use common::*;

use redlet::{Config, Engine, Reply};

const OOM: &str = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

fn r(e: &mut Engine, c: redlet::ClientId, a: &[&str]) -> String {
    let refs: Vec<&[u8]> = a.iter().map(|s| s.as_bytes()).collect();
    String::from_utf8_lossy(&e.execute(c, &refs).expect("blocked").to_resp(redlet::Protocol::Resp2)).into_owned()
}

fn info_field(e: &mut Engine, c: redlet::ClientId, section: &str, name: &str) -> String {
    let text = match run(e, c, &format!("INFO {}", section)) {
        Reply::Bulk(b) | Reply::Verbatim(_, b) => String::from_utf8_lossy(&b).into_owned(),
        other => panic!("{other:?}"),
    };
    let prefix = format!("{}:", name);
    text.lines().find_map(|l| l.strip_prefix(&prefix)).map(String::from).unwrap_or_else(|| panic!("no {name}"))
}

fn exists(e: &mut Engine, c: redlet::ClientId, k: &str) -> bool {
    r(e, c, &["EXISTS", k]) == ":1\r\n"
}

/// An engine with `policy`, room for about `fit` keys of `size` bytes.
fn setup(policy: &str, fit: u64, size: usize) -> (Engine, redlet::clock::ManualClock, redlet::ClientId) {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    let per = redlet::info::KEY_OVERHEAD + size as u64 + 8;
    let max = e.used_memory() + fit * per;
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-policy", policy, "maxmemory", &max.to_string()]), "+OK\r\n");
    (e, clock, c)
}

fn val(size: usize) -> String {
    "v".repeat(size)
}

#[test]
fn noeviction_refuses_denyoom_commands_and_changes_nothing() {
    let (mut e, _clock, c) = setup("noeviction", 20, 100);
    let v = val(100);
    let mut n = 0;
    while r(&mut e, c, &["SET", &format!("k{n}"), &v]) == "+OK\r\n" {
        n += 1;
        assert!(n < 100);
    }
    // The refused SET left nothing behind.
    assert_eq!(r(&mut e, c, &["EXISTS", &format!("k{n}")]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["DBSIZE"]), format!(":{n}\r\n"));
    assert_eq!(r(&mut e, c, &["SET", "k0", &v]), OOM);
    assert_eq!(r(&mut e, c, &["RPUSH", "l", "a"]), OOM);
    assert_eq!(r(&mut e, c, &["APPEND", "k0", "x"]), OOM);
    // Reads and deletions are not denyoom.
    assert_eq!(r(&mut e, c, &["GET", "k0"]), format!("$100\r\n{v}\r\n"));
    assert_eq!(r(&mut e, c, &["DEL", "k1", "k3", "k4"]), ":3\r\n");
    assert_eq!(r(&mut e, c, &["EXPIRE", "k2", "100"]), ":1\r\n");
    assert_eq!(info_field(&mut e, c, "stats", "evicted_keys"), "0");
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory_policy"), "noeviction");
    // The rejections count in commandstats and errorstats.
    assert!(info_field(&mut e, c, "errorstats", "errorstat_OOM").starts_with("count=4"));
    // Room again after deletions (the db's table keeps its size, so it
    // takes more than the overshoot in values).
    for i in 5..n {
        r(&mut e, c, &["DEL", &format!("k{i}")]);
    }
    assert_eq!(r(&mut e, c, &["SET", "new", "x"]), "+OK\r\n");
}

#[test]
fn oom_inside_multi_and_at_exec() {
    let (mut e, _clock, c) = setup("noeviction", 10, 100);
    let v = val(100);
    let mut n = 0;
    while r(&mut e, c, &["SET", &format!("k{n}"), &v]) == "+OK\r\n" {
        n += 1;
    }
    // MULTI itself passes; inside it every command but EXEC, DISCARD, QUIT
    // and RESET is refused, and EXEC then aborts.
    assert_eq!(r(&mut e, c, &["MULTI"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["PING"]), OOM);
    assert_eq!(r(&mut e, c, &["GET", "k0"]), OOM);
    assert_eq!(r(&mut e, c, &["EXEC"]), "-EXECABORT Transaction discarded because of previous errors.\r\n");
    assert_eq!(r(&mut e, c, &["MULTI"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["GET", "k0"]), OOM);
    assert_eq!(r(&mut e, c, &["DISCARD"]), "+OK\r\n");
    // A transaction queued while there was room: EXEC is refused when it
    // holds a denyoom command, runs when it does not.
    let d = e.open_client(Default::default());
    assert_eq!(r(&mut e, d, &["DEL", "k0", "k1", "k2"]), ":3\r\n");
    assert_eq!(r(&mut e, c, &["MULTI"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["SET", "t", "1"]), "+QUEUED\r\n");
    fill(&mut e, d, "a", &v);
    assert_eq!(r(&mut e, c, &["EXEC"]), "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n");
    assert_eq!(r(&mut e, d, &["DEL", "k3", "k4", "k5"]), ":3\r\n");
    assert_eq!(r(&mut e, c, &["MULTI"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["GET", "k6"]), "+QUEUED\r\n");
    fill(&mut e, d, "b", &v);
    assert_eq!(r(&mut e, c, &["EXEC"]), format!("*1\r\n$100\r\n{v}\r\n"));
    assert_eq!(r(&mut e, c, &["EXISTS", "t"]), ":0\r\n");
}

/// Writes keys `<prefix>N` until the OOM error; returns how many fit.
fn fill(e: &mut Engine, c: redlet::ClientId, prefix: &str, v: &str) -> usize {
    let mut n = 0;
    loop {
        let rep = r(e, c, &["SET", &format!("{prefix}{n}"), v]);
        if rep == OOM {
            return n;
        }
        assert_eq!(rep, "+OK\r\n");
        n += 1;
        assert!(n < 1000);
    }
}

#[test]
fn allkeys_lru_keeps_recently_used_keys() {
    let (mut e, clock, c) = setup("allkeys-lru", 100, 200);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-samples", "10"]), "+OK\r\n");
    let v = val(200);
    for i in 0..80 {
        assert_eq!(r(&mut e, c, &["SET", &format!("old{i}"), &v]), "+OK\r\n");
    }
    clock.advance_ms(10_000);
    // Ten keys stay hot while newer keys push the old ones out.
    for round in 0..20 {
        for h in 0..10 {
            r(&mut e, c, &["GET", &format!("old{h}")]);
        }
        clock.advance_ms(1_000);
        for j in 0..10 {
            assert_eq!(r(&mut e, c, &["SET", &format!("new{round}:{j}"), &v]), "+OK\r\n");
        }
    }
    for h in 0..10 {
        assert!(exists(&mut e, c, &format!("old{h}")), "hot key old{h} evicted");
    }
    let cold_left = (10..80).filter(|i| exists(&mut e, c, &format!("old{i}"))).count();
    assert_eq!(cold_left, 0, "cold keys go first");
    let evicted: u64 = info_field(&mut e, c, "stats", "evicted_keys").parse().unwrap();
    assert!(evicted >= 170, "{evicted}");
    assert!(e.used_memory() <= e.config().maxmemory);
    // IDLETIME reads the same clock; FREQ is refused under LRU.
    clock.advance_ms(5_000);
    assert_eq!(r(&mut e, c, &["OBJECT", "IDLETIME", "old0"]), ":6\r\n");
    assert_eq!(
        r(&mut e, c, &["OBJECT", "FREQ", "old0"]),
        "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
    );
}

#[test]
fn lfu_counter_and_decay() {
    let (mut e, clock, c) = engine_lfu();
    assert_eq!(r(&mut e, c, &["SET", "k", "hello"]), "+OK\r\n");
    // New keys start at LFU_INIT_VAL.
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":5\r\n");
    // OBJECT itself does not count as an access.
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":5\r\n");
    // The first hit after the initial value always counts (p = 1).
    r(&mut e, c, &["GET", "k"]);
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":6\r\n");
    // With lfu-log-factor 0 every hit counts; TYPE/EXISTS do not touch.
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "lfu-log-factor", "0"]), "+OK\r\n");
    for _ in 0..10 {
        r(&mut e, c, &["GET", "k"]);
    }
    r(&mut e, c, &["TYPE", "k"]);
    r(&mut e, c, &["EXISTS", "k"]);
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":16\r\n");
    // A write lookup counts too.
    r(&mut e, c, &["APPEND", "k", "!"]);
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":17\r\n");
    // Saturates at 255.
    for _ in 0..300 {
        r(&mut e, c, &["GET", "k"]);
    }
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":255\r\n");
    // Decays by one per lfu-decay-time minutes (1 by default).
    clock.advance_ms(3 * 60_000);
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":252\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "lfu-decay-time", "2"]), "+OK\r\n");
    clock.advance_ms(60_000 * 4);
    // 7 minutes since the last access / 2.
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":252\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "lfu-decay-time", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "k"]), ":255\r\n");
    // With the default factor, further hits rarely count.
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "lfu-log-factor", "10"]), "+OK\r\n");
    r(&mut e, c, &["SET", "j", "x"]);
    for _ in 0..100 {
        r(&mut e, c, &["GET", "j"]);
    }
    let f: u64 = r(&mut e, c, &["OBJECT", "FREQ", "j"]).trim_start_matches(':').trim().parse().unwrap();
    assert!((8..=14).contains(&f), "{f}");
    assert_eq!(
        r(&mut e, c, &["OBJECT", "IDLETIME", "j"]),
        "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
    );
    assert_eq!(r(&mut e, c, &["OBJECT", "FREQ", "nokey"]), "$-1\r\n");
}

fn engine_lfu() -> (Engine, redlet::clock::ManualClock, redlet::ClientId) {
    let mut cfg = Config::default();
    cfg.set_param("maxmemory-policy", "allkeys-lfu").unwrap();
    let (mut e, clock) = engine_with(cfg);
    let c = client(&mut e);
    (e, clock, c)
}

#[test]
fn allkeys_lfu_keeps_frequently_used_keys() {
    let (mut e, clock, c) = setup("allkeys-lfu", 100, 200);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-samples", "10"]), "+OK\r\n");
    let v = val(200);
    for i in 0..80 {
        assert_eq!(r(&mut e, c, &["SET", &format!("old{i}"), &v]), "+OK\r\n");
    }
    // Ten keys hit often, long ago: frequency, not recency, keeps them.
    for _ in 0..50 {
        for h in 0..10 {
            r(&mut e, c, &["GET", &format!("old{h}")]);
        }
    }
    clock.advance_ms(10_000);
    for j in 0..200 {
        assert_eq!(r(&mut e, c, &["SET", &format!("new{j}"), &v]), "+OK\r\n");
    }
    for h in 0..10 {
        assert!(exists(&mut e, c, &format!("old{h}")), "frequent key old{h} evicted");
    }
    assert!(e.used_memory() <= e.config().maxmemory);
    assert!(info_field(&mut e, c, "stats", "evicted_keys").parse::<u64>().unwrap() >= 170);
}

#[test]
fn random_policies_are_deterministic() {
    let survivors = || {
        let (mut e, _clock, c) = setup("allkeys-random", 50, 100);
        let v = val(100);
        for i in 0..200 {
            assert_eq!(r(&mut e, c, &["SET", &format!("k{i}"), &v]), "+OK\r\n");
        }
        // Eviction runs before each command: the last SET may overshoot.
        assert!(e.used_memory() <= e.config().maxmemory + 200);
        (0..200).filter(|i| exists(&mut e, c, &format!("k{i}"))).collect::<Vec<_>>()
    };
    let a = survivors();
    assert!(a.len() >= 40 && a.len() <= 55, "{}", a.len());
    assert_eq!(a, survivors());
    // Not simply the newest keys.
    assert!(a.iter().any(|&i| i < 150));
}

/// Under every volatile policy only keys with a TTL go; when none is left
/// writes get the OOM error.
#[test]
fn volatile_policies_only_evict_keys_with_ttl() {
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
        let (mut e, _clock, c) = setup(policy, 40, 100);
        let v = val(100);
        for i in 0..20 {
            assert_eq!(r(&mut e, c, &["SET", &format!("keep{i}"), &v]), "+OK\r\n");
        }
        for i in 0..15 {
            assert_eq!(r(&mut e, c, &["SET", &format!("vol{i}"), &v, "EX", "1000"]), "+OK\r\n", "{policy}");
        }
        let mut i = 0;
        let reply = loop {
            let rep = r(&mut e, c, &["SET", &format!("more{i}"), &v]);
            if rep != "+OK\r\n" || i > 100 {
                break rep;
            }
            i += 1;
        };
        assert_eq!(reply, OOM, "{policy}");
        for k in 0..20 {
            assert!(exists(&mut e, c, &format!("keep{k}")), "{policy}: keep{k}");
        }
        assert_eq!((0..15).filter(|k| exists(&mut e, c, &format!("vol{k}"))).count(), 0, "{policy}");
        assert_eq!(info_field(&mut e, c, "stats", "evicted_keys"), "15", "{policy}");
        assert_eq!(info_field(&mut e, c, "memory", "maxmemory_policy"), policy);
    }
}

#[test]
fn volatile_ttl_evicts_the_nearest_expiry_first() {
    let (mut e, _clock, c) = setup("volatile-ttl", 30, 100);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-samples", "20"]), "+OK\r\n");
    let v = val(100);
    for i in 0..25 {
        // k0 expires first, k24 last.
        assert_eq!(r(&mut e, c, &["SET", &format!("k{i}"), &v, "EX", &(1000 + i * 10).to_string()]), "+OK\r\n");
    }
    for i in 0..10 {
        assert_eq!(r(&mut e, c, &["SET", &format!("p{i}"), &v]), "+OK\r\n");
    }
    let evicted: usize = info_field(&mut e, c, "stats", "evicted_keys").parse().unwrap();
    assert!(evicted > 0);
    for i in 0..25 {
        assert_eq!(exists(&mut e, c, &format!("k{i}")), i >= evicted, "k{i} with {evicted} evicted");
    }
}

#[test]
fn eviction_notifies_invalidates_watch_and_wakes_nobody() {
    let (mut e, _clock, c) = setup("volatile-ttl", 20, 100);
    let v = val(100);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "notify-keyspace-events", "Ee"]), "+OK\r\n");
    let sub = client(&mut e);
    assert!(r(&mut e, sub, &["SUBSCRIBE", "__keyevent@0__:evicted"]).starts_with("*3\r\n$9\r\nsubscribe"));
    // A stream with a group and a client blocked reading it; the stream is
    // the only key with a TTL, so it is the one evicted.
    assert_eq!(r(&mut e, c, &["XADD", "s", "1-1", "f", "v"]), "$3\r\n1-1\r\n");
    assert_eq!(r(&mut e, c, &["XGROUP", "CREATE", "s", "g", "$"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["EXPIRE", "s", "1000"]), ":1\r\n");
    let blocked = client(&mut e);
    let xr: Vec<&[u8]> = ["XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"].iter().map(|s| s.as_bytes()).collect();
    assert!(e.execute(blocked, &xr).is_none());
    let w = client(&mut e);
    assert_eq!(r(&mut e, w, &["WATCH", "s"]), "+OK\r\n");
    assert_eq!(r(&mut e, w, &["MULTI"]), "+OK\r\n");
    assert_eq!(r(&mut e, w, &["PING"]), "+QUEUED\r\n");
    let mut i = 0;
    while exists(&mut e, c, "s") {
        assert_eq!(r(&mut e, c, &["SET", &format!("k{i}"), &v]), "+OK\r\n");
        i += 1;
        assert!(i < 100);
    }
    assert_eq!(r(&mut e, w, &["EXEC"]), "*-1\r\n");
    assert!(e.is_blocked(blocked), "eviction wakes no blocked client");
    let msg = e.pop_output(sub).expect("evicted event");
    assert_eq!(
        String::from_utf8_lossy(&msg.to_resp(redlet::Protocol::Resp2)),
        "*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$1\r\ns\r\n"
    );
    assert!(e.pop_output(sub).is_none());
    assert_eq!(info_field(&mut e, c, "stats", "evicted_keys"), "1");
    assert_eq!(info_field(&mut e, c, "stats", "expired_keys"), "0");
}

#[test]
fn config_set_maxmemory_below_used_evicts_at_once() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let v = val(2000);
    for i in 0..100 {
        assert_eq!(r(&mut e, c, &["SET", &format!("k{i}"), &v]), "+OK\r\n");
    }
    let used = e.used_memory();
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]), "+OK\r\n");
    let half = e.used_memory() - (used - redlet::info::BASELINE) / 2;
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", &half.to_string()]), "+OK\r\n");
    assert!(e.used_memory() <= half);
    let evicted: u64 = info_field(&mut e, c, "stats", "evicted_keys").parse().unwrap();
    assert!((30..=60).contains(&evicted), "{evicted}");
    assert_eq!(r(&mut e, c, &["DBSIZE"]), format!(":{}\r\n", 100 - evicted));
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory"), half.to_string());
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory"]), format!("*2\r\n$9\r\nmaxmemory\r\n${}\r\n{}\r\n", half.to_string().len(), half));
    // Removing the limit stops eviction.
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "0"]), "+OK\r\n");
    for i in 0..100 {
        r(&mut e, c, &["SET", &format!("z{i}"), &v]);
    }
    assert_eq!(info_field(&mut e, c, "stats", "evicted_keys"), evicted.to_string());
}

#[test]
fn maxmemory_at_start() {
    let mut cfg = Config::default();
    cfg.set_param("maxmemory", "100kb").unwrap();
    cfg.set_param("maxmemory-policy", "allkeys-random").unwrap();
    let (mut e, _clock) = engine_with(cfg);
    let c = client(&mut e);
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory"), "102400");
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory_human"), "100.00K");
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory_policy"), "allkeys-random");
    let v = val(1000);
    for i in 0..200 {
        assert_eq!(r(&mut e, c, &["SET", &format!("k{i}"), &v]), "+OK\r\n");
    }
    assert!(e.used_memory() <= 102400 + 1100);
    assert!(info_field(&mut e, c, "stats", "evicted_keys").parse::<u64>().unwrap() > 100);
}

/// Eviction runs before each command, so after any command `used_memory`
/// exceeds `maxmemory` by at most what that command added.
#[test]
fn sustained_writes_stay_within_one_command_of_the_limit() {
    for policy in ["allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-ttl"] {
        let (mut e, clock, c) = setup(policy, 200, 300);
        let max = e.config().maxmemory;
        let mut x: u64 = 12345;
        let mut worst = 0i64;
        for i in 0..3000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let size = 10 + (x >> 33) as usize % 2000;
            let key = format!("k{}", (x >> 20) % 1000);
            let (rep, payload) = match i % 4 {
                0 => (r(&mut e, c, &["SET", &key, &val(size), "EX", "10000"]), size),
                1 => (r(&mut e, c, &["RPUSH", &format!("l{}", (x >> 24) % 50), &val(size % 300)]), size % 300),
                2 => (r(&mut e, c, &["HSET", &format!("h{}", (x >> 24) % 50), &key, &val(size % 200)]), size % 200),
                _ => (r(&mut e, c, &["GET", &key]), 0),
            };
            if policy == "volatile-ttl" && rep == OOM {
                continue;
            }
            assert!(!rep.starts_with('-'), "{policy}: {rep}");
            // Eviction brought memory under the limit first; only this
            // command's own growth (its payload, a new key, a container's
            // buffer growing) may exceed it.
            let after = e.used_memory();
            let bound = max + 2 * payload as u64 + 1024;
            assert!(after <= bound, "{policy}: used {} max {} payload {}", after, max, payload);
            worst = worst.max(after as i64 - max as i64);
            if i % 100 == 0 {
                clock.advance_ms(1000);
            }
        }
        assert!(worst < 3000, "{policy}: worst overshoot {worst}");
        assert!(e.used_memory() <= max + 3000);
    }
}

#[test]
fn memory_usage_and_info_memory() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["SET", "a-key-longer-than-inline", "value"]), "+OK\r\n");
    let k = redlet::info::KEY_OVERHEAD + 24 + 5;
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "a-key-longer-than-inline"]), format!(":{k}\r\n"));
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "nokey", "SAMPLES", "5"]), "$-1\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "a-key-longer-than-inline", "SAMPLES", "-1"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "a-key-longer-than-inline", "SAMPLES", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "a-key-longer-than-inline", "foo"]), "-ERR syntax error\r\n");
    // A list grows and shrinks in MEMORY USAGE and used_memory alike.
    let u0 = e.used_memory();
    r(&mut e, c, &["RPUSH", "l", "a", "b", "c"]);
    let m1: u64 = r(&mut e, c, &["MEMORY", "USAGE", "l"]).trim_start_matches(':').trim().parse().unwrap();
    for _ in 0..100 {
        r(&mut e, c, &["RPUSH", "l", "some element"]);
    }
    let m2: u64 = r(&mut e, c, &["MEMORY", "USAGE", "l"]).trim_start_matches(':').trim().parse().unwrap();
    assert!(m2 > m1 + 1200, "{m1} {m2}");
    let u1 = e.used_memory();
    assert!(u1 > u0 + 1200);
    assert_eq!(r(&mut e, c, &["DEL", "l"]), ":1\r\n");
    assert_eq!(e.used_memory(), u0);
    assert_eq!(info_field(&mut e, c, "memory", "used_memory"), u0.to_string());
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory"), "0");
    assert_eq!(info_field(&mut e, c, "memory", "maxmemory_human"), "0B");
}
