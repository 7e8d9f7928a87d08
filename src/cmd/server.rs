//! Server and connection commands.

use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::error::Result;
use crate::reply::Reply;

/// This family's command table.
pub const COMMANDS: &[Command] = &[Command {
    name: "ping",
    arity: -1,
    flags: FAST | STALE,
    acl: "@fast @connection",
    group: "connection",
    summary: "Ping the server",
    handler: ping_cmd,
    ..Command::DEFAULT
}];

fn ping_cmd(_cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    if a.remaining() > 1 {
        return Err(crate::error::Error::WrongArity("ping".into()));
    }
    Ok(match a.next() {
        Some(m) => Reply::bulk(m),
        None => Reply::status("PONG"),
    })
}
