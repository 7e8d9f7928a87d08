//! ACL, as Redis 7.0.15 answers it: SETUSER, GETUSER, DELUSER, LIST,
//! USERS, WHOAMI, CAT, GENPASS, LOG, DRYRUN, LOAD, SAVE and HELP. The users
//! and their rules live in [`crate::acl`]; the engine checks every command
//! against the caller's user before it runs.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::flags::*;
use super::keys::help_reply;
use super::{Args, Command, Ctx};
use crate::acl::{self, Context, Denied, Reason};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::reply::Reply;
use crate::ClientId;

/// ACL.
pub const COMMANDS: &[Command] = &[Command {
    name: "acl",
    arity: -2,
    acl: "@slow",
    group: "server",
    summary: "A container for Access List Control commands ",
    since: "6.0.0",
    subcommands: SUBCOMMANDS,
    ..Command::DEFAULT
}];

const ADMIN: u32 = super::flags::ADMIN | NOSCRIPT | LOADING | STALE;
const PLAIN: u32 = NOSCRIPT | LOADING | STALE;
const ADMIN_ACL: &str = "@admin @slow @dangerous";

macro_rules! sub {
    ($name:literal, $arity:expr, $flags:expr, $acl:expr, $since:literal, $summary:literal, $h:ident) => {
        Command { name: $name, arity: $arity, flags: $flags, acl: $acl, group: "server", summary: $summary, since: $since, handler: $h, ..Command::DEFAULT }
    };
}

const SUBCOMMANDS: &[Command] = &[
    sub!("cat", -2, PLAIN, "@slow", "6.0.0", "List the ACL categories or the commands inside a category", cat_cmd),
    sub!("deluser", -3, ADMIN, ADMIN_ACL, "6.0.0", "Remove the specified ACL users and the associated rules", deluser_cmd),
    sub!("dryrun", -4, ADMIN, ADMIN_ACL, "7.0.0", "Returns whether the user can execute the given command without executing the command.", dryrun_cmd),
    sub!("genpass", -2, PLAIN, "@slow", "6.0.0", "Generate a pseudorandom secure password to use for ACL users", genpass_cmd),
    sub!("getuser", 3, ADMIN, ADMIN_ACL, "6.0.0", "Get the rules for a specific ACL user", getuser_cmd),
    sub!("help", 2, LOADING | STALE, "@slow", "6.0.0", "Show helpful text about the different subcommands", help_cmd),
    sub!("list", 2, ADMIN, ADMIN_ACL, "6.0.0", "List the current ACL rules in ACL config file format", list_cmd),
    sub!("load", 2, ADMIN, ADMIN_ACL, "6.0.0", "Reload the ACLs from the configured ACL file", load_cmd),
    sub!("log", -2, ADMIN, ADMIN_ACL, "6.0.0", "List latest events denied because of ACLs in place", log_cmd),
    sub!("save", 2, ADMIN, ADMIN_ACL, "6.0.0", "Save the current ACL rules in the configured ACL file", save_cmd),
    sub!("setuser", -3, ADMIN, ADMIN_ACL, "6.0.0", "Modify or create the rules for a specific ACL user", setuser_cmd),
    sub!("users", 2, ADMIN, ADMIN_ACL, "6.0.0", "List the username of all the configured ACL rules", users_cmd),
    sub!("whoami", 2, PLAIN, "@slow", "6.0.0", "Return the name of the user associated to the current connection", whoami_cmd),
];

const HELP: &[&str] = &[
    "CAT [<category>]",
    "    List all commands that belong to <category>, or all command categories",
    "    when no category is specified.",
    "DELUSER <username> [<username> ...]",
    "    Delete a list of users.",
    "DRYRUN <username> <command> [<arg> ...]",
    "    Returns whether the user can execute the given command without executing the command.",
    "GETUSER <username>",
    "    Get the user's details.",
    "GENPASS [<bits>]",
    "    Generate a secure 256-bit user password. The optional `bits` argument can",
    "    be used to specify a different size.",
    "LIST",
    "    Show users details in config file format.",
    "LOAD",
    "    Reload users from the ACL file.",
    "LOG [<count> | RESET]",
    "    Show the ACL log entries.",
    "SAVE",
    "    Save the current config to the ACL file.",
    "SETUSER <username> <attribute> [<attribute> ...]",
    "    Create or modify a user with the specified attributes.",
    "USERS",
    "    List all the registered usernames.",
    "WHOAMI",
    "    Return the current connection username.",
];

