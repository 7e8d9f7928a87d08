//! SLOWLOG, LATENCY, MODULE and WAIT. Expected texts are redis-server
//! 7.0.15's for the same commands (durations aside: here they come from the
//! test's clock).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::*;
use redlet::clock::Clock;
use redlet::{ClientInfo, Config, Engine, Options, Protocol};

fn named_client(e: &mut Engine) -> redlet::ClientId {
    let c = e.open_client(ClientInfo { addr: "127.0.0.1:5000".into(), ..Default::default() });
    assert_eq!(resp(e, c, "CLIENT SETNAME bob"), "+OK\r\n");
    c
}

#[test]
fn slowlog_keeps_the_newest_entries_shortened_as_redis_does() {
    let (mut e, _clock) = engine();
    let c = named_client(&mut e);
    assert_eq!(resp(&mut e, c, "CONFIG SET slowlog-log-slower-than 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG RESET"), "+OK\r\n");
    let big = "x".repeat(200);
    run(&mut e, c, &format!("SET big {big}"));
    let many: Vec<String> = (1..=40).map(|i| format!("a{i} {i}")).collect();
    run(&mut e, c, &format!("MSET {}", many.join(" ")));
    let got = resp(&mut e, c, "SLOWLOG GET 2");
    // Newest first: MSET (81 arguments: 31 kept, then a count), SET big.
    // Ids: 0 is the CONFIG SET that enabled the log, 1 the RESET.
    let mut want = String::from("*2\r\n*6\r\n:3\r\n:1000\r\n:0\r\n*32\r\n$4\r\nMSET\r\n");
    for i in 0..30 {
        let a = if i % 2 == 0 { format!("a{}", i / 2 + 1) } else { format!("{}", i / 2 + 1) };
        want.push_str(&format!("${}\r\n{}\r\n", a.len(), a));
    }
    let more = "... (50 more arguments)";
    want.push_str(&format!("${}\r\n{more}\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n", more.len()));
    let cut = format!("{}... (72 more bytes)", "x".repeat(128));
    want.push_str(&format!("*6\r\n:2\r\n:1000\r\n:0\r\n*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${}\r\n{}\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n", cut.len(), cut));
    assert_eq!(got, want);
    // RESET, SET, MSET and this GET: the RESET itself is logged after it ran.
    assert_eq!(resp(&mut e, c, "SLOWLOG LEN"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG GET 1 2"), "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG GET -2"), "-ERR count should be greater than or equal to -1\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG GET x"), "-ERR count should be greater than or equal to -1\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG"), "-ERR wrong number of arguments for 'slowlog' command\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG FOO"), "-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.\r\n");
    // -1 is every entry: ids 1 (RESET) to 8 (GET x); commands refused
    // before running (arity, unknown subcommand) are not logged.
    let all = resp(&mut e, c, "SLOWLOG GET -1");
    assert!(all.starts_with("*8\r\n*6\r\n:8\r\n"), "{all}");
    // A shorter log trims at the next command; a negative threshold logs nothing.
    assert_eq!(resp(&mut e, c, "CONFIG SET slowlog-max-len 2"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG LEN"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "CONFIG SET slowlog-log-slower-than -1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG RESET"), "+OK\r\n");
    run(&mut e, c, "SET a 1");
    assert_eq!(resp(&mut e, c, "SLOWLOG LEN"), ":0\r\n");
}

#[test]
fn slowlog_threshold_exec_and_secrets() {
    let mut config = Config::default();
    config.set_param("slowlog-log-slower-than", "0").unwrap();
    let (mut e, clock) = engine_with(config);
    let c = named_client(&mut e);
    // EXEC is skip_slowlog: its commands are logged, not EXEC itself.
    run(&mut e, c, "MULTI");
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "INCR a");
    run(&mut e, c, "EXEC");
    assert_eq!(resp(&mut e, c, "SLOWLOG GET 3"), concat!(
        "*3\r\n",
        "*6\r\n:3\r\n:1000\r\n:0\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n",
        "*6\r\n:2\r\n:1000\r\n:0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n",
        "*6\r\n:1\r\n:1000\r\n:0\r\n*1\r\n$5\r\nMULTI\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n",
    ));
    // Secrets are logged as "(redacted)", even in a failing command.
    run(&mut e, c, "CONFIG SET requirepass hunter2 maxmemory-policy nope");
    let got = resp(&mut e, c, "SLOWLOG GET 1");
    assert!(got.contains("$11\r\nrequirepass\r\n$10\r\n(redacted)\r\n$16\r\nmaxmemory-policy\r\n$4\r\nnope\r\n"), "{got}");
    // Below the threshold nothing is logged.
    assert_eq!(resp(&mut e, c, "CONFIG SET slowlog-log-slower-than 5000"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SLOWLOG RESET"), "+OK\r\n");
    run(&mut e, c, "SET a 1");
    assert_eq!(resp(&mut e, c, "SLOWLOG LEN"), ":0\r\n");
    let _ = clock;
}

#[cfg(feature = "scripting")]
#[test]
fn slowlog_shows_a_scripts_commands_as_the_script_client() {
    let mut config = Config::default();
    config.set_param("slowlog-log-slower-than", "0").unwrap();
    let (mut e, _clock) = engine_with(config);
    let c = named_client(&mut e);
    let script = "return(redis.call('set','a','1'))";
    run(&mut e, c, &format!("EVAL {script} 0"));
    assert_eq!(
        resp(&mut e, c, "SLOWLOG GET 2"),
        format!(
            "*2\r\n*6\r\n:2\r\n:1000\r\n:0\r\n*3\r\n$4\r\nEVAL\r\n${}\r\n{script}\r\n$1\r\n0\r\n$14\r\n127.0.0.1:5000\r\n$3\r\nbob\r\n{}",
            script.len(),
            "*6\r\n:1\r\n:1000\r\n:0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n$3\r\n?:0\r\n$0\r\n\r\n"
        )
    );
}

/// A clock that advances a settable step (µs) each time it is read, so a
/// command takes a known, nonzero time.
#[derive(Clone)]
struct Ticking(Arc<AtomicU64>, Arc<AtomicU64>);

impl Clock for Ticking {
    fn now_micros(&self) -> u64 {
        self.0.fetch_add(self.1.load(Ordering::Relaxed), Ordering::Relaxed)
    }
}

/// The integers of a RESP2 reply, in order.
fn ints(r: &str) -> Vec<u64> {
    r.split("\r\n").filter_map(|l| l.strip_prefix(':')).map(|n| n.parse().unwrap()).collect()
}

#[test]
fn latency_monitor_records_spikes_and_reports_them() {
    let mut config = Config::default();
    config.set_param("latency-monitor-threshold", "1").unwrap();
    let step = Arc::new(AtomicU64::new(0));
    let mut e = Engine::new(Options { config, clock: Box::new(Ticking(Arc::new(AtomicU64::new(1_000_000_000_000)), step.clone())), seed: 1 });
    let c = e.open_client(ClientInfo::default());
    let r = |e: &mut Engine, line: &str| resp(e, c, line);
    assert_eq!(r(&mut e, "LATENCY HISTORY command"), "*0\r\n");
    assert_eq!(r(&mut e, "LATENCY GRAPH command"), "-ERR No samples available for event 'command'\r\n");
    // 0.4 s per clock read while these two run, then time stands still
    // (so the LATENCY commands below record nothing).
    step.store(400_000, Ordering::Relaxed);
    r(&mut e, "GET a"); // fast: "fast-command"
    r(&mut e, "KEYS *"); // not fast: "command"
    step.store(0, Ordering::Relaxed);
    let latest = r(&mut e, "LATENCY LATEST");
    // Two events, in name order: [name, time, latest ms, max ms].
    assert!(latest.starts_with("*2\r\n*4\r\n$7\r\ncommand\r\n:"), "{latest}");
    assert!(latest.contains("*4\r\n$12\r\nfast-command\r\n:"), "{latest}");
    let v = ints(&latest);
    let (time, ms) = (v[0], v[1]);
    assert!(ms >= 400 && v[2] == ms && time >= 1_000_000, "{latest}");
    assert_eq!(r(&mut e, "LATENCY HISTORY command"), format!("*1\r\n*2\r\n:{time}\r\n:{ms}\r\n"));
    let graph = r(&mut e, "LATENCY GRAPH command");
    let head = format!("command - high {ms} ms, low {ms} ms (all time high {ms} ms)\n{}\n", "-".repeat(80));
    assert!(graph.contains(&head), "{graph}");
    // One sample at the bottom row, then its label ("0s") downwards.
    assert!(graph.ends_with(" \n \n \n_\n \n0\ns\n\r\n"), "{graph}");
    let doctor = r(&mut e, "LATENCY DOCTOR");
    assert!(doctor.contains("Dave, I have observed latency spikes in this Redis instance."), "{doctor}");
    assert!(doctor.contains(&format!("1. command: 1 latency spikes (average {ms}ms, mean deviation 0ms, period 1.00 sec). Worst all time event {ms}ms.")), "{doctor}");
    assert!(doctor.contains("- The system is slow to execute Redis code paths not containing system calls."), "{doctor}");
    assert_eq!(r(&mut e, "LATENCY RESET command nope"), ":1\r\n");
    assert_eq!(r(&mut e, "LATENCY RESET"), ":1\r\n");
    assert_eq!(r(&mut e, "LATENCY LATEST"), "*0\r\n");
    assert_eq!(r(&mut e, "LATENCY FOO"), "-ERR unknown subcommand 'FOO'. Try LATENCY HELP.\r\n");
    assert_eq!(r(&mut e, "LATENCY HISTORY"), "-ERR wrong number of arguments for 'latency|history' command\r\n");
}

#[test]
fn latency_doctor_without_monitoring() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let off = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    assert_eq!(resp(&mut e, c, "LATENCY DOCTOR"), format!("${}\r\n{off}\r\n", off.len()));
    assert_eq!(resp(&mut e, c, "CONFIG SET latency-monitor-threshold 100"), "+OK\r\n");
    let calm = "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
    assert_eq!(resp(&mut e, c, "LATENCY DOCTOR"), format!("${}\r\n{calm}\r\n", calm.len()));
}

#[test]
fn modules_cannot_be_loaded() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "MODULE LIST"), "*0\r\n");
    let refused = "-ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
    assert_eq!(resp(&mut e, c, "MODULE LOAD /x.so"), refused);
    assert_eq!(resp(&mut e, c, "MODULE LOADEX /x.so ARGS a"), refused);
    assert_eq!(resp(&mut e, c, "MODULE UNLOAD x"), refused);
    assert_eq!(resp(&mut e, c, "MODULE LOAD"), "-ERR wrong number of arguments for 'module|load' command\r\n");
    let help = resp(&mut e, c, "MODULE HELP");
    assert!(help.starts_with("*11\r\n+MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+LIST\r\n"), "{help}");
}

#[test]
fn wait_with_no_replicas() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "WAIT 0 0"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "WAIT 1 -1"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "WAIT x 0"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "WAIT 0 x"), "-ERR timeout is not an integer or out of range\r\n");
    // Asking for a replica waits out the timeout, then answers 0.
    assert!(run_argv(&mut e, c, &[b"WAIT", b"1", b"100"]).is_none());
    clock.advance_ms(100);
    e.tick();
    assert_eq!(e.pop_output(c), None);
    clock.advance_ms(1);
    e.tick();
    assert_eq!(e.pop_output(c).map(|r| r.to_resp(Protocol::Resp2)), Some(b":0\r\n".to_vec()));
    // Inside MULTI it cannot block: 0 at once.
    run(&mut e, c, "MULTI");
    run(&mut e, c, "WAIT 1 0");
    assert_eq!(resp(&mut e, c, "EXEC"), "*1\r\n:0\r\n");
}

