//! No input may panic the engine. Seeded random argv (every command and
//! subcommand of `redlet::cmd::families()`, garbage names, edge numbers,
//! every option keyword, binary junk) from several clients, with blocking,
//! disconnects, clock jumps and ticks. Every reply must also render to
//! well-formed RESP2 and RESP3.
//!
//! `REDLET_FUZZ_SEED=n` picks the seed, `REDLET_FUZZ_LONG=1` runs 20x more,
//! `REDLET_FUZZ_COMMANDS=n` sets the count.

#[path = "diff/resp.rs"]
#[allow(dead_code)]
mod resp;
#[path = "diff/rng.rs"]
#[allow(dead_code)]
mod rng;

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use redlet::clock::ManualClock;
use redlet::{ClientId, ClientInfo, Config, Engine, Options, Protocol, Reply};
use rng::Rng;

/// Every option keyword redlet's commands (and Redis's) take.
const KEYWORDS: &[&str] = &[
    "NX", "XX", "GT", "LT", "CH", "INCR", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "PERSIST", "LEFT", "RIGHT",
    "BEFORE", "AFTER", "RANK", "COUNT", "MAXLEN", "MATCH", "TYPE", "LIMIT", "BY", "STORE", "ASC", "DESC", "ALPHA",
    "WITHVALUES", "WITHSCORES", "WITHMATCHLEN", "MINMATCHLEN", "LEN", "IDX", "REPLACE", "DB", "ABSTTL", "IDLETIME",
    "FREQ", "ASYNC", "SYNC", "SETNAME", "AUTH", "BYTE", "BIT", "AND", "OR", "XOR", "NOT", "OVERFLOW", "WRAP", "SAT",
    "FAIL", "INCRBY", "SET", "ID", "KILL", "LIST", "INFO", "GETNAME", "UNBLOCK", "TIMEOUT", "ERROR", "ON", "OFF",
    "SKIPME", "USER", "ADDR", "LADDR", "MAXAGE", "NO-EVICT", "YES", "NO", "HELP", "RESETSTAT", "REWRITE", "SAMPLES",
    "USAGE", "STATS", "DOCTOR", "ENCODING", "REFCOUNT", "SLEEP", "LOG", "NOSORT", "REV", "BYSCORE", "BYLEX", "MIN",
    "MAX", "SUM", "AGGREGATE", "WEIGHTS", "SCORES", "RESET", "FILTERBY", "MODULE", "ACLCAT", "PATTERN", "DOCS",
    "GETKEYS", "GETKEYSANDFLAGS", "NOVALUES", "WITHSCORE", "ALL", "DEFAULT", "everything", "maxmemory", "hz",
    "databases", "hash-max-listpack-entries", "set-max-intset-entries", "maxmemory-policy", "allkeys-lru", "*", "#",
    "w_*", "h_*->f", "nosort", "local", "yes", "set-active-expire", "change-repl-id", "pause", "tracking", "caching",
    "FROMMEMBER", "FROMLONLAT", "BYRADIUS", "BYBOX", "WITHDIST", "WITHCOORD", "WITHHASH", "ANY", "STOREDIST", "KM", "M",
    "FT", "MI",
];

/// Numbers: zero, signs, i64 edges, overflow, floats, specials, huge counts.
const NUMBERS: &[&str] = &[
    "0", "1", "-1", "2", "3", "5", "-5", "10", "100", "-100", "1000", "65535", "4294967295", "4294967296",
    "536870911", "536870912", "100000000", "9223372036854775807", "-9223372036854775808", "9223372036854775806",
    "-9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "18446744073709551616", "1e308", "-1e308", "1e309", "5e-324", "1.5", "-0.5", "0.001", "nan", "-nan", "inf",
    "-inf", "+inf", "Infinity", "1e20", "0x10", " 1", "1 ", "+1", "01", "-0", "", "4611686018427387904",
    "-4611686018427387904", "2147483647", "-2147483648", "#1", "#-1", "i8", "u63", "i64", "u64", "i65",
];

