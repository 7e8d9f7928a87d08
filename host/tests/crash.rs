//! Crash test: a child `redlet serve --appendonly yes --appendfsync always`
//! under a pipelined write load is killed with SIGKILL at random moments
//! (fixed seed, several rounds, same data folder); after each restart every
//! write the client saw acknowledged must be there.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// xorshift64*: a fixed-seed source for kill delays and values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the client saw acknowledged, across rounds.
#[derive(Default)]
struct Acked {
    strings: BTreeMap<String, String>,
    /// Highest INCR reply.
    counter: i64,
    /// Highest RPUSH reply (list length).
    list_len: i64,
    hash: BTreeSet<String>,
    set: BTreeSet<String>,
}

/// One command of the load: the argv and what its ack means.
enum Op {
    Set(String, String),
    Incr,
    Push,
    HSet(String),
    SAdd(String),
}

fn argv(op: &Op) -> Vec<Vec<u8>> {
    let w = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect();
    match op {
        Op::Set(k, v) => w(&["SET", k, v]),
        Op::Incr => w(&["INCR", "ctr"]),
        Op::Push => w(&["RPUSH", "list", "x"]),
        Op::HSet(f) => w(&["HSET", "hash", f, "1"]),
        Op::SAdd(m) => w(&["SADD", "set", m]),
    }
}

/// Writes until the server dies; records each acknowledged op.
fn load(port: u16, round: u32, rng: &mut Rng, acked: &mut Acked) -> u64 {
    let mut c = Client::connect(port, Duration::from_secs(5)).expect("connect");
    let mut n = 0u64;
    let mut seq = 0u64;
    loop {
        let batch = 1 + rng.below(64) as usize;
        let mut ops = Vec::with_capacity(batch);
        let mut buf = Vec::new();
        for _ in 0..batch {
            seq += 1;
            let op = match rng.below(5) {
                0 | 1 => Op::Set(format!("k:{round}:{seq}"), format!("v{}", rng.next())),
                2 => Op::Incr,
                3 => Op::Push,
                _ if rng.below(2) == 0 => Op::HSet(format!("f{round}:{seq}")),
                _ => Op::SAdd(format!("m{round}:{seq}")),
            };
            let a = argv(&op);
            let refs: Vec<&[u8]> = a.iter().map(Vec::as_slice).collect();
            encode(&refs, &mut buf);
            ops.push(op);
        }
        if c.w.write_all(&buf).is_err() {
            return n;
        }
        for op in ops {
            let Ok(Some(reply)) = read_val(&mut c.r) else { return n };
            match (&op, &reply) {
                (Op::Set(k, v), Val::Status(s)) if s == b"OK" => {
                    acked.strings.insert(k.clone(), v.clone());
                }
                (Op::Incr, Val::Int(i)) => acked.counter = acked.counter.max(*i),
                (Op::Push, Val::Int(i)) => acked.list_len = acked.list_len.max(*i),
                (Op::HSet(f), Val::Int(_)) => {
                    acked.hash.insert(f.clone());
                }
                (Op::SAdd(m), Val::Int(_)) => {
                    acked.set.insert(m.clone());
                }
                (_, other) => panic!("unexpected reply {other:?}"),
            }
            n += 1;
        }
    }
}

fn verify(port: u16, acked: &Acked) {
    let mut c = Client::connect(port, Duration::from_secs(5)).expect("connect");
    let keys: Vec<(&String, &String)> = acked.strings.iter().collect();
    for chunk in keys.chunks(500) {
        let mut args: Vec<&[u8]> = vec![b"MGET"];
        args.extend(chunk.iter().map(|(k, _)| k.as_bytes()));
        let got = c.call(&args).items();
        for ((k, v), g) in chunk.iter().zip(got) {
            assert_eq!(g, Val::Bulk(Some(v.as_bytes().to_vec())), "acknowledged SET {k} lost");
        }
    }
    let ctr = match c.cmd("GET ctr") {
        Val::Bulk(Some(b)) => String::from_utf8(b).unwrap().parse::<i64>().unwrap(),
        _ => 0,
    };
    assert!(ctr >= acked.counter, "counter {ctr} < acknowledged {}", acked.counter);
    match c.cmd("LLEN list") {
        Val::Int(n) => assert!(n >= acked.list_len, "list length {n} < acknowledged {}", acked.list_len),
        other => panic!("{other:?}"),
    }
    for f in &acked.hash {
        assert_eq!(c.call(&[b"HEXISTS", b"hash", f.as_bytes()]), Val::Int(1), "acknowledged HSET {f} lost");
    }
    for m in &acked.set {
        assert_eq!(c.call(&[b"SISMEMBER", b"set", m.as_bytes()]), Val::Int(1), "acknowledged SADD {m} lost");
    }
}

fn start(dir: &std::path::Path) -> Redlet {
    Redlet::start(dir, &["--appendonly", "yes", "--appendfsync", "always", "--save", ""])
        .unwrap_or_else(|(code, log)| panic!("redlet did not start (exit {code:?}):\n{}", log.join("\n")))
}

#[test]
fn sigkill_under_write_load_loses_no_acknowledged_write() {
    let dir = tmpdir("crash");
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let mut acked = Acked::default();
    let started = Instant::now();
    let rounds = 6;
    let mut total = 0;
    for round in 0..rounds {
        let mut srv = start(&dir);
        verify(srv.port, &acked);
        let pid = srv.child.id();
        let delay = Duration::from_millis(30 + rng.below(400));
        let killed = Arc::new(AtomicBool::new(false));
        let k2 = killed.clone();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            k2.store(true, Ordering::SeqCst);
        });
        let n = load(srv.port, round, &mut rng, &mut acked);
        killer.join().unwrap();
        assert!(killed.load(Ordering::SeqCst));
        srv.kill();
        total += n;
        eprintln!("round {round}: killed after {delay:?}, {n} writes acknowledged");
    }
    let srv = start(&dir);
    verify(srv.port, &acked);
    assert!(total > 100, "only {total} writes were acknowledged");
    eprintln!("{rounds} rounds, {total} acknowledged writes, all present; {:?}", started.elapsed());
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