#[test]
fn monitor_sees_commands_after_they_run_scripts_before_their_commands() {
    let (mut e, _clock) = engine();
    let m = client(&mut e);
    let c = e.open_client(ClientInfo { addr: "10.0.0.1:7".into(), ..Default::default() });
    assert_eq!(resp(&mut e, m, "MONITOR"), "+OK\r\n");
    for line in ["MULTI", "SET x 1", "INCR x", "EXEC", "SELECT 3", "CONFIG GET maxmemory", "MULTI", "FOO", "EXEC", "BLPOP nol 0"] {
        run_argv(&mut e, c, &argv(line).iter().map(|v| v.as_slice()).collect::<Vec<_>>());
    }
    let odd: &[&[u8]] = &[b"SET", b"v", b"\x00\xff\"\\\t\n\x07\x08"];
    run_argv(&mut e, c, odd);
    let hello: &[&[u8]] = &[b"HELLO", b"2", b"AUTH", b"default", b"secret", b"SETNAME", b"n"];
    run_argv(&mut e, c, hello);
    let t = "+1000.000000 [";
    assert_eq!(outputs(&mut e, m), [
        "0 10.0.0.1:7] \"MULTI\"",
        "0 10.0.0.1:7] \"SET\" \"x\" \"1\"",
        "0 10.0.0.1:7] \"INCR\" \"x\"",
        "0 10.0.0.1:7] \"EXEC\"",
        "3 10.0.0.1:7] \"SELECT\" \"3\"",
        // CONFIG GET is administrative: not shown. The aborted EXEC is.
        "3 10.0.0.1:7] \"MULTI\"",
        "3 10.0.0.1:7] \"EXEC\"",
        // A blocking command once, when it blocks.
        "3 10.0.0.1:7] \"BLPOP\" \"nol\" \"0\"",
    ].iter().map(|l| format!("{t}{l}\r\n")).collect::<String>());
    // (the BLPOP blocked c: unblock it to go on)
    e.close_client(c);
    let c = e.open_client(ClientInfo { addr: "10.0.0.1:8".into(), ..Default::default() });
    run_argv(&mut e, c, odd);
    run_argv(&mut e, c, hello);
    assert_eq!(outputs(&mut e, m), format!(
        "{t}0 10.0.0.1:8] \"SET\" \"v\" \"\\x00\\xff\\\"\\\\\\t\\n\\a\\b\"\r\n{t}0 10.0.0.1:8] \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"n\"\r\n"
    ));
    // A monitor may not touch the keyspace; its own lines follow its replies.
    assert_eq!(resp(&mut e, m, "GET x"), "-ERR Replica can't interact with the keyspace\r\n");
    assert_eq!(resp(&mut e, m, "PING"), format!("+PONG\r\n{t}0 ?:0] \"PING\"\r\n"));
    assert_eq!(resp(&mut e, m, "MONITOR"), "");
    assert!(resp(&mut e, m, "CLIENT INFO").contains(" flags=O "));
    assert_eq!(resp(&mut e, m, "RESET"), "+RESET\r\n");
    assert_eq!(resp(&mut e, m, "GET x"), "$1\r\n2\r\n");
    run(&mut e, c, "PING");
    assert_eq!(outputs(&mut e, m), "");
    // Inside a transaction MONITOR is refused.
    run(&mut e, m, "MULTI");
    run(&mut e, m, "MONITOR");
    assert_eq!(resp(&mut e, m, "EXEC"), "*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
}

#[cfg(feature = "scripting")]
#[test]
fn monitor_shows_a_script_then_its_commands_as_lua() {
    let (mut e, _clock) = engine();
    let m = client(&mut e);
    let c = client(&mut e);
    run(&mut e, m, "MONITOR");
    run(&mut e, c, "EVAL redis.call('set','a','1') 0");
    run(&mut e, c, "EVALSHA abc 0");
    assert_eq!(
        outputs(&mut e, m),
        "+1000.000000 [0 ?:0] \"EVAL\" \"redis.call('set','a','1')\" \"0\"\r\n+1000.000000 [0 lua] \"set\" \"a\" \"1\"\r\n+1000.000000 [0 ?:0] \"EVALSHA\" \"abc\" \"0\"\r\n"
    );
}

#[test]
fn lolwut_draws_redis_art() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LOLWUT"), "$18\r\nRedis ver. 7.0.15\n\r\n");
    assert_eq!(resp(&mut e, c, "LOLWUT VERSION 7 1 2"), "$18\r\nRedis ver. 7.0.15\n\r\n");
    assert_eq!(resp(&mut e, c, "LOLWUT VERSION"), "$18\r\nRedis ver. 7.0.15\n\r\n");
    assert_eq!(resp(&mut e, c, "LOLWUT VERSION x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LOLWUT VERSION 5 x"), "-ERR value is not an integer or out of range\r\n");
    // Schotter: the first two rows of squares are never shaken (these are
    // redis-server's lines for the same arguments), then the caption.
    let art = String::from_utf8(e.execute(c, &[b"LOLWUT", b"VERSION", b"5", b"10", b"3", b"4"]).unwrap().to_resp(Protocol::Resp2)).unwrap();
    let body = art.split_once("\r\n").unwrap().1.strip_suffix("\r\n").unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 8, "{art}");
    assert_eq!(lines[0], "⢰⠒⠒⢲⠒⠒⣶⠒⠒⡆");
    assert_eq!(lines[1], "⢸⣀⣀⣸⣀⣀⣿⣀⣀⡇");
    assert!(lines[2..7].iter().all(|l| l.chars().count() == 10 && l.chars().all(|ch| ('\u{2800}'..='\u{28ff}').contains(&ch))));
    assert_eq!(lines[7], "Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15");
    // The default Schotter is as long as Redis's (9817 bytes).
    let art = e.execute(c, &[b"LOLWUT", b"VERSION", b"5"]).unwrap().to_resp(Protocol::Resp2);
    assert_eq!(art.len(), "$9817\r\n".len() + 9817 + 2);
    // The skyline: rows x cols coloured cells, the bottom row all buildings.
    let art = String::from_utf8(e.execute(c, &[b"LOLWUT", b"VERSION", b"6", b"20", b"5"]).unwrap().to_resp(Protocol::Resp2)).unwrap();
    let body = art.split_once("\r\n").unwrap().1.strip_suffix("\r\n").unwrap();
    let rows: Vec<&str> = body.lines().collect();
    assert_eq!(rows.len(), 7);
    assert!(rows[..5].iter().all(|r| r.matches("\u{1b}[0m").count() == 20));
    assert!(!rows[4].contains("0;97;107m"), "{}", rows[4]);
    assert_eq!(rows[5], "Dedicated to the 8 bit game developers of past and present.");
    assert_eq!(rows[6], "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15");
    // Redis's limits allow an 800 MB canvas; redlet cuts it.
    let big = e.execute(c, &[b"LOLWUT", b"VERSION", b"5", b"1000", b"1", b"200"]).unwrap().to_resp(Protocol::Resp2);
    assert!(big.len() < 4 << 20, "{}", big.len());
}

