//! Server and connection commands: PING ECHO QUIT RESET HELLO CLIENT INFO
//! CONFIG TIME COMMAND DEBUG MEMORY.
//!
//! Handlers parse their arguments and call typed operations; the parameter
//! table behind CONFIG lives in [`crate::config`], INFO's text and memory
//! accounting in [`crate::info`], and the COMMAND metadata Redis reports but
//! the table does not carry (tips, key specs, complexity, history) in
//! [`crate::cmdmeta`].
//!
//! Client state touched here (name, protocol, db, `close`, [`client_flags`])
//! lives in [`crate::client::Client`]; a killed client is flagged `close`,
//! unblocked and woken so its host drops the connection.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::client::ClientId;
use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::cmdmeta::{self, key_flags, Bs, Fk, KeySpec};
use crate::engine::{Engine, SYSTEM_CLIENT};
use crate::error::{Error, Result};
use crate::info::{self, REDIS_VERSION};
use crate::num;
use crate::reply::{Protocol, Reply};

/// Client flag bits kept in [`crate::client::Client::flags`], with the
/// letters CLIENT LIST shows for them. Other families set the ones they own
/// (MULTI, pub/sub, WATCH).
pub mod client_flags {
    /// `P`: subscribed to channels or patterns.
    pub const PUBSUB: u32 = 1 << 0;
    /// `x`: inside MULTI.
    pub const MULTI: u32 = 1 << 1;
    /// `d`: a watched key was modified (EXEC will fail).
    pub const DIRTY_CAS: u32 = 1 << 2;
    /// `r`: READONLY mode (cluster).
    pub const READONLY: u32 = 1 << 3;
    /// `e`: CLIENT NO-EVICT on.
    pub const NO_EVICT: u32 = 1 << 4;
}

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "ping",
        arity: -1,
        flags: FAST,
        acl: "@fast @connection",
        group: "connection",
        summary: "Ping the server",
        since: "1.0.0",
        handler: ping_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "echo",
        arity: 2,
        flags: LOADING | STALE | FAST,
        acl: "@fast @connection",
        group: "connection",
        summary: "Echo the given string",
        since: "1.0.0",
        handler: echo_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "quit",
        arity: -1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        acl: "@fast @connection",
        group: "connection",
        summary: "Close the connection",
        since: "1.0.0",
        handler: quit_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "reset",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        acl: "@fast @connection",
        group: "connection",
        summary: "Reset the connection",
        since: "6.2.0",
        handler: reset_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "auth",
        arity: -2,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        acl: "@fast @connection",
        group: "connection",
        summary: "Authenticate to the server",
        since: "1.0.0",
        handler: auth_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "hello",
        arity: -1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        acl: "@fast @connection",
        group: "connection",
        summary: "Handshake with Redis",
        since: "6.0.0",
        handler: hello_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "client",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "connection",
        summary: "A container for client connection commands",
        since: "2.4.0",
        subcommands: CLIENT_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "info",
        arity: -1,
        flags: LOADING | STALE,
        acl: "@slow @dangerous",
        group: "server",
        summary: "Get information and statistics about the server",
        since: "1.0.0",
        handler: info_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "config",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "A container for server configuration commands",
        since: "2.0.0",
        subcommands: CONFIG_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "time",
        arity: 1,
        flags: LOADING | STALE | FAST,
        acl: "@fast",
        group: "server",
        summary: "Return the current server time",
        since: "2.6.0",
        handler: time_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "command",
        arity: -1,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Get array of Redis command details",
        since: "2.8.13",
        handler: command_cmd,
        subcommands: COMMAND_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "debug",
        arity: -2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "A container for debugging commands",
        since: "1.0.0",
        handler: debug_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "role",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST,
        acl: "@admin @fast @dangerous",
        group: "server",
        summary: "Return the role of the instance in the context of replication",
        since: "2.8.12",
        handler: role_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "memory",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "A container for memory diagnostics commands",
        since: "4.0.0",
        subcommands: MEMORY_SUBCOMMANDS,
        ..Command::DEFAULT
    },
];

const CLIENT_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "getname",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Get the current connection name",
        since: "2.6.9",
        handler: client_getname_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "caching",
        arity: 3,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Instruct the server about tracking or not keys in the next request",
        since: "6.0.0",
        handler: client_caching_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "tracking",
        arity: -3,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Enable or disable server assisted client side caching support",
        since: "6.0.0",
        handler: client_tracking_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getredir",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Get tracking notifications redirection client ID if any",
        since: "6.0.0",
        handler: client_getredir_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        handler: client_help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "id",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Returns the client ID for the current connection",
        since: "5.0.0",
        handler: client_id_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "info",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Returns information about the current client connection.",
        since: "6.2.0",
        handler: client_info_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "kill",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Kill the connection of a client",
        since: "2.4.0",
        handler: client_kill_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "list",
        arity: -2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Get the list of client connections",
        since: "2.4.0",
        handler: client_list_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "no-evict",
        arity: 3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Set client eviction mode for the current connection",
        since: "7.0.0",
        handler: client_no_evict_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pause",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Stop processing commands from clients for some time",
        since: "2.9.50",
        handler: client_pause_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "unpause",
        arity: 2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Resume processing of clients that were paused",
        since: "6.2.0",
        handler: client_unpause_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "reply",
        arity: 3,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Instruct the server whether to reply to commands",
        since: "3.2.0",
        handler: client_reply_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "setname",
        arity: 3,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Set the current connection name",
        since: "2.6.9",
        handler: client_setname_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "trackinginfo",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        acl: "@slow @connection",
        group: "connection",
        summary: "Return information about server assisted client side caching for the current connection",
        since: "6.2.0",
        handler: client_trackinginfo_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "unblock",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous @connection",
        group: "connection",
        summary: "Unblock a client blocked in a blocking command from a different connection",
        since: "5.0.0",
        handler: client_unblock_cmd,
        ..Command::DEFAULT
    },
];

const CONFIG_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "get",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Get the values of configuration parameters",
        since: "2.0.0",
        handler: config_get_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow",
        group: "server",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        handler: config_help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "resetstat",
        arity: 2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Reset the stats returned by INFO",
        since: "2.0.0",
        handler: config_resetstat_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "rewrite",
        arity: 2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Rewrite the configuration file with the in memory configuration",
        since: "2.8.0",
        handler: config_rewrite_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "set",
        arity: -4,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Set configuration parameters to the given values",
        since: "2.0.0",
        handler: config_set_cmd,
        ..Command::DEFAULT
    },
];

const COMMAND_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "count",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Get total number of Redis commands",
        since: "2.8.13",
        handler: command_count_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "docs",
        arity: -2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Get array of specific Redis command documentation",
        since: "7.0.0",
        handler: command_docs_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getkeys",
        arity: -4,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Extract keys given a full Redis command",
        since: "2.8.13",
        handler: command_getkeys_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getkeysandflags",
        arity: -4,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Extract keys and access flags given a full Redis command",
        since: "7.0.0",
        handler: command_getkeysandflags_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        handler: command_help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "info",
        arity: -2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Get array of specific Redis command details, or all when no argument is given.",
        since: "2.8.13",
        handler: command_info_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "list",
        arity: -2,
        flags: LOADING | STALE,
        acl: "@slow @connection",
        group: "server",
        summary: "Get an array of Redis command names",
        since: "7.0.0",
        handler: command_list_cmd,
        ..Command::DEFAULT
    },
];

