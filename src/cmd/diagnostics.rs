//! SLOWLOG, LATENCY, MONITOR, MODULE and WAIT, as Redis 7.0.15 answers
//! them. The slow log and the latency series live in
//! [`crate::diagnostics`], monitors in [`crate::monitor`]; the engine feeds
//! them as commands run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::flags::*;
use super::keys::help_reply;
use super::server::subcommand_syntax;
use super::{Args, Command, Ctx};
use crate::error::{Error, Result};
use crate::num;
use crate::reply::Reply;

/// SLOWLOG, LATENCY, MONITOR, MODULE and WAIT.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "monitor",
        arity: 1,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Listen for all requests received by the server in real time",
        since: "1.0.0",
        handler: monitor_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "slowlog",
        arity: -2,
        acl: "@slow",
        group: "server",
        summary: "A container for slow log commands",
        since: "2.2.12",
        subcommands: SLOWLOG_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "latency",
        arity: -2,
        acl: "@slow",
        group: "server",
        summary: "A container for latency diagnostics commands",
        since: "2.8.13",
        subcommands: LATENCY_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "module",
        arity: -2,
        acl: "@slow",
        group: "server",
        summary: "A container for module commands",
        since: "4.0.0",
        subcommands: MODULE_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "wait",
        arity: 3,
        flags: NOSCRIPT,
        acl: "@slow @connection",
        group: "generic",
        summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
        since: "3.0.0",
        handler: wait_cmd,
        ..Command::DEFAULT
    },
];

const ADMIN_ACL: &str = "@admin @slow @dangerous";

const SLOWLOG_SUBCOMMANDS: &[Command] = &[
    Command { name: "help", arity: 2, flags: LOADING | STALE, acl: "@slow", group: "server", summary: "Show helpful text about the different subcommands", since: "6.2.0", handler: slowlog_help, ..Command::DEFAULT },
    Command { name: "reset", arity: 2, flags: ADMIN | LOADING | STALE, acl: ADMIN_ACL, group: "server", summary: "Clear all entries from the slow log", since: "2.2.12", handler: slowlog_reset, ..Command::DEFAULT },
    Command { name: "get", arity: -2, flags: ADMIN | LOADING | STALE, acl: ADMIN_ACL, group: "server", summary: "Get the slow log's entries", since: "2.2.12", handler: slowlog_get, ..Command::DEFAULT },
    Command { name: "len", arity: 2, flags: ADMIN | LOADING | STALE, acl: ADMIN_ACL, group: "server", summary: "Get the slow log's length", since: "2.2.12", handler: slowlog_len, ..Command::DEFAULT },
];

const LATENCY_FLAGS: u32 = ADMIN | NOSCRIPT | LOADING | STALE;

