//! Plugins confined to an ACL user (issue 13): `RedletCtx::with_user` makes
//! every call a plugin makes run as that user. The security test calls the
//! host functions as a plugin's calls arrive at them (`call`, typed
//! functions, `resp`, wasi:keyvalue, the database's `save`/`shutdown`,
//! `connect-as`), then runs the plugin example confined to its own key
//! prefixes. Error texts are redis-server 7.0.15's (host/tests/acl.rs
//! compares the same session with a real one byte for byte).

mod plugin_support;

use plugin_support::plugin_bindings::PluginExample;
use plugin_support::NativeState;
use redlet::Reply;
use redlet_wasmtime::bindings::plugin::redlet::engine::engine::{HostConnection, HostDatabase, Options, Outcome, SetCondition, SetExpiry, SetOptions};
use redlet_wasmtime::bindings::plugin::redlet::engine::types::{Error, Frame};
use redlet_wasmtime::bindings::plugin::wasi::keyvalue::store::{Error as KvError, Host as KvHost, HostBucket};
use redlet_wasmtime::plugin::{BucketRes, ConnRes, DbRes, RedletCtx, RedletHost};
use wasmtime::component::{Component, Resource};
use wasmtime::{Engine, Store};

/// `assert_eq!` through `Debug`: the generated WIT types have no
/// `PartialEq`. Both sides have one type, so the expected side's is inferred.
macro_rules! same {
    ($a:expr, $b:expr $(, $($m:tt)*)?) => {
        same_debug(&$a, &$b, String::new() $(+ &format!($($m)*))?)
    };
}

fn same_debug<T: std::fmt::Debug>(a: &T, b: &T, msg: String) {
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{msg}");
}

const APP: &[&[u8]] = &[b"on", b">pw", b"~a:*", b"&a:*", b"+@all", b"-@admin", b"-@dangerous", b"-scan", b"-randomkey"];
const NOPERM_KEY: &str = "NOPERM this user has no permissions to access one of the keys used as arguments";
const NOPERM_CHANNEL: &str = "NOPERM this user has no permissions to access one of the channels used as arguments";
const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

fn noperm(cmd: &str) -> String {
    format!("NOPERM this user has no permissions to run the '{cmd}' command")
}

/// The host's set-up: user `app`, a key it must not reach, `default` locked.
fn host() -> RedletHost {
    let host = RedletHost::in_memory();
    let mut setuser: Vec<&[u8]> = vec![b"ACL", b"SETUSER", b"app"];
    setuser.extend_from_slice(APP);
    for argv in [setuser, vec![b"SET", b"b:1", b"secret"], vec![b"CONFIG", b"SET", b"requirepass", b"adminpw"]] {
        same!(host.command("default", &argv).expect("command"), Reply::Status("OK".into()));
    }
    host
}

/// A borrow of an owned handle, as the guest passes `borrow<...>`.
fn borrow<T: 'static>(r: &Resource<T>) -> Resource<T> {
    Resource::new_borrow(r.rep())
}

fn open(ctx: &mut RedletCtx) -> Resource<DbRes> {
    HostDatabase::open(ctx, Options { config: Vec::new(), storage: Some("default".into()), seed: None }).expect("open")
}

/// `call` as a plugin makes it: the first frame (the whole reply for the
/// commands used here).
fn call(ctx: &mut RedletCtx, c: &Resource<ConnRes>, args: &[&str]) -> Frame {
    match HostConnection::call(ctx, borrow(c), args.iter().map(|a| a.as_bytes().to_vec()).collect()) {
        Outcome::Done(mut f) if !f.is_empty() => f.remove(0),
        other => panic!("{args:?}: {other:?}"),
    }
}

fn err(t: &str) -> Frame {
    Frame::Error(t.into())
}