const MEMORY_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "doctor",
        arity: 2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "Outputs memory problems report",
        since: "4.0.0",
        handler: memory_doctor_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow",
        group: "server",
        summary: "Show helpful text about the different subcommands",
        since: "4.0.0",
        handler: memory_help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "malloc-stats",
        arity: 2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "Show allocator internal stats",
        since: "4.0.0",
        handler: memory_malloc_stats_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "purge",
        arity: 2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "Ask the allocator to release memory",
        since: "4.0.0",
        handler: memory_purge_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "stats",
        arity: 2,
        flags: 0,
        acl: "@slow",
        group: "server",
        summary: "Show memory usage details",
        since: "4.0.0",
        handler: memory_stats_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "usage",
        arity: -3,
        flags: READONLY,
        acl: "@read @slow",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "server",
        summary: "Estimate the memory usage of a key",
        since: "4.0.0",
        handler: memory_usage_cmd,
        ..Command::DEFAULT
    },
];

const CLIENT_HELP: &[&str] = &[
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Prints this help.",
];
const CONFIG_HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];
const COMMAND_HELP: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
];
const MEMORY_HELP: &[&str] = &[
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
];

/// Error of a subcommand called with the wrong arguments, as Redis's
/// `addReplySubcommandSyntaxError`.
pub(crate) fn subcommand_syntax(container: &str, sub: &[u8]) -> Error {
    let mut m = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    m.extend_from_slice(&sub[..sub.len().min(128)]);
    m.extend_from_slice(b"'. Try ");
    m.extend_from_slice(container.as_bytes());
    m.extend_from_slice(b" HELP.");
    Error::msg(m)
}

fn help(lines: &[&'static str]) -> Reply {
    Reply::Array(lines.iter().map(|l| Reply::Status(Cow::Borrowed(*l))).collect())
}

fn verbatim(s: String) -> Reply {
    Reply::Verbatim("txt", s.into_bytes())
}

// ---------------------------------------------------------------- connection

fn ping_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 1 {
        return Err(Error::WrongArity("ping".into()));
    }
    let subscribed = cx.eng.clients.get(&cx.client).is_some_and(|c| c.flags & client_flags::PUBSUB != 0 && c.proto == Protocol::Resp2);
    let msg = a.next();
    if subscribed {
        return Ok(Reply::Array(vec![Reply::bulk(b"pong"), Reply::bulk(msg.unwrap_or(b""))]));
    }
    Ok(match msg {
        Some(m) => Reply::bulk(m),
        None => Reply::status("PONG"),
    })
}

fn echo_cmd(_cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::bulk(a.req()?))
}

fn quit_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        c.close = true;
    }
    Ok(Reply::ok())
}

fn reset_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.reset_client(cx.client);
    Ok(Reply::status("RESET"))
}

/// Checks a client name like Redis: printable ASCII without spaces.
fn valid_client_name(name: &[u8]) -> Result<()> {
    if name.iter().all(|&c| (b'!'..=b'~').contains(&c)) {
        Ok(())
    } else {
        Err(Error::err("Client names cannot contain spaces, newlines or special characters."))
    }
}

fn set_client_name(cx: &mut Ctx<'_>, name: &[u8]) -> Result<()> {
    valid_client_name(name)?;
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        c.name = if name.is_empty() { None } else { Some(name.to_vec()) };
    }
    Ok(())
}

/// AUTH [username] password.
fn auth_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 2 {
        return Err(Error::Syntax);
    }
    let first = a.req()?;
    let (user, pass) = match a.next() {
        Some(pass) => (first, pass),
        None => {
            if cx.eng.acl.user(crate::acl::DEFAULT_USER).nopass() {
                return Err(Error::err("AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"));
            }
            (&b"default"[..], first)
        }
    };
    cx.eng.acl_authenticate(cx.client, user, pass, a.argv()[0])?;
    Ok(Reply::ok())
}

fn hello_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mut ver = None;
    if let Some(v) = a.next() {
        let v = num::parse_i64(v).ok_or_else(|| Error::err("Protocol version is not an integer or out of range"))?;
        if !(2..=3).contains(&v) {
            return Err(Error::msg("NOPROTO unsupported protocol version"));
        }
        ver = Some(if v == 3 { Protocol::Resp3 } else { Protocol::Resp2 });
    }
    // Options apply in order, each at once (a later bad option keeps an
    // earlier SETNAME), as Redis 7.0's helloCommand; then an unauthenticated
    // client is refused.
    while let Some(opt) = a.next() {
        if is_kw(opt, "auth") && a.remaining() >= 2 {
            let (user, pass) = (a.req()?, a.req()?);
            cx.eng.acl_authenticate(cx.client, user, pass, a.argv()[0])?;
        } else if is_kw(opt, "setname") && a.remaining() >= 1 {
            let name = a.req()?;
            set_client_name(cx, name)?;
        } else {
            let mut m = b"ERR Syntax error in HELLO option '".to_vec();
            m.extend_from_slice(opt);
            m.push(b'\'');
            return Err(Error::msg(m));
        }
    }
    if cx.eng.password_required() && cx.eng.clients.get(&cx.client).is_some_and(|c| !c.authenticated) {
        return Err(Error::msg("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"));
    }
    let id = cx.client;
    let proto = match cx.eng.clients.get_mut(&id) {
        Some(c) => {
            if let Some(v) = ver {
                c.proto = v;
            }
            c.proto
        }
        None => Protocol::Resp2,
    };
    Ok(hello_reply(id, proto))
}

fn hello_reply(id: ClientId, proto: Protocol) -> Reply {
    let b = |s: &str| Reply::bulk(s.as_bytes());
    Reply::Map(vec![
        (b("server"), b("redis")),
        (b("version"), b(REDIS_VERSION)),
        (b("proto"), Reply::Int(if proto == Protocol::Resp3 { 3 } else { 2 })),
        (b("id"), Reply::Int(id as i64)),
        (b("mode"), b("standalone")),
        (b("role"), b("master")),
        (b("modules"), Reply::Array(Vec::new())),
    ])
}

fn time_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let us = cx.now_us;
    Ok(Reply::Array(vec![Reply::bulk_int((us / 1_000_000) as i64), Reply::bulk_int((us % 1_000_000) as i64)]))
}

// -------------------------------------------------------------------- client

/// What CLIENT KILL matches on; unset filters match everything.
#[derive(Debug, Clone, Default)]
pub struct KillFilter {
    /// Peer address (`ip:port`).
    pub addr: Option<Vec<u8>>,
    /// Local address.
    pub laddr: Option<Vec<u8>>,
    /// Client id.
    pub id: Option<ClientId>,
    /// Client type: `normal`, `master`, `replica` or `pubsub`.
    pub kind: Option<ClientKind>,
    /// ACL user id (CLIENT KILL USER).
    pub user: Option<u32>,
    /// Spare the calling client.
    pub skip_me: bool,
}

/// Client types of CLIENT LIST TYPE and CLIENT KILL TYPE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// Ordinary clients.
    Normal,
    /// Replicas (none in redlet).
    Replica,
    /// Subscribed clients.
    Pubsub,
    /// The master link (none in redlet).
    Master,
}

fn client_kind(name: &[u8]) -> Result<ClientKind> {
    let k = if is_kw(name, "normal") {
        ClientKind::Normal
    } else if is_kw(name, "slave") || is_kw(name, "replica") {
        ClientKind::Replica
    } else if is_kw(name, "pubsub") {
        ClientKind::Pubsub
    } else if is_kw(name, "master") {
        ClientKind::Master
    } else {
        let mut m = b"ERR Unknown client type '".to_vec();
        m.extend_from_slice(name);
        m.push(b'\'');
        return Err(Error::msg(m));
    };
    Ok(k)
}