/// Commands slow by design (self-tests), drawn rarely.
const SLOW: &[&str] = &["pfselftest"];

/// Arguments that legally create huge values (SETRANGE/SETBIT offsets).
const HUGE: &[&[u8]] = &[b"536870911", b"4294967295", b"100000000", b"65535"];

/// Keys: shared, empty, binary, long.
const KEYS: &[&[u8]] = &[b"k", b"key", b"", b"a\x00b\r\n", b"{t}1", b"{t}2", b"dst", b"w_1", b"h_1", b"q"];

const GARBAGE_NAMES: &[&[u8]] = &[b"", b"NOSUCH", b"\x00", b"get\x00", b"CONFIG\r\n", b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", b"|", b"config|get"];

struct Names {
    /// (command, subcommand, arity) triples, subcommand empty for plain
    /// commands.
    all: Vec<(String, String, i32)>,
}

fn names() -> Names {
    let mut all = vec![];
    for fam in redlet::cmd::families() {
        for c in fam.iter() {
            all.push((c.name.to_string(), String::new(), c.arity));
            for s in c.subcommands {
                all.push((c.name.to_string(), s.name.to_string(), s.arity));
            }
        }
    }
    Names { all }
}

fn case(r: &mut Rng, s: &str) -> Vec<u8> {
    match r.below(3) {
        0 => s.to_ascii_uppercase().into_bytes(),
        1 => s.to_ascii_lowercase().into_bytes(),
        _ => s.bytes().map(|c| if r.chance(0.5) { c.to_ascii_uppercase() } else { c }).collect(),
    }
}

fn arg(r: &mut Rng) -> Vec<u8> {
    match r.below(20) {
        0..=5 => r.pick(NUMBERS).as_bytes().to_vec(),
        6..=10 => r.pick(KEYS).to_vec(),
        11..=14 => {
            let k = *r.pick(KEYWORDS);
            case(r, k)
        }
        15 => {
            let n = r.below(40);
            r.bytes(n)
        }
        16 => vec![b'x'; r.range(60, 3000) as usize],
        17 => r.range(-20, 20).to_string().into_bytes(),
        18 => r.pick(&["a", "b", "c", "1", "2", "f", "g"]).as_bytes().to_vec(),
        _ => r.u64().to_string().into_bytes(),
    }
}

fn argv(r: &mut Rng, names: &Names) -> Vec<Vec<u8>> {
    let mut a = vec![];
    let mut arity = 0;
    if r.chance(0.03) {
        a.push(r.pick(GARBAGE_NAMES).to_vec());
    } else {
        let mut pick = r.pick(&names.all).clone();
        // Self-tests take ~0.5 s each: keep them rare.
        while SLOW.contains(&pick.0.as_str()) && r.chance(0.995) {
            pick = r.pick(&names.all).clone();
        }
        let (c, s, ar) = pick;
        arity = ar;
        a.push(case(r, &c));
        if !s.is_empty() {
            a.push(case(r, &s));
        } else if r.chance(0.02) {
            a.push(b"NOSUCHSUB".to_vec());
        }
    }
    // Mostly a count the arity check lets through, so handlers see it.
    let have = a.len() as i64;
    let n = if arity > 0 && r.chance(0.7) {
        (arity as i64 - have).max(0) as usize
    } else if arity < 0 && r.chance(0.7) {
        let min = (-arity as i64 - have).max(0);
        (min + r.range(0, 4)) as usize
    } else {
        match r.below(10) {
            0 => 0,
            1..=6 => r.range(1, 4) as usize,
            7 | 8 => r.range(4, 9) as usize,
            _ => r.range(9, 40) as usize,
        }
    };
    for _ in 0..n {
        a.push(arg(r));
    }
    a
}

fn show(a: &[Vec<u8>]) -> String {
    resp::cli_line(a)
}

/// Renders in both protocols; both must parse as exactly one reply (or
/// none, for an empty sequence).
fn check_render(reply: &Reply) -> Result<(), String> {
    // `Reply::Seq` (a SUBSCRIBE to several channels, messages a command
    // publishes to its own client) renders as several replies back to back:
    // check each part, which covers the sequence too.
    // An empty one is no reply at all: CLIENT REPLY OFF/SKIP, a repeated
    // MONITOR (Redis writes nothing for them).
    if let Reply::Seq(parts) = reply {
        return parts.iter().try_for_each(check_render);
    }
    // EXEC of a command answering several times (PUNSUBSCRIBE a b inside
    // MULTI) writes more replies than its array header counts, exactly as
    // Redis does: check the elements one by one.
    if let Reply::Array(items) = reply {
        if items.iter().any(|i| matches!(i, Reply::Seq(_))) {
            return items.iter().try_for_each(check_render);
        }
    }
    for p in [Protocol::Resp2, Protocol::Resp3] {
        let b = reply.to_resp(p);
        if let Err(e) = resp::parse_one(&b) {
            return Err(format!("{p:?} rendering is not valid RESP ({e}): {}", resp::quote(&b[..b.len().min(300)])));
        }
    }
    Ok(())
}

fn quiet_panics() {
    panic::set_hook(Box::new(|info| {
        eprintln!("PANIC: {info}");
    }));
}

/// Empties every db (by FLUSHALL, or key by key while FLUSHALL is missing).
fn flush(e: &mut Engine) {
    if !e.command(&[b"FLUSHALL"]).is_error() {
        return;
    }
    for db in 0..e.databases() {
        let keys: Vec<Vec<u8>> = e.db(db).map(|d| d.iter().map(|x| x.key.to_vec()).collect()).unwrap_or_default();
        for k in keys {
            let _ = e.with_ctx(db, |cx| {
                let now = cx.now;
                cx.db().remove(&k, now);
                Ok(())
            });
        }
    }
}

fn env_u64(k: &str) -> Option<u64> {
    std::env::var(k).ok().and_then(|v| v.parse().ok())
}

#[test]
fn random_commands_never_panic() {
    quiet_panics();
    let long = std::env::var("REDLET_FUZZ_LONG").is_ok_and(|v| !v.is_empty() && v != "0");
    let seed = env_u64("REDLET_FUZZ_SEED").unwrap_or(1);
    let total = env_u64("REDLET_FUZZ_COMMANDS").unwrap_or(if long { 4_000_000 } else { 200_000 });
    let names = names();
    let mut r = Rng::new(seed);
    let clock = ManualClock::new(1_700_000_000_000);
    let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(clock.clone()), seed });
    let mut clients: Vec<ClientId> = (0..5).map(|_| e.open_client(ClientInfo::default())).collect();
    let mut recent: VecDeque<String> = VecDeque::new();
    let t0 = Instant::now();
    let mut slow = vec![];
    let mut errors = 0u64;
    for step in 0..total {
        if step % 5000 == 4999 {
            // Keep the data small so replies stay cheap.
            flush(&mut e);
        }
        let ci = r.below(clients.len());
        let id = clients[ci];
        let roll = r.below(1000);
        let what: String;
        let t = Instant::now();
        let res = panic::catch_unwind(AssertUnwindSafe(|| -> Result<String, String> {
            if roll < 5 {
                clock.advance_ms(r.range(0, 3_600_000) as u64);
                e.tick();
                Ok("(clock advanced, tick)".into())
            } else if roll < 10 {
                e.tick();
                Ok("(tick)".into())
            } else if roll < 13 {
                e.close_client(id);
                clients[ci] = e.open_client(ClientInfo::default());
                Ok(format!("(client {ci} closed and replaced)"))
            } else {
                let a = argv(&mut r, &names);
                let refs: Vec<&[u8]> = a.iter().map(|x| x.as_slice()).collect();
                let line = format!("c{ci}: {}", show(&a));
                if let Some(reply) = e.execute(id, &refs) {
                    // A successful SHUTDOWN answers nothing (an empty sequence).
                    let shutdown = matches!(&reply, Reply::Seq(p) if p.is_empty()) && e.shutdown_requested();
                    if !shutdown {
                        check_render(&reply).map_err(|m| format!("{line}: {m}"))?;
                    }
                    errors += reply.is_error() as u64;
                }
                for w in e.take_woken() {
                    while let Some(reply) = e.pop_output(w) {
                        check_render(&reply).map_err(|m| format!("{line} (woken {w}): {m}"))?;
                    }
                }
                // Offsets just under the 512 MB limit are legal and build
                // huge strings: drop them at once to keep the run fast.
                if a.iter().any(|x| HUGE.contains(&x.as_slice())) {
                    flush(&mut e);
                }
                if e.should_close(id) {
                    e.close_client(id);
                    clients[ci] = e.open_client(ClientInfo::default());
                }
                Ok(line)
            }
        }));
        match res {
            Ok(Ok(line)) => what = line,
            Ok(Err(msg)) => panic!("seed {seed} step {step}: {msg}\nrecent commands:\n{}", recent.iter().cloned().collect::<Vec<_>>().join("\n")),
            Err(_) => panic!(
                "seed {seed} step {step}: the engine panicked (message above); the command is the next one after:\n{}\nrerun: REDLET_FUZZ_SEED={seed} cargo test --test no_panic",
                recent.iter().cloned().collect::<Vec<_>>().join("\n")
            ),
        }
        let el = t.elapsed();
        if el > Duration::from_millis(500) {
            slow.push(format!("{:.1}s {what}", el.as_secs_f64()));
        }
        recent.push_back(what);
        if recent.len() > 30 {
            recent.pop_front();
        }
    }
    eprintln!(
        "no_panic: {total} commands, seed {seed}, {:.1}s, {:.0}% error replies",
        t0.elapsed().as_secs_f64(),
        100.0 * errors as f64 / total as f64
    );
    if !slow.is_empty() {
        eprintln!("no_panic: slow commands (> 0.5s):\n{}", slow.join("\n"));
    }
}

