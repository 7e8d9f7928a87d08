//! Blocking timeouts (`Ctx::parse_timeout_secs`) in the odd forms C's
//! `strtold` accepts, for BLPOP, BZPOPMIN, BZPOPMAX and BZMPOP alike:
//! which ones Redis 7.0.15 refuses, with which error, and the deadline
//! (`ceil(seconds * 1000)` ms, 0 = forever) of those it accepts. The
//! accept/refuse table was captured from redis-server with each command
//! on a non-empty key; the small deadlines were timed on it too.
mod common;
use common::*;
use redlet::{ClientId, Engine};

const NOT_FLOAT: &str = "-ERR timeout is not a float or out of range\r\n";
const NEGATIVE: &str = "-ERR timeout is negative\r\n";

/// The command lines for one timeout form (keys `l` list, `z` zset).
fn lines(t: &str) -> Vec<String> {
    vec![
        "BLPOP l @T".to_string(),
        "BZPOPMIN z @T".to_string(),
        "BZPOPMAX z @T".to_string(),
        "BZMPOP @T 1 z MIN".to_string(),
    ]
    .into_iter()
    .filter(|_| !t.contains("@T"))
    .collect()
}

/// Runs `line` with the form `t` as its `@T` argument (the form may hold
/// spaces or tabs, or be empty).
fn run_line(e: &mut Engine, c: ClientId, line: &str, t: &str) -> Option<String> {
    let a: Vec<Vec<u8>> = argv(line).into_iter().map(|x| if x == b"@T" { t.as_bytes().to_vec() } else { x }).collect();
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    e.execute(c, &refs).map(|r| String::from_utf8_lossy(&r.to_resp(redlet::Protocol::Resp2)).into_owned())
}

#[test]
fn refused_forms() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let cases: &[(&str, &str)] = &[
        (" 1", NOT_FLOAT),
        ("1 ", NOT_FLOAT),
        ("\t1", NOT_FLOAT),
        ("1\t", NOT_FLOAT),
        ("", NOT_FLOAT),
        ("  ", NOT_FLOAT),
        ("nan", NOT_FLOAT),
        ("-nan", NOT_FLOAT),
        ("--1", NOT_FLOAT),
        ("1..2", NOT_FLOAT),
        ("0b1", NOT_FLOAT),
        ("1_0", NOT_FLOAT),
        ("1e", NOT_FLOAT),
        ("e1", NOT_FLOAT),
        ("0x", NOT_FLOAT),
        ("0xg", NOT_FLOAT),
        ("1\0", NOT_FLOAT),
        ("0\x002", NOT_FLOAT),
        ("inf", NEGATIVE),
        ("-inf", NEGATIVE),
        ("+inf", NEGATIVE),
        ("INF", NEGATIVE),
        ("infinity", NEGATIVE),
        ("-.5", NEGATIVE),
        ("-1", NEGATIVE),
        ("1e400", NEGATIVE),
        ("1e16", NEGATIVE),
        ("1e18", NEGATIVE),
        ("9223372036854776", NEGATIVE),
        ("9223372036854775807", NEGATIVE),
        ("92233720368547758", NEGATIVE),
        ("0x7fffffffffffffff", NEGATIVE),
        ("0x1p63", NEGATIVE),
    ];
    for (t, want) in cases {
        for line in lines(t) {
            run(&mut e, c, "RPUSH l a");
            run(&mut e, c, "ZADD z 1 a");
            assert_eq!(run_line(&mut e, c, &line, t).as_deref(), Some(*want), "{line:?}");
        }
    }
}

#[test]
fn accepted_forms_and_their_deadlines() {
    // (form, deadline in ms after now; None = waits forever)
    let cases: &[(&str, Option<u64>)] = &[
        ("0x10", Some(16_000)),
        ("0X10", Some(16_000)),
        ("1e1", Some(10_000)),
        ("1E1", Some(10_000)),
        ("-0", None),
        ("+0", None),
        ("0.0", None),
        ("-0.0", None),
        ("-0.0001", None),
        (".5", Some(500)),
        ("5.", Some(5_000)),
        ("0x.8", Some(500)),
        ("0x1p-3", Some(125)),
        ("0x1.1p0", Some(1_063)),
        ("1e-1", Some(100)),
        ("1e-3", Some(1)),
        ("0.0001", Some(1)),
        ("1e-300", Some(1)),
        ("+1", Some(1_000)),
        ("010", Some(10_000)),
        ("00001", Some(1_000)),
        ("1.0000000000000000000001", Some(1_000)),
        ("1e15", Some(1_000_000_000_000_000_000)),
    ];
    for (t, want) in cases {
        for line in lines(t) {
            let (mut e, _clock) = engine();
            let c = client(&mut e);
            // With data the command is served at once: the form is accepted.
            run(&mut e, c, "RPUSH l a");
            run(&mut e, c, "ZADD z 1 a");
            let served = run_line(&mut e, c, &line, t).unwrap();
            assert!(served.starts_with('*'), "{line:?}: {served}");
            // Without, it blocks until the deadline (ticks fire just past it).
            let w = client(&mut e);
            let line = line.replace(" l ", " nl ").replace(" z ", " nz ");
            assert_eq!(run_line(&mut e, w, &line, t), None, "{line:?}");
            let now = e.now_ms();
            assert_eq!(e.next_deadline_ms(), want.map(|ms| now + ms + 1), "{line:?}");
        }
    }
}