impl Engine {
    /// The CLIENT LIST line of client `id` (without the trailing newline).
    pub fn client_info_line(&self, id: ClientId) -> Option<String> {
        let c = self.clients.get(&id)?;
        let now = self.now_ms();
        let mut flags = String::new();
        if c.monitor {
            flags.push('O');
        }
        if c.flags & client_flags::PUBSUB != 0 {
            flags.push('P');
        }
        if c.flags & client_flags::MULTI != 0 {
            flags.push('x');
        }
        if c.blocked.is_some() {
            flags.push('b');
        }
        if let Some(t) = &c.tracking {
            flags.push('t');
            if t.broken_redirect {
                flags.push('R');
            }
            if t.bcast {
                flags.push('B');
            }
        }
        if c.flags & client_flags::DIRTY_CAS != 0 {
            flags.push('d');
        }
        if c.close {
            flags.push('c');
        }
        if c.flags & client_flags::READONLY != 0 {
            flags.push('r');
        }
        if c.flags & client_flags::NO_EVICT != 0 {
            flags.push('e');
        }
        if flags.is_empty() {
            flags.push('N');
        }
        let name = c.name.as_deref().map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default();
        let (sub, psub, ssub) = self.subscription_counts(id);
        let mut s = String::new();
        let _ = write!(
            s,
            "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} \
             qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll={} omem={} tot-mem={} events=r \
             cmd={} user={} redir={} resp={}",
            c.id,
            c.info.addr,
            c.info.laddr,
            c.info.fd,
            name,
            (now / 1000).saturating_sub(c.created_ms / 1000),
            (now / 1000).saturating_sub(c.last_ms / 1000),
            flags,
            c.db,
            sub,
            psub,
            ssub,
            c.multi.as_ref().map_or(-1, |m| m.queue.len() as i64),
            c.outbox.len(),
            c.obuf_bytes,
            c.obuf_bytes,
            c.last_cmd,
            String::from_utf8_lossy(&self.acl.user(c.user).name),
            c.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
            if c.proto == Protocol::Resp3 { 3 } else { 2 },
        );
        Some(s)
    }

    /// Ids of the clients CLIENT LIST shows, ascending: every connected
    /// client, plus the caller itself when it is the internal client.
    fn listed_clients(&self, caller: ClientId) -> Vec<ClientId> {
        let mut ids: Vec<ClientId> =
            self.clients.iter().filter(|(id, c)| **id == caller || (**id != SYSTEM_CLIENT && !c.close)).map(|(id, _)| *id).collect();
        crate::order::sort_by(&mut ids, |a, b| a.cmp(b));
        ids
    }

    fn kind_of(&self, id: ClientId) -> ClientKind {
        match self.clients.get(&id) {
            Some(c) if c.flags & client_flags::PUBSUB != 0 => ClientKind::Pubsub,
            _ => ClientKind::Normal,
        }
    }

    /// CLIENT LIST text, optionally only clients of one kind.
    pub fn client_list(&self, caller: ClientId, kind: Option<ClientKind>) -> String {
        let mut out = String::new();
        for id in self.listed_clients(caller) {
            if kind.is_some_and(|k| k != self.kind_of(id)) {
                continue;
            }
            if let Some(l) = self.client_info_line(id) {
                out.push_str(&l);
                out.push('\n');
            }
        }
        out
    }

    /// CLIENT KILL: closes every client matching `f` (flagging it `close`,
    /// unblocking it, dropping its pending output and waking it so the host
    /// closes the connection); the caller itself is only flagged, to close
    /// after its reply. Returns how many clients matched.
    pub fn client_kill(&mut self, caller: ClientId, f: &KillFilter) -> usize {
        let mut killed = 0;
        for id in self.listed_clients(caller) {
            let Some(c) = self.clients.get(&id) else { continue };
            if id == SYSTEM_CLIENT && id != caller {
                continue;
            }
            if f.addr.as_deref().is_some_and(|a| a != c.info.addr.as_bytes())
                || f.laddr.as_deref().is_some_and(|a| a != c.info.laddr.as_bytes())
                || f.id.is_some_and(|i| i != id)
                || f.user.is_some_and(|u| u != c.user)
                || f.kind.is_some_and(|k| k != self.kind_of(id))
                || (id == caller && f.skip_me)
            {
                continue;
            }
            killed += 1;
            if id != caller {
                self.unblock(id);
                if let Some(c) = self.clients.get_mut(&id) {
                    c.outbox.clear();
                }
            }
            if let Some(c) = self.clients.get_mut(&id) {
                c.close = true;
            }
            if id != caller {
                self.wake(id);
            }
        }
        killed
    }

    /// CLIENT UNBLOCK: unblocks a blocked client with its timeout reply or
    /// with an UNBLOCKED error. False when the client is not blocked.
    pub fn client_unblock(&mut self, id: ClientId, error: bool) -> bool {
        // A client postponed by CLIENT PAUSE waits for the pause, not for
        // data: there is nothing to time out (Redis 7.0.15 would abort).
        let Some(timeout_reply) = self.clients.get(&id).and_then(|c| c.blocked.as_ref()).filter(|b| !b.postponed).map(|b| b.timeout_reply.clone()) else {
            return false;
        };
        let reply = if error { Reply::Error(Error::msg("UNBLOCKED client unblocked via CLIENT UNBLOCK")) } else { timeout_reply };
        self.unblock_with(id, reply)
    }

    /// RESET: the client's connection state back to a new connection's
    /// (db 0, RESP2, no name, no per-connection modes).
    pub fn reset_client(&mut self, id: ClientId) {
        let required = self.password_required();
        self.discard_transaction(id);
        self.pubsub_unsubscribe_all(id);
        self.stop_monitor(id);
        self.disable_tracking(id);
        if let Some(c) = self.clients.get_mut(&id) {
            c.db = 0;
            c.proto = Protocol::Resp2;
            c.name = None;
            c.flags &= !(client_flags::READONLY | client_flags::PUBSUB | client_flags::MULTI | client_flags::DIRTY_CAS);
            c.reply_off = false;
            c.authenticated = !required;
            c.user = crate::acl::DEFAULT_USER;
            if c.reply_skip == crate::client::ReplySkip::Next {
                c.reply_skip = crate::client::ReplySkip::No;
            }
        }
    }
}

/// CLIENT PAUSE timeout [WRITE|ALL]: holds back every command (ALL, the
/// default) or the writing ones for `timeout` ms (see [`crate::pause`]).
fn client_pause_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 2 {
        return Err(subcommand_syntax("CLIENT", a.argv()[1]));
    }
    let timeout = a.req()?;
    let kind = match a.next() {
        None => crate::pause::PauseKind::All,
        Some(m) if is_kw(m, "write") => crate::pause::PauseKind::Write,
        Some(m) if is_kw(m, "all") => crate::pause::PauseKind::All,
        Some(_) => return Err(Error::err("CLIENT PAUSE mode must be WRITE or ALL")),
    };
    let ms = num::parse_i64(timeout).ok_or_else(|| Error::err("timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(Error::TimeoutNegative);
    }
    // getTimeoutFromObjectOrReply: 0 stays 0 (an end already past).
    let end = if ms == 0 { 0 } else { cx.now.checked_add(ms as u64).ok_or_else(|| Error::err("timeout is out of range"))? };
    cx.eng.pause_clients(kind, end, cx.now);
    Ok(Reply::ok())
}

/// CLIENT UNPAUSE: ends the pause; postponed clients run next.
fn client_unpause_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.unpause_clients();
    Ok(Reply::ok())
}

/// CLIENT REPLY ON|OFF|SKIP: OFF and SKIP answer nothing; SKIP drops the
/// next command's reply (ignored while OFF).
fn client_reply_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mode = a.req()?;
    let Some(c) = cx.eng.clients.get_mut(&cx.client) else { return Ok(Reply::ok()) };
    if is_kw(mode, "on") {
        c.reply_off = false;
        c.reply_skip = crate::client::ReplySkip::No;
        Ok(Reply::ok())
    } else if is_kw(mode, "off") {
        c.reply_off = true;
        Ok(Reply::Seq(Vec::new()))
    } else if is_kw(mode, "skip") {
        if !c.reply_off {
            c.reply_skip = crate::client::ReplySkip::Next;
        }
        Ok(Reply::Seq(Vec::new()))
    } else {
        Err(Error::Syntax)
    }
}