fn help_cmd(_cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(help_reply(b"ACL", HELP))
}

fn text(s: String) -> Reply {
    Reply::Bulk(s.into_bytes())
}

fn setuser_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.req()?;
    if name.iter().any(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0)) {
        return Err(Error::err("Usernames can't contain spaces or null characters"));
    }
    let ops = a.rest();
    let pubsub_all = cx.eng.config.get_param("acl-pubsub-default").is_some_and(|v| v == "allchannels");
    match cx.eng.acl.set_user(name, ops, pubsub_all) {
        Ok((id, Some(old))) => {
            cx.eng.acl_kill_pubsub_if_needed(id, &old);
            cx.eng.acl_changed();
            Ok(Reply::ok())
        }
        Ok((_, None)) => {
            cx.eng.acl_changed();
            Ok(Reply::ok())
        }
        // Redis's addReplyErrorSdsSafe: newlines become spaces.
        Err(e) => Err(Error::err(&e.replace(['\r', '\n'], " "))),
    }
}

fn deluser_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let names = a.rest();
    if names.iter().any(|n| *n == b"default") {
        return Err(Error::err("The 'default' user cannot be removed"));
    }
    let mut deleted = 0;
    for n in names {
        if let Some(id) = cx.eng.acl.delete(n) {
            cx.eng.acl_kill_user_clients(id, cx.client);
            deleted += 1;
        }
    }
    cx.eng.acl_changed();
    Ok(Reply::Int(deleted))
}

fn getuser_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.req()?;
    let Some(id) = cx.eng.acl.find(name) else { return Ok(Reply::Nil) };
    let cat = &cx.eng.acl.catalog;
    let u = cx.eng.acl.user(id);
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let mut sels = u.selector_descriptions(cat).into_iter();
    let mut fields = Vec::with_capacity(7);
    fields.push((b("flags"), Reply::Set(u.flag_names().into_iter().map(b).collect())));
    fields.push((b("passwords"), Reply::Array(u.password_hashes().iter().map(|p| b(p)).collect())));
    if let Some((cmds, keys, chans)) = sels.next() {
        fields.push((b("commands"), text(cmds)));
        fields.push((b("keys"), text(keys)));
        fields.push((b("channels"), text(chans)));
    }
    let rest = sels.map(|(cmds, keys, chans)| Reply::Map(alloc::vec![(b("commands"), text(cmds)), (b("keys"), text(keys)), (b("channels"), text(chans))])).collect();
    fields.push((b("selectors"), Reply::Array(rest)));
    Ok(Reply::Map(fields))
}

fn list_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(cx.eng.acl_lines().into_iter().map(text).collect()))
}

fn users_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(cx.eng.acl.sorted().into_iter().map(|(_, u)| Reply::bulk(&u.name)).collect()))
}

fn whoami_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let id = cx.eng.clients.get(&cx.client).map_or(acl::DEFAULT_USER, |c| c.user);
    Ok(Reply::bulk(&cx.eng.acl.user(id).name))
}

fn no_acl_file() -> Error {
    Error::err("This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.")
}

fn load_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    if cx.eng.config.get_param("aclfile").unwrap_or_default().is_empty() {
        return Err(no_acl_file());
    }
    let caller = cx.client;
    cx.eng.acl_load(Some(caller)).map_err(|e| Error::err(&e))?;
    Ok(Reply::ok())
}

fn save_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    if cx.eng.config.get_param("aclfile").unwrap_or_default().is_empty() {
        return Err(no_acl_file());
    }
    cx.eng.acl_save().map_err(|_| Error::err("There was an error trying to save the ACLs. Please check the server logs for more information"))?;
    Ok(Reply::ok())
}

