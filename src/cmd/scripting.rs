//! Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL, FCALL_RO
//! and FUNCTION. The handlers parse arguments and hand over to
//! `crate::script`, which owns the Lua states, the script cache, the
//! libraries and the conversions.

use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::error::{Error, Result};
use crate::reply::Reply;
use crate::script;
use crate::script::function;

const EVAL_FLAGS: u32 = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLE_KEYS;
/// EVAL, EVALSHA and FCALL may replicate (Redis's MAY_REPLICATE, not shown
/// by COMMAND INFO); their `_RO` forms may not.
const EVAL_RW_FLAGS: u32 = EVAL_FLAGS | MAY_REPLICATE;

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "eval",
        arity: -3,
        flags: EVAL_RW_FLAGS,
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
        flags: EVAL_RW_FLAGS,
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
    Command {
        name: "fcall",
        arity: -3,
        flags: EVAL_RW_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Invoke a function",
        since: "7.0.0",
        handler: fcall_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "fcall_ro",
        arity: -3,
        flags: READONLY | EVAL_FLAGS,
        acl: "@slow @scripting",
        group: "scripting",
        summary: "Invoke a read-only function",
        since: "7.0.0",
        handler: fcall_ro_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "function",
        arity: -2,
        acl: "@slow",
        group: "scripting",
        summary: "A container for function commands",
        since: "7.0.0",
        // Redis 7.0.15's order (COMMAND INFO lists subcommands so).
        subcommands: &[
            Command {
                name: "kill",
                arity: 2,
                flags: NOSCRIPT | ALLOW_BUSY,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Kill the function currently in execution.",
                since: "7.0.0",
                handler: function_kill,
                ..Command::DEFAULT
            },
            Command {
                name: "dump",
                arity: 2,
                flags: NOSCRIPT,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Dump all functions into a serialized binary payload",
                since: "7.0.0",
                handler: function_dump,
                ..Command::DEFAULT
            },
            Command {
                name: "list",
                arity: -2,
                flags: NOSCRIPT,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "List information about all the functions",
                since: "7.0.0",
                handler: function_list,
                ..Command::DEFAULT
            },
            Command {
                name: "delete",
                arity: 3,
                flags: WRITE | NOSCRIPT,
                acl: "@write @slow @scripting",
                group: "scripting",
                summary: "Delete a function by name",
                since: "7.0.0",
                handler: function_delete,
                ..Command::DEFAULT
            },
            Command {
                name: "restore",
                arity: -3,
                flags: WRITE | DENYOOM | NOSCRIPT,
                acl: "@write @slow @scripting",
                group: "scripting",
                summary: "Restore all the functions on the given payload",
                since: "7.0.0",
                handler: function_restore,
                ..Command::DEFAULT
            },
            Command {
                name: "help",
                arity: 2,
                flags: LOADING | STALE,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Show helpful text about the different subcommands",
                since: "7.0.0",
                handler: function_help,
                ..Command::DEFAULT
            },
            Command {
                name: "flush",
                arity: -2,
                flags: WRITE | NOSCRIPT,
                acl: "@write @slow @scripting",
                group: "scripting",
                summary: "Deleting all functions",
                since: "7.0.0",
                handler: function_flush,
                ..Command::DEFAULT
            },
            Command {
                name: "stats",
                arity: 2,
                flags: NOSCRIPT | ALLOW_BUSY,
                acl: "@slow @scripting",
                group: "scripting",
                summary: "Return information about the function currently running (name, description, duration)",
                since: "7.0.0",
                handler: function_stats,
                ..Command::DEFAULT
            },
            Command {
                name: "load",
                arity: -3,
                flags: WRITE | DENYOOM | NOSCRIPT,
                acl: "@write @slow @scripting",
                group: "scripting",
                summary: "Create a function with the given arguments (name, code, description)",
                since: "7.0.0",
                handler: function_load,
                ..Command::DEFAULT
            },
        ],
        ..Command::DEFAULT
    },
];