/// ROLE: a master with a replication offset of 0 and no replicas (redlet
/// does not replicate).
fn role_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(alloc::vec![Reply::bulk(b"master"), Reply::Int(0), Reply::Array(Vec::new())]))
}

fn client_id_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(cx.client as i64))
}

fn client_setname_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.req()?;
    set_client_name(cx, name)?;
    Ok(Reply::ok())
}

fn client_getname_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::bulk_opt(cx.eng.clients.get(&cx.client).and_then(|c| c.name.as_deref())))
}

fn client_info_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let mut s = cx.eng.client_info_line(cx.client).unwrap_or_default();
    s.push('\n');
    Ok(verbatim(s))
}

fn client_list_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let rest = a.rest();
    if rest.len() == 2 && is_kw(rest[0], "type") {
        let k = client_kind(rest[1])?;
        return Ok(verbatim(cx.eng.client_list(cx.client, Some(k))));
    }
    if rest.len() > 1 && is_kw(rest[0], "id") {
        let mut out = String::new();
        for idarg in &rest[1..] {
            let id = num::parse_i64(idarg).ok_or_else(|| Error::err("Invalid client ID"))?;
            let listed = id >= 0 && (id as u64 == cx.client || (id as u64 != SYSTEM_CLIENT && cx.eng.clients.get(&(id as u64)).is_some_and(|c| !c.close)));
            if let Some(l) = cx.eng.client_info_line(id as u64).filter(|_| listed) {
                out.push_str(&l);
                out.push('\n');
            }
        }
        return Ok(verbatim(out));
    }
    if !rest.is_empty() {
        return Err(Error::Syntax);
    }
    Ok(verbatim(cx.eng.client_list(cx.client, None)))
}

fn client_kill_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let rest = a.rest();
    if rest.len() == 1 {
        // Old form: CLIENT KILL addr, which may kill the caller itself.
        let f = KillFilter { addr: Some(rest[0].to_vec()), skip_me: false, ..Default::default() };
        return if cx.eng.client_kill(cx.client, &f) == 0 { Err(Error::err("No such client")) } else { Ok(Reply::ok()) };
    }
    let mut f = KillFilter { skip_me: true, ..Default::default() };
    let mut i = 0;
    while i < rest.len() {
        let opt = rest[i];
        let Some(&val) = rest.get(i + 1) else { return Err(Error::Syntax) };
        if is_kw(opt, "id") {
            match num::parse_i64(val) {
                Some(n) if n >= 1 => f.id = Some(n as u64),
                _ => return Err(Error::err("client-id should be greater than 0")),
            }
        } else if is_kw(opt, "type") {
            f.kind = Some(client_kind(val)?);
        } else if is_kw(opt, "addr") {
            f.addr = Some(val.to_vec());
        } else if is_kw(opt, "laddr") {
            f.laddr = Some(val.to_vec());
        } else if is_kw(opt, "user") {
            match cx.eng.acl.find(val) {
                Some(u) => f.user = Some(u),
                None => {
                    let mut m = b"ERR No such user '".to_vec();
                    m.extend_from_slice(val);
                    m.push(b'\'');
                    return Err(Error::msg(m));
                }
            }
        } else if is_kw(opt, "skipme") {
            if is_kw(val, "yes") {
                f.skip_me = true;
            } else if is_kw(val, "no") {
                f.skip_me = false;
            } else {
                return Err(Error::Syntax);
            }
        } else {
            return Err(Error::Syntax);
        }
        i += 2;
    }
    Ok(Reply::Int(cx.eng.client_kill(cx.client, &f) as i64))
}

fn client_unblock_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 2 {
        return Err(subcommand_syntax("CLIENT", a.argv()[1]));
    }
    let idarg = a.req()?;
    let error = match a.next() {
        None => false,
        Some(r) if is_kw(r, "timeout") => false,
        Some(r) if is_kw(r, "error") => true,
        Some(_) => return Err(Error::err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR")),
    };
    let id = num::parse_i64(idarg).ok_or(Error::NotInteger)?;
    if id < 0 || id as u64 == cx.client {
        return Ok(Reply::Int(0));
    }
    Ok(Reply::Int(cx.eng.client_unblock(id as u64, error) as i64))
}

fn client_no_evict_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let v = a.req()?;
    let on = if is_kw(v, "on") {
        true
    } else if is_kw(v, "off") {
        false
    } else {
        return Err(Error::Syntax);
    };
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        if on {
            c.flags |= client_flags::NO_EVICT;
        } else {
            c.flags &= !client_flags::NO_EVICT;
        }
    }
    Ok(Reply::ok())
}

fn client_getredir_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(cx.eng.clients.get(&cx.client).and_then(|c| c.tracking.as_ref()).map_or(-1, |t| t.redirect as i64)))
}

fn client_trackinginfo_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let t = cx.eng.clients.get(&cx.client).and_then(|c| c.tracking.as_ref());
    Ok(Reply::Map(vec![
        (b("flags"), Reply::Set(crate::tracking::info_flags(t))),
        (b("redirect"), Reply::Int(t.map_or(-1, |t| t.redirect as i64))),
        (b("prefixes"), Reply::Array(t.map_or_else(Vec::new, |t| t.prefixes.iter().map(|p| Reply::bulk(p)).collect()))),
    ]))
}

/// CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN]
/// [OPTOUT] [NOLOOP] (see [`crate::tracking`]).
fn client_tracking_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mode = a.req()?;
    let mut redirect: i64 = 0;
    let mut opts = crate::tracking::ClientTracking::default();
    while let Some(opt) = a.next() {
        if is_kw(opt, "redirect") && a.remaining() > 0 {
            if redirect != 0 {
                return Err(Error::err("A client can only redirect to a single other client"));
            }
            redirect = a.i64()?;
            if redirect <= 0 || !cx.eng.clients.contains_key(&(redirect as u64)) || redirect as u64 == crate::engine::SYSTEM_CLIENT {
                return Err(Error::err("The client ID you want redirect to does not exist"));
            }
        } else if is_kw(opt, "bcast") {
            opts.bcast = true;
        } else if is_kw(opt, "optin") {
            opts.optin = true;
        } else if is_kw(opt, "optout") {
            opts.optout = true;
        } else if is_kw(opt, "noloop") {
            opts.noloop = true;
        } else if is_kw(opt, "prefix") && a.remaining() > 0 {
            opts.prefixes.push(a.req()?.to_vec());
        } else {
            return Err(Error::Syntax);
        }
    }
    if is_kw(mode, "on") {
        cx.eng.enable_tracking(cx.client, redirect as u64, opts).map_err(|m| {
            if m.starts_with(b"ERR ") {
                Error::msg(m)
            } else {
                let mut e = b"ERR ".to_vec();
                e.extend_from_slice(&m);
                Error::msg(e)
            }
        })?;
    } else if is_kw(mode, "off") {
        cx.eng.disable_tracking(cx.client);
    } else {
        return Err(Error::Syntax);
    }
    Ok(Reply::ok())
}

/// CLIENT CACHING YES|NO: the next command's keys are tracked (OPTIN) or
/// not (OPTOUT).
fn client_caching_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let opt = a.req()?;
    let Some(t) = cx.eng.clients.get_mut(&cx.client).and_then(|c| c.tracking.as_mut()) else {
        return Err(Error::err("CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"));
    };
    if is_kw(opt, "yes") {
        if !t.optin {
            return Err(Error::err("CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."));
        }
    } else if is_kw(opt, "no") {
        if !t.optout {
            return Err(Error::err("CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."));
        }
    } else {
        return Err(Error::Syntax);
    }
    t.caching = true;
    Ok(Reply::ok())
}