fn cat_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    match a.remaining() {
        0 => Ok(Reply::Array(acl::CATEGORIES.iter().map(|c| Reply::bulk(c.as_bytes())).collect())),
        1 => {
            let name = a.req()?;
            let mask = acl::CATEGORIES.iter().position(|c| name.eq_ignore_ascii_case(c.as_bytes())).map(|i| 1u32 << i);
            let Some(mask) = mask else {
                let shown = &name[..name.len().min(128)];
                return Err(Error::err(&format!("Unknown category '{}'", String::from_utf8_lossy(shown))));
            };
            Ok(Reply::Array(cx.eng.acl.catalog.in_category(mask).into_iter().map(|n| Reply::bulk(n.as_bytes())).collect()))
        }
        _ => Err(super::server::subcommand_syntax("ACL", a.argv()[1])),
    }
}

fn genpass_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let bits = match a.remaining() {
        0 => 256,
        1 => num::parse_i64(a.req()?).ok_or(Error::NotInteger)?,
        _ => return Err(super::server::subcommand_syntax("ACL", a.argv()[1])),
    };
    if !(1..=4096).contains(&bits) {
        return Err(Error::err("ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096"));
    }
    let chars = (bits as usize).div_ceil(4);
    let rng = cx.rng();
    let mut out = Vec::with_capacity(chars);
    while out.len() < chars {
        let mut r = rng.next_u64();
        for _ in 0..16 {
            if out.len() == chars {
                break;
            }
            out.push(b"0123456789abcdef"[(r & 15) as usize]);
            r >>= 4;
        }
    }
    Ok(Reply::Bulk(out))
}

fn log_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mut count = 10i64;
    match a.remaining() {
        0 => {}
        1 => {
            let arg = a.req()?;
            if super::is_kw(arg, "reset") {
                cx.eng.acl.log.clear();
                return Ok(Reply::ok());
            }
            count = num::parse_i64(arg).ok_or(Error::NotInteger)?.max(0);
        }
        _ => return Err(super::server::subcommand_syntax("ACL", a.argv()[1])),
    }
    let now = cx.now;
    let b = |s: &str| Reply::bulk(s.as_bytes());
    let entries = cx.eng.acl.log.iter().take(count as usize).map(|e| {
        let reason = match e.reason {
            Reason::Command => "command",
            Reason::Key => "key",
            Reason::Channel => "channel",
            Reason::Auth => "auth",
        };
        let context = match e.context {
            Context::Toplevel => "toplevel",
            Context::Multi => "multi",
            Context::Lua => "lua",
        };
        Reply::Map(alloc::vec![
            (b("count"), Reply::Int(e.count as i64)),
            (b("reason"), b(reason)),
            (b("context"), b(context)),
            (b("object"), Reply::bulk(&e.object)),
            (b("username"), Reply::bulk(&e.username)),
            (b("age-seconds"), Reply::Double(now.wrapping_sub(e.ctime) as i64 as f64 / 1000.0)),
            (b("client-info"), Reply::Bulk(e.cinfo.clone().into_bytes())),
        ])
    });
    Ok(Reply::Array(entries.collect()))
}

fn dryrun_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.req()?;
    let argv = a.rest();
    let Some(user) = cx.eng.acl.find(name) else {
        return Err(Error::err(&format!("User '{}' not found", String::from_utf8_lossy(name))));
    };
    let (cmd, stat, pos) = match cx.eng.table.resolve(argv) {
        Ok(x) => x,
        Err(_) => return Err(Error::err(&format!("Command '{}' not found", String::from_utf8_lossy(argv[0])))),
    };
    let argc = argv.len() as i32;
    if (cmd.arity > 0 && cmd.arity != argc) || argc < -cmd.arity {
        return Err(Error::err(&format!("wrong number of arguments for '{}' command", cx.eng.table.full_names[stat])));
    }
    match cx.eng.acl_check(user, cmd, stat, pos, argv) {
        Ok(()) => Ok(Reply::ok()),
        Err(d) => {
            let msg = match d {
                Denied::Command => format!("This user has no permissions to run the '{}' command", cx.eng.table.full_names[stat]),
                Denied::Key(i) => format!("This user has no permissions to access the '{}' key", String::from_utf8_lossy(argv[i])),
                Denied::Channel(i) => format!("This user has no permissions to access the '{}' channel", String::from_utf8_lossy(argv[i])),
            };
            Ok(text(msg))
        }
    }
}