/// FCALL function numkeys [key ...] [arg ...]
fn fcall_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    function::fcall(cx, a.argv(), false)
}

/// FCALL_RO function numkeys [key ...] [arg ...]
fn fcall_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    function::fcall(cx, a.argv(), true)
}

/// FUNCTION KILL: stops the busy function (unless it has written).
fn function_kill(cx: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    cx.eng.script_kill(false)
}

/// FUNCTION DUMP
fn function_dump(cx: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Bulk(function::dump(cx.eng)))
}

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
fn function_list(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (mut with_code, mut pattern) = (false, None);
    while let Some(arg) = a.next() {
        if !with_code && arg.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
            continue;
        }
        if pattern.is_none() && arg.eq_ignore_ascii_case(b"libraryname") {
            match a.next() {
                Some(p) => pattern = Some(p),
                None => return Err(Error::err("library name argument was not given")),
            }
            continue;
        }
        let mut m = b"ERR Unknown argument ".to_vec();
        m.extend_from_slice(arg);
        return Err(Error::msg(m));
    }
    Ok(function::list(cx.eng, pattern, with_code))
}

/// FUNCTION DELETE library-name
fn function_delete(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    function::delete(cx.eng, a.req()?)?;
    cx.eng.dirty += 1;
    Ok(Reply::ok())
}

/// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
fn function_restore(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 2 {
        return Err(subcommand_syntax(a.argv()[1]));
    }
    let data = a.req()?;
    let policy = a.next().unwrap_or(b"append");
    function::restore(cx.eng, data, policy)?;
    cx.eng.dirty += 1;
    Ok(Reply::ok())
}

/// Redis's `addReplySubcommandSyntaxError` for FUNCTION (the subcommand
/// as typed).
fn subcommand_syntax(sub: &[u8]) -> Error {
    let mut m = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    m.extend_from_slice(sub);
    m.extend_from_slice(b"'. Try FUNCTION HELP.");
    Error::msg(m)
}

/// FUNCTION HELP
fn function_help(_: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    const LINES: &[&str] = &[
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    ];
    Ok(Reply::Array(LINES.iter().map(|l| Reply::status(l)).collect()))
}

/// FUNCTION FLUSH [ASYNC|SYNC]
fn function_flush(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 1 {
        return Err(subcommand_syntax(a.argv()[1]));
    }
    match a.next() {
        None => {}
        Some(m) if m.eq_ignore_ascii_case(b"sync") || m.eq_ignore_ascii_case(b"async") => {}
        Some(_) => return Err(Error::err("FUNCTION FLUSH only supports SYNC|ASYNC option")),
    }
    function::flush(cx.eng);
    cx.eng.dirty += 1;
    Ok(Reply::ok())
}

/// FUNCTION STATS
fn function_stats(cx: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    function::stats(cx.eng)
}

/// FUNCTION LOAD [REPLACE] function-code
fn function_load(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let mut replace = false;
    let mut pos = a.pos();
    while pos < argv.len() - 1 {
        let arg = argv[pos];
        pos += 1;
        if arg.eq_ignore_ascii_case(b"replace") {
            replace = true;
            continue;
        }
        let mut m = b"ERR Unknown option given: ".to_vec();
        m.extend_from_slice(arg);
        return Err(Error::msg(m));
    }
    let Some(code) = argv.get(pos) else { return Err(Error::err("Function code is missing")) };
    // A journal replay is never timed out (Redis: mustObeyClient).
    let timeout = !cx.eng.replaying();
    let name = function::load(cx.eng, code, replace, timeout)?;
    cx.eng.dirty += 1;
    Ok(Reply::Bulk(name))
}

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

/// SCRIPT KILL: stops the busy EVAL script (unless it has written).
fn script_kill(cx: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    cx.eng.script_kill(true)
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