fn reply_err(t: &str) -> Error {
    Error::Reply(t.into())
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

#[test]
fn a_confined_plugin_reaches_its_keys_channels_and_commands_only() {
    let host = host();
    let mut ctx = RedletCtx::with_user(host.clone(), "app");
    same!(ctx.user(), Some(&b"app"[..]));
    let db = open(&mut ctx);
    let c = HostDatabase::connect(&mut ctx, borrow(&db), "plugin".into()).expect("connect");

    // call
    same!(call(&mut ctx, &c, &["ACL", "WHOAMI"]), Frame::Bulk(b("app")));
    same!(call(&mut ctx, &c, &["SET", "a:1", "x"]), Frame::Simple("OK".into()));
    for cmd in [&["GET", "b:1"][..], &["SET", "b:1", "x"], &["DEL", "b:1"], &["EVAL", "return redis.call('get',KEYS[1])", "1", "b:1"]] {
        same!(call(&mut ctx, &c, cmd), err(NOPERM_KEY), "{cmd:?}");
    }
    same!(call(&mut ctx, &c, &["PUBLISH", "b:chan", "x"]), err(NOPERM_CHANNEL));
    same!(call(&mut ctx, &c, &["SUBSCRIBE", "b:chan"]), err(NOPERM_CHANNEL));
    for (cmd, name) in [(&["ACL", "SETUSER", "app", "~*"][..], "acl|setuser"), (&["CONFIG", "SET", "requirepass", ""], "config|set"), (&["KEYS", "*"], "keys"), (&["SCAN", "0"], "scan"), (&["FLUSHALL"], "flushall")] {
        same!(call(&mut ctx, &c, cmd), err(&noperm(name)), "{cmd:?}");
    }
    // DEBUG: a plugin is no local connection, so `enable-debug-command
    // local` refuses it before its ACL rules are looked at (Redis's order).
    same!(
        call(&mut ctx, &c, &["DEBUG", "SLEEP", "0"]),
        err("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.")
    );
    match call(&mut ctx, &c, &["EVAL", "return redis.call('get','b:1')", "0"]) {
        Frame::Error(e) => assert!(e.starts_with("ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script: "), "{e}"),
        other => panic!("{other:?}"),
    }

    // Typed functions stand for their commands.
    let always = || SetOptions { condition: SetCondition::Always, expiry: SetExpiry::None };
    same!(HostConnection::get(&mut ctx, borrow(&c), b("a:1")), Ok::<_, Error>(Some(b("x"))));
    same!(HostConnection::get(&mut ctx, borrow(&c), b("b:1")), Err(reply_err(NOPERM_KEY)));
    same!(HostConnection::set(&mut ctx, borrow(&c), b("b:1"), b("x"), always()), Err(reply_err(NOPERM_KEY)));
    same!(HostConnection::del(&mut ctx, borrow(&c), vec![b("a:1"), b("b:1")]), Err(reply_err(NOPERM_KEY)));
    same!(HostConnection::zincrby(&mut ctx, borrow(&c), b("b:z"), 1.0, b("m")), Err(reply_err(NOPERM_KEY)));
    same!(HostConnection::publish(&mut ctx, borrow(&c), b("b:chan"), b("x")), Err(reply_err(NOPERM_CHANNEL)));
    same!(HostConnection::publish(&mut ctx, borrow(&c), b("a:chan"), b("x")), Ok(0));

    // RESP bytes.
    let r = HostConnection::resp(&mut ctx, borrow(&c), b"*2\r\n$3\r\nGET\r\n$3\r\nb:1\r\n".to_vec(), 0);
    same!(String::from_utf8_lossy(&r.output).into_owned(), format!("-{NOPERM_KEY}\r\n"));

    // wasi:keyvalue: bucket "" is keyspace 0 of the same database.
    let bucket: Resource<BucketRes> = KvHost::open(&mut ctx, String::new()).expect("bucket");
    same!(HostBucket::get(&mut ctx, borrow(&bucket), "a:1".into()), Ok(Some(b("x"))));
    same!(HostBucket::get(&mut ctx, borrow(&bucket), "b:1".into()), Err(KvError::Other(NOPERM_KEY.into())));
    same!(HostBucket::set(&mut ctx, borrow(&bucket), "b:1".into(), b("x")), Err(KvError::Other(NOPERM_KEY.into())));
    same!(HostBucket::delete(&mut ctx, borrow(&bucket), "b:1".into()), Err(KvError::Other(NOPERM_KEY.into())));
    // SCAN is not filtered by key patterns in Redis 7.0: not granted, no listing.
    same!(HostBucket::list_keys(&mut ctx, borrow(&bucket), None).map(|r| r.keys), Err(KvError::Other(noperm("scan"))));
    use redlet_wasmtime::bindings::plugin::wasi::keyvalue::{atomics::Host as _, batch::Host as _};
    same!(ctx.increment(borrow(&bucket), "b:n".into(), 1), Err(KvError::Other(NOPERM_KEY.into())));
    same!(ctx.get_many(borrow(&bucket), vec!["a:1".into(), "b:1".into()]), Err(KvError::Other(NOPERM_KEY.into())));
    same!(ctx.get_many(borrow(&bucket), vec![]), Ok(vec![]));

    // The database functions that are commands.
    same!(HostDatabase::shutdown(&mut ctx, borrow(&db), Some(false)), Err(reply_err(&noperm("shutdown"))));
    same!(HostDatabase::save(&mut ctx, borrow(&db)), Err(reply_err(&noperm("save"))));

    // No way out: vouching for another user, AUTH without its password,
    // RESET to a locked default.
    same!(HostDatabase::connect_as(&mut ctx, borrow(&db), String::new(), "default".into(), None).err(), Some(reply_err(WRONGPASS)));
    same!(call(&mut ctx, &c, &["AUTH", "default", "guess"]), err(WRONGPASS));
    same!(call(&mut ctx, &c, &["RESET"]), Frame::Simple("RESET".into()));
    same!(call(&mut ctx, &c, &["GET", "b:1"]), err("NOAUTH Authentication required."));
    same!(HostConnection::get(&mut ctx, borrow(&c), b("b:1")), Err(reply_err(NOPERM_KEY)), "typed calls stay the plugin's user's");

    // The host's key is untouched.
    same!(host.command("default", &[b"GET", b"b:1"]).unwrap(), Reply::Bulk(b("secret")));
}

#[test]
fn connect_as_with_a_password_is_auth_and_a_missing_user_reaches_nothing() {
    let host = host();
    // Not confined: connect-as works in both forms.
    let mut ctx = RedletCtx::new(host.clone());
    let db = open(&mut ctx);
    let c = HostDatabase::connect_as(&mut ctx, borrow(&db), String::new(), "app".into(), Some("pw".into())).expect("connect-as");
    same!(call(&mut ctx, &c, &["GET", "b:1"]), err(NOPERM_KEY));
    same!(HostConnection::get(&mut ctx, borrow(&c), b("b:1")), Err(reply_err(NOPERM_KEY)));
    let t = HostDatabase::connect_as(&mut ctx, borrow(&db), String::new(), "app".into(), None).expect("trusted");
    same!(call(&mut ctx, &t, &["ACL", "WHOAMI"]), Frame::Bulk(b("app")));
    for (user, pass) in [("app", Some("bad")), ("nobody", None), ("nobody", Some("x"))] {
        same!(HostDatabase::connect_as(&mut ctx, borrow(&db), String::new(), user.into(), pass.map(String::from)).err(), Some(reply_err(WRONGPASS)), "{user}");
    }
    // A plain connection starts as default, which has a password here.
    let plain = HostDatabase::connect(&mut ctx, borrow(&db), String::new()).expect("connect");
    same!(call(&mut ctx, &plain, &["GET", "b:1"]), err("NOAUTH Authentication required."));

    // Confined to a user this database does not have: nothing works.
    let mut ghost = RedletCtx::with_user(host, "ghost");
    let db = open(&mut ghost);
    let c = HostDatabase::connect(&mut ghost, borrow(&db), String::new()).expect("connect");
    same!(call(&mut ghost, &c, &["PING"]), err(WRONGPASS));
    same!(HostConnection::get(&mut ghost, borrow(&c), b("a:1")), Err(reply_err(WRONGPASS)));
    let r = HostConnection::resp(&mut ghost, borrow(&c), b"PING\r\n".to_vec(), 0);
    assert!(r.closing);
    same!(String::from_utf8_lossy(&r.output).into_owned(), format!("-{WRONGPASS}\r\n"));
    let bucket = KvHost::open(&mut ghost, String::new()).expect("bucket");
    same!(HostBucket::get(&mut ghost, borrow(&bucket), "a:1".into()), Err(KvError::Other(WRONGPASS.into())));
}

/// The plugin example as a guest, confined to its key prefixes (`rl:*`
/// for the rate limiter, `lb:*` for the leaderboard): both work; confined
/// to `rl:*` only, the leaderboard's typed ZINCRBY is refused.
#[test]
fn the_plugin_example_confined_to_its_prefixes() {
    let wasm = plugin_support::plugin_component().unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::default();
    let component = Component::new(&engine, wasm).expect("load the plugin");
    let linker = plugin_support::native_linker(&engine).expect("linker");
    let host = plugin_support::fixed_host();
    for (user, rules) in [("ex", &[&b"~rl:*"[..], b"~lb:*"][..]), ("rl", &[&b"~rl:*"[..]][..])] {
        let mut argv: Vec<&[u8]> = vec![b"ACL", b"SETUSER", user.as_bytes(), b"on", b"+@all", b"-@admin", b"-@dangerous"];
        argv.extend_from_slice(rules);
        same!(host.command("default", &argv).unwrap(), Reply::Status("OK".into()));
    }
    same!(host.command("default", &[b"ACL", b"SETUSER", b"default", b"off"]).unwrap(), Reply::Status("OK".into()));

    let run = |user: &str| {
        let mut store = Store::new(&engine, NativeState { redlet: RedletCtx::with_user(host.clone(), user) });
        let p = PluginExample::instantiate(&mut store, &component, &linker).expect("instantiate");
        let p = p.redlet_plugin_example_plugin();
        let limited = p.call_rate_limit(&mut store, "x", 2, 60_000, Some(1_800_000_000_000)).expect("call");
        let board = p.call_leaderboard_add(&mut store, "t", "ann", 1.0).expect("call");
        (limited.map(|d| d.count), board)
    };
    let (limited, board) = run("ex");
    same!(limited, Ok::<u64, String>(1));
    same!(board, Ok(1.0));
    let (limited, board) = run("rl");
    same!(limited, Ok::<u64, String>(2));
    let e = board.expect_err("lb:t is outside rl:*");
    assert!(e.contains(NOPERM_KEY), "{e}");
}