fn client_help_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help(CLIENT_HELP))
}

// ---------------------------------------------------------------------- info

fn info_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let sections = a.rest();
    let now_us = cx.now_us;
    Ok(verbatim(cx.eng.info_at(sections, now_us)))
}

// -------------------------------------------------------------------- config

fn config_get_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let pairs = cx.config().config_get(a.rest());
    Ok(Reply::Map(pairs.into_iter().map(|(k, v)| (Reply::Bulk(k), Reply::Bulk(v.into_bytes()))).collect()))
}

/// True when `client` connects from the loopback interface or in-process
/// (Redis's "local" for `enable-*-command` and protected configs).
fn is_local(eng: &Engine, client: ClientId) -> bool {
    eng.clients.get(&client).is_none_or(|c| {
        let a = c.info.addr.as_str();
        a.is_empty() || a.starts_with("127.0.0.1:") || a.starts_with("[::1]:") || a.starts_with("::1:") || a.starts_with('/')
    })
}

/// Whether a protected command (`enable-debug-command`-style parameter
/// `param`: `yes`, `local` for loopback clients, `no`) may run.
pub(crate) fn protected_allowed(eng: &Engine, client: ClientId, param: &str) -> bool {
    match eng.config.get_param(param).as_deref() {
        Some("yes") => true,
        Some("local") => is_local(eng, client),
        _ => false,
    }
}

/// The protected-command gate of Redis's processCommand, right after the
/// arity check (before authentication and ACLs): DEBUG and MODULE
/// LOAD/LOADEX/UNLOAD run only where `enable-debug-command` /
/// `enable-module-command` allow them (`yes`, or `local` from a loopback
/// or Unix-socket client). `full` is the command's full name.
pub(crate) fn protected_refusal(eng: &Engine, client: ClientId, full: &str) -> Option<Error> {
    let (name, param) = match full {
        "debug" => ("DEBUG", "enable-debug-command"),
        "module|load" | "module|loadex" | "module|unload" => ("MODULE", "enable-module-command"),
        _ => return None,
    };
    if protected_allowed(eng, client, param) {
        return None;
    }
    let msg = alloc::format!(
        "{name} command not allowed. If the {param} option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
    );
    Some(Error::err(&msg))
}

fn config_set_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let rest = a.rest();
    if !rest.len().is_multiple_of(2) {
        return Err(Error::Syntax);
    }
    let pairs: Vec<(&[u8], &[u8])> = rest.chunks(2).map(|p| (p[0], p[1])).collect();
    let protected_ok = protected_allowed(cx.eng, cx.client, "enable-protected-configs");
    cx.eng.config.config_set(&pairs, protected_ok)?;
    cx.eng.refresh_notify_flags();
    // New eviction policy / limits: access mode, and evict below a lowered maxmemory.
    cx.eng.after_config_set();
    Ok(Reply::ok())
}

impl Engine {
    /// CONFIG RESETSTAT: zeroes the statistics INFO reports.
    pub fn reset_stats(&mut self) {
        for s in self.cmdstats.iter_mut() {
            *s = Default::default();
        }
        for h in self.latency_hist.iter_mut() {
            *h = None;
        }
        self.stats = Default::default();
        for db in self.dbs.iter_mut() {
            db.stats = Default::default();
        }
    }

    /// CONFIG SET for one parameter (with CONFIG SET's checks and errors).
    pub fn config_set(&mut self, name: &str, value: &str) -> Result<()> {
        self.config.config_set(&[(name.as_bytes(), value.as_bytes())], true)?;
        self.refresh_notify_flags();
        // As CONFIG SET: access mode, eviction below a lowered maxmemory.
        self.after_config_set();
        self.drain_db_events();
        Ok(())
    }

    /// CONFIG GET for one pattern: (name, value) pairs.
    pub fn config_get(&self, pattern: &str) -> Vec<(String, String)> {
        self.config.config_get(&[pattern.as_bytes()]).into_iter().map(|(k, v)| (String::from_utf8_lossy(&k).into_owned(), v)).collect()
    }
}

fn config_resetstat_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.reset_stats();
    Ok(Reply::ok())
}

fn config_rewrite_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Err(Error::err("The server is running without a config file"))
}

fn config_help_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help(CONFIG_HELP))
}

// ------------------------------------------------------------------- command

/// Command flags in the order COMMAND INFO prints them (`may_replicate` is
/// hidden, as in Redis).
const FLAG_ORDER: &[(u32, &str)] = &[
    (WRITE, "write"),
    (READONLY, "readonly"),
    (DENYOOM, "denyoom"),
    (ADMIN, "admin"),
    (PUBSUB, "pubsub"),
    (NOSCRIPT, "noscript"),
    (BLOCKING, "blocking"),
    (LOADING, "loading"),
    (STALE, "stale"),
    (SKIP_MONITOR, "skip_monitor"),
    (SKIP_SLOWLOG, "skip_slowlog"),
    (ASKING, "asking"),
    (FAST, "fast"),
    (NO_AUTH, "no_auth"),
    (NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (NO_ASYNC_LOADING, "no_async_loading"),
    (NO_MULTI, "no_multi"),
    (MOVABLE_KEYS, "movablekeys"),
    (ALLOW_BUSY, "allow_busy"),
];

/// A command resolved by full name: the command, its container (for
/// subcommands) and its full name.
#[derive(Clone, Copy)]
struct Resolved {
    cmd: &'static Command,
    parent: Option<&'static Command>,
}

impl Resolved {
    fn full_name(&self) -> String {
        match self.parent {
            Some(p) => format!("{}|{}", p.name, self.cmd.name),
            None => String::from(self.cmd.name),
        }
    }

    /// Key specs: Redis's when known, else derived from first/last/step.
    fn key_specs(&self) -> Cow<'static, [KeySpec]> {
        if let Some(m) = cmdmeta::meta(&self.full_name()) {
            return Cow::Borrowed(m.key_specs);
        }
        let c = self.cmd;
        if c.first_key <= 0 {
            return Cow::Borrowed(&[]);
        }
        let flags = if c.has(WRITE) { key_flags::RW | key_flags::UPDATE } else { key_flags::RO | key_flags::ACCESS };
        let last = if c.last_key < 0 { c.last_key } else { c.last_key - c.first_key };
        Cow::Owned(vec![KeySpec { notes: "", flags, bs: Bs::Index(c.first_key), fk: Fk::Range(last, c.step.max(1), 0) }])
    }
}

/// Looks a command up by `name` or `container|sub` (COMMAND INFO / DOCS).
fn lookup_full(eng: &Engine, name: &[u8]) -> Option<Resolved> {
    let mut parts = name.split(|&c| c == b'|');
    let first = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let cmd = eng.table.command(first)?;
    match second {
        None => Some(Resolved { cmd, parent: None }),
        Some(s) => cmd.subcommands.iter().find(|c| s.eq_ignore_ascii_case(c.name.as_bytes())).map(|sub| Resolved { cmd: sub, parent: Some(cmd) }),
    }
}

fn status_set<'a>(items: impl Iterator<Item = &'a str>) -> Reply {
    Reply::Set(items.map(|s| Reply::Status(Cow::Owned(String::from(s)))).collect())
}

fn key_flag_set(flags: u16) -> Reply {
    status_set(key_flags::NAMES.iter().enumerate().filter(|(i, _)| flags & (1 << i) != 0).map(|(_, n)| *n))
}