/// Blocking commands with every kind of timeout, served, timed out and
/// disconnected at random.
#[test]
fn blocking_storm_never_panics() {
    let seed = env_u64("REDLET_FUZZ_SEED").unwrap_or(2);
    let mut r = Rng::new(seed);
    let clock = ManualClock::new(1_700_000_000_000);
    let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(clock.clone()), seed });
    let mut clients: Vec<ClientId> = (0..8).map(|_| e.open_client(ClientInfo::default())).collect();
    let keys: &[&str] = &["q1", "q2", "q3"];
    let timeouts: &[&str] = &["0", "0.01", "1", "-1", "abc", "1e300", "inf", "0.0001", "9223372036854775807"];
    for _ in 0..50_000 {
        let ci = r.below(clients.len());
        let id = clients[ci];
        let k = *r.pick(keys);
        let k2 = *r.pick(keys);
        let t = *r.pick(timeouts);
        let a: Vec<&str> = match r.below(12) {
            0 => vec!["BLPOP", k, k2, t],
            1 => vec!["BRPOP", k, t],
            2 => vec!["BLMOVE", k, k2, "LEFT", "RIGHT", t],
            3 => vec!["BRPOPLPUSH", k, k2, t],
            4 => vec!["BLMPOP", t, "2", k, k2, "LEFT", "COUNT", "3"],
            5 | 6 => vec!["RPUSH", k, "a", "b"],
            7 => vec!["LPUSH", k2, "x"],
            8 => vec!["SET", k, "s"],
            9 => vec!["DEL", k],
            10 => vec!["CLIENT", "UNBLOCK", "3", "ERROR"],
            _ => vec!["MULTI"],
        };
        let argv: Vec<&[u8]> = a.iter().map(|s| s.as_bytes()).collect();
        let _ = e.execute(id, &argv);
        if r.chance(0.05) {
            let _ = e.execute(id, &[b"EXEC"]);
        }
        if r.chance(0.02) {
            e.close_client(id);
            clients[ci] = e.open_client(ClientInfo::default());
        }
        if r.chance(0.05) {
            clock.advance_ms(r.range(0, 2000) as u64);
            e.tick();
        }
        for w in e.take_woken() {
            while let Some(reply) = e.pop_output(w) {
                check_render(&reply).unwrap();
            }
        }
    }
}