/// The storage blob holding the users when `aclfile` is set (the file
/// `aclfile` names, for hosts that map blobs to files; `redlet serve` does).
pub const ACL_BLOB: &str = "acl";

/// The NOPERM error Redis's processCommand sends for a refusal.
pub(crate) fn noperm(d: Denied, full_name: &str) -> Error {
    Error::msg(match d {
        Denied::Command => format!("NOPERM this user has no permissions to run the '{full_name}' command"),
        Denied::Key(_) => String::from("NOPERM this user has no permissions to access one of the keys used as arguments"),
        Denied::Channel(_) => String::from("NOPERM this user has no permissions to access one of the channels used as arguments"),
    })
}

/// Redis's `getAclErrorMessage` (scripts' refusals).
#[cfg_attr(not(feature = "scripting"), allow(dead_code))]
pub(crate) fn denial_text(d: Denied) -> &'static str {
    match d {
        Denied::Command => "can't run this command or subcommand",
        Denied::Key(_) => "can't access at least one of the keys mentioned in the command arguments",
        Denied::Channel(_) => "can't publish to the channel mentioned in the command",
    }
}

impl Engine {
    /// Whether ACL user `user` may run `cmd` (stat index `stat`; `pos` 2
    /// for a subcommand) with `argv`.
    pub(crate) fn acl_check(&self, user: u32, cmd: &'static Command, stat: usize, pos: usize, argv: &[&[u8]]) -> core::result::Result<(), Denied> {
        let u = self.acl.user(user);
        if u.is_open() {
            return Ok(());
        }
        let keys = || super::server::command_keys_with_flags(&self.table, cmd, argv);
        let q = acl::Query {
            id: stat as u32,
            is_sub: pos == 2,
            no_auth: cmd.has(NO_AUTH),
            argv,
            keys: &keys,
            channels: acl::channel_args(&self.table.full_names[stat]),
        };
        u.check(&q)
    }

    /// Records a refusal in ACL LOG for client `id`.
    pub(crate) fn acl_log(&mut self, id: ClientId, reason: Reason, context: Context, object: &[u8], username: Option<&[u8]>) {
        let user = self.clients.get(&id).map_or(acl::DEFAULT_USER, |c| c.user);
        let username = username.map_or_else(|| self.acl.user(user).name.clone(), <[u8]>::to_vec);
        let cinfo = self.client_info_line(id).unwrap_or_default();
        let max = self.config.get_param("acllog-max-len").and_then(|v| v.parse::<usize>().ok()).unwrap_or(128);
        let ctime = self.now_ms();
        self.acl.log_refusal(acl::LogEntry { count: 1, reason, context, object: object.to_vec(), username, ctime, cinfo }, max);
    }

    /// The refusal of a command (processCommand's ACL gate): logged, and
    /// the NOPERM error to answer.
    pub(crate) fn acl_refuse(&mut self, id: ClientId, d: Denied, stat: usize, argv: &[&[u8]], context: Context) -> Error {
        let full = self.table.full_names[stat].clone();
        let (reason, object) = match d {
            Denied::Command => (Reason::Command, full.as_bytes()),
            Denied::Key(i) => (Reason::Key, argv[i]),
            Denied::Channel(i) => (Reason::Channel, argv[i]),
        };
        self.acl_log(id, reason, context, object, None);
        noperm(d, &full)
    }

    /// Authenticates client `id` as `user` with `pass` (Redis's
    /// `ACLAuthenticateUser`); a failure is logged with `object` (the
    /// command name as sent) and answers WRONGPASS.
    pub(crate) fn acl_authenticate(&mut self, id: ClientId, user: &[u8], pass: &[u8], object: &[u8]) -> Result<()> {
        match self.acl.authenticate(user, pass) {
            Some(uid) => {
                if let Some(c) = self.clients.get_mut(&id) {
                    c.authenticated = true;
                    c.user = uid;
                }
                Ok(())
            }
            None => {
                let ctx = if self.clients.get(&id).is_some_and(|c| c.multi.is_some()) { Context::Multi } else { Context::Toplevel };
                self.acl_log(id, Reason::Auth, ctx, object, Some(user));
                Err(Error::msg(acl::WRONGPASS))
            }
        }
    }