fn key_spec_reply(ks: &KeySpec) -> Reply {
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let mut m = Vec::new();
    if !ks.notes.is_empty() {
        m.push((b("notes"), b(ks.notes)));
    }
    m.push((b("flags"), key_flag_set(ks.flags)));
    let bs = match ks.bs {
        Bs::Unknown => vec![(b("type"), b("unknown")), (b("spec"), Reply::Map(Vec::new()))],
        Bs::Index(i) => vec![(b("type"), b("index")), (b("spec"), Reply::Map(vec![(b("index"), Reply::Int(i as i64))]))],
        Bs::Keyword(k, from) => vec![
            (b("type"), b("keyword")),
            (b("spec"), Reply::Map(vec![(b("keyword"), b(k)), (b("startfrom"), Reply::Int(from as i64))])),
        ],
    };
    m.push((b("begin_search"), Reply::Map(bs)));
    let fk = match ks.fk {
        Fk::Unknown => vec![(b("type"), b("unknown")), (b("spec"), Reply::Map(Vec::new()))],
        Fk::Range(last, step, limit) => vec![
            (b("type"), b("range")),
            (
                b("spec"),
                Reply::Map(vec![(b("lastkey"), Reply::Int(last as i64)), (b("keystep"), Reply::Int(step as i64)), (b("limit"), Reply::Int(limit as i64))]),
            ),
        ],
        Fk::Keynum(idx, first, step) => vec![
            (b("type"), b("keynum")),
            (
                b("spec"),
                Reply::Map(vec![(b("keynumidx"), Reply::Int(idx as i64)), (b("firstkey"), Reply::Int(first as i64)), (b("keystep"), Reply::Int(step as i64))]),
            ),
        ],
    };
    m.push((b("find_keys"), Reply::Map(fk)));
    Reply::Map(m)
}

fn command_info_reply(r: Resolved) -> Reply {
    let c = r.cmd;
    let full = r.full_name();
    let meta = cmdmeta::meta(&full);
    let subs = if c.subcommands.is_empty() {
        Reply::Set(Vec::new())
    } else {
        Reply::Array(c.subcommands.iter().map(|s| command_info_reply(Resolved { cmd: s, parent: Some(c) })).collect())
    };
    Reply::Array(vec![
        Reply::Bulk(full.into_bytes()),
        Reply::Int(c.arity as i64),
        status_set(FLAG_ORDER.iter().filter(|(f, _)| c.flags & f != 0).map(|(_, n)| *n)),
        Reply::Int(c.first_key as i64),
        Reply::Int(c.last_key as i64),
        Reply::Int(c.step as i64),
        status_set(c.acl.split(' ').filter(|s| !s.is_empty())),
        Reply::Set(meta.map_or(&[][..], |m| m.tips).iter().map(|t| Reply::bulk(t.as_bytes())).collect()),
        Reply::Set(r.key_specs().iter().map(key_spec_reply).collect()),
        subs,
    ])
}

fn command_docs_reply(r: Resolved) -> Reply {
    let c = r.cmd;
    let meta = cmdmeta::meta(&r.full_name());
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let mut m = Vec::new();
    if !c.summary.is_empty() {
        m.push((b("summary"), b(c.summary)));
    }
    if !c.since.is_empty() {
        m.push((b("since"), b(c.since)));
    }
    m.push((b("group"), b(if c.group.is_empty() { "generic" } else { c.group })));
    if let Some(meta) = meta {
        if !meta.complexity.is_empty() {
            m.push((b("complexity"), b(meta.complexity)));
        }
        if meta.doc_flags != 0 {
            let names = [(1u8, "deprecated"), (2u8, "syscmd")];
            m.push((b("doc_flags"), status_set(names.iter().filter(|(f, _)| meta.doc_flags & f != 0).map(|(_, n)| *n))));
        }
        if !meta.deprecated_since.is_empty() {
            m.push((b("deprecated_since"), b(meta.deprecated_since)));
        }
        if !meta.replaced_by.is_empty() {
            m.push((b("replaced_by"), b(meta.replaced_by)));
        }
        if let Some(h) = meta.history {
            m.push((b("history"), Reply::Set(h.iter().map(|(v, t)| Reply::Array(vec![b(v), b(t)])).collect())));
        }
    }
    if !c.subcommands.is_empty() {
        let subs = c
            .subcommands
            .iter()
            .map(|s| {
                let r = Resolved { cmd: s, parent: Some(c) };
                (Reply::Bulk(r.full_name().into_bytes()), command_docs_reply(r))
            })
            .collect();
        m.push((b("subcommands"), Reply::Map(subs)));
    }
    Reply::Map(m)
}

fn command_cmd_all(eng: &Engine) -> Reply {
    Reply::Array(eng.table.commands().map(|c| command_info_reply(Resolved { cmd: c, parent: None })).collect())
}

fn command_count_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(cx.eng.table.commands().count() as i64))
}

fn command_info_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let names = a.rest();
    if names.is_empty() {
        return Ok(command_cmd_all(cx.eng));
    }
    Ok(Reply::Array(names.iter().map(|n| lookup_full(cx.eng, n).map_or(Reply::Nil, command_info_reply)).collect()))
}

fn command_docs_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let names = a.rest();
    let found: Vec<Resolved> = if names.is_empty() {
        cx.eng.table.commands().map(|c| Resolved { cmd: c, parent: None }).collect()
    } else {
        names.iter().filter_map(|n| lookup_full(cx.eng, n)).collect()
    };
    Ok(Reply::Map(found.into_iter().map(|r| (Reply::Bulk(r.full_name().into_bytes()), command_docs_reply(r))).collect()))
}

/// Key positions of `argv` (a command line) for `r` from its key specs, as
/// Redis's `getKeysUsingKeySpecs`; an incomplete spec contributes what it
/// found. `None` when the arguments do not fit the specs.
fn keys_from_specs(r: Resolved, argv: &[&[u8]]) -> Option<Vec<(usize, u16)>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for spec in r.key_specs().iter() {
        if spec.flags & key_flags::NOT_KEY != 0 {
            continue;
        }
        let mut first: i64 = match spec.bs {
            Bs::Index(i) => i as i64,
            Bs::Keyword(kw, from) => {
                let from = from as i64;
                let (start, end) = if from > 0 { (from, argc - 1) } else { (argc + from, 1) };
                let mut i = start;
                let mut found = 0;
                loop {
                    if i >= argc || i < 1 {
                        break;
                    }
                    if argv[i as usize].eq_ignore_ascii_case(kw.as_bytes()) {
                        found = i + 1;
                        break;
                    }
                    if i == end {
                        break;
                    }
                    i += if start <= end { 1 } else { -1 };
                }
                if found == 0 {
                    continue;
                }
                found
            }
            Bs::Unknown => return None,
        };
        let (last, step) = match spec.fk {
            Fk::Range(lastkey, keystep, limit) => {
                let (lastkey, limit) = (lastkey as i64, limit as i64);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (last, keystep as i64)
            }
            Fk::Keynum(idx, firstkey, keystep) => {
                let at = first + idx as i64;
                if idx as i64 >= argc || at >= argc || at < 0 {
                    return None;
                }
                let n = num::parse_i64(argv[at as usize]).filter(|n| *n >= 0)?;
                first += firstkey as i64;
                (first.checked_add(n)? - 1, keystep as i64)
            }
            Fk::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc || step <= 0 {
            return None;
        }
        let mut i = first;
        while i <= last {
            keys.push((i as usize, spec.flags));
            i += step;
        }
        // An incomplete spec's keys are kept (Redis then asks the command's
        // own key finder, which agrees in practice).
    }
    Some(keys)
}