const LATENCY_SUBCOMMANDS: &[Command] = &[
    Command { name: "latest", arity: 2, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Return the latest latency samples for all events.", since: "2.8.13", handler: latency_latest, ..Command::DEFAULT },
    Command { name: "doctor", arity: 2, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Return a human readable latency analysis report.", since: "2.8.13", handler: latency_doctor, ..Command::DEFAULT },
    Command { name: "help", arity: 2, flags: LOADING | STALE, acl: "@slow", group: "server", summary: "Show helpful text about the different subcommands.", since: "2.8.13", handler: latency_help, ..Command::DEFAULT },
    Command { name: "reset", arity: -2, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Reset latency data for one or more events.", since: "2.8.13", handler: latency_reset, ..Command::DEFAULT },
    Command { name: "graph", arity: 3, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Return a latency graph for the event.", since: "2.8.13", handler: latency_graph, ..Command::DEFAULT },
    Command { name: "history", arity: 3, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Return timestamp-latency samples for the event.", since: "2.8.13", handler: latency_history, ..Command::DEFAULT },
    Command { name: "histogram", arity: -2, flags: LATENCY_FLAGS, acl: ADMIN_ACL, group: "server", summary: "Return the cumulative distribution of latencies of a subset of commands or all.", since: "7.0.0", handler: latency_histogram, ..Command::DEFAULT },
];

/// LATENCY HISTOGRAM [command ...]: per command with samples, its calls
/// and the cumulative distribution of its latencies (microsecond bucket
/// upper bounds, powers of two from 1 us). Named commands that do not
/// exist are skipped; a container names its subcommands too.
fn latency_histogram(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let names = a.rest();
    let eng = &*cx.eng;
    let stats: Vec<usize> = if names.is_empty() {
        (0..eng.latency_hist.len()).collect()
    } else {
        let mut v = Vec::new();
        for n in names {
            let Some(first) = eng.table.full_names.iter().position(|f| f.as_bytes().eq_ignore_ascii_case(n)) else { continue };
            v.push(first);
            // A container's subcommands follow it in the table.
            let prefix = format!("{}|", eng.table.full_names[first]);
            v.extend((first + 1..eng.table.full_names.len()).take_while(|&i| eng.table.full_names[i].starts_with(&prefix)));
        }
        v
    };
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let mut out = Vec::new();
    for i in stats {
        let Some(Some(h)) = eng.latency_hist.get(i) else { continue };
        let buckets = h.cdf().into_iter().map(|(us, n)| (Reply::Int(us), Reply::Int(n as i64))).collect();
        out.push((
            b(&eng.table.full_names[i]),
            Reply::Map(alloc::vec![(b("calls"), Reply::Int(h.total() as i64)), (b("histogram_usec"), Reply::Map(buckets))]),
        ));
    }
    Ok(Reply::Map(out))
}

const MODULE_SUBCOMMANDS: &[Command] = &[
    Command { name: "help", arity: 2, flags: LOADING | STALE, acl: "@slow", group: "server", summary: "Show helpful text about the different subcommands", since: "5.0.0", handler: module_help, ..Command::DEFAULT },
    Command { name: "loadex", arity: -3, flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING, acl: ADMIN_ACL, group: "server", summary: "Load a module with extended parameters", since: "7.0.0", handler: module_load, ..Command::DEFAULT },
    Command { name: "load", arity: -3, flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING, acl: ADMIN_ACL, group: "server", summary: "Load a module", since: "4.0.0", handler: module_load, ..Command::DEFAULT },
    Command { name: "list", arity: 2, flags: ADMIN | NOSCRIPT, acl: ADMIN_ACL, group: "server", summary: "List all modules loaded by the server", since: "4.0.0", handler: module_list, ..Command::DEFAULT },
    Command { name: "unload", arity: 3, flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING, acl: ADMIN_ACL, group: "server", summary: "Unload a module", since: "4.0.0", handler: module_unload, ..Command::DEFAULT },
];

// ------------------------------------------------------------------ SLOWLOG

const SLOWLOG_HELP: &[&str] = &[
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
];

fn slowlog_help(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help_reply(b"slowlog", SLOWLOG_HELP))
}

fn slowlog_reset(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.slowlog.reset();
    Ok(Reply::ok())
}

fn slowlog_len(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(cx.eng.slowlog.len() as i64))
}

/// SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 all).
fn slowlog_get(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 1 {
        return Err(subcommand_syntax("SLOWLOG", a.argv()[1]));
    }
    let mut count: usize = 10;
    if let Some(arg) = a.next() {
        const MSG: &str = "count should be greater than or equal to -1";
        count = match num::parse_i64(arg) {
            Some(-1) => usize::MAX,
            Some(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
            _ => return Err(Error::err(MSG)),
        };
    }
    let out = cx
        .eng
        .slowlog
        .entries()
        .take(count)
        .map(|e| {
            Reply::Array(alloc::vec![
                Reply::Int(e.id as i64),
                Reply::Int(e.time as i64),
                Reply::Int(e.duration as i64),
                Reply::Array(e.argv.iter().map(|x| Reply::bulk(x)).collect()),
                Reply::bulk(&e.peer),
                Reply::bulk(&e.name),
            ])
        })
        .collect();
    Ok(Reply::Array(out))
}

// ------------------------------------------------------------------ LATENCY

const LATENCY_HELP: &[&str] = &[
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
    "    If no commands are specified then all histograms are replied.",
];

fn latency_help(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help_reply(b"latency", LATENCY_HELP))
}

/// LATENCY LATEST: per event, its name, the latest sample's time and
/// latency, and the all-time high.
fn latency_latest(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let out = cx
        .eng
        .latency
        .events()
        .map(|(name, ts)| {
            let last = ts.latest();
            Reply::Array(alloc::vec![Reply::bulk(name.as_bytes()), Reply::Int(last.time as i64), Reply::Int(last.latency as i64), Reply::Int(ts.max as i64)])
        })
        .collect();
    Ok(Reply::Array(out))
}

/// LATENCY HISTORY event: its samples, oldest first, as (time, latency).
fn latency_history(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let event = a.req()?;
    let out = match cx.eng.latency.get(event) {
        Some((_, ts)) => ts.samples().map(|s| Reply::Array(alloc::vec![Reply::Int(s.time as i64), Reply::Int(s.latency as i64)])).collect(),
        None => Vec::new(),
    };
    Ok(Reply::Array(out))
}

/// LATENCY GRAPH event: an ASCII graph of its samples.
fn latency_graph(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let event = a.req()?;
    let now = cx.eng.now_ms();
    match cx.eng.latency.get(event) {
        Some((name, ts)) => Ok(Reply::Verbatim("txt", crate::diagnostics::graph(name, ts, now).into_bytes())),
        None => {
            let mut m = b"ERR No samples available for event '".to_vec();
            m.extend_from_slice(event);
            m.push(b'\'');
            Err(Error::msg(m))
        }
    }
}

/// LATENCY RESET [event ...]: forgets the events (all without arguments);
/// answers how many were forgotten.
fn latency_reset(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let events = a.rest();
    let n = if events.is_empty() { cx.eng.latency.reset(None) } else { events.iter().map(|e| cx.eng.latency.reset(Some(e))).sum() };
    Ok(Reply::Int(n as i64))
}

/// LATENCY DOCTOR: Redis's `createLatencyReport` for the events redlet
/// records (command, fast-command, command-unblocking): per event its
/// spike count, average, mean deviation and period, then the advice.
fn latency_doctor(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let eng = &*cx.eng;
    let threshold = eng.config.latency_monitor_threshold;
    let mut report = String::new();
    let mut events = eng.latency.events().peekable();
    if events.peek().is_none() && threshold == 0 {
        report.push_str("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n");
        return Ok(Reply::Verbatim("txt", report.into_bytes()));
    }
    let now = eng.now_ms() / 1000;
    let (mut slowlog_enabled, mut slowlog_tuning, mut slowlog_inspect, mut scheduler, mut large_objects) = (false, false, false, false, false);
    let mut advices = 0;
    let mut eventnum = 0;
    for (name, ts) in events {
        eventnum += 1;
        if eventnum == 1 {
            report.push_str("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        }
        // analyzeLatencyForEvent: integer average and mean absolute
        // deviation, period from the oldest sample to now (at least 1 s).
        let samples: Vec<crate::diagnostics::Sample> = ts.samples().collect();
        let n = samples.len() as u64;
        let sum: u64 = samples.iter().map(|s| s.latency).sum();
        let oldest = samples.iter().map(|s| s.time).min().unwrap_or(0);
        let avg = sum.checked_div(n).unwrap_or(0);
        let period = if n > 0 { (now as i64 - oldest as i64).max(1) as u64 } else { 0 };
        let mad = samples.iter().map(|s| (avg as i64 - s.latency as i64).unsigned_abs()).sum::<u64>().checked_div(n).unwrap_or(0);
        let per = format!("{:.2}", period as f64 / n as f64);
        report.push_str(&format!(
            "{eventnum}. {name}: {n} latency spikes (average {avg}ms, mean deviation {mad}ms, period {per} sec). Worst all time event {}ms.",
            ts.max
        ));
        if name.eq_ignore_ascii_case("command") {
            if eng.config.slowlog_log_slower_than < 0 {
                slowlog_enabled = true;
                advices += 1;
            } else if (eng.config.slowlog_log_slower_than / 1000) as u64 > threshold {
                slowlog_tuning = true;
                advices += 1;
            }
            slowlog_inspect = true;
            large_objects = true;
            advices += 2;
        }
        if name.eq_ignore_ascii_case("fast-command") {
            scheduler = true;
            advices += 1;
        }
        report.push('\n');
    }
    if eventnum == 0 && advices == 0 {
        report.push_str("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
    } else if eventnum > 0 && advices == 0 {
        report.push_str("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
    } else {
        report.push_str("\nI have a few advices for you:\n\n");
        if slowlog_enabled {
            report.push_str(&format!("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", threshold.wrapping_mul(1000)));
        }
        if slowlog_tuning {
            report.push_str(&format!("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {}'.\n", threshold.wrapping_mul(1000)));
        }
        if slowlog_inspect {
            report.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if scheduler {
            report.push_str("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n  1) Lower the system load.\n  2) Use a computer / VM just for Redis if you are running other software in the same system.\n  3) Check if you have a \"noisy neighbour\" problem.\n  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
        }
        if large_objects {
            report.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
        }
    }
    Ok(Reply::Verbatim("txt", report.into_bytes()))
}

// ------------------------------------------------------------------ MONITOR

/// MONITOR: the client receives every command's line from now on. Inside
/// a transaction it cannot (Redis's DENY BLOCKING clients); a monitor
/// asking again gets no reply at all.
fn monitor_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    if !cx.may_block() {
        return Err(Error::err("MONITOR isn't allowed for DENY BLOCKING client"));
    }
    if cx.eng.start_monitor(cx.client) {
        Ok(Reply::ok())
    } else {
        Ok(Reply::Seq(Vec::new()))
    }
}

// ------------------------------------------------------------------- MODULE

const MODULE_HELP: &[&str] = &[
    "LIST",
    "    Return a list of loaded modules.",
    "LOAD <path> [<arg> ...]",
    "    Load a module library from <path>, passing to it any optional arguments.",
    "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
    "    Load a module library from <path>, while passing it module configurations and optional arguments.",
    "UNLOAD <name>",
    "    Unload a module.",
];

fn module_help(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help_reply(b"module", MODULE_HELP))
}

/// MODULE LIST: redlet loads no modules.
fn module_list(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(Vec::new()))
}

/// MODULE LOAD / LOADEX: redlet cannot load native modules; when allowed
/// at all (`enable-module-command`, checked before any command runs:
/// [`super::server::protected_refusal`]), loading fails as a module that
/// does not load fails in Redis.
fn module_load(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Err(Error::err("Error loading the extension. Please check the server logs."))
}

/// MODULE UNLOAD: there is never such a module.
fn module_unload(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Err(Error::err("Error unloading module: no such module with that name"))
}

// --------------------------------------------------------------------- WAIT

/// WAIT numreplicas timeout: redlet has no replicas, so 0 replicas have
/// acknowledged. Asking for none answers 0 at once; asking for more blocks
/// until the timeout (0: forever) as Redis does, except where the client
/// may not block (MULTI), which answers at once.
fn wait_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let numreplicas = a.i64()?;
    let timeout = num::parse_i64(a.req()?).ok_or_else(|| Error::err("timeout is not an integer or out of range"))?;
    if timeout < 0 {
        return Err(Error::TimeoutNegative);
    }
    if numreplicas <= 0 || !cx.may_block() {
        return Ok(Reply::Int(0));
    }
    let deadline = if timeout == 0 {
        None
    } else {
        Some(cx.now.checked_add(timeout as u64).ok_or_else(|| Error::err("timeout is out of range"))?)
    };
    cx.block_on(Vec::new(), deadline, Reply::Int(0));
    Ok(Reply::Int(0))
}