/// Random byte streams through `redlet::resp`: valid, truncated, corrupted
/// and garbage requests fed in random chunks to one incremental parser (as
/// a connection does) must never panic; well-formed multibulk requests must
/// come back with exactly their arguments.
#[test]
fn resp_parser_never_panics_and_round_trips() {
    use redlet::resp::{parse_owned, split_args, Parser};
    let seed = env_u64("REDLET_FUZZ_SEED").unwrap_or(3);
    let long = std::env::var("REDLET_FUZZ_LONG").is_ok_and(|v| !v.is_empty() && v != "0");
    let mut r = Rng::new(seed);
    let pieces: &[&[u8]] = &[
        b"*", b"$", b"\r\n", b"\r", b"\n", b"\0", b"0", b"1", b"-1", b"2147483648", b"536870913", b"99999999999999999999",
        b"*2\r\n", b"$3\r\nGET\r\n", b"PING", b" ", b"\"", b"'", b"\\x4", b"\\", b"+", b"-", b":", b"%", b"*-5\r\n",
        b"$-1\r\n", b"*1\r\n$0\r\n\r\n", b"\"a\\x41\"", b"'it\\'s'",
    ];
    let rounds = if long { 2_000_000 } else { 100_000 };
    for round in 0..rounds {
        // A stream: several requests, some well formed (with their args).
        let mut stream = Vec::new();
        let mut expected: Vec<Vec<Vec<u8>>> = Vec::new();
        let mut all_valid = true;
        for _ in 0..r.range(1, 4) {
            if r.chance(0.5) {
                let args: Vec<Vec<u8>> = (0..r.range(1, 5)).map(|_| arg(&mut r)).collect();
                resp::encode_cmd(&args, &mut stream);
                expected.push(args);
            } else {
                all_valid = false;
                for _ in 0..r.range(1, 12) {
                    if r.chance(0.8) {
                        stream.extend_from_slice(*r.pick(pieces));
                    } else {
                        let n = r.below(20);
                        stream.extend(r.bytes(n));
                    }
                }
            }
        }
        if r.chance(0.1) {
            let cut = r.below(stream.len() + 1);
            stream.truncate(cut);
            all_valid = false;
        }
        let res = panic::catch_unwind(AssertUnwindSafe(|| {
            // Incremental: the bytes arrive in random chunks.
            let small = r.chance(0.1);
            let mut p = Parser::new(if small { 10 } else { 512 * 1024 * 1024 });
            let mut buf: Vec<u8> = Vec::new();
            let mut fed = 0;
            let mut got: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut errored = false;
            while fed < stream.len() || !buf.is_empty() {
                let take = (r.below(16) + 1).min(stream.len() - fed);
                buf.extend_from_slice(&stream[fed..fed + take]);
                fed += take;
                loop {
                    match p.parse(&buf) {
                        Ok(Some(req)) => {
                            let used = req.consumed();
                            assert!(used > 0 && used <= buf.len(), "consumed {used} of {}", buf.len());
                            if !req.is_empty() {
                                got.push(req.iter().map(|a| a.to_vec()).collect());
                            }
                            buf.drain(..used);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let mut t = Vec::new();
                            e.write_reply(&mut t);
                            errored = true;
                            buf.clear();
                            p.reset();
                            break;
                        }
                    }
                }
                if errored || (fed == stream.len() && take == 0) {
                    break;
                }
            }
            if all_valid && !small {
                assert!(!errored, "valid requests rejected");
                assert_eq!(got, expected, "multibulk round trip");
            }
            let _ = parse_owned(&stream, 512 * 1024 * 1024);
            let _ = split_args(&stream);
        }));
        if res.is_err() {
            panic!("seed {seed} round {round}: panic above (parser, or a failed round-trip check) on {}", resp::quote(&stream));
        }
    }
}