/// Keys of the commands whose key flags depend on their arguments (Redis's
/// `setGetKeys` and `bitfieldGetKeys`).
fn variable_flag_keys(r: Resolved, argv: &[&[u8]]) -> Option<Vec<(usize, u16)>> {
    use key_flags::*;
    if r.parent.is_some() {
        return None;
    }
    match r.cmd.name {
        "set" => {
            let get = argv.iter().skip(3).any(|a| is_kw(a, "get"));
            Some(vec![(1, if get { RW | ACCESS | UPDATE } else { OW | UPDATE })])
        }
        "bitfield" => {
            let mut readonly = true;
            let mut i = 2;
            while i < argv.len() {
                let rem = argv.len() - i - 1;
                let a = argv[i];
                if is_kw(a, "get") && rem >= 2 {
                    i += 3;
                } else if is_kw(a, "overflow") && rem >= 1 {
                    i += 2;
                } else {
                    // SET/INCRBY or a syntax error: not read-only.
                    readonly = false;
                    break;
                }
            }
            Some(vec![(1, if readonly { RO | ACCESS } else { RW | ACCESS | UPDATE })])
        }
        "sort" => {
            // Redis's sortGetKeys: the sort key, plus the target of the last
            // STORE; LIMIT/GET/BY skip their arguments while scanning.
            let mut keys = vec![(1, RO | ACCESS)];
            let mut store = None;
            let mut i = 2;
            while i < argv.len() {
                let a = argv[i];
                if is_kw(a, "limit") {
                    i += 2;
                } else if is_kw(a, "get") || is_kw(a, "by") {
                    i += 1;
                } else if is_kw(a, "store") && i + 1 < argv.len() {
                    store = Some(i + 1);
                }
                i += 1;
            }
            if let Some(p) = store {
                keys.push((p, OW | UPDATE));
            }
            Some(keys)
        }
        _ => None,
    }
}

fn getkeys(cx: &mut Ctx<'_>, a: &mut Args<'_>, with_flags: bool) -> Result<Reply> {
    let argv = a.rest();
    let name = argv.first().copied().unwrap_or(b"");
    let base = cx.eng.table.command(name).ok_or_else(|| Error::err("Invalid command specified"))?;
    let r = if base.subcommands.is_empty() || argv.len() < 2 {
        Resolved { cmd: base, parent: None }
    } else {
        match base.subcommands.iter().find(|c| argv[1].eq_ignore_ascii_case(c.name.as_bytes())) {
            Some(sub) => Resolved { cmd: sub, parent: Some(base) },
            None => return Err(Error::err("Invalid command specified")),
        }
    };
    let specs = r.key_specs();
    if !specs.iter().any(|s| s.flags & key_flags::NOT_KEY == 0) {
        return Err(Error::err("The command has no key arguments"));
    }
    let argc = argv.len() as i32;
    let c = r.cmd;
    if (c.arity > 0 && c.arity != argc) || argc < -c.arity {
        return Err(Error::err("Invalid number of arguments specified for command"));
    }
    let keys = match variable_flag_keys(r, argv) {
        Some(k) => k,
        None => keys_from_specs(r, argv).unwrap_or_default(),
    };
    if keys.is_empty() {
        return if c.has(NO_MANDATORY_KEYS) { Ok(Reply::Array(Vec::new())) } else { Err(Error::err("Invalid arguments specified for command")) };
    }
    Ok(Reply::Array(
        keys.into_iter()
            .map(|(pos, flags)| {
                let k = Reply::bulk(argv[pos]);
                if with_flags {
                    Reply::Array(vec![k, key_flag_set(flags)])
                } else {
                    k
                }
            })
            .collect(),
    ))
}

/// The positions in `argv` of the keys command `cmd` (resolved from
/// `argv`, a subcommand if it has a parent) names, as COMMAND GETKEYS finds
/// them; empty when it names none.
pub(crate) fn command_key_positions(table: &crate::engine::Table, cmd: &'static Command, argv: &[&[u8]]) -> Vec<usize> {
    command_keys_with_flags(table, cmd, argv).into_iter().map(|(pos, _)| pos).collect()
}

/// The keys of `argv` for `cmd` (resolved from `argv`) with their key-spec
/// flags, as Redis's `getKeysFromCommandWithSpecs` finds them for ACL
/// checks.
pub(crate) fn command_keys_with_flags(table: &crate::engine::Table, cmd: &'static Command, argv: &[&[u8]]) -> Vec<(usize, u16)> {
    let parent = argv.first().and_then(|n| table.command(n)).filter(|p| p.subcommands.iter().any(|s| core::ptr::eq(s, cmd)));
    let r = Resolved { cmd, parent };
    variable_flag_keys(r, argv).or_else(|| keys_from_specs(r, argv)).unwrap_or_default()
}

fn command_getkeys_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    getkeys(cx, a, false)
}

fn command_getkeysandflags_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    getkeys(cx, a, true)
}

/// ACL categories Redis knows (COMMAND LIST FILTERBY ACLCAT).
const ACL_CATEGORIES: &[&str] = &[
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin",
    "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
];

fn command_list_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    enum Filter<'a> {
        All,
        Module,
        Cat(Option<&'static str>),
        Pattern(&'a [u8]),
    }
    let mut filter = Filter::All;
    let rest = a.rest();
    let mut i = 0;
    while i < rest.len() {
        if is_kw(rest[i], "filterby") && rest.len() - 1 - i == 2 {
            let (kind, arg) = (rest[i + 1], rest[i + 2]);
            filter = if is_kw(kind, "module") {
                Filter::Module
            } else if is_kw(kind, "aclcat") {
                Filter::Cat(ACL_CATEGORIES.iter().find(|c| arg.eq_ignore_ascii_case(c.as_bytes())).copied())
            } else if is_kw(kind, "pattern") {
                Filter::Pattern(arg)
            } else {
                return Err(Error::Syntax);
            };
            i += 3;
        } else {
            return Err(Error::Syntax);
        }
    }
    let keep = |c: &Command, full: &str| match &filter {
        Filter::All => true,
        Filter::Module => false,
        Filter::Cat(None) => false,
        Filter::Cat(Some(cat)) => c.acl.split(' ').any(|a| a.strip_prefix('@') == Some(*cat)),
        Filter::Pattern(p) => crate::glob::matches(p, full.as_bytes(), true),
    };
    let mut out = Vec::new();
    for c in cx.eng.table.commands() {
        if keep(c, c.name) {
            out.push(Reply::bulk(c.name.as_bytes()));
        }
        for s in c.subcommands {
            let full = format!("{}|{}", c.name, s.name);
            if keep(s, &full) {
                out.push(Reply::Bulk(full.into_bytes()));
            }
        }
    }
    Ok(Reply::Array(out))
}

fn command_help_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help(COMMAND_HELP))
}

/// COMMAND with no subcommand is handled by the container's handler.
fn command_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(command_cmd_all(cx.eng))
}

// --------------------------------------------------------------------- debug

