//! Persistence commands: SAVE, BGSAVE, LASTSAVE, SHUTDOWN. The work is in
//! [`crate::persist`]; these parse arguments and answer as Redis 7.0 does.
//!
//! BGSAVE saves synchronously between commands (there is no fork): it
//! answers "Background saving started" as Redis does and reports a failure
//! through INFO persistence's `rdb_last_bgsave_status`, never in its reply.

use alloc::vec::Vec;

use super::flags::*;
use super::{is_kw, Args, Command, Ctx};
use crate::error::{Error, Result};
use crate::reply::Reply;

/// The persistence commands (flags, arity and ACL as Redis 7.0's COMMAND INFO).
pub const COMMANDS: &[Command] = &[
    Command {
        name: "save",
        arity: 1,
        flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Synchronously save the dataset to disk",
        since: "1.0.0",
        handler: save_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bgsave",
        arity: -1,
        flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Asynchronously save the dataset to disk",
        since: "1.0.0",
        handler: bgsave_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "lastsave",
        arity: 1,
        flags: LOADING | STALE | FAST,
        acl: "@admin @fast @dangerous",
        group: "server",
        summary: "Get the UNIX time stamp of the last successful save to disk",
        since: "1.0.0",
        handler: lastsave_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "shutdown",
        arity: -1,
        flags: ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY,
        acl: "@admin @slow @dangerous",
        group: "server",
        summary: "Synchronously save the dataset to disk and then shut down the server",
        since: "1.0.0",
        handler: shutdown_cmd,
        ..Command::DEFAULT
    },
];

fn save_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    a.finish()?;
    if cx.eng.bgsave_in_progress() {
        return Err(Error::err("Background save already in progress"));
    }
    cx.eng.save()?;
    Ok(Reply::ok())
}

fn bgsave_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if let Some(opt) = a.next() {
        if !is_kw(opt, "schedule") {
            return Err(Error::Syntax);
        }
    }
    a.finish()?;
    if cx.eng.bgsave_in_progress() {
        return Err(Error::err("Background save already in progress"));
    }
    if cx.eng.clients.get(&cx.client).is_some_and(|c| c.multi.is_some()) {
        // Never in the middle of a transaction: after it, from tick.
        cx.eng.schedule_save();
        return Ok(Reply::status("Background saving scheduled"));
    }
    // Failure shows in INFO persistence, as a failed fork child's would.
    let _ = cx.eng.bgsave();
    Ok(Reply::status("Background saving started"))
}

fn lastsave_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    a.finish()?;
    Ok(Reply::Int(cx.eng.lastsave() as i64))
}

/// Parsed `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`.
struct ShutdownArgs {
    save: Option<bool>,
    force: bool,
    abort: bool,
}

fn parse_shutdown(rest: &[&[u8]]) -> Result<ShutdownArgs> {
    let mut s = ShutdownArgs { save: None, force: false, abort: false };
    let mut now = false;
    for &o in rest {
        if is_kw(o, "nosave") {
            s.save = Some(false);
        } else if is_kw(o, "save") {
            s.save = Some(true);
        } else if is_kw(o, "now") {
            now = true;
        } else if is_kw(o, "force") {
            s.force = true;
        } else if is_kw(o, "abort") {
            s.abort = true;
        } else {
            return Err(Error::Syntax);
        }
    }
    let both = rest.iter().any(|o| is_kw(o, "nosave")) && rest.iter().any(|o| is_kw(o, "save"));
    if both || (s.abort && (s.save.is_some() || now || s.force)) {
        return Err(Error::Syntax);
    }
    Ok(s)
}

fn shutdown_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let rest: Vec<&[u8]> = a.rest().to_vec();
    let s = parse_shutdown(&rest)?;
    if s.abort {
        // Shutdown here is immediate: there is never one in progress.
        return Err(Error::err("No shutdown in progress."));
    }
    if cx.eng.shutdown_with(s.save, s.force).is_err() {
        return Err(Error::err("Errors trying to SHUTDOWN. Check logs."));
    }
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        c.close = true;
    }
    // Redis closes the connection without a reply.
    Ok(Reply::Seq(Vec::new()))
}