    /// After users changed: whether new connections must authenticate.
    pub(crate) fn acl_changed(&mut self) {
        self.auth_required = self.acl.auth_required();
    }

    /// ACL LIST's lines, `user <name> <rules>`, in name order.
    pub(crate) fn acl_lines(&self) -> Vec<String> {
        self.acl.sorted().into_iter().map(|(_, u)| format!("user {} {}", String::from_utf8_lossy(&u.name), u.describe(&self.acl.catalog))).collect()
    }

    /// Closes the connections of deleted user `user` (Redis's
    /// `ACLFreeUserAndKillClients`): they fall back to the default user,
    /// unauthenticated, and close (`caller` after its reply).
    pub(crate) fn acl_kill_user_clients(&mut self, user: u32, caller: ClientId) {
        self.acl_close_clients(|u| u == user, Some(caller));
    }

    /// Closes the clients whose user `which` picks: they fall back to the
    /// default user, unauthenticated, and close (`caller`, if it is one of
    /// them, after its reply).
    fn acl_close_clients(&mut self, which: impl Fn(u32) -> bool, caller: Option<ClientId>) {
        let ids: Vec<ClientId> = self.clients.iter().filter(|(_, c)| which(c.user)).map(|(&id, _)| id).collect();
        for id in ids {
            if let Some(c) = self.clients.get_mut(&id) {
                c.user = acl::DEFAULT_USER;
                c.authenticated = false;
            }
            let f = super::server::KillFilter { id: Some(id), skip_me: false, ..Default::default() };
            self.client_kill(caller.unwrap_or(id), &f);
        }
    }

    /// After user `user`'s rules changed from `old`: its subscribed
    /// clients whose channels the new rules no longer allow are closed
    /// (Redis's `ACLKillPubsubClientsIfNeeded`).
    pub(crate) fn acl_kill_pubsub_if_needed(&mut self, user: u32, old: &acl::User) {
        let new = self.acl.user(user).clone();
        if acl::Acl::channels_superset(&new, old) {
            return;
        }
        let ids: Vec<ClientId> = self.clients.iter().filter(|(_, c)| c.user == user && c.subs.is_some()).map(|(&id, _)| id).collect();
        for id in ids {
            use crate::pubsub::Kind;
            let Some(subs) = self.clients.get(&id).and_then(|c| c.subs.as_deref()) else { continue };
            let kill = subs.names(Kind::Pattern).any(|p| !acl::Acl::still_allows_channel(&new, p, true))
                || subs.names(Kind::Channel).chain(subs.names(Kind::Shard)).any(|c| !acl::Acl::still_allows_channel(&new, c, false));
            if kill {
                let f = super::server::KillFilter { id: Some(id), skip_me: false, ..Default::default() };
                self.client_kill(id, &f);
            }
        }
    }

    /// ACL LOAD (and the load at start): replaces every user with the
    /// `aclfile` blob's, all or nothing. Connections of users other than
    /// `default` are closed, as Redis frees the old users with their
    /// clients. `caller` (if any) closes after its reply.
    pub(crate) fn acl_load(&mut self, caller: Option<ClientId>) -> core::result::Result<(), String> {
        let name = self.config.get_param("aclfile").unwrap_or_default();
        let text = self.read_blob(ACL_BLOB).map_err(|why| format!("Error loading ACLs, opening file '{name}': {why}"))?;
        let pubsub_all = self.config.get_param("acl-pubsub-default").is_some_and(|v| v == "allchannels");
        let users = self.acl.parse_file(&text, &name, pubsub_all)?;
        self.acl.replace_users(users);
        self.acl_close_clients(|u| u != acl::DEFAULT_USER, caller);
        self.acl_changed();
        Ok(())
    }

    /// ACL SAVE: writes every user to the `aclfile` blob (staged, then
    /// committed in place of the old one). The error is the storage's.
    fn acl_save(&mut self) -> core::result::Result<(), String> {
        let text = self.acl.file_text();
        self.write_blob(ACL_BLOB, &text)
    }
}