/// C's `strtod(s, NULL)`: the longest numeric prefix, 0 when there is none.
fn strtod_prefix(s: &[u8]) -> f64 {
    let t = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
    let s = &s[t..];
    let mut i = 0;
    if matches!(s.first(), Some(b'+') | Some(b'-')) {
        i = 1;
    }
    let body = &s[i..];
    if body.len() >= 3 && body[..3].eq_ignore_ascii_case(b"inf") {
        return if s.first() == Some(&b'-') { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let digits = |from: usize| s[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(i);
    i += int;
    let mut frac = 0;
    if s.get(i) == Some(&b'.') {
        frac = digits(i + 1);
        if int + frac > 0 {
            i += 1 + frac;
        }
    }
    if int + frac == 0 {
        return 0.0;
    }
    if matches!(s.get(i), Some(b'e') | Some(b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+') | Some(b'-')) {
            j += 1;
        }
        let e = digits(j);
        if e > 0 {
            i = j + e;
        }
    }
    core::str::from_utf8(&s[..i]).ok().and_then(|p| p.parse::<f64>().ok()).unwrap_or(0.0)
}

/// C's `atoi`.
fn atoi(s: &[u8]) -> i64 {
    let t = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
    let s = &s[t..];
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &c in digits.iter().take_while(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((c - b'0') as i64);
    }
    if neg {
        -v
    } else {
        v
    }
}

const DEBUG_HELP: &[&str] = &[
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "HELP",
    "    Prints this help.",
];

/// DEBUG (allowed by `enable-debug-command`: [`protected_refusal`]).
fn debug_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let sub = a.req()?;
    let args = a.rest();
    if is_kw(sub, "help") && args.is_empty() {
        return Ok(help(DEBUG_HELP));
    }
    if is_kw(sub, "sleep") && args.len() == 1 {
        let secs = strtod_prefix(args[0]);
        let us = secs * 1_000_000.0;
        if us.is_finite() && us >= 1.0 {
            cx.eng.clock.sleep_micros(us.min(u64::MAX as f64) as u64);
        }
        return Ok(Reply::ok());
    }
    if is_kw(sub, "set-active-expire") && args.len() == 1 {
        cx.eng.config.active_expire_enabled = atoi(args[0]) != 0;
        return Ok(Reply::ok());
    }
    if (is_kw(sub, "log") && args.len() == 1) || (is_kw(sub, "change-repl-id") && args.is_empty()) {
        return Ok(Reply::ok());
    }
    Err(subcommand_syntax("DEBUG", sub))
}

// -------------------------------------------------------------------- memory

fn memory_usage_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    while let Some(opt) = a.next() {
        if is_kw(opt, "samples") && !a.is_empty() {
            let n = a.i64()?;
            if n < 0 {
                return Err(Error::Syntax);
            }
            // Sizes are exact, so the sample count changes nothing.
        } else {
            return Err(Error::Syntax);
        }
    }
    // Redis looks the key up raw (dictFind): no lazy expiry, no touch.
    cx.eng.settle_memory();
    Ok(match cx.db().lookup_raw(key) {
        Some(e) => Reply::Int(info::key_usage(e) as i64),
        None => Reply::Nil,
    })
}

fn memory_doctor_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let used = cx.eng.used_memory();
    let s = if used < 5 * 1024 * 1024 {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
    } else {
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
    };
    Ok(verbatim(String::from(s)))
}

fn memory_stats_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let m = cx.eng.memory_stats();
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let i = |n: u64| Reply::Int(n as i64);
    let mut r = vec![
        (b("peak.allocated"), i(m.used)),
        (b("total.allocated"), i(m.used)),
        (b("startup.allocated"), i(info::BASELINE)),
        (b("replication.backlog"), i(0)),
        (b("clients.slaves"), i(0)),
        (b("clients.normal"), i(0)),
        (b("cluster.links"), i(0)),
        (b("aof.buffer"), i(0)),
        (b("lua.caches"), i(0)),
        (b("functions.caches"), i(0)),
    ];
    for (n, db) in cx.eng.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        let vol = db.volatile_len() as u64;
        r.push((
            Reply::Bulk(format!("db.{}", n).into_bytes()),
            Reply::Map(vec![
                (b("overhead.hashtable.main"), i(db.overhead().saturating_sub(vol * info::EXPIRE_OVERHEAD))),
                (b("overhead.hashtable.expires"), i(vol * info::EXPIRE_OVERHEAD)),
                (b("overhead.hashtable.slot-to-keys"), i(0)),
            ]),
        ));
    }
    let pct = if m.used == 0 { 0.0 } else { m.dataset as f64 * 100.0 / m.used as f64 };
    r.extend([
        (b("overhead.total"), i(m.overhead)),
        (b("keys.count"), i(m.keys)),
        (b("keys.bytes-per-key"), i(m.used.checked_div(m.keys).unwrap_or(0))),
        (b("dataset.bytes"), i(m.dataset)),
        (b("dataset.percentage"), Reply::Double(pct)),
        (b("peak.percentage"), Reply::Double(100.0)),
        (b("allocator.allocated"), i(m.used)),
        (b("allocator.active"), i(m.used)),
        (b("allocator.resident"), i(m.used)),
        (b("allocator-fragmentation.ratio"), Reply::Double(1.0)),
        (b("allocator-fragmentation.bytes"), i(0)),
        (b("allocator-rss.ratio"), Reply::Double(1.0)),
        (b("allocator-rss.bytes"), i(0)),
        (b("rss-overhead.ratio"), Reply::Double(1.0)),
        (b("rss-overhead.bytes"), i(0)),
        (b("fragmentation"), Reply::Double(1.0)),
        (b("fragmentation.bytes"), i(0)),
    ]);
    Ok(Reply::Map(r))
}

fn memory_malloc_stats_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::bulk(b"Stats not supported for the current allocator"))
}

fn memory_purge_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::ok())
}

fn memory_help_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help(MEMORY_HELP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Blocked, ClientInfo};
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::engine::Options;
    use alloc::boxed::Box;

    fn engine() -> Engine {
        Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000_000)), seed: 1 })
    }

    fn block(e: &mut Engine, id: ClientId) {
        e.clients.get_mut(&id).unwrap().blocked =
            Some(Blocked { db: 0, keys: Vec::new(), deadline_ms: None, argv: vec![b"BLPOP".to_vec()], timeout_reply: Reply::NilArray, wake_on_delete: false, postponed: false });
    }

    #[test]
    fn client_unblock_timeout_and_error() {
        let mut e = engine();
        let a = e.open_client(ClientInfo::default());
        let b = e.open_client(ClientInfo::default());
        block(&mut e, b);
        assert!(e.is_blocked(b));
        assert_eq!(e.blocked_clients(), 1);
        let id = format!("{}", b);
        assert_eq!(e.execute(a, &[b"CLIENT", b"UNBLOCK", id.as_bytes()]), Some(Reply::Int(1)));
        assert!(!e.is_blocked(b));
        assert_eq!(e.take_woken(), vec![b]);
        assert_eq!(e.pop_output(b), Some(Reply::NilArray));
        assert_eq!(e.execute(a, &[b"CLIENT", b"UNBLOCK", id.as_bytes()]), Some(Reply::Int(0)));
        block(&mut e, b);
        assert_eq!(e.execute(a, &[b"CLIENT", b"UNBLOCK", id.as_bytes(), b"ERROR"]), Some(Reply::Int(1)));
        let err = e.pop_output(b).unwrap();
        assert_eq!(err.to_resp(Protocol::Resp2), b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".to_vec());
    }

    #[test]
    fn killing_a_blocked_client_unblocks_it() {
        let mut e = engine();
        let a = e.open_client(ClientInfo::default());
        let b = e.open_client(ClientInfo { addr: "1.2.3.4:5".into(), ..Default::default() });
        block(&mut e, b);
        assert_eq!(e.execute(a, &[b"CLIENT", b"KILL", b"ADDR", b"1.2.3.4:5"]), Some(Reply::Int(1)));
        assert!(!e.is_blocked(b));
        assert!(e.should_close(b));
        assert_eq!(e.pop_output(b), None);
        let info = e.info(&[b"clients"]);
        assert!(info.contains("connected_clients:1\r\n"), "{}", info);
        assert!(info.contains("blocked_clients:0\r\n"), "{}", info);
    }

    #[test]
    fn strtod_and_atoi_prefixes() {
        assert_eq!(strtod_prefix(b"1.5"), 1.5);
        assert_eq!(strtod_prefix(b" 2abc"), 2.0);
        assert_eq!(strtod_prefix(b"x"), 0.0);
        assert_eq!(strtod_prefix(b".5e1z"), 5.0);
        assert_eq!(strtod_prefix(b"1e"), 1.0);
        assert_eq!(strtod_prefix(b"-inf"), f64::NEG_INFINITY);
        assert_eq!(atoi(b" 12x"), 12);
        assert_eq!(atoi(b"-3"), -3);
        assert_eq!(atoi(b"z"), 0);
    }
}
