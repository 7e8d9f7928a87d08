//! Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. The handlers
//! parse arguments and hand over to [`crate::script`], which owns the Lua
//! state, the script cache and the conversions.

use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::error::{Error, Result};
use crate::reply::Reply;
use crate::script;

const EVAL_FLAGS: u32 = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLE_KEYS;

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "eval",
        arity: -3,
        flags: EVAL_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Execute a Lua script server side",
        since: "2.6.0",
        handler: eval_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "evalsha",
        arity: -3,
        flags: EVAL_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Execute a Lua script server side",
        since: "2.6.0",
        handler: evalsha_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "eval_ro",
        arity: -3,
        flags: READONLY | EVAL_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Execute a read-only Lua script server side",
        since: "7.0.0",
        handler: eval_ro_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "evalsha_ro",
        arity: -3,
        flags: READONLY | EVAL_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Execute a read-only Lua script server side",
        since: "7.0.0",
        handler: evalsha_ro_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "script",
        arity: -2,
        acl: "@slow",
        group: "scripting",
        summary: "A container for Lua scripts management commands",
        since: "2.6.0",
        subcommands: &[
            Command {
                name: "help",
                arity: 2,
                flags: LOADING | STALE,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Show helpful text about the different subcommands",
                since: "5.0.0",
                handler: script_help,
                ..Command::DEFAULT
            },
            Command {
                name: "kill",
                arity: 2,
                flags: NOSCRIPT | ALLOW_BUSY,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Kill the script currently in execution.",
                since: "2.6.0",
                handler: script_kill,
                ..Command::DEFAULT
            },
            Command {
                name: "load",
                arity: 3,
                flags: NOSCRIPT | STALE,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Load the specified Lua script into the script cache.",
                since: "2.6.0",
                handler: script_load,
                ..Command::DEFAULT
            },
            Command {
                name: "debug",
                arity: 3,
                flags: NOSCRIPT,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Set the debug mode for executed scripts.",
                since: "3.2.0",
                handler: script_debug,
                ..Command::DEFAULT
            },
            Command {
                name: "exists",
                arity: -3,
                flags: NOSCRIPT,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Check existence of scripts in the script cache.",
                since: "2.6.0",
                handler: script_exists,
                ..Command::DEFAULT
            },
            Command {
                name: "flush",
                arity: -2,
                flags: NOSCRIPT,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Remove all the scripts from the script cache.",
                since: "2.6.0",
                handler: script_flush,
                ..Command::DEFAULT
            },
        ],
        ..Command::DEFAULT
    },
];

/// EVAL script numkeys [key ...] [arg ...]
fn eval_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    script::eval(cx, a.argv(), false, false)
}

/// EVALSHA sha1 numkeys [key ...] [arg ...]
fn evalsha_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    script::eval(cx, a.argv(), true, false)
}

/// EVAL_RO script numkeys [key ...] [arg ...]
fn eval_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    script::eval(cx, a.argv(), false, true)
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
fn evalsha_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    script::eval(cx, a.argv(), true, true)
}

/// SCRIPT HELP
fn script_help(_: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    const LINES: &[&str] = &[
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    ];
    Ok(Reply::Array(LINES.iter().map(|l| Reply::status(l)).collect()))
}

/// SCRIPT KILL: scripts run to completion inside one command here, so no
/// script is ever running when another client's command arrives.
fn script_kill(_: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    Err(Error::msg("NOTBUSY No scripts in execution right now."))
}

/// SCRIPT LOAD script
fn script_load(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let body = a.req()?;
    let sha = script::load(cx.eng, body)?;
    Ok(Reply::Bulk(sha.to_vec()))
}

/// SCRIPT DEBUG YES|SYNC|NO: the Lua debugger is not available; NO is
/// accepted (it is the state we are always in).
fn script_debug(_: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mode = a.req()?;
    if mode.eq_ignore_ascii_case(b"no") {
        Ok(Reply::ok())
    } else if mode.eq_ignore_ascii_case(b"yes") || mode.eq_ignore_ascii_case(b"sync") {
        Err(Error::err("the Lua debugger (SCRIPT DEBUG) is not supported by redlet"))
    } else {
        Err(Error::err("Use SCRIPT DEBUG YES/SYNC/NO"))
    }
}

/// SCRIPT EXISTS sha1 [sha1 ...]
fn script_exists(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let shas = a.rest();
    Ok(Reply::Array(shas.iter().map(|s| Reply::Int(script::exists(cx.eng, s) as i64)).collect()))
}

/// SCRIPT FLUSH [ASYNC|SYNC]
fn script_flush(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    match a.next() {
        None => {}
        Some(m) if a.is_empty() && (m.eq_ignore_ascii_case(b"sync") || m.eq_ignore_ascii_case(b"async")) => {}
        Some(_) => return Err(Error::err("SCRIPT FLUSH only support SYNC|ASYNC option")),
    }
    script::flush(cx.eng);
    Ok(Reply::ok())
}