/// LATENCY HISTOGRAM and INFO latencystats (Redis's HdrHistogram
/// buckets): on the manual clock every command takes 0 us, which Redis
/// records as 1 ns.
#[test]
fn latency_histogram_and_latencystats() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "GET a");
    run(&mut e, c, "GET a");
    assert_eq!(
        resp(&mut e, c, "LATENCY HISTOGRAM get nosuch"),
        "*2\r\n$3\r\nget\r\n*4\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n*2\r\n:1\r\n:2\r\n"
    );
    let info = resp(&mut e, c, "INFO latencystats");
    assert!(info.contains("latency_percentiles_usec_get:p50=0.001,p99=0.001,p99.9=0.001\r\n"), "{info}");
    run(&mut e, c, "CONFIG SET latency-tracking-info-percentiles 50");
    assert!(resp(&mut e, c, "INFO latencystats").contains("latency_percentiles_usec_get:p50=0.001\r\n"));
    run(&mut e, c, "CONFIG RESETSTAT");
    assert_eq!(resp(&mut e, c, "LATENCY HISTOGRAM get"), "*0\r\n");
    run(&mut e, c, "CONFIG SET latency-tracking no");
    run(&mut e, c, "GET a");
    assert_eq!(resp(&mut e, c, "LATENCY HISTOGRAM get"), "*0\r\n");
}
